import { sql } from 'kysely';
import { AppError, Decimal } from '@mosaic/kernel';
import { inTenantTx } from '@mosaic/db';
import type { RecordsCtx } from '@mosaic/records';
import { physical } from './physical.ts';
import { ledgerReadOrThrow, txOf } from '../receivables/receivables.report.ts';

/** An account and everything below it: the chart's codes are prefixes of their sub-accounts' (2221 ⊃ 222101 ⊃ 22210102). */
const codeIn = (code: string) => `${code.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function accountCodeOrThrow(code: string | undefined): string {
  if (!code || !/^\d{4,12}$/.test(code)) throw new AppError('FIELD_INVALID', 'account: an account code such as 1122', { field: 'account' });
  return code;
}

export interface GeneralLedgerRow { period: string; opening: string; debit: string; credit: string; closing: string }

/**
 * 总账: an account (with its sub-accounts) month by month through a year —
 * opening, the month's debits and credits, closing (debit − credit; negative is
 * a credit balance). Read from gl_period_balance only.
 */
export async function generalLedgerBook(ctx: RecordsCtx, q: { companyId: string; account?: string; year?: string }): Promise<{ account: string; rows: GeneralLedgerRow[] }> {
  const code = accountCodeOrThrow(q.account);
  if (!q.year || !/^\d{4}$/.test(q.year)) throw new AppError('FIELD_INVALID', 'year: YYYY', { field: 'year' });
  const objects = await ledgerReadOrThrow(ctx);
  const a = physical(objects, 'gl_account');
  const r = await inTenantTx(ctx.db.app, txOf(ctx), (tx) => sql<{ period: string; debit: string; credit: string }>`
    SELECT b.period, sum(b.debit)::text AS debit, sum(b.credit)::text AS credit
    FROM gl_period_balance b JOIN ${a.t} a ON a.tenant_id = b.tenant_id AND a.id = b.account_id
    WHERE b.company_id = ${q.companyId} AND ${a.a('a', 'code')} LIKE ${codeIn(code)} AND b.period <= ${`${q.year}-12`}
    GROUP BY b.period ORDER BY b.period`.execute(tx));
  let balance = new Decimal(0);
  const byPeriod = new Map(r.rows.map((x) => [x.period, x]));
  for (const x of r.rows) if (x.period < `${q.year}-01`) balance = balance.plus(x.debit).minus(x.credit);
  const rows: GeneralLedgerRow[] = [];
  for (let m = 1; m <= 12; m++) {
    const period = `${q.year}-${String(m).padStart(2, '0')}`;
    const x = byPeriod.get(period);
    const opening = balance;
    balance = balance.plus(x?.debit ?? 0).minus(x?.credit ?? 0);
    rows.push({ period, opening: opening.toFixed(2), debit: new Decimal(x?.debit ?? 0).toFixed(2), credit: new Decimal(x?.credit ?? 0).toFixed(2), closing: balance.toFixed(2) });
  }
  return { account: code, rows };
}

export interface SubLedgerLine { date: string; voucherNo: string; journalEntry: string; account: string; description: string | null; debit: string; credit: string; balance: string }

/**
 * 明细账: every entry of an account (with its sub-accounts) between two dates,
 * optionally for one dimension value (a party or a cost center), with the
 * opening balance — periods before from's month from the balance tables, the
 * days of its month before `from` from the entries — and a running balance.
 */
export async function subsidiaryLedger(ctx: RecordsCtx, q: { companyId: string; account?: string; from: string; to: string; dim?: string; value?: string }): Promise<{ opening: string; lines: SubLedgerLine[]; closing: string }> {
  const code = accountCodeOrThrow(q.account);
  if (q.from > q.to) throw new AppError('FIELD_INVALID', 'from: after to', { field: 'from' });
  if ((q.dim && !q.value) || (q.dim && !['customer', 'supplier', 'employee', 'cost_center'].includes(q.dim))) {
    throw new AppError('FIELD_INVALID', 'dim: customer, supplier, employee or cost_center, with value', { field: 'dim' });
  }
  const objects = await ledgerReadOrThrow(ctx);
  const a = physical(objects, 'gl_account');
  const g = physical(objects, 'gl_entry');
  const month = q.from.slice(0, 7);
  const dimFilter = !q.dim ? sql`` : q.dim === 'cost_center'
    ? sql`AND ${g.a('g', 'cost_center')} = ${q.value}` : sql`AND ${g.a('g', 'party_type')} = ${q.dim} AND ${g.a('g', 'party')} = ${q.value}`;
  return inTenantTx(ctx.db.app, txOf(ctx), async (tx) => {
    const before = q.dim
      ? await sql<{ bal: string }>`SELECT COALESCE(sum(b.debit - b.credit), 0)::text AS bal FROM gl_dimension_balance b JOIN ${a.t} a ON a.tenant_id = b.tenant_id AND a.id = b.account_id
          WHERE b.company_id = ${q.companyId} AND ${a.a('a', 'code')} LIKE ${codeIn(code)} AND b.period < ${month} AND b.dim = ${q.dim} AND b.value = ${q.value}`.execute(tx)
      : await sql<{ bal: string }>`SELECT COALESCE(sum(b.debit - b.credit), 0)::text AS bal FROM gl_period_balance b JOIN ${a.t} a ON a.tenant_id = b.tenant_id AND a.id = b.account_id
          WHERE b.company_id = ${q.companyId} AND ${a.a('a', 'code')} LIKE ${codeIn(code)} AND b.period < ${month}`.execute(tx);
    const entries = await sql<Record<string, string | null>>`
      SELECT to_char(${g.a('g', 'posting_date')}, 'YYYY-MM-DD') AS date, ${g.a('g', 'voucher_no')} AS voucher_no, ${g.a('g', 'journal_entry')} AS je,
        ${a.a('a', 'code')} AS code, ${g.a('g', 'description')} AS description, ${g.a('g', 'debit')}::text AS debit, ${g.a('g', 'credit')}::text AS credit,
        ${g.a('g', 'posting_date')} < ${q.from}::date AS early
      FROM ${g.t} g JOIN ${a.t} a ON a.tenant_id = g.tenant_id AND a.id = ${g.a('g', 'account')}
      WHERE g.company_id = ${q.companyId} AND ${a.a('a', 'code')} LIKE ${codeIn(code)} ${dimFilter}
        AND ${g.a('g', 'period')} >= ${month} AND ${g.a('g', 'posting_date')} <= ${q.to}::date
      ORDER BY ${g.a('g', 'posting_date')}, g.created_at, g.id`.execute(tx);
    let balance = new Decimal(before.rows[0].bal);
    const lines: SubLedgerLine[] = [];
    for (const e of entries.rows) {
      balance = balance.plus(e.debit!).minus(e.credit!);
      if (e.early) continue;
      lines.push({ date: e.date!, voucherNo: e.voucher_no!, journalEntry: e.je!, account: e.code!, description: e.description, debit: e.debit!, credit: e.credit!, balance: balance.toFixed(2) });
    }
    const opening = lines.length ? new Decimal(lines[0].balance).minus(lines[0].debit).plus(lines[0].credit) : balance;
    return { opening: opening.toFixed(2), lines, closing: balance.toFixed(2) };
  });
}
