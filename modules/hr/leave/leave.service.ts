import { sql } from 'kysely';
import { systemGuard } from '@mosaic/access';
import { inTenantTx, type Tx } from '@mosaic/db';
import { AppError, Decimal } from '@mosaic/kernel';
import { registerDocumentHooks } from '@mosaic/process';
import { createRecords, readableObject, type RecordsCtx } from '@mosaic/records';
import { physical } from '../physical.ts';
import { approveWithoutFlow } from '../approve-without-flow.ts';
import { checkFilingEmployee, registerFilingEmployeeCheck } from '../filing-employee.ts';
import { employeeWeek, loadWorkCalendar } from '../calendar/work-calendar.store.ts';
import { accruedDays, availableDays, leaveDayLimit, monthOf, type Accrual } from './leave.rules.ts';

/**
 * Accrues leave through `month` (YYYY-MM) for every employee of the caller's
 * company employed by then, for each leave type that accrues: the balance of
 * the year is created if missing and its `accrued` set from the months employed
 * (leave.rules.ts), so the run is idempotent. Meant for a monthly schedule
 * (automation) as much as for the HR button.
 */
export async function accrueLeave(ctx: RecordsCtx, month: unknown): Promise<{ month: string; balances: number; created: number }> {
  const { year } = monthOf(month as string);
  const through = month as string;
  const { obj } = await readableObject(ctx, 'leave_balance', 'edit');
  void obj;
  const actor = ctx.guard.actor;
  return inTenantTx(ctx.db.app, { tenantId: actor.tenantId, userId: actor.userId }, async (tx) => {
    const objects = await ctx.store.objects(actor.tenantId);
    const e = physical(objects, 'employee');
    const t = physical(objects, 'leave_type');
    const b = physical(objects, 'leave_balance');
    const pairs = (await sql<{ employee: string; hire_date: string; leave_type: string; annual: string; accrual: Accrual; balance: string | null }>`
      SELECT e.id AS employee, ${e.ref('hire_date', 'e')}::text AS hire_date, t.id AS leave_type, ${t.ref('annual_days', 't')}::text AS annual,
        ${t.ref('accrual', 't')} AS accrual, b.id AS balance
      FROM ${e.table} e CROSS JOIN ${t.table} t
      LEFT JOIN ${b.table} b ON ${b.ref('employee', 'b')} = e.id AND ${b.ref('leave_type', 'b')} = t.id AND ${b.ref('year', 'b')} = ${year}
      WHERE e.company_id = ${actor.companyId} AND ${t.ref('accrual', 't')} <> 'none'
        AND ${e.ref('hire_date', 'e')} <= (${`${through}-01`}::date + interval '1 month' - interval '1 day')
        AND (${e.ref('leave_date', 'e')} IS NULL OR ${e.ref('leave_date', 'e')} >= make_date(${year}, 1, 1))
      ORDER BY e.id, t.id`.execute(tx)).rows;
    const missing = pairs.filter((p) => !p.balance);
    if (missing.length) {
      const sys: RecordsCtx = { ...ctx, guard: systemGuard(actor) };
      const ids = await createRecords(sys, 'leave_balance', missing.map((p) => ({ employee: p.employee, leave_type: p.leave_type, year })), { tx });
      missing.forEach((p, i) => (p.balance = ids[i].id));
    }
    for (const p of pairs) {
      const accrued = accruedDays(new Decimal(p.annual), p.accrual, p.hire_date, through);
      await sql`UPDATE ${b.table} SET ${b.ref('accrued')} = ${accrued.toFixed(2)}, ${b.ref('accrued_through')} = ${through},
        version = version + 1, updated_at = now() WHERE id = ${p.balance} AND ${b.ref('accrued_through')} IS DISTINCT FROM ${through}`.execute(tx);
    }
    await refreshBalances(tx, ctx, pairs.map((p) => p.balance!));
    return { month: through, balances: pairs.length, created: missing.length };
  });
}

/** Recomputes the balance formula (accrued − used) of rows changed in SQL. */
async function refreshBalances(tx: Tx, ctx: RecordsCtx, ids: string[]): Promise<void> {
  if (!ids.length) return;
  const b = physical(await ctx.store.objects(ctx.guard.actor.tenantId), 'leave_balance');
  await sql`UPDATE ${b.table} SET ${b.ref('balance')} = COALESCE(${b.ref('accrued')}, 0) - COALESCE(${b.ref('used')}, 0) WHERE id = ANY(${ids}::uuid[])`.execute(tx);
}

/**
 * A leave request: on submit the days must fit the working days of its dates (company
 * calendar over the employee's shift week: holidays are not spent, a 调休 weekend day is, a
 * 单休 Saturday is) and the balance
 * (accrued − approved − other pending requests); once approved — through the
 * approval engine, or at once without a flow — or cancelled afterwards, the balance's `used` is
 * recomputed from the approved requests of the year, so it is always their sum.
 */
export function registerLeaveRequestHooks(): void {
  registerFilingEmployeeCheck('leave_request');
  registerDocumentHooks('leave_request', {
    async validate({ tx, ctx, object, record }) {
      await checkFilingEmployee(tx, ctx, object, record.id as string);
      const days = new Decimal(record.days as string);
      const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
      const cal = (await loadWorkCalendar(tx, objects)).withWeek(await employeeWeek(tx, objects, record.employee as string));
      const limit = leaveDayLimit(record.from_date as string, record.to_date as string, cal);
      if (days.greaterThan(limit)) {
        throw new AppError('FIELD_INVALID', `days: the dates cover ${limit} working days (company calendar, the employee's shift week)`, { field: 'days' });
      }
      const b = await balanceOf(tx, ctx, record);
      if (!b) return; // a type without balance (accrual none)
      const available = availableDays(new Decimal(b.accrued), new Decimal(b.used), new Decimal(b.pending));
      if (days.greaterThan(available)) {
        throw new AppError('CONFLICT', `days: only ${available.toFixed(2)} days of this leave are available`, { field: 'days' });
      }
    },
    onSubmit: approveWithoutFlow,
    async onApprove({ tx, ctx, record }) {
      await recomputeUsed(tx, ctx, record);
    },
    async onCancel({ tx, ctx, record }) {
      await recomputeUsed(tx, ctx, record);
    },
  });
}

/** The year's balance row for the request, with what other submitted requests hold; null for a type without balance. */
async function balanceOf(tx: Tx, ctx: RecordsCtx, record: Record<string, unknown>) {
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const t = physical(objects, 'leave_type');
  const b = physical(objects, 'leave_balance');
  const r = physical(objects, 'leave_request');
  const year = Number(String(record.from_date).slice(0, 4));
  const type = (await sql<{ accrual: Accrual }>`SELECT ${t.ref('accrual')} AS accrual FROM ${t.table} WHERE id = ${record.leave_type as string}`.execute(tx)).rows[0];
  if (!type || type.accrual === 'none') return null;
  const row = (await sql<{ id: string; accrued: string; used: string; pending: string }>`
    SELECT b.id, COALESCE(${b.ref('accrued', 'b')}, 0)::text AS accrued, COALESCE(${b.ref('used', 'b')}, 0)::text AS used,
      (SELECT COALESCE(sum(${r.ref('days', 'q')}), 0) FROM ${r.table} q WHERE ${r.ref('employee', 'q')} = ${record.employee as string}
        AND ${r.ref('leave_type', 'q')} = ${record.leave_type as string} AND q.status = 'submitted' AND q.id <> ${record.id as string}
        AND extract(year FROM ${r.ref('from_date', 'q')}) = ${year})::text AS pending
    FROM ${b.table} b WHERE ${b.ref('employee', 'b')} = ${record.employee as string} AND ${b.ref('leave_type', 'b')} = ${record.leave_type as string}
      AND ${b.ref('year', 'b')} = ${year} FOR UPDATE OF b`.execute(tx)).rows[0];
  return row ?? { id: null, accrued: '0', used: '0', pending: '0' };
}

async function recomputeUsed(tx: Tx, ctx: RecordsCtx, record: Record<string, unknown>): Promise<void> {
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const b = physical(objects, 'leave_balance');
  const r = physical(objects, 'leave_request');
  const year = Number(String(record.from_date).slice(0, 4));
  const updated = await sql<{ id: string }>`UPDATE ${b.table} b SET ${b.ref('used')} = (
      SELECT COALESCE(sum(${r.ref('days', 'q')}), 0) FROM ${r.table} q WHERE ${r.ref('employee', 'q')} = ${b.ref('employee', 'b')}
        AND ${r.ref('leave_type', 'q')} = ${b.ref('leave_type', 'b')} AND q.status = 'approved' AND extract(year FROM ${r.ref('from_date', 'q')}) = ${b.ref('year', 'b')}),
      version = b.version + 1, updated_at = now()
    WHERE ${b.ref('employee', 'b')} = ${record.employee as string} AND ${b.ref('leave_type', 'b')} = ${record.leave_type as string} AND ${b.ref('year', 'b')} = ${year}
    RETURNING b.id`.execute(tx);
  await refreshBalances(tx, ctx, updated.rows.map((x) => x.id));
}
