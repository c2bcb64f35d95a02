import { sql } from 'kysely';
import { AppError, Decimal } from '@mosaic/kernel';
import { inTenantTx, type Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import { logChanges, type RecordsCtx, requireRight } from '@mosaic/records';
import { physical } from '../gl/physical.ts';
import { periodBounds } from '../gl/period.ts';
import { createPostedVoucher } from '../journal-entry/posted-voucher.service.ts';
import type { JournalLine } from '../journal-entry/journal-entry.rules.ts';
import { ACCOUNTS, accountIdsOrThrow } from '../receivables/party-accounts.ts';
import { txOf } from '../receivables/receivables.report.ts';
import { CLOSING } from '../statements/statements.report.ts';
import { closingChecklist } from './checklist.service.ts';

const zero = new Decimal(0);

/**
 * 结账: carries the period's income and expense to 本年利润 (3103) — Dr each
 * income account, Cr each expense account, the net to 3103 — in December also
 * 本年利润 to 利润分配 (年终结转), then locks the period. Refused while the
 * checklist has open points, unless `force` (and the reasons are audited).
 * Closing a period that was reopened carries only what changed since.
 */
export async function closePeriod(ctx: RecordsCtx, companyId: string, period: string, opts: { force?: boolean } = {}) {
  const { last } = periodBounds(period);
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  requireRight(ctx, objects.get('fiscal_period')!, 'edit');
  requireRight(ctx, objects.get('journal_entry')!, 'create');
  return inTenantTx(ctx.db.app, txOf(ctx), async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`closing:${companyId}:${period}`}))`.execute(tx);
    if (await isClosed(tx, objects, companyId, period)) throw new AppError('PERIOD_CLOSED', `period ${period} is already closed`, { field: 'period' });
    const checklist = await closingChecklist(tx, objects, companyId, period);
    const open = checklist.items.filter((i) => !i.ok && i.key !== 'previous_closed');
    if (open.length && !opts.force) throw new AppError('CONFLICT', `period ${period} is not ready to close: ${open.map((i) => i.label).join('、')}`, { field: 'period' });
    const lines = await profitTransferLines(tx, objects, companyId, period, period);
    const profit = lines.reduce((s, l) => s.plus(l.debit).minus(l.credit), zero); // net of income − expense moved
    const ids = await accountIdsOrThrow(tx, objects, companyId, [ACCOUNTS.profit, ACCOUNTS.retained]);
    let voucher: string | null = null;
    if (lines.length) {
      lines.push({ account: ids[ACCOUNTS.profit], debit: profit.lt(0) ? profit.neg() : zero, credit: profit.gt(0) ? profit : zero, description: '结转本年利润' });
      voucher = await createPostedVoucher(tx, ctx, { voucherType: '转', postingDate: last, description: `结转损益 ${period}`, sourceType: CLOSING, sourceId: period, lines });
    }
    let yearEnd: string | null = null;
    if (period.endsWith('-12')) yearEnd = await carryYearProfit(tx, ctx, objects, companyId, period, ids);
    await lockPeriod(tx, ctx, objects, companyId, period, true, opts.force && open.length ? { forced: open.map((i) => i.key) } : {});
    return { period, voucher, profit: profit.toFixed(2), yearEnd, checklist };
  });
}

/** Lines moving each P&L account's balance over the periods to zero (the 3103 line is added by the caller). */
async function profitTransferLines(tx: Tx, objects: Map<string, ObjectMeta>, companyId: string, from: string, to: string): Promise<JournalLine[]> {
  const a = physical(objects, 'gl_account');
  const r = await sql<{ id: string; code: string; bal: string }>`SELECT a.id, ${a.a('a', 'code')} AS code, sum(b.debit - b.credit)::text AS bal
    FROM gl_period_balance b JOIN ${a.t} a ON a.tenant_id = b.tenant_id AND a.id = b.account_id
    WHERE b.company_id = ${companyId} AND b.period BETWEEN ${from} AND ${to} AND ${a.a('a', 'account_type')} IN ('income', 'expense')
    GROUP BY 1, 2 HAVING sum(b.debit - b.credit) <> 0 ORDER BY 2`.execute(tx);
  return r.rows.map((x) => {
    const bal = new Decimal(x.bal); // debit balance (expense) is credited away, credit balance (income) debited
    return { account: x.id, debit: bal.lt(0) ? bal.neg() : zero, credit: bal.gt(0) ? bal : zero, description: '结转本年利润' };
  });
}

/** 年终结转: the year's 本年利润 to 利润分配—未分配利润. */
async function carryYearProfit(tx: Tx, ctx: RecordsCtx, objects: Map<string, ObjectMeta>, companyId: string, period: string, ids: Record<string, string>): Promise<string | null> {
  const year = period.slice(0, 4);
  const r = await sql<{ bal: string }>`SELECT COALESCE(sum(credit - debit), 0)::text AS bal FROM gl_period_balance
    WHERE company_id = ${companyId} AND account_id = ${ids[ACCOUNTS.profit]} AND period BETWEEN ${`${year}-01`} AND ${period}`.execute(tx);
  const profit = new Decimal(r.rows[0].bal);
  if (profit.isZero()) return null;
  const abs = profit.abs();
  return createPostedVoucher(tx, ctx, {
    voucherType: '转', postingDate: periodBounds(period).last, description: `年终结转本年利润 ${year}`, sourceType: 'year_end', sourceId: year,
    lines: profit.gt(0)
      ? [{ account: ids[ACCOUNTS.profit], debit: abs, credit: zero, description: '本年利润转入利润分配' }, { account: ids[ACCOUNTS.retained], debit: zero, credit: abs, description: '未分配利润' }]
      : [{ account: ids[ACCOUNTS.retained], debit: abs, credit: zero, description: '未分配利润' }, { account: ids[ACCOUNTS.profit], debit: zero, credit: abs, description: '本年亏损转入利润分配' }],
  });
}

/**
 * 反结账: reopens a closed period. Needs the right to cancel fiscal periods
 * (the finance manager's, not the accountant's) and a reason; audited.
 */
export async function reopenPeriod(ctx: RecordsCtx, companyId: string, period: string, reason: string | undefined) {
  periodBounds(period);
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  requireRight(ctx, objects.get('fiscal_period')!, 'cancel'); // the finance manager's
  if (!reason?.trim()) throw new AppError('FIELD_REQUIRED', 'reason: why the period is reopened', { field: 'reason' });
  return inTenantTx(ctx.db.app, txOf(ctx), async (tx) => {
    if (!(await isClosed(tx, objects, companyId, period))) throw new AppError('CONFLICT', `period ${period} is not closed`, { field: 'period' });
    await lockPeriod(tx, ctx, objects, companyId, period, false, { reason });
    return { period, closed: false };
  });
}

export async function isClosed(tx: Tx, objects: Map<string, ObjectMeta>, companyId: string, period: string): Promise<boolean> {
  const f = physical(objects, 'fiscal_period');
  const r = await sql`SELECT 1 FROM ${f.t} WHERE company_id = ${companyId} AND ${f.c('period')} = ${period} AND ${f.c('is_closed')}`.execute(tx);
  return r.rows.length > 0;
}

/** Sets is_closed through the one door the fiscal_period trigger leaves open, with an audit entry. */
async function lockPeriod(tx: Tx, ctx: RecordsCtx, objects: Map<string, ObjectMeta>, companyId: string, period: string, closed: boolean, why: Record<string, unknown>): Promise<void> {
  const f = physical(objects, 'fiscal_period');
  await sql`SELECT set_config('mosaic.period_closing', 'on', true)`.execute(tx);
  const updated = await sql<{ id: string }>`UPDATE ${f.t} SET ${f.c('is_closed')} = ${closed}, version = version + 1, updated_at = now()
    WHERE company_id = ${companyId} AND ${f.c('period')} = ${period} RETURNING id`.execute(tx);
  let id = updated.rows[0]?.id;
  if (!id) {
    id = crypto.randomUUID();
    await sql`INSERT INTO ${f.t} (tenant_id, id, company_id, ${f.c('period')}, ${f.c('is_closed')}, created_by, updated_by)
      VALUES (${ctx.guard.actor.tenantId}, ${id}, ${companyId}, ${period}, ${closed}, ${ctx.guard.actor.userId}, ${ctx.guard.actor.userId})`.execute(tx);
  }
  await sql`SELECT set_config('mosaic.period_closing', 'off', true)`.execute(tx);
  await logChanges(tx, ctx.guard.actor, [{ object: 'fiscal_period', recordId: id, op: closed ? 'close' : 'reopen', changes: { is_closed: [!closed, closed], ...Object.fromEntries(Object.entries(why).map(([k, v]) => [k, [null, v]])) } }]);
}
