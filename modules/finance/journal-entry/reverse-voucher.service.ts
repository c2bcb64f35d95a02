import { sql } from 'kysely';
import { Decimal } from '@mosaic/kernel';
import type { Tx } from '@mosaic/db';
import type { RecordsCtx } from '@mosaic/records';
import { physical } from '../gl/physical.ts';
import { createPostedVoucher } from './posted-voucher.service.ts';
import type { JournalLine, PartyType } from './journal-entry.rules.ts';

/**
 * Cancelling a business document: every voucher it generated is reversed in
 * red ink (红字冲销: same sides, negated amounts) on `postingDate`, with the same
 * sub-ledger dimensions, so open items and period balances return to where they were.
 */
export async function reverseVouchersOf(tx: Tx, ctx: RecordsCtx, source: { type: string; id: string; label: string }, postingDate: string): Promise<void> {
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const g = physical(objects, 'gl_entry');
  const j = physical(objects, 'journal_entry');
  const rows = await sql<Record<string, string | null>>`SELECT ${g.a('g', 'account')} AS account, ${g.a('g', 'debit')}::text AS debit, ${g.a('g', 'credit')}::text AS credit,
      ${g.a('g', 'description')} AS description, ${g.a('g', 'party_type')} AS party_type, ${g.a('g', 'party')} AS party, ${g.a('g', 'against_type')} AS against_type,
      ${g.a('g', 'against_id')} AS against_id, ${g.a('g', 'currency')} AS currency, ${g.a('g', 'fc_debit')}::text AS fc_debit, ${g.a('g', 'fc_credit')}::text AS fc_credit,
      ${g.a('g', 'cost_center')} AS cost_center, ${g.a('g', 'cash_flow_item')} AS cash_flow_item
    FROM ${g.t} g JOIN ${j.t} j ON j.tenant_id = g.tenant_id AND j.id = ${g.a('g', 'journal_entry')}
    WHERE ${j.a('j', 'source_type')} = ${source.type} AND ${j.a('j', 'source_id')} = ${source.id}
    ORDER BY g.created_at, g.id`.execute(tx);
  if (!rows.rows.length) return;
  const neg = (v: string | null) => new Decimal(v ?? 0).neg();
  const lines: JournalLine[] = rows.rows.map((r) => ({
    account: r.account!, debit: neg(r.debit), credit: neg(r.credit), description: `红字冲销 ${r.description ?? ''}`.trim(),
    party: r.party ? { type: r.party_type as PartyType, id: r.party } : undefined,
    against: r.against_id ? { type: r.against_type!, id: r.against_id } : undefined,
    foreign: r.currency ? { currency: r.currency, debit: neg(r.fc_debit), credit: neg(r.fc_credit) } : undefined,
    costCenter: r.cost_center ?? undefined, cashFlowItem: r.cash_flow_item ?? undefined,
  }));
  await createPostedVoucher(tx, ctx, { voucherType: '记', postingDate, description: `红字冲销 ${source.label}`, sourceType: source.type, sourceId: source.id, lines });
}
