import { sql } from 'kysely';
import { createPostedVoucher } from '@mosaic/finance';
import type { Tx } from '@mosaic/db';
import { AppError, Decimal, todayIn } from '@mosaic/kernel';
import { registerDocumentHooks, type DocumentHookArgs } from '@mosaic/process';
import type { RecordsCtx } from '@mosaic/records';
import { physical } from '../physical.ts';
import { accountIdsOrThrow } from '../gl-accounts.ts';
import { lockPayrollYear, staleYearToDate } from './payroll-run.service.ts';

/**
 * The payroll voucher (小企业会计准则, 应付职工薪酬):
 *   Dr 5602 管理费用 / 5601 销售费用   gross pay + employer 五险一金, by the employee's cost category
 *   Cr 2211 应付职工薪酬             net pay, one line per employee (party: employee)
 *   Cr 2241 其他应付款               employee + employer 五险一金 (owed to the social insurance and housing fund centres)
 *   Cr 222112 应交税费—应交个人所得税  individual income tax withheld (代扣代缴个人所得税); never 2221 itself,
 *                                   a group account nothing posts to
 * Debits = gross + employer; credits = (gross − employee − IIT) + (employee + employer) + IIT. Posted on submit
 * in the same transaction; cancelling posts the red-ink reversal.
 */
export const PAYROLL_ACCOUNTS = { admin: '5602', selling: '5601', payable: '2211', otherPayable: '2241', taxPayable: '222112' } as const;

interface SlipRow {
  id: string;
  employee: string;
  name: string;
  cost_category: 'admin' | 'selling';
  gross: string;
  net: string;
  ee: string;
  er: string;
  iit: string;
}

export function registerPayrollRunHooks(): void {
  registerDocumentHooks('payroll_run', {
    async validate({ tx, ctx, record }) {
      const slips = await payslipsOf(tx, ctx, record.id as string);
      if (!slips.length) throw new AppError('CONFLICT', 'The payroll run has no payslips: calculate it first.', { field: 'payslips' });
      // Two runs of the tax year submitted at once would each pass the checks below on the other's absence.
      await lockPayrollYear(tx, record.company_id as string, String(record.period));
      await refuseSecondRun(tx, ctx, record);
      await refuseBehindLaterRun(tx, ctx, record, 'submitted');
      await refuseStaleYearToDate(tx, ctx, record);
    },
    async onSubmit(args) {
      await setPayslipStatus(args, 'submitted');
      await postPayrollVoucher(args, 1);
    },
    async onCancel(args) {
      await lockPayrollYear(args.tx, args.record.company_id as string, String(args.record.period));
      await refuseBehindLaterRun(args.tx, args.ctx, args.record, 'cancelled');
      await setPayslipStatus(args, 'cancelled');
      await postPayrollVoucher(args, -1);
    },
    // Rejected (or withdrawn) in its approval flow: undo what the submit did, as a cancel
    // would, and leave a draft to recalculate — payslips back to draft, voucher reversed.
    async onReturnToDraft(args) {
      await lockPayrollYear(args.tx, args.record.company_id as string, String(args.record.period));
      await refuseBehindLaterRun(args.tx, args.ctx, args.record, 'returned to draft');
      await setPayslipStatus(args, 'draft');
      await postPayrollVoucher(args, -1);
    },
  });
}

/** One submitted run per company and month: a second would withhold the month's tax twice. */
async function refuseSecondRun(tx: Tx, ctx: RecordsCtx, record: Record<string, unknown>): Promise<void> {
  const run = physical(await ctx.store.objects(ctx.guard.actor.tenantId), 'payroll_run');
  const other = await sql<{ id: string }>`SELECT id FROM ${run.table} WHERE company_id = ${record.company_id as string}
    AND ${run.ref('period')} = ${record.period as string} AND status IN ('submitted', 'approved') AND id <> ${record.id as string} LIMIT 1`.execute(tx);
  if (other.rows.length) throw new AppError('CONFLICT', `Payroll for ${String(record.period)} is already submitted.`, { field: 'period' });
}

/**
 * 累计预扣法 carries each month into the next: a later month's withholding was worked out on
 * the year to date of the runs submitted before it. So a month may not be submitted, or
 * cancelled, once a later month of the same tax year is submitted — that later run's tax would
 * rest on a year to date that no longer holds. Cancel the later runs first.
 */
async function refuseBehindLaterRun(tx: Tx, ctx: RecordsCtx, record: Record<string, unknown>, doing: 'submitted' | 'cancelled' | 'returned to draft'): Promise<void> {
  const run = physical(await ctx.store.objects(ctx.guard.actor.tenantId), 'payroll_run');
  const period = String(record.period);
  const later = await sql<{ period: string }>`SELECT ${run.ref('period')} AS period FROM ${run.table} WHERE company_id = ${record.company_id as string}
    AND status IN ('submitted', 'approved') AND ${run.ref('period')} > ${period} AND ${run.ref('period')} LIKE ${`${period.slice(0, 4)}-%`}
    ORDER BY 1 DESC LIMIT 1`.execute(tx);
  if (later.rows.length) {
    throw new AppError('CONFLICT', `period: payroll for ${later.rows[0].period} is already submitted; ${period} cannot be ${doing} behind it (cancel the later months first).`, { field: 'period' });
  }
}

/**
 * The run's tax was worked out on the year to date when it was calculated; an earlier month
 * submitted or cancelled since changes it, and the tax with it: 409, recalculate.
 */
async function refuseStaleYearToDate(tx: Tx, ctx: RecordsCtx, record: Record<string, unknown>): Promise<void> {
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const stale = await staleYearToDate(tx, objects, record.id as string, record.company_id as string, String(record.period));
  if (!stale) return;
  throw new AppError('CONFLICT', `recalculate: the year to date of ${stale.employee} changed since the run was calculated (${stale.changes.join('; ')}); recalculate the run, then submit it.`,
    { field: 'payslips', details: stale });
}

async function payslipsOf(tx: Tx, ctx: RecordsCtx, runId: string): Promise<SlipRow[]> {
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const ps = physical(objects, 'payslip');
  const e = physical(objects, 'employee');
  return (await sql<SlipRow>`SELECT s.id, e.id AS employee, ${e.ref('name', 'e')} AS name, ${e.ref('cost_category', 'e')} AS cost_category,
      ${ps.ref('gross_pay', 's')}::text AS gross, ${ps.ref('net_pay', 's')}::text AS net, ${ps.ref('ee_total', 's')}::text AS ee,
      ${ps.ref('er_total', 's')}::text AS er, ${ps.ref('iit', 's')}::text AS iit
    FROM ${ps.table} s JOIN ${e.table} e ON e.id = ${ps.ref('employee', 's')}
    WHERE ${ps.ref('payroll_run', 's')} = ${runId} ORDER BY ${e.ref('employee_no', 'e')}`.execute(tx)).rows;
}

/**
 * Payslips follow their run: submitted with it (immutable from then on), cancelled with it,
 * back to draft with it (rejected in its approval).
 * On submit each payslip passes to the employee's user as its owner: the `own` record scope
 * (role employee_self) then shows every employee their own payslips, and only once final;
 * back in draft it is its calculator's again.
 */
async function setPayslipStatus({ tx, ctx, record }: DocumentHookArgs, status: 'submitted' | 'cancelled' | 'draft'): Promise<void> {
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const ps = physical(objects, 'payslip');
  const e = physical(objects, 'employee');
  const stamp = status === 'submitted'
    ? sql`submitted_at = now(), owner_id = COALESCE((SELECT ${e.ref('user', 'e')} FROM ${e.table} e WHERE e.id = ${ps.ref('employee', 's')}), s.owner_id)`
    : status === 'draft' ? sql`submitted_at = NULL, owner_id = s.created_by` : sql`cancelled_at = now()`;
  await sql`SELECT set_config('mosaic.doc_transition', 'on', true)`.execute(tx);
  await sql`UPDATE ${ps.table} AS s SET status = ${status}, ${stamp}, version = s.version + 1 WHERE ${ps.ref('payroll_run', 's')} = ${record.id as string}`.execute(tx);
  await sql`SELECT set_config('mosaic.doc_transition', 'off', true)`.execute(tx);
}

async function postPayrollVoucher({ tx, ctx, record }: DocumentHookArgs, sign: 1 | -1): Promise<void> {
  const slips = await payslipsOf(tx, ctx, record.id as string);
  const account = await accountIdsOrThrow(tx, ctx, Object.values(PAYROLL_ACCOUNTS));
  const zero = new Decimal(0);
  const sum = (rows: SlipRow[], f: (r: SlipRow) => string) => rows.reduce((s, r) => s.plus(f(r)), zero).times(sign);
  const expense = (['admin', 'selling'] as const)
    .map((cat) => ({ cat, amount: sum(slips.filter((s) => s.cost_category === cat), (r) => new Decimal(r.gross).plus(r.er).toString()) }))
    .filter((x) => !x.amount.isZero());
  // Sides stay put on a reversal: the amounts go negative (红字).
  const lines = [
    ...expense.map(({ cat, amount }) => ({ account: account(PAYROLL_ACCOUNTS[cat]), debit: amount, credit: zero, description: `${record.period} 工资 ${cat === 'admin' ? '管理费用' : '销售费用'}` })),
    ...slips.map((s) => ({ account: account(PAYROLL_ACCOUNTS.payable), debit: zero, credit: new Decimal(s.net).times(sign), description: `应付工资 ${s.name}`,
      party: { type: 'employee' as const, id: s.employee }, against: { type: 'payslip', id: s.id } })),
    { account: account(PAYROLL_ACCOUNTS.otherPayable), debit: zero, credit: sum(slips, (r) => new Decimal(r.ee).plus(r.er).toString()), description: '五险一金(个人+单位)' },
    { account: account(PAYROLL_ACCOUNTS.taxPayable), debit: zero, credit: sum(slips, (r) => r.iit), description: '代扣个人所得税' },
  ].filter((l) => !(l.debit.isZero() && l.credit.isZero()));
  await createPostedVoucher(tx, ctx, {
    voucherType: '记', postingDate: sign > 0 ? (record.posting_date as string) : todayIn(ctx.guard.actor.timeZone),
    description: `${sign > 0 ? '' : '红字冲销 '}工资发放 ${String(record.number)} (${String(record.period)})`, sourceType: 'payroll_run', sourceId: record.id as string, lines,
  });
}
