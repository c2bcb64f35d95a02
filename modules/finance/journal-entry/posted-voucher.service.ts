import { sql } from 'kysely';
import { systemGuard } from '@mosaic/access';
import type { Tx } from '@mosaic/db';
import { createRecords, getRecord, logChanges, type RecordsCtx } from '@mosaic/records';
import { postToLedger } from '../gl/gl-posting.service.ts';
import { checkJournalLines, lineDimensions, type JournalLine } from './journal-entry.rules.ts';

export interface GeneratedVoucher {
  voucherType: '记' | '收' | '付' | '转';
  postingDate: string;
  description: string;
  sourceType: string;
  sourceId: string;
  lines: JournalLine[];
}

/**
 * A voucher generated from a business document, inside that document's
 * transaction: created as a journal_entry, posted, and marked submitted at
 * once. It is the system's posting, so it is written with the system's rights —
 * the warehouse clerk whose receipt caused it needs no finance rights.
 */
export async function createPostedVoucher(tx: Tx, userCtx: RecordsCtx, v: GeneratedVoucher): Promise<string> {
  const ctx: RecordsCtx = { ...userCtx, guard: systemGuard(userCtx.guard.actor) };
  const lines = checkJournalLines(v.lines.map((l) => ({ account: l.account, debit: l.debit.toFixed(2), credit: l.credit.toFixed(2), description: l.description, ...lineDimensions(l) })));
  const [{ id }] = await createRecords(ctx, 'journal_entry', [{
    voucher_type: v.voucherType, posting_date: v.postingDate, description: v.description, source_type: v.sourceType, source_id: v.sourceId,
    lines: lines.map((l) => ({ account: l.account, debit: l.debit.toFixed(2), credit: l.credit.toFixed(2), description: l.description, ...lineDimensions(l) })),
  }], { tx });
  const je = await getRecord(ctx, 'journal_entry', id, { tx });
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  await postToLedger(tx, objects, ctx.guard.actor.tenantId, {
    companyId: (je.company_id as string) ?? ctx.guard.actor.companyId!, journalEntryId: id, voucherNo: je.number as string, postingDate: v.postingDate, lines,
  });
  const table = objects.get('journal_entry')!.tableName;
  await sql`SELECT set_config('mosaic.doc_transition', 'on', true)`.execute(tx);
  await sql`UPDATE ${sql.id(table)} SET status = 'submitted', submitted_at = now(), version = version + 1 WHERE id = ${id}`.execute(tx);
  await sql`SELECT set_config('mosaic.doc_transition', 'off', true)`.execute(tx);
  await logChanges(tx, ctx.guard.actor, [{ object: 'journal_entry', recordId: id, op: 'submit', changes: { status: ['draft', 'submitted'] } }]);
  return id;
}
