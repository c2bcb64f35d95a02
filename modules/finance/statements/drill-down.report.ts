import { sql } from 'kysely';
import { AppError, Decimal } from '@mosaic/kernel';
import { inTenantTx } from '@mosaic/db';
import type { RecordsCtx } from '@mosaic/records';
import { physical } from '../gl/physical.ts';
import { periodBounds } from '../gl/period.ts';
import { ledgerReadOrThrow, txOf } from '../receivables/receivables.report.ts';
import { BALANCE_SHEET, INCOME_STATEMENT } from './statement-lines.ts';
import { lineAccounts } from './statements.report.ts';

const STATEMENTS = { balance_sheet: BALANCE_SHEET, income_statement: INCOME_STATEMENT };

/**
 * From a statement figure to its vouchers: the entries of the line's accounts
 * in the period (scope=month) or from the year's start (scope=year), one row
 * per voucher with its effect on the line. The balance sheet's figure is the
 * 年初余额 plus these.
 */
export async function drillDown(ctx: RecordsCtx, q: { companyId: string; statement?: string; line?: string; period?: string; scope?: string }) {
  const lines = STATEMENTS[q.statement as keyof typeof STATEMENTS];
  if (!lines) throw new AppError('FIELD_INVALID', 'statement: balance_sheet or income_statement', { field: 'statement' });
  const accounts = lineAccounts(lines, q.line ?? '');
  if (!accounts.length) throw new AppError('FIELD_INVALID', `line: not a line of the ${q.statement}`, { field: 'line' });
  periodBounds(q.period ?? '');
  const period = q.period!;
  const from = q.scope === 'year' ? `${period.slice(0, 4)}-01` : period;
  const side = lines.find((l) => l.key === q.line)!.side === 'debit' ? 1 : -1;
  const objects = await ledgerReadOrThrow(ctx);
  const g = physical(objects, 'gl_entry');
  const a = physical(objects, 'gl_account');
  const j = physical(objects, 'journal_entry');
  const effect = sql.join(accounts.map((x) => sql`WHEN ${a.a('a', 'code')} LIKE ${`${x.prefix}%`} THEN ${x.sign * side}`), sql` `);
  const r = await inTenantTx(ctx.db.app, txOf(ctx), (tx) => sql<Record<string, string>>`
    SELECT j.id AS journal_entry, ${j.a('j', 'number')} AS voucher_no, to_char(${j.a('j', 'posting_date')}, 'YYYY-MM-DD') AS date, ${j.a('j', 'description')} AS description,
      ${j.a('j', 'source_type')} AS source_type, ${j.a('j', 'source_id')} AS source_id,
      sum((${g.a('g', 'debit')} - ${g.a('g', 'credit')}) * CASE ${effect} ELSE 0 END)::text AS amount
    FROM ${g.t} g JOIN ${a.t} a ON a.tenant_id = g.tenant_id AND a.id = ${g.a('g', 'account')} JOIN ${j.t} j ON j.tenant_id = g.tenant_id AND j.id = ${g.a('g', 'journal_entry')}
    WHERE g.company_id = ${q.companyId} AND ${g.a('g', 'period')} BETWEEN ${from} AND ${period}
      AND (${sql.join(accounts.map((x) => sql`${a.a('a', 'code')} LIKE ${`${x.prefix}%`}`), sql` OR `)})
      ${q.statement === 'income_statement' ? sql`AND ${j.a('j', 'source_type')} IS DISTINCT FROM 'closing'` : sql``}
    GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 3, 2 LIMIT 1000`.execute(tx));
  return { statement: q.statement, line: q.line, from, to: period, data: r.rows.map((x) => ({ ...x, amount: new Decimal(x.amount).toFixed(2) })) };
}
