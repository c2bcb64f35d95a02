import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfText } from '@mosaic/print/test-kit';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { Decimal } from '@mosaic/kernel';
import { make, oneStepFlow, q, submit, testCity, voucherOf } from './hr-fixture.ts';

// The days payroll pays for, on real PostgreSQL: a part month (hired or leaving within it)
// pays its share of the base and allowances, and a day of approved leave is never also a
// day of 旷工 — not in the imported attendance, not in the payroll deduction.
//
// January 2026 has 22 working days (Thu 1st … Fri 30th). City standard: SI 7 000–35 000,
// HF 2 700–35 000; employee rates 8 % + 2 % + 0.5 % + 12 % housing fund.
let t: TestApp;
const emp: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  const city = await testCity(t);
  const shift = (await make(t, 'shift', { name: '白班', start_time: '09:00', end_time: '18:00' })).id;
  const staff = [
    // no, name, hire date, leaving date, base, allowance
    ['N01', '新人', '2026-01-15', null, '11000', '1100'],
    ['N02', '离职', '2025-03-01', '2026-01-20', '8800', null],
    ['N03', '请假', '2025-03-01', null, '8700', null],
    ['N05', '跨月', '2025-03-01', null, '8700', null],
  ] as const;
  for (const [no, name, hire, left, base, allowance] of staff) {
    emp[no] = (await make(t, 'employee', { employee_no: no, name, hire_date: hire, leave_date: left, shift, ...(left ? { employment_status: 'left' } : {}) })).id;
    await make(t, 'salary_structure', { employee: emp[no], base_salary: base, policy: city, si_base: base, hf_base: base, components: allowance ? [{ name: '餐补', amount: allowance }] : [] });
  }
  emp.N04 = (await make(t, 'employee', { employee_no: 'N04', name: '二月新人', hire_date: '2026-02-04', shift })).id;

  const paid = (await make(t, 'leave_type', { name: '婚假', accrual: 'none', paid: true })).id;
  const unpaid = (await make(t, 'leave_type', { name: '事假', accrual: 'none', paid: false })).id;
  // 请假 was clocked as absent on the 7th, 8th and 9th (the clock knows nothing of leave); the 7th
  // is then approved as paid leave, the 8th as unpaid leave; the 9th stays a real absence.
  for (const date of ['2026-01-07', '2026-01-08', '2026-01-09']) await make(t, 'attendance', { employee: emp.N03, date, day_status: 'absent' });
  for (const [type, day] of [[paid, '2026-01-07'], [unpaid, '2026-01-08'], [paid, '2026-02-03']]) {
    const lr = await make(t, 'leave_request', { employee: emp.N03, leave_type: type, from_date: day, to_date: day, days: '1' });
    expect((await submit(t, 'leave_request', lr.id)).status).toBe('approved');
  }
  // 跨月 takes 4 days of unpaid leave from Thu 29 January to Tue 3 February: 2 working days in each month.
  const across = await make(t, 'leave_request', { employee: emp.N05, leave_type: unpaid, from_date: '2026-01-29', to_date: '2026-02-03', days: '4' });
  expect((await submit(t, 'leave_request', across.id)).status).toBe('approved');
  // 离职's clock still has him absent after his last day: not his absence.
  await make(t, 'attendance', { employee: emp.N02, date: '2026-01-26', day_status: 'absent' });
});

afterAll(async () => {
  await t?.close();
});

const FIELDS = ['month_workdays', 'employed_workdays', 'base_salary', 'allowances', 'absence_days', 'absence_deduction', 'gross_pay', 'ee_total', 'iit', 'net_pay'] as const;

describe('payroll pays the days owed', () => {
  it('pays a part month its share, and deducts no leave day as absence', async () => {
    const run = (await make(t, 'payroll_run', { period: '2026-01', posting_date: '2026-01-31' })).id;
    const calc = await t.api('POST', `/api/v1/hr/payroll-runs/${run}/calculate`);
    expect(calc.status, JSON.stringify(calc.body)).toBe(200);
    // Σ gross 6 600 + 5 600 + 7 900 + 7 900 = 28 000; Σ net 4 125 + 3 620 + 5 914.22 + 5 914.22 = 19 573.44
    expect(calc.body).toEqual({ payslips: 4, grossTotal: '28000.00', netTotal: '19573.44' });
    const r = await t.api('GET', `/api/v1/records/payslip?filter=${q({ payroll_run: run })}&fields=employee,${FIELDS.join(',')}`);
    const slip = (no: string) => {
      const s = r.body.data.find((x: any) => x.employee === emp[no]);
      return Object.fromEntries(FIELDS.map((f) => [f, s[f]]));
    };
    // 新人, hired Thu 15th: 12 of 22 working days. Base 11 000 × 12 ÷ 22 = 6 000, allowance 1 100 × 12 ÷ 22 = 600.
    //   Contributions on the declared 11 000: 880 + 220 + 55 + 1 320 = 2 475; taxable 6 600 − 5 000 − 2 475 < 0; net 4 125.
    expect(slip('N01')).toEqual({
      month_workdays: 22, employed_workdays: 12, base_salary: '6000.00', allowances: '600.00', absence_days: '0.00', absence_deduction: '0.00',
      gross_pay: '6600.00', ee_total: '2475.00', iit: '0.00', net_pay: '4125.00',
    });
    // 离职, last day Tue 20th: 14 working days. 8 800 × 14 ÷ 22 = 5 600; the 26th, after he left, is not his absence.
    //   704 + 176 + 44 + 1 056 = 1 980; net 3 620.
    expect(slip('N02')).toEqual({
      month_workdays: 22, employed_workdays: 14, base_salary: '5600.00', allowances: '0.00', absence_days: '0.00', absence_deduction: '0.00',
      gross_pay: '5600.00', ee_total: '1980.00', iit: '0.00', net_pay: '3620.00',
    });
    // 请假, whole month, 8 700 ÷ 21.75 = 400 a day. The 7th is paid leave (no deduction though clocked absent),
    //   the 8th unpaid leave (deducted once, not twice), the 9th a real absence: 2 days, 800.
    //   Gross 7 900; 696 + 174 + 43.50 + 1 044 = 1 957.50; taxable 942.50 × 3 % = 28.275 → 28.28; net 5 914.22.
    expect(slip('N03')).toEqual({
      month_workdays: 22, employed_workdays: 22, base_salary: '8700.00', allowances: '0.00', absence_days: '2.00', absence_deduction: '800.00',
      gross_pay: '7900.00', ee_total: '1957.50', iit: '28.28', net_pay: '5914.22',
    });
    // 跨月: the 2 January days of the leave, 800; the same figures as 请假.
    expect(slip('N05')).toEqual({ ...slip('N03'), absence_days: '2.00', absence_deduction: '800.00' });
  });

  it('takes the rest of a leave spanning two months in the second month', async () => {
    const run = (await make(t, 'payroll_run', { period: '2026-02', posting_date: '2026-02-28' })).id;
    expect((await t.api('POST', `/api/v1/hr/payroll-runs/${run}/calculate`)).status).toBe(200);
    const s = (await t.api('GET', `/api/v1/records/payslip?filter=${q({ payroll_run: run, employee: emp.N05 })}&fields=id,month_workdays,absence_days,absence_deduction,gross_pay`)).body.data[0];
    // February 2026 has 20 working days; Mon 2 and Tue 3 of the leave: 2 × 400.
    expect([s.month_workdays, s.absence_days, s.absence_deduction, s.gross_pay]).toEqual([20, '2.00', '800.00', '7900.00']);
    const pdf = await t.app.inject({ method: 'GET', url: `/api/v1/records/payslip/${s.id}/print`, headers: { authorization: `Bearer ${t.adminToken}` } });
    expect(pdf.statusCode).toBe(200);
    const text = (await pdfText(pdf.rawPayload)).replace(/\s+/g, ' ');
    for (const part of ['当月工作日：20', '在职工作日：20', '缺勤天数：2']) expect(text, part).toContain(part);
    // Submitted before January, February withheld as month 1 of the year: January may not follow behind it.
    await submit(t, 'payroll_run', run);
    const jan = (await t.api('GET', `/api/v1/records/payroll_run?filter=${q({ period: '2026-01' })}`)).body.data[0];
    const late = await t.api('POST', `/api/v1/records/payroll_run/${jan.id}/submit`, { version: jan.version });
    expect([late.status, late.body.error?.code, late.body.error?.field]).toEqual([409, 'CONFLICT', 'period']);
  });
});

describe('累计预扣法: each run on the year to date it was calculated on', () => {
  const run = async (period: string) => {
    const id = (await make(t, 'payroll_run', { period, posting_date: `${period}-28` })).id as string;
    const calc = await t.api('POST', `/api/v1/hr/payroll-runs/${id}/calculate`);
    expect(calc.status, JSON.stringify(calc.body)).toBe(200);
    return id;
  };
  const submitting = async (id: string) => {
    const cur = await t.api('GET', `/api/v1/records/payroll_run/${id}`);
    return t.api('POST', `/api/v1/records/payroll_run/${id}/submit`, { version: cur.body.version });
  };
  const taxMonth = async (id: string) =>
    (await t.api('GET', `/api/v1/records/payslip?filter=${q({ payroll_run: id, employee: emp.N03 })}&fields=tax_month`)).body.data[0].tax_month;

  it('refuses a run whose year to date changed since it was calculated: recalculate', async () => {
    // February is submitted (above): March and April are both calculated as the year's month 2.
    const mar = await run('2026-03');
    const apr = await run('2026-04');
    expect([await taxMonth(mar), await taxMonth(apr)]).toEqual([2, 2]);
    expect((await submitting(mar)).status).toBe(200);
    const stale = await submitting(apr);
    expect([stale.status, stale.body.error?.code, stale.body.error?.field]).toEqual([409, 'CONFLICT', 'payslips']);
    expect(stale.body.error.message).toMatch(/^recalculate: the year to date of .+ \(N0\d\) changed/);
    expect(stale.body.error.message).toContain('months paid 1 → 2');
    // Recalculated on March's figures, April is the year's month 3 and goes through.
    expect((await t.api('POST', `/api/v1/hr/payroll-runs/${apr}/calculate`)).status).toBe(200);
    expect(await taxMonth(apr)).toBe(3);
    expect((await submitting(apr)).status).toBe(200);
  });

  it('lets one of two runs of the tax year submitted at once through, the other waits and is refused', async () => {
    // May and June calculated on the same year to date (April's), submitted together.
    const [may, jun] = [await run('2026-05'), await run('2026-06')];
    const both = await Promise.all([submitting(may), submitting(jun)]);
    expect(both.map((r) => r.status).sort(), JSON.stringify(both.map((r) => r.body))).toEqual([200, 409]);
    const refused = both.find((r) => r.status === 409)!;
    // May first: June was calculated without it (recalculate). June first: May may not follow behind it.
    expect(refused.body.error.message).toMatch(/^recalculate: |cannot be submitted behind it/);
    // Two runs of one month at once: one submitted run per month still holds.
    const [a, b] = [await run('2026-07'), await run('2026-07')];
    const july = await Promise.all([submitting(a), submitting(b)]);
    expect(july.map((r) => r.status).sort(), JSON.stringify(july.map((r) => r.body))).toEqual([200, 409]);
  });
});

describe('a payroll run rejected in its approval', () => {
  it('goes back to draft with its payslips, its voucher reversed, and counts in no year to date', async () => {
    const flow = await oneStepFlow(t, 'payroll_run', '工资审批', '总经理');
    try {
      const run = (await make(t, 'payroll_run', { period: '2026-08', posting_date: '2026-08-31' })).id;
      expect((await t.api('POST', `/api/v1/hr/payroll-runs/${run}/calculate`)).status).toBe(200);
      expect((await submit(t, 'payroll_run', run)).status).toBe('submitted'); // awaiting approval
      const inbox = await t.api('GET', '/api/v1/approvals/inbox?box=pending&pageSize=200');
      const task = inbox.body.data.find((x: any) => x.recordId === run)?.task.id;
      const rejected = await t.api('POST', `/api/v1/approvals/tasks/${task}/reject`, { comment: '数字不对' });
      expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);
      expect((await t.api('GET', `/api/v1/records/payroll_run/${run}`)).body.status).toBe('draft');
      const slips = (await t.api('GET', `/api/v1/records/payslip?filter=${q({ payroll_run: run })}&fields=status`)).body.data;
      expect(slips.length).toBeGreaterThan(0);
      expect(slips.every((x: any) => x.status === 'draft'), JSON.stringify(slips)).toBe(true);
      // The voucher posted on submit is reversed: the run's entries add up to nothing.
      const lines = await voucherOf(t, run);
      expect(lines.length).toBeGreaterThan(0);
      const net = lines.reduce((sum, l) => sum.plus(l.debit).minus(l.credit), new Decimal(0));
      const credits = lines.reduce((sum, l) => sum.plus(l.credit), new Decimal(0));
      expect([net.toFixed(2), credits.toFixed(2)]).toEqual(['0.00', '0.00']);
      // Submitted above: February, March, April, one of May and June, July — September is the year's month 6
      // (7 if August's payslips still counted).
      const sep = (await make(t, 'payroll_run', { period: '2026-09', posting_date: '2026-09-30' })).id;
      expect((await t.api('POST', `/api/v1/hr/payroll-runs/${sep}/calculate`)).status).toBe(200);
      const n03 = (await t.api('GET', `/api/v1/records/payslip?filter=${q({ payroll_run: sep, employee: emp.N03 })}&fields=tax_month`)).body.data[0];
      expect(n03.tax_month).toBe(6);
      // Recalculated and submitted again, it goes through the flow once more.
      expect((await t.api('POST', `/api/v1/hr/payroll-runs/${run}/calculate`)).status).toBe(200);
    } finally {
      await t.api('POST', `/api/v1/approval-flows/${flow}/deactivate`);
    }
  });
});

describe('imported attendance knows leave and employment', () => {
  it('records a day of approved leave as leave, and no day before the hire date', async () => {
    // Mon 2 … Fri 6 February. 请假 is on approved leave on the 3rd and misses the 5th; 二月新人 starts on the 4th.
    const csv = [
      '工号,打卡时间',
      'N03,2026-02-02 08:55', 'N03,2026-02-02 18:00', 'N03,2026-02-04 08:55', 'N03,2026-02-04 18:00', 'N03,2026-02-06 08:55', 'N03,2026-02-06 18:00',
      'N04,2026-02-04 08:50', 'N04,2026-02-04 18:05', 'N04,2026-02-05 08:50', 'N04,2026-02-05 18:05', 'N04,2026-02-06 08:50', 'N04,2026-02-06 18:05',
    ].join('\n');
    const file = await t.upload('feb.csv', csv, 'text/csv');
    const r = await t.api('POST', '/api/v1/hr/attendance/import', { file: file.body.id });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toEqual({ punches: 12, days: 8, created: 8, updated: 0, late: 0, early: 0, absent: 1, leave: 1 });
    const days = async (no: string) => (await t.api('GET', `/api/v1/records/attendance?filter=${q({ employee: emp[no], date: { gte: '2026-02-01' } })}&sort=date&fields=date,day_status`)).body.data
      .map((x: any) => [x.date, x.day_status]);
    expect(await days('N03')).toEqual([['2026-02-02', 'present'], ['2026-02-03', 'leave'], ['2026-02-04', 'present'], ['2026-02-05', 'absent'], ['2026-02-06', 'present']]);
    expect(await days('N04')).toEqual([['2026-02-04', 'present'], ['2026-02-05', 'present'], ['2026-02-06', 'present']]);
  });
});
