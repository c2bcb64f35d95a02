import { sql } from 'kysely';
import { AppError, todayIn } from '@mosaic/kernel';
import { registerDocumentHooks } from '@mosaic/process';
import { registerRecordHooks } from '@mosaic/records';
import { postToLedger, refuseGroupAccount } from '../gl/gl-posting.service.ts';
import { physical } from '../gl/physical.ts';
import { checkJournalLines, reversalLines } from './journal-entry.rules.ts';

/**
 * Submitting a journal entry posts it to the ledger; cancelling posts its
 * reversal (red ink or swapped sides, per the voucher) dated today — the
 * original stays as it was, and a closed period is never touched.
 */
export function registerJournalEntryHooks(): void {
  // A line on a group account is refused when the voucher is saved, whichever path writes it
  // (posting refuses it too: gl-posting.service.ts refuseGroupAccount).
  registerRecordHooks('journal_entry', {
    async afterWrite({ tx, objects, ids }) {
      const l = physical(objects, 'journal_entry_line');
      const a = physical(objects, 'gl_account');
      const hit = (await sql<{ parent_id: string; idx: number; code: string; name: string }>`SELECT l.parent_id, l.idx, ${a.a('a', 'code')} AS code, ${a.a('a', 'name')} AS name
        FROM ${l.t} l JOIN ${a.t} a ON a.id = ${l.a('l', 'account')}
        WHERE l.parent_id = ANY(${ids}::uuid[]) AND ${a.a('a', 'is_group')} ORDER BY l.parent_id, l.idx LIMIT 1`.execute(tx)).rows[0];
      if (hit) refuseGroupAccount(ids.length > 1 ? `${ids.indexOf(hit.parent_id)}.` : '', hit.idx, hit);
    },
  });
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
