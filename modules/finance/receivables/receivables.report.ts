import { sql } from 'kysely';
import { AppError, Decimal } from '@mosaic/kernel';
import { inTenantTx } from '@mosaic/db';
import type { RecordsCtx } from '@mosaic/records';
import { physical } from '../gl/physical.ts';
import { openItems, type OpenItem } from './open-items.service.ts';
import { PARTY_ACCOUNT } from './party-accounts.ts';
import type { PartyType } from '../journal-entry/journal-entry.rules.ts';


/** Reading the sub-ledger is reading the ledger: the same right as gl_entry. */
export async function ledgerReadOrThrow(ctx: RecordsCtx) {
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  if (!ctx.guard.can(objects.get('gl_entry')!, 'read')) throw new AppError('OBJECT_UNKNOWN', 'No object named "gl_entry".');
  return objects;
}

export const txOf = (ctx: RecordsCtx) => ({ tenantId: ctx.guard.actor.tenantId, userId: ctx.guard.actor.userId });

export function partyTypeOrThrow(v: string | undefined): PartyType {
  if (!v || !(v in PARTY_ACCOUNT)) throw new AppError('FIELD_INVALID', 'party_type: customer, supplier or employee', { field: 'party_type' });
  return v as PartyType;
}

/** Open items of a company (optionally one party's), as of a date. */
export async function openItemsReport(ctx: RecordsCtx, q: { companyId: string; partyType?: PartyType; party?: string; againstIds?: string[]; asOf?: string; all?: boolean }): Promise<OpenItem[]> {
  const objects = await ledgerReadOrThrow(ctx);
  return inTenantTx(ctx.db.app, txOf(ctx), (tx) => openItems(tx, objects, { ...q, openOnly: !q.all }));
}

export interface AgingRow {
  partyType: string;
  party: string;
  buckets: string[];
  /** Unallocated payments (预收/预付), shown apart rather than netted into the buckets. */
  advances: string;
  total: string;
}

/**
 * 账龄分析: what each party owes (or is owed) by age of the document on `asOf`,
 * in buckets bounded by `limits` (days): [30, 60, 90] → 0-30, 31-60, 61-90, 90+.
 */
export async function agingReport(ctx: RecordsCtx, q: { companyId: string; partyType: PartyType; asOf: string; limits: number[] }): Promise<{ labels: string[]; rows: AgingRow[]; totals: AgingRow }> {
  const limits = q.limits;
  if (!limits.length || limits.some((l, i) => !Number.isInteger(l) || l <= 0 || (i > 0 && l <= limits[i - 1]))) {
    throw new AppError('FIELD_INVALID', 'buckets: increasing whole numbers of days, e.g. 30,60,90', { field: 'buckets' });
  }
  const items = await openItemsReport(ctx, { companyId: q.companyId, partyType: q.partyType, asOf: q.asOf });
  const labels = [...limits.map((l, i) => `${i === 0 ? 0 : limits[i - 1] + 1}-${l}`), `${limits[limits.length - 1]}+`];
  const zero = () => labels.map(() => new Decimal(0));
  const byParty = new Map<string, { buckets: Decimal[]; advances: Decimal }>();
  const asOf = Date.parse(q.asOf);
  for (const i of items) {
    const row = byParty.get(i.party) ?? { buckets: zero(), advances: new Decimal(0) };
    byParty.set(i.party, row);
    const amount = new Decimal(i.outstanding);
    if (amount.lt(0)) { row.advances = row.advances.plus(amount); continue; }
    const days = Math.floor((asOf - Date.parse(i.documentDate)) / 86_400_000);
    const b = limits.findIndex((l) => days <= l);
    row.buckets[b < 0 ? limits.length : b] = row.buckets[b < 0 ? limits.length : b].plus(amount);
  }
  const shape = (party: string, r: { buckets: Decimal[]; advances: Decimal }): AgingRow => ({
    partyType: q.partyType, party, buckets: r.buckets.map((d) => d.toFixed(2)), advances: r.advances.toFixed(2),
    total: r.buckets.reduce((s, d) => s.plus(d), r.advances).toFixed(2),
  });
  const sum = { buckets: zero(), advances: new Decimal(0) };
  for (const r of byParty.values()) { r.buckets.forEach((d, i) => { sum.buckets[i] = sum.buckets[i].plus(d); }); sum.advances = sum.advances.plus(r.advances); }
  return { labels, rows: [...byParty].map(([p, r]) => shape(p, r)), totals: shape('', sum) };
}

export interface StatementLine {
  date: string;
  voucherNo: string;
  journalEntry: string;
  description: string | null;
  againstType: string | null;
  againstId: string | null;
  debit: string;
  credit: string;
  balance: string;
}

/**
 * 对账单: a party's movements on its control account between two dates, with
 * the opening balance and a running balance in the account's direction (what
 * the customer owes; what we owe the supplier).
 */
export async function partyStatement(ctx: RecordsCtx, q: { companyId: string; partyType: PartyType; party: string; from: string; to: string }): Promise<{ opening: string; lines: StatementLine[]; closing: string; totals: { debit: string; credit: string } }> {
  if (q.from > q.to) throw new AppError('FIELD_INVALID', 'from: after to', { field: 'from' });
  const objects = await ledgerReadOrThrow(ctx);
  const g = physical(objects, 'gl_entry');
  const a = physical(objects, 'gl_account');
  const code = PARTY_ACCOUNT[q.partyType];
  const sign = q.partyType === 'supplier' ? -1 : 1;
  const rows = await inTenantTx(ctx.db.app, txOf(ctx), (tx) => sql<Record<string, string | null>>`
    SELECT to_char(${g.a('g', 'posting_date')}, 'YYYY-MM-DD') AS date, ${g.a('g', 'voucher_no')} AS voucher_no, ${g.a('g', 'journal_entry')} AS je,
      ${g.a('g', 'description')} AS description, ${g.a('g', 'against_type')} AS against_type, ${g.a('g', 'against_id')} AS against_id,
      ${g.a('g', 'debit')}::text AS debit, ${g.a('g', 'credit')}::text AS credit, (${g.a('g', 'posting_date')} < ${q.from}::date) AS before
    FROM ${g.t} g JOIN ${a.t} a ON a.tenant_id = g.tenant_id AND a.id = ${g.a('g', 'account')}
    WHERE g.company_id = ${q.companyId} AND ${a.a('a', 'code')} = ${code} AND ${g.a('g', 'party_type')} = ${q.partyType} AND ${g.a('g', 'party')} = ${q.party}
      AND ${g.a('g', 'posting_date')} <= ${q.to}::date
    ORDER BY ${g.a('g', 'posting_date')}, g.created_at, g.id`.execute(tx));
  let balance = new Decimal(0);
  let debit = new Decimal(0);
  let credit = new Decimal(0);
  const lines: StatementLine[] = [];
  let opening = new Decimal(0);
  for (const r of rows.rows) {
    const d = new Decimal(r.debit!);
    const c = new Decimal(r.credit!);
    balance = balance.plus(d.minus(c).times(sign));
    if (r.before) { opening = balance; continue; }
    debit = debit.plus(d); credit = credit.plus(c);
    lines.push({ date: r.date!, voucherNo: r.voucher_no!, journalEntry: r.je!, description: r.description, againstType: r.against_type, againstId: r.against_id,
      debit: d.toFixed(2), credit: c.toFixed(2), balance: balance.toFixed(2) });
  }
  return { opening: opening.toFixed(2), lines, closing: balance.toFixed(2), totals: { debit: debit.toFixed(2), credit: credit.toFixed(2) } };
}
