import { sql, type RawBuilder } from 'kysely';
import { systemGuard } from '@mosaic/access';
import { inTenantTx, type Tx } from '@mosaic/db';
import { AppError, Decimal, parseIsoWeekdays } from '@mosaic/kernel';
import type { ObjectMeta } from '@mosaic/meta';
import { createRecords, lockRow, logChanges, readableObject, type RecordsCtx } from '@mosaic/records';
import { physical } from '../physical.ts';
import { loadWorkCalendar } from '../calendar/work-calendar.store.ts';
import { MONDAY_TO_FRIDAY, type WorkCalendar, type WorkDayKind } from '../calendar/work-calendar.ts';
import { calendarKindsOf, computePayslip, datesOfPeriod, leaveDaysIn, workdaysOf, type CityPolicy, type Payslip, type Workdays, type YearToDate } from './payroll.rules.ts';

const d = (x: unknown) => new Decimal((x as string | null) ?? 0);

/** One employee's inputs for the month, as read from the database. */
interface EmployeeMonth {
  id: string;
  name: string;
  employee_no: string;
  user_id: string | null;
  department_id: string | null;
  hire_date: string;
  leave_date: string | null;
  /** The employee's shift's week ("1,2,3,4,5,6"); Monday–Friday without a shift. */
  work_weekdays: string;
  special_deduction: string;
  base_salary: string;
  allowance_total: string | null;
  si_base: string;
  hf_base: string;
  policy: Record<string, string>;
  ot_workday: string;
  ot_rest_day: string;
  ot_holiday: string;
  absent_days: string;
  unpaid_leave: { from: string; to: string; days: string }[];
  ytd: { months: number; income: string; contributions: string; special: string; tax: string };
}

/**
 * Calculates a draft payroll run: one payslip per active employee with a salary
 * structure, replacing any earlier calculation of the run. Overtime and absence
 * come from the month's attendance, unpaid leave from approved leave requests,
 * and the year-to-date for 累计预扣法 from the submitted runs of the same year.
 * Payslips are system records, not typed in; see payroll-run.hooks.ts for who may see them.
 */
export async function calculatePayrollRun(ctx: RecordsCtx, runId: string): Promise<{ payslips: number; grossTotal: string; netTotal: string }> {
  const actor = ctx.guard.actor;
  await readableObject(ctx, 'payroll_run', 'edit'); // without the right, the object does not exist for the caller (404)
  return inTenantTx(ctx.db.app, { tenantId: actor.tenantId, userId: actor.userId }, async (tx) => {
    const objects = await ctx.store.objects(actor.tenantId);
    const run = physical(objects, 'payroll_run');
    const row = await lockRow(ctx, tx, objects, run.meta, runId, 'edit');
    if (row.status !== 'draft') throw new AppError('DOCUMENT_IMMUTABLE', `A ${String(row.status)} payroll run cannot be recalculated; cancel and amend it.`);
    const period = row[run.column('period')] as string;
    await lockPayrollYear(tx, row.company_id as string, period); // the year to date read below holds until the run is submitted or recalculated
    const slip = physical(objects, 'payslip');
    await sql`DELETE FROM ${slip.table} WHERE ${slip.ref('payroll_run')} = ${runId}`.execute(tx);

    const company = await loadWorkCalendar(tx, objects); // once for the run: every payslip of a week counts the same days
    const months = await employeeMonths(tx, objects, row.company_id as string, period, daysByWeek(period, company));
    const sys: RecordsCtx = { ...ctx, guard: systemGuard(actor) };
    const computed = months.map((m) => {
      const cal = company.withWeek(parseIsoWeekdays(m.work_weekdays));
      const workdays = workdaysOf(period, m.hire_date, m.leave_date, cal);
      const absence = d(m.absent_days).plus(leaveDaysIn(period, m.unpaid_leave.map((l) => ({ from: l.from, to: l.to, days: d(l.days) })), cal));
      return { m, workdays, absence, p: computePayslip(payslipInput(m, workdays, absence)) };
    });
    const ids = computed.length
      ? await createRecords(sys, 'payslip', computed.map(({ m, p, workdays, absence }) => payslipValues(runId, period, m, p, workdays, absence)), { tx })
      : [];
    // A payslip belongs to the employee's department (HR's department scopes); its owner becomes the
    // employee's user when the run is submitted (payroll-run.hooks.ts), so nobody sees a draft figure.
    for (const [i, { m }] of computed.entries()) {
      if (m.department_id) await sql`UPDATE ${slip.table} SET department_id = ${m.department_id}::uuid WHERE id = ${ids[i].id}`.execute(tx);
    }
    const gross = computed.reduce((s, { p }) => s.plus(p.earnings.gross), new Decimal(0));
    const net = computed.reduce((s, { p }) => s.plus(p.net), new Decimal(0));
    await sql`UPDATE ${run.table} SET ${run.ref('employee_count')} = ${computed.length}, ${run.ref('gross_total')} = ${gross.toFixed(2)},
      ${run.ref('net_total')} = ${net.toFixed(2)}, version = version + 1, updated_at = now() WHERE id = ${runId}`.execute(tx);
    await logChanges(tx, actor, [{ object: 'payroll_run', recordId: runId, op: 'update', changes: { gross_total: [row[run.column('gross_total')], gross.toFixed(2)] } }]);
    return { payslips: computed.length, grossTotal: gross.toFixed(2), netTotal: net.toFixed(2) };
  });
}

function payslipInput(m: EmployeeMonth, workdays: Workdays, absenceDays: Decimal) {
  const p = m.policy;
  const policy: CityPolicy = {
    siBaseFloor: d(p.si_base_floor), siBaseCeiling: d(p.si_base_ceiling), hfBaseFloor: d(p.hf_base_floor), hfBaseCeiling: d(p.hf_base_ceiling),
    employee: { pension: d(p.ee_pension_rate), medical: d(p.ee_medical_rate), unemployment: d(p.ee_unemployment_rate), injury: d(0), maternity: d(0), housingFund: d(p.ee_housing_fund_rate) },
    employer: { pension: d(p.er_pension_rate), medical: d(p.er_medical_rate), unemployment: d(p.er_unemployment_rate), injury: d(p.er_injury_rate), maternity: d(p.er_maternity_rate), housingFund: d(p.er_housing_fund_rate) },
  };
  const ytd: YearToDate = { months: m.ytd.months, income: d(m.ytd.income), contributions: d(m.ytd.contributions), specialDeductions: d(m.ytd.special), taxWithheld: d(m.ytd.tax) };
  return {
    salary: {
      base: d(m.base_salary), allowances: d(m.allowance_total),
      overtime: { workday: d(m.ot_workday), restDay: d(m.ot_rest_day), holiday: d(m.ot_holiday) },
      absenceDays, workdays,
    },
    siDeclaredBase: d(m.si_base), hfDeclaredBase: d(m.hf_base), policy, specialDeductions: d(m.special_deduction), ytd,
  };
}

function payslipValues(runId: string, period: string, m: EmployeeMonth, p: Payslip, workdays: Workdays, absenceDays: Decimal): Record<string, unknown> {
  const f = (x: Decimal) => x.toFixed(2);
  return {
    payroll_run: runId, employee: m.id, period, employee_name: m.name, employee_no: m.employee_no,
    month_workdays: workdays.month, employed_workdays: workdays.employed,
    base_salary: f(p.earnings.base), allowances: f(p.earnings.allowances),
    overtime_hours: f(d(m.ot_workday).plus(d(m.ot_rest_day)).plus(d(m.ot_holiday))), overtime_pay: f(p.earnings.overtimePay),
    absence_days: f(absenceDays), absence_deduction: f(p.earnings.absenceDeduction), gross_pay: f(p.earnings.gross),
    si_base: f(p.employee.siBase), hf_base: f(p.employee.hfBase),
    ee_pension: f(p.employee.pension), ee_medical: f(p.employee.medical), ee_unemployment: f(p.employee.unemployment), ee_housing_fund: f(p.employee.housingFund), ee_total: f(p.employee.total),
    er_pension: f(p.employer.pension), er_medical: f(p.employer.medical), er_unemployment: f(p.employer.unemployment), er_injury: f(p.employer.injury),
    er_maternity: f(p.employer.maternity), er_housing_fund: f(p.employer.housingFund), er_total: f(p.employer.total),
    special_deduction: f(d(m.special_deduction)), tax_month: p.tax.month,
    cum_income: f(p.tax.cumulativeIncome), cum_contributions: f(p.tax.cumulativeContributions), cum_special_deduction: f(p.tax.cumulativeSpecialDeductions),
    cum_taxable: f(p.tax.cumulativeTaxable), cum_tax: f(p.tax.cumulativeTax), iit: f(p.tax.tax), net_pay: f(p.net),
  };
}

/** The days of a period (YYYY-MM) the calendar closes: holidays and rest days. */
function closedDaysOf(period: string, cal: WorkCalendar): string[] {
  return datesOfPeriod(period).filter((d) => !cal.isWorkday(d));
}

/** closedDaysOf and calendarKindsOf of a period for one side of a week: the days whose weekday is in it, or those whose weekday is not. */
interface WeekSide {
  closed: string[];
  kinds: Record<string, WorkDayKind>;
}

/**
 * What the company calendar makes of each day of a period for any employee's week, in two
 * lists: a day's kind depends on the week only through whether the day's own weekday is in it,
 * so the calendar over all seven days answers for the days in an employee's week and the
 * calendar over none for the others. The query picks by the employee's shift (employeeMonths).
 */
function daysByWeek(period: string, cal: WorkCalendar): { inWeek: WeekSide; offWeek: WeekSide } {
  const side = (c: WorkCalendar): WeekSide => ({ closed: closedDaysOf(period, c), kinds: calendarKindsOf(period, c) });
  return { inWeek: side(cal.withWeek([1, 2, 3, 4, 5, 6, 7])), offWeek: side(cal.withWeek([])) };
}

/**
 * Everything the month's payslips need, one row per payable employee, in one query.
 * `closed` are the month's days off by the company calendar over the employee's week: an absence
 * recorded on one (a clock imported before the holiday was entered) is no 旷工. `kinds` are the days
 * the calendar sets against that week (calendarKindsOf): overtime on them is paid at the calendar's
 * kind. Both come for the days in the week and those off it (daysByWeek), picked by the day's weekday.
 */
async function employeeMonths(tx: Tx, objects: Map<string, ObjectMeta>, companyId: string, period: string,
  days: { inWeek: WeekSide; offWeek: WeekSide }): Promise<EmployeeMonth[]> {
  const e = physical(objects, 'employee');
  const sh = physical(objects, 'shift');
  const s = physical(objects, 'salary_structure');
  const pol = physical(objects, 'social_insurance_policy');
  const att = physical(objects, 'attendance');
  const lr = physical(objects, 'leave_request');
  const lt = physical(objects, 'leave_type');
  const first = `${period}-01`;
  const dayInWeek = sql`extract(isodow FROM ${att.ref('date', 'x')})::int = ANY(wk.days)`;
  const { inWeek: on, offWeek: off } = days;
  // The day's kind for overtime pay: the calendar's where it sets one, else what the attendance row recorded.
  const otKind = sql`COALESCE(CASE WHEN ${dayInWeek} THEN ${JSON.stringify(on.kinds)}::jsonb ELSE ${JSON.stringify(off.kinds)}::jsonb END ->> ${att.ref('date', 'x')}::text,
    ${att.ref('overtime_kind', 'x')})`;
  const policyCols = ['si_base_floor', 'si_base_ceiling', 'hf_base_floor', 'hf_base_ceiling', 'ee_pension_rate', 'ee_medical_rate', 'ee_unemployment_rate', 'ee_housing_fund_rate',
    'er_pension_rate', 'er_medical_rate', 'er_unemployment_rate', 'er_injury_rate', 'er_maternity_rate', 'er_housing_fund_rate'];
  const policyJson = sql.join(policyCols.map((c) => sql`${c}::text, ${pol.ref(c, 'p')}::text`));
  const r = await sql<EmployeeMonth>`
    WITH month AS (SELECT ${first}::date AS first, (${first}::date + interval '1 month' - interval '1 day')::date AS last)
    SELECT e.id, ${e.ref('name', 'e')} AS name, ${e.ref('employee_no', 'e')} AS employee_no, ${e.ref('user', 'e')} AS user_id, ${e.ref('department', 'e')} AS department_id,
      ${e.ref('hire_date', 'e')}::text AS hire_date, ${e.ref('leave_date', 'e')}::text AS leave_date, array_to_string(wk.days, ',') AS work_weekdays, COALESCE(${e.ref('special_deduction', 'e')}, 0)::text AS special_deduction,
      ${s.ref('base_salary', 's')}::text AS base_salary, ${s.ref('allowance_total', 's')}::text AS allowance_total,
      ${s.ref('si_base', 's')}::text AS si_base, ${s.ref('hf_base', 's')}::text AS hf_base, json_build_object(${policyJson}) AS policy,
      COALESCE(a.ot_workday, 0)::text AS ot_workday, COALESCE(a.ot_rest_day, 0)::text AS ot_rest_day, COALESCE(a.ot_holiday, 0)::text AS ot_holiday,
      COALESCE(a.absent_days, 0)::text AS absent_days, COALESCE(l.spans, '[]'::json) AS unpaid_leave,
      json_build_object('months', COALESCE(y.months, 0), 'income', COALESCE(y.income, 0)::text, 'contributions', COALESCE(y.contributions, 0)::text,
        'special', COALESCE(y.special, 0)::text, 'tax', COALESCE(y.tax, 0)::text) AS ytd
    FROM ${e.table} e CROSS JOIN month
    JOIN ${s.table} s ON ${s.ref('employee', 's')} = e.id
    JOIN ${pol.table} p ON p.id = ${s.ref('policy', 's')}
    LEFT JOIN ${sh.table} sh ON sh.id = ${e.ref('shift', 'e')}
    CROSS JOIN LATERAL (SELECT string_to_array(COALESCE(NULLIF(${sh.ref('work_weekdays', 'sh')}, ''), ${MONDAY_TO_FRIDAY.join(',')}), ',')::int[] AS days) wk
    LEFT JOIN LATERAL (
      SELECT sum(${att.ref('overtime_hours', 'x')}) FILTER (WHERE ${otKind} = 'workday') AS ot_workday,
             sum(${att.ref('overtime_hours', 'x')}) FILTER (WHERE ${otKind} = 'rest_day') AS ot_rest_day,
             sum(${att.ref('overtime_hours', 'x')}) FILTER (WHERE ${otKind} = 'holiday') AS ot_holiday,
             -- 旷工 only on a day the employee owed work: a working day, employed, and not on approved leave (a leave
             -- approved after the clock file was imported leaves the day 'absent'; unpaid leave is counted below).
             count(*) FILTER (WHERE ${att.ref('day_status', 'x')} = 'absent' AND ${att.ref('date', 'x')} >= ${e.ref('hire_date', 'e')}
               AND NOT ${att.ref('date', 'x')} = ANY(CASE WHEN ${dayInWeek} THEN ${on.closed}::date[] ELSE ${off.closed}::date[] END)
               AND (${e.ref('leave_date', 'e')} IS NULL OR ${att.ref('date', 'x')} <= ${e.ref('leave_date', 'e')})
               AND NOT EXISTS (SELECT 1 FROM ${lr.table} v WHERE ${lr.ref('employee', 'v')} = e.id AND v.status = 'approved'
                 AND ${att.ref('date', 'x')} BETWEEN ${lr.ref('from_date', 'v')} AND ${lr.ref('to_date', 'v')})) AS absent_days
      FROM ${att.table} x WHERE ${att.ref('employee', 'x')} = e.id AND ${att.ref('date', 'x')} BETWEEN month.first AND month.last) a ON true
    LEFT JOIN LATERAL (
      -- Every approved unpaid request overlapping the month; leaveDaysIn splits one spanning months.
      SELECT json_agg(json_build_object('from', ${lr.ref('from_date', 'q')}::text, 'to', ${lr.ref('to_date', 'q')}::text, 'days', ${lr.ref('days', 'q')}::text)) AS spans
      FROM ${lr.table} q JOIN ${lt.table} t ON t.id = ${lr.ref('leave_type', 'q')}
      WHERE ${lr.ref('employee', 'q')} = e.id AND q.status = 'approved' AND NOT ${lt.ref('paid', 't')}
        AND ${lr.ref('from_date', 'q')} <= month.last AND ${lr.ref('to_date', 'q')} >= month.first) l ON true
    LEFT JOIN LATERAL (${yearToDateSql(objects, companyId, period, sql`e.id`)}) y ON true
    WHERE e.company_id = ${companyId} AND ${e.ref('hire_date', 'e')} <= month.last
      AND (${e.ref('leave_date', 'e')} IS NULL OR ${e.ref('leave_date', 'e')} >= month.first)
    ORDER BY ${e.ref('employee_no', 'e')}`.execute(tx);
  return r.rows;
}

/**
 * 累计预扣法 makes every payroll run of a company and tax year rest on the ones submitted
 * before it: one at a time may calculate, submit or cancel (a transaction advisory lock,
 * released at commit). Taken after the run's row lock, in every path, so they never deadlock.
 */
export async function lockPayrollYear(tx: Tx, companyId: string, period: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`payroll:${companyId}:${period.slice(0, 4)}`}))`.execute(tx);
}

/** An employee's year to date before `period`: the submitted payslips of earlier months of its tax year with the company (one row). */
function yearToDateSql(objects: Map<string, ObjectMeta>, companyId: string, period: string, employee: RawBuilder<unknown>): RawBuilder<unknown> {
  const ps = physical(objects, 'payslip');
  const run = physical(objects, 'payroll_run');
  return sql`SELECT count(*) AS months, sum(${ps.ref('gross_pay', 'o')}) AS income, sum(${ps.ref('ee_total', 'o')}) AS contributions,
      sum(${ps.ref('special_deduction', 'o')}) AS special, sum(${ps.ref('iit', 'o')}) AS tax
    FROM ${ps.table} o JOIN ${run.table} r ON r.id = ${ps.ref('payroll_run', 'o')}
    WHERE ${ps.ref('employee', 'o')} = ${employee} AND o.status = 'submitted' AND r.company_id = ${companyId}
      AND ${ps.ref('period', 'o')} LIKE ${`${period.slice(0, 4)}-%`} AND ${ps.ref('period', 'o')} < ${period}`;
}

/**
 * The first payslip of a draft run whose year to date is no longer the one it was calculated
 * on (a run of an earlier month submitted or cancelled since), with what changed — or null.
 * The basis is read back from the payslip (cumulative less this month); the tax withheld
 * before is checked through what it decides, this month's withholding.
 */
export async function staleYearToDate(tx: Tx, objects: Map<string, ObjectMeta>, runId: string, companyId: string, period: string): Promise<{ employee: string; changes: string[] } | null> {
  const ps = physical(objects, 'payslip');
  const rows = (await sql<{ name: string; no: string; months: number; income: string; contributions: string; special: string; cum_tax: string; iit: string;
    now_months: string; now_income: string | null; now_contributions: string | null; now_special: string | null; now_tax: string | null }>`
    SELECT ${ps.ref('employee_name', 's')} AS name, ${ps.ref('employee_no', 's')} AS no, ${ps.ref('tax_month', 's')} - 1 AS months,
      (${ps.ref('cum_income', 's')} - ${ps.ref('gross_pay', 's')})::text AS income, (${ps.ref('cum_contributions', 's')} - ${ps.ref('ee_total', 's')})::text AS contributions,
      (${ps.ref('cum_special_deduction', 's')} - ${ps.ref('special_deduction', 's')})::text AS special, ${ps.ref('cum_tax', 's')}::text AS cum_tax, ${ps.ref('iit', 's')}::text AS iit,
      y.months::text AS now_months, y.income::text AS now_income, y.contributions::text AS now_contributions, y.special::text AS now_special, y.tax::text AS now_tax
    FROM ${ps.table} s LEFT JOIN LATERAL (${yearToDateSql(objects, companyId, period, ps.ref('employee', 's'))}) y ON true
    WHERE ${ps.ref('payroll_run', 's')} = ${runId} ORDER BY ${ps.ref('employee_no', 's')}`.execute(tx)).rows;
  for (const r of rows) {
    const changes: string[] = [];
    if (Number(r.now_months) !== Number(r.months)) changes.push(`months paid ${r.months} → ${r.now_months}`);
    for (const [label, was, now] of [['income', r.income, r.now_income], ['contributions', r.contributions, r.now_contributions], ['special deductions', r.special, r.now_special]] as const) {
      if (!d(was).equals(d(now))) changes.push(`${label} ${d(was).toFixed(2)} → ${d(now).toFixed(2)}`);
    }
    const withholding = Decimal.max(0, d(r.cum_tax).minus(d(r.now_tax)));
    if (!changes.length && !withholding.equals(d(r.iit))) changes.push(`tax withheld before: this month's withholding ${d(r.iit).toFixed(2)} → ${withholding.toFixed(2)}`);
    if (changes.length) return { employee: `${r.name} (${r.no})`, changes };
  }
  return null;
}
