import { sql } from 'kysely';
import { Decimal } from '@mosaic/kernel';
import { inTenantTx, type Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import type { RecordsCtx } from '@mosaic/records';
import { physical } from '../gl/physical.ts';
import { periodBounds } from '../gl/period.ts';
import { ledgerReadOrThrow, txOf } from '../receivables/receivables.report.ts';
import { BALANCE_SHEET, INCOME_STATEMENT, type StatementLine } from './statement-lines.ts';

export const CLOSING = 'closing';

/** debit and credit per account code. */
type Balances = Map<string, { debit: Decimal; credit: Decimal }>;

/**
 * Movements per account code over a range of periods, from gl_period_balance
 * (a few rows per account and month, however many entries there are).
 *
 *   SELECT a.c_code, sum(b.debit), sum(b.credit) FROM gl_period_balance b JOIN o_gl_account a …
 *   WHERE b.company_id = $1 AND b.period BETWEEN $2 AND $3 GROUP BY a.c_code
 */
export async function balancesByCode(tx: Tx, objects: Map<string, ObjectMeta>, companyId: string, from: string | null, to: string): Promise<Balances> {
  const a = physical(objects, 'gl_account');
  const r = await sql<{ code: string; debit: string; credit: string }>`SELECT ${a.a('a', 'code')} AS code, sum(b.debit)::text AS debit, sum(b.credit)::text AS credit
    FROM gl_period_balance b JOIN ${a.t} a ON a.tenant_id = b.tenant_id AND a.id = b.account_id
    WHERE b.company_id = ${companyId} AND b.period <= ${to} ${from ? sql`AND b.period >= ${from}` : sql``}
    GROUP BY 1`.execute(tx);
  return new Map(r.rows.map((x) => [x.code, { debit: new Decimal(x.debit), credit: new Decimal(x.credit) }]));
}

/** The accounts (code prefixes) a line adds up, following subtotals; negative prefixes subtract. */
export function lineAccounts(lines: StatementLine[], key: string): { prefix: string; sign: 1 | -1 }[] {
  const line = lines.find((l) => l.key === key);
  if (!line) return [];
  if (line.accounts) return line.accounts.map((prefix) => ({ prefix, sign: 1 }));
  return line.sum!.flatMap((k) => {
    const neg = k.startsWith('-');
    const sub = lineAccounts(lines, neg ? k.slice(1) : k);
    const subSide = lines.find((l) => l.key === (neg ? k.slice(1) : k))!.side;
    const flip = (neg ? -1 : 1) * (subSide === line.side ? 1 : -1);
    return sub.map((s) => ({ prefix: s.prefix, sign: (s.sign * flip) as 1 | -1 }));
  });
}

/** Every line's amount from balances by code, on its natural side. */
export function computeLines(lines: StatementLine[], balances: Balances): Map<string, Decimal> {
  const out = new Map<string, Decimal>();
  for (const line of lines) {
    if (line.accounts) {
      let d = new Decimal(0);
      for (const [code, v] of balances) if (line.accounts.some((p) => code.startsWith(p))) d = d.plus(v.debit).minus(v.credit);
      out.set(line.key, line.side === 'debit' ? d : d.neg());
    } else {
      out.set(line.key, line.sum!.reduce((s, k) => {
        const neg = k.startsWith('-');
        const key = neg ? k.slice(1) : k;
        // Subtotals add and subtract the lines as shown (营业利润 = 营业收入 − 营业成本 − …).
        const v = out.get(key)!;
        return neg ? s.minus(v) : s.plus(v);
      }, new Decimal(0)));
    }
  }
  return out;
}

export interface StatementRow { key: string; label: string; [column: string]: string }

function rowsOf(lines: StatementLine[], columns: Record<string, Map<string, Decimal>>): StatementRow[] {
  return lines.map((l) => ({ key: l.key, label: l.label, ...Object.fromEntries(Object.entries(columns).map(([c, m]) => [c, m.get(l.key)!.toFixed(2)])) }));
}

/** One column of balancesByColumn: the periods from `from` (null: from the beginning) to `to`, both included. */
interface ColumnPeriods {
  from: string | null;
  to: string;
}

/**
 * Debit and credit per account code for several columns (each a range of periods) in one
 * read of gl_period_balance — one round trip however many columns. `exceptClosing` takes
 * the closing vouchers' part (结转本年利润) out, as the 利润表 needs:
 *
 *   SELECT a.c_code, sum(b.debit[ - b.closing_debit]) FILTER (WHERE <column 1's periods>), sum(b.credit …) FILTER (…), … (per column)
 *   FROM gl_period_balance b JOIN o_gl_account a … WHERE b.company_id = $c AND b.period <= <last to> AND (<column 1's periods> OR …) GROUP BY a.c_code
 *
 * A code with nothing in a column's periods is left out of that column (as balancesByCode leaves it out).
 */
async function balancesByColumn(tx: Tx, objects: Map<string, ObjectMeta>, companyId: string, columns: Record<string, ColumnPeriods>, exceptClosing: boolean): Promise<Record<string, Balances>> {
  const a = physical(objects, 'gl_account');
  const names = Object.keys(columns);
  const last = names.map((n) => columns[n].to).sort().at(-1)!;
  const periods = ({ from, to }: ColumnPeriods) => (from ? sql`b.period BETWEEN ${from} AND ${to}` : sql`b.period <= ${to}`);
  const debit = exceptClosing ? sql`b.debit - b.closing_debit` : sql`b.debit`;
  const credit = exceptClosing ? sql`b.credit - b.closing_credit` : sql`b.credit`;
  const sums = names.flatMap((n, i) => [
    sql`(sum(${debit}) FILTER (WHERE ${periods(columns[n])}))::text AS ${sql.id(`d${i}`)}`,
    sql`(sum(${credit}) FILTER (WHERE ${periods(columns[n])}))::text AS ${sql.id(`c${i}`)}`,
  ]);
  const r = await sql<Record<string, string | null>>`SELECT ${a.a('a', 'code')} AS code, ${sql.join(sums)}
    FROM gl_period_balance b JOIN ${a.t} a ON a.tenant_id = b.tenant_id AND a.id = b.account_id
    WHERE b.company_id = ${companyId} AND b.period <= ${last} AND (${sql.join(names.map((n) => periods(columns[n])), sql` OR `)})
    GROUP BY 1`.execute(tx);
  return Object.fromEntries(names.map((n, i) => [n, new Map(r.rows.filter((x) => x[`d${i}`] !== null).map((x) =>
    [x.code!, { debit: new Decimal(x[`d${i}`]!), credit: new Decimal(x[`c${i}`]!) }]))]));
}

/** Balances per account code at several period ends (the balance sheet's columns), in one read. */
export function balancesAtEnds(tx: Tx, objects: Map<string, ObjectMeta>, companyId: string, ends: Record<string, string>): Promise<Record<string, Balances>> {
  return balancesByColumn(tx, objects, companyId, Object.fromEntries(Object.entries(ends).map(([n, to]) => [n, { from: null, to }])), false);
}

/**
 * 资产负债表 at a period's end, beside the year's opening (年初余额) and, when
 * asked, another period's end — all columns from one read of the period balances,
 * in a read-only transaction (its COMMIT is not waited for).
 */
export async function balanceSheet(ctx: RecordsCtx, companyId: string, period: string, compare?: string) {
  periodBounds(period);
  if (compare) periodBounds(compare);
  const objects = await ledgerReadOrThrow(ctx);
  return inTenantTx(ctx.db.app, txOf(ctx), async (tx) => {
    const ends: Record<string, string> = { closing: period, yearStart: `${Number(period.slice(0, 4)) - 1}-12` };
    if (compare) ends.compare = compare;
    const balances = await balancesAtEnds(tx, objects, companyId, ends);
    const columns = Object.fromEntries(Object.entries(balances).map(([k, b]) => [k, computeLines(BALANCE_SHEET, b)]));
    const c = columns.closing;
    return { statement: 'balance_sheet', period, compare: compare ?? null, rows: rowsOf(BALANCE_SHEET, columns), balanced: c.get('total_assets')!.eq(c.get('total_liabilities_and_equity')!) };
  }, { readOnly: true });
}

/** Profit-and-loss movements per account code for several period ranges in one read, closing vouchers' part (结转本年利润) taken out. */
function profitAndLossByCode(tx: Tx, objects: Map<string, ObjectMeta>, companyId: string, ranges: Record<string, [string, string]>): Promise<Record<string, Balances>> {
  return balancesByColumn(tx, objects, companyId, Object.fromEntries(Object.entries(ranges).map(([n, [from, to]]) => [n, { from, to }])), true);
}

/** 利润表: the month (本月金额) and the year to date (本年累计金额), closing entries left out; optionally another period beside. Read-only transaction. */
export async function incomeStatement(ctx: RecordsCtx, companyId: string, period: string, compare?: string) {
  periodBounds(period);
  if (compare) periodBounds(compare);
  const objects = await ledgerReadOrThrow(ctx);
  return inTenantTx(ctx.db.app, txOf(ctx), async (tx) => {
    const ranges: Record<string, [string, string]> = { month: [period, period], ytd: [`${period.slice(0, 4)}-01`, period] };
    if (compare) ranges.compare = [compare, compare];
    const balances = await profitAndLossByCode(tx, objects, companyId, ranges);
    const columns = Object.fromEntries(Object.entries(balances).map(([k, b]) => [k, computeLines(INCOME_STATEMENT, b)]));
    return { statement: 'income_statement', period, compare: compare ?? null, rows: rowsOf(INCOME_STATEMENT, columns) };
  }, { readOnly: true });
}
