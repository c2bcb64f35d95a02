import { AppError, todayIn } from '@mosaic/kernel';
import { registerDocumentHooks } from '@mosaic/process';
import { postToLedger } from '../gl/gl-posting.service.ts';
import { checkJournalLines, reversalLines } from './journal-entry.rules.ts';

/**
 * Submitting a journal entry posts it to the ledger; cancelling posts its
 * reversal (red ink or swapped sides, per the voucher) dated today — the
 * original stays as it was, and a closed period is never touched.
 */
export function registerJournalEntryHooks(): void {
  registerDocumentHooks('journal_entry', {
    async validate({ record }) {
      checkJournalLines((record.lines ?? []) as Record<string, unknown>[]);
    },
    async onSubmit({ tx, ctx, record }) {
      const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
      const companyId = (record.company_id as string | null) ?? ctx.guard.actor.companyId;
      if (!companyId) throw new AppError('FIELD_REQUIRED', 'company_id: a voucher belongs to a company', { field: 'company_id' });
      await postToLedger(tx, objects, ctx.guard.actor.tenantId, {
        companyId, journalEntryId: record.id as string, voucherNo: record.number as string, postingDate: record.posting_date as string,
        lines: checkJournalLines(record.lines as Record<string, unknown>[]).map((l) => ({ ...l, description: l.description ?? (record.description as string | undefined) })),
      });
    },
    async onCancel({ tx, ctx, record }) {
      const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
      const today = todayIn(ctx.guard.actor.timeZone);
      await postToLedger(tx, objects, ctx.guard.actor.tenantId, {
        companyId: (record.company_id as string | null) ?? ctx.guard.actor.companyId!, journalEntryId: record.id as string,
        voucherNo: `${record.number}（冲）`, postingDate: today,
        lines: reversalLines(checkJournalLines(record.lines as Record<string, unknown>[]), record.red_reversal === true),
      });
    },
  });
}
