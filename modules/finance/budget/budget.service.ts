import { sql } from 'kysely';
import { AppError, Decimal } from '@mosaic/kernel';
import { inTenantTx, type Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import type { RecordsCtx } from '@mosaic/records';
import { physical } from '../gl/physical.ts';
import { ledgerReadOrThrow, txOf } from '../receivables/receivables.report.ts';
import type { JournalLine } from '../journal-entry/journal-entry.rules.ts';

interface BudgetRow { id: string; name: string; account: string; code: string; cost_center: string | null; year: string; period: string | null; amount: string; on_overrun: string; actual: string }

/**
 * Budgets with what has been spent against them: debit − credit of the
 * account (for the cost center, when the budget has one) over the budget's
 * month or year, read from the balance tables.
 */
async function budgetsWithActuals(tx: Tx, objects: Map<string, ObjectMeta>, companyId: string, filter: { year: string; accounts?: string[] }): Promise<BudgetRow[]> {
  const b = physical(objects, 'budget');
  const a = physical(objects, 'gl_account');
  const range = sql`(CASE WHEN ${b.a('b', 'period')} IS NULL THEN x.period BETWEEN ${b.a('b', 'year')} || '-01' AND ${b.a('b', 'year')} || '-12' ELSE x.period = ${b.a('b', 'period')} END)`;
  const r = await sql<BudgetRow>`SELECT b.id, ${b.a('b', 'name')} AS name, ${b.a('b', 'account')} AS account, ${a.a('a', 'code')} AS code, ${b.a('b', 'cost_center')} AS cost_center,
      ${b.a('b', 'year')} AS year, ${b.a('b', 'period')} AS period, ${b.a('b', 'amount')}::text AS amount, ${b.a('b', 'on_overrun')} AS on_overrun,
      (CASE WHEN ${b.a('b', 'cost_center')} IS NULL
        THEN (SELECT COALESCE(sum(x.debit - x.credit), 0) FROM gl_period_balance x WHERE x.tenant_id = b.tenant_id AND x.company_id = b.company_id AND x.account_id = ${b.a('b', 'account')} AND ${range})
        ELSE (SELECT COALESCE(sum(x.debit - x.credit), 0) FROM gl_dimension_balance x WHERE x.tenant_id = b.tenant_id AND x.company_id = b.company_id AND x.account_id = ${b.a('b', 'account')}
               AND x.dim = 'cost_center' AND x.value = ${b.a('b', 'cost_center')} AND ${range}) END)::text AS actual
    FROM ${b.t} b JOIN ${a.t} a ON a.tenant_id = b.tenant_id AND a.id = ${b.a('b', 'account')}
    WHERE b.company_id = ${companyId} AND ${b.a('b', 'year')} = ${filter.year} ${filter.accounts ? sql`AND ${b.a('b', 'account')} = ANY(${filter.accounts})` : sql``}
    ORDER BY ${a.a('a', 'code')}, ${b.a('b', 'period')} NULLS FIRST`.execute(tx);
  return r.rows;
}

/**
 * After a posting's lines are in: a budget that blocks overruns refuses a
 * posting that raises its account (and cost center) above the budget. Budgets
 * that only warn are shown as overrun in the budget report. Nothing to do for a
 * company without budgets.
 */
export async function checkBudgets(tx: Tx, objects: Map<string, ObjectMeta>, companyId: string, postingDate: string, lines: JournalLine[], hasBudgets?: boolean): Promise<void> {
  const b = objects.get('budget');
  if (!b || hasBudgets === false) return;
  const raised = new Map<string, Decimal>(); // account|cost center → net debit of this posting
  for (const l of lines) {
    for (const key of [`${l.account}|`, ...(l.costCenter ? [`${l.account}|${l.costCenter}`] : [])]) raised.set(key, (raised.get(key) ?? new Decimal(0)).plus(l.debit).minus(l.credit));
  }
  const accounts = [...new Set(lines.map((l) => l.account))];
  // hasBudgets: the caller already asked (createPostedVoucher, in a statement it runs anyway).
  if (hasBudgets === undefined) {
    const exists = await sql`SELECT 1 FROM ${sql.id(b.tableName)} WHERE company_id = ${companyId} LIMIT 1`.execute(tx);
    if (!exists.rows.length) return;
  }
  for (const budget of await budgetsWithActuals(tx, objects, companyId, { year: postingDate.slice(0, 4), accounts })) {
    if (budget.on_overrun !== 'block' || (budget.period && budget.period !== postingDate.slice(0, 7))) continue;
    const up = raised.get(`${budget.account}|${budget.cost_center ?? ''}`);
    if (!up || up.lte(0)) continue;
    if (new Decimal(budget.actual).gt(budget.amount)) {
      throw new AppError('BUDGET_EXCEEDED', `budget "${budget.name}" (${budget.code}${budget.cost_center ? ` / ${budget.cost_center}` : ''}): ${new Decimal(budget.actual).toFixed(2)} would exceed ${new Decimal(budget.amount).toFixed(2)}`, { field: 'lines' });
    }
  }
}

/** 预算执行表: each budget of a year with its actual, what remains, and whether it is overrun. */
export async function budgetReport(ctx: RecordsCtx, companyId: string, year: string | undefined) {
  if (!year || !/^\d{4}$/.test(year)) throw new AppError('FIELD_INVALID', 'year: YYYY', { field: 'year' });
  const objects = await ledgerReadOrThrow(ctx);
  const rows = await inTenantTx(ctx.db.app, txOf(ctx), (tx) => budgetsWithActuals(tx, objects, companyId, { year }));
  return {
    year,
    data: rows.map((r) => {
      const amount = new Decimal(r.amount);
      const actual = new Decimal(r.actual);
      return { budget: r.id, name: r.name, account: r.code, costCenter: r.cost_center, period: r.period, onOverrun: r.on_overrun, amount: amount.toFixed(2), actual: actual.toFixed(2),
        remaining: amount.minus(actual).toFixed(2), usedPercent: amount.isZero() ? null : actual.div(amount).times(100).toFixed(2), overrun: actual.gt(amount) };
    }),
  };
}
