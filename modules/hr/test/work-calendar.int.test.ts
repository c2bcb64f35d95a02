import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { make, q, submit, testCity } from './hr-fixture.ts';

// HR's working days come from the company calendar (company_holiday), on real PostgreSQL:
// the clock import, leave requests and payroll all count the same days.
//
// The calendar this test defines: National Day 2026, Thu 1 – Wed 7 October closed (1–3 public
// holidays, 4–7 调休 rest days, as the State Council sets them), and two
// 调休 working days, Sun 27 September and Sat 10 October. October then has 22 weekdays − 5
// closed (1, 2, 5, 6, 7) + Sat 10 = 18 working days; September 22 + Sun 27 = 23.
// City standard: SI 7 000–35 000, HF 2 700–35 000; employee rates 8 % + 2 % + 0.5 % + 12 %.
let t: TestApp;
const emp: Record<string, string> = {};
let unpaid = '';
let paid = '';

beforeAll(async () => {
  t = await createTestApp();
  for (const n of [1, 2, 3]) await make(t, 'company_holiday', { day: `2026-10-0${n}`, name: '国庆节', kind: 'holiday' });
  for (const n of [4, 5, 6, 7]) await make(t, 'company_holiday', { day: `2026-10-0${n}`, name: '国庆调休', kind: 'rest' });
  for (const day of ['2026-09-27', '2026-10-10']) await make(t, 'company_holiday', { day, name: '国庆调休', kind: 'workday' });
  const city = await testCity(t);
  const shift = (await make(t, 'shift', { name: '白班', start_time: '09:00', end_time: '18:00' })).id;
  const staff = [
    // no, name, hire date, base, allowance
    ['C01', '值班', '2025-03-01', '8700', null],
    ['C02', '新人', '2026-10-12', '9000', '900'],
    ['C03', '事假', '2025-03-01', '8700', null],
    ['C04', '轮休', '2025-03-01', '8700', null],
  ] as const;
  for (const [no, name, hire, base, allowance] of staff) {
    emp[no] = (await make(t, 'employee', { employee_no: no, name, hire_date: hire, shift })).id;
    await make(t, 'salary_structure', { employee: emp[no], base_salary: base, policy: city, si_base: base, hf_base: base, components: allowance ? [{ name: '餐补', amount: allowance }] : [] });
  }
  unpaid = (await make(t, 'leave_type', { name: '事假', accrual: 'none', paid: false })).id;
  paid = (await make(t, 'leave_type', { name: '婚假', accrual: 'none', paid: true })).id;
});

afterAll(async () => {
  await t?.close();
});

const submitStatus = async (id: string) => {
  const cur = await t.api('GET', `/api/v1/records/leave_request/${id}`);
  return t.api('POST', `/api/v1/records/leave_request/${id}/submit`, { version: cur.body.version });
};

describe('the company calendar in HR', () => {
  it('imports a holiday as no absence, holiday overtime as holiday, and a 调休 Saturday as a working day', async () => {
    // C01's clock, Wed 30 Sep … Mon 12 Oct: he works Sat 3 Oct (a holiday) 09:00–17:00 and skips
    // the 调休 Saturday 10 Oct. No punches on Thu 1 or Fri 2 (closed weekdays) or Sun 11.
    const csv = ['工号,打卡时间', ...['2026-09-30', '2026-10-03', '2026-10-08', '2026-10-09', '2026-10-12']
      .flatMap((day) => [`C01,${day} 09:00`, `C01,${day} ${day === '2026-10-03' ? '17:00' : '18:00'}`])].join('\n');
    const file = await t.upload('october.csv', csv, 'text/csv');
    const r = await t.api('POST', '/api/v1/hr/attendance/import', { file: file.body.id });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toEqual({ punches: 10, days: 6, created: 6, updated: 0, late: 0, early: 0, absent: 1, leave: 0 });
    const days = (await t.api('GET', `/api/v1/records/attendance?filter=${q({ employee: emp.C01 })}&sort=date&fields=date,day_status,overtime_hours,overtime_kind`)).body.data;
    expect(days.map((d: any) => [d.date, d.day_status, d.overtime_hours, d.overtime_kind])).toEqual([
      ['2026-09-30', 'present', '0.00', 'workday'],
      ['2026-10-03', 'present', '8.00', 'holiday'],
      ['2026-10-08', 'present', '0.00', 'workday'],
      ['2026-10-09', 'present', '0.00', 'workday'],
      ['2026-10-10', 'absent', '0.00', 'workday'],
      ['2026-10-12', 'present', '0.00', 'workday'],
    ]);
  });

  it('records work on a 调休 rest day as rest-day overtime (2×), not holiday overtime', async () => {
    // 轮休 works Mon 5 Oct 09:00–13:00: a weekday the calendar closes as a swapped rest day.
    const file = await t.upload('rest-day.csv', ['工号,打卡时间', 'C04,2026-10-05 09:00', 'C04,2026-10-05 13:00'].join('\n'), 'text/csv');
    const r = await t.api('POST', '/api/v1/hr/attendance/import', { file: file.body.id });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const days = (await t.api('GET', `/api/v1/records/attendance?filter=${q({ employee: emp.C04 })}&fields=date,day_status,overtime_hours,overtime_kind`)).body.data;
    expect(days.map((d: any) => [d.date, d.day_status, d.overtime_hours, d.overtime_kind])).toEqual([['2026-10-05', 'present', '4.00', 'rest_day']]);
  });

  it('limits a leave request to the working days its dates cover', async () => {
    // Tue 29 Sep – Fri 9 Oct: 29, 30 Sep and 8, 9 Oct; the seven closed days are not spent.
    const five = await make(t, 'leave_request', { employee: emp.C03, leave_type: unpaid, from_date: '2026-09-29', to_date: '2026-10-09', days: '5' });
    const refused = await submitStatus(five.id);
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'FIELD_INVALID', field: 'days' });
    expect(refused.body.error.message).toContain('4 working days');
    // Inside the holiday there is nothing to take.
    const closed = await make(t, 'leave_request', { employee: emp.C02, leave_type: paid, from_date: '2026-10-01', to_date: '2026-10-07', days: '1' });
    expect((await submitStatus(closed.id)).body.error).toMatchObject({ code: 'FIELD_INVALID', field: 'days' });
    // Fri 9 – Sun 11 Oct: the 调休 Saturday is spent, 2 days.
    const weekend = await make(t, 'leave_request', { employee: emp.C02, leave_type: paid, from_date: '2026-10-09', to_date: '2026-10-11', days: '2' });
    expect((await submit(t, 'leave_request', weekend.id)).status).toBe('approved');
    // The unpaid leave payroll splits below.
    const four = await make(t, 'leave_request', { employee: emp.C03, leave_type: unpaid, from_date: '2026-09-29', to_date: '2026-10-09', days: '4' });
    expect((await submit(t, 'leave_request', four.id)).status).toBe('approved');
  });

  const FIELDS = ['month_workdays', 'employed_workdays', 'base_salary', 'allowances', 'overtime_hours', 'overtime_pay', 'absence_days', 'absence_deduction', 'gross_pay', 'ee_total', 'iit', 'net_pay'] as const;
  const slipsOf = async (period: string, postingDate: string) => {
    const run = (await make(t, 'payroll_run', { period, posting_date: postingDate })).id;
    const calc = await t.api('POST', `/api/v1/hr/payroll-runs/${run}/calculate`);
    expect(calc.status, JSON.stringify(calc.body)).toBe(200);
    const r = await t.api('GET', `/api/v1/records/payslip?filter=${q({ payroll_run: run })}&fields=employee,${FIELDS.join(',')}`);
    return (no: string) => {
      const s = r.body.data.find((x: any) => x.employee === emp[no]);
      return s && Object.fromEntries(FIELDS.map((f) => [f, s[f]]));
    };
  };

  it('pays October by the calendar: 18 working days, proration, holiday overtime 3×, the unpaid leave split', async () => {
    // An older clock import marked 值班 absent on Tue 6 Oct, before the holiday was entered: a closed day, no 旷工.
    await make(t, 'attendance', { employee: emp.C01, date: '2026-10-06', day_status: 'absent' });
    const slip = await slipsOf('2026-10', '2026-10-31');
    // 值班: 8 700 ÷ 21.75 ÷ 8 = 50 an hour; 8 h on the 3rd at 3× = 1 200; the 调休 Saturday missed: 1 day, 400.
    //   Gross 8 700 + 1 200 − 400 = 9 500; 696 + 174 + 43.50 + 1 044 = 1 957.50;
    //   taxable 9 500 − 5 000 − 1 957.50 = 2 542.50 × 3 % = 76.275 → 76.28; net 7 466.22.
    expect(slip('C01')).toEqual({
      month_workdays: 18, employed_workdays: 18, base_salary: '8700.00', allowances: '0.00', overtime_hours: '8.00', overtime_pay: '1200.00',
      absence_days: '1.00', absence_deduction: '400.00', gross_pay: '9500.00', ee_total: '1957.50', iit: '76.28', net_pay: '7466.22',
    });
    // 新人, hired Mon 12 Oct: 15 of 18 working days. 9 000 × 15 ÷ 18 = 7 500, 900 × 15 ÷ 18 = 750 (by weekdays alone: 15 of 22).
    //   720 + 180 + 45 + 1 080 = 2 025; taxable 8 250 − 5 000 − 2 025 = 1 225 × 3 % = 36.75; net 6 188.25.
    //   His paid leave on 9–10 Oct, before his hire, costs nothing.
    expect(slip('C02')).toEqual({
      month_workdays: 18, employed_workdays: 15, base_salary: '7500.00', allowances: '750.00', overtime_hours: '0.00', overtime_pay: '0.00',
      absence_days: '0.00', absence_deduction: '0.00', gross_pay: '8250.00', ee_total: '2025.00', iit: '36.75', net_pay: '6188.25',
    });
    // 事假, 4 unpaid days over 29 Sep – 9 Oct: working days 29, 30 Sep | 8, 9 Oct → 2 in October (by weekdays
    //   alone 7 of 9 would fall in October). 2 × 400 = 800; gross 7 900; taxable 942.50 × 3 % = 28.28; net 5 914.22.
    expect(slip('C03')).toEqual({
      month_workdays: 18, employed_workdays: 18, base_salary: '8700.00', allowances: '0.00', overtime_hours: '0.00', overtime_pay: '0.00',
      absence_days: '2.00', absence_deduction: '800.00', gross_pay: '7900.00', ee_total: '1957.50', iit: '28.28', net_pay: '5914.22',
    });
    // 轮休, 4 h on the swapped rest day Mon 5 Oct at 2× = 400 (at 3× it would be 600). Gross 9 100;
    //   taxable 9 100 − 5 000 − 1 957.50 = 2 142.50 × 3 % = 64.275 → 64.28; net 7 078.22.
    expect(slip('C04')).toEqual({
      month_workdays: 18, employed_workdays: 18, base_salary: '8700.00', allowances: '0.00', overtime_hours: '4.00', overtime_pay: '400.00',
      absence_days: '0.00', absence_deduction: '0.00', gross_pay: '9100.00', ee_total: '1957.50', iit: '64.28', net_pay: '7078.22',
    });
  });

  it('pays overtime on a day the calendar reclassified after the clock import at the day\'s new kind', async () => {
    // 轮休's December clock, imported while the calendar knew nothing of December: 4 h of overtime on each of
    // Tue 1 and Wed 2 (working days then) and on Sat 5 (a rest day then).
    for (const [date, kind] of [['2026-12-01', 'workday'], ['2026-12-02', 'workday'], ['2026-12-05', 'rest_day']]) {
      await make(t, 'attendance', { employee: emp.C04, date, first_in: '09:00', last_out: '22:00', overtime_hours: '4', overtime_kind: kind });
    }
    // Then the calendar: the 1st a public holiday, the 2nd a 调休 rest day, Saturday the 5th a 调休 working day.
    await make(t, 'company_holiday', { day: '2026-12-01', name: '测试节', kind: 'holiday' });
    await make(t, 'company_holiday', { day: '2026-12-02', name: '测试调休', kind: 'rest' });
    await make(t, 'company_holiday', { day: '2026-12-05', name: '测试调休', kind: 'workday' });
    const slip = await slipsOf('2026-12', '2026-12-31');
    // 50 an hour: 4 × 50 × 3 + 4 × 50 × 2 + 4 × 50 × 1.5 = 600 + 400 + 300 = 1 300 (as recorded: 300 + 300 + 400 = 1 000).
    expect(slip('C04')).toMatchObject({ overtime_hours: '12.00', overtime_pay: '1300.00' });
  });

  it('pays September its 23 working days (the 调休 Sunday counts) and the other 2 leave days', async () => {
    const slip = await slipsOf('2026-09', '2026-09-30');
    expect(slip('C03')).toMatchObject({ month_workdays: 23, employed_workdays: 23, absence_days: '2.00', absence_deduction: '800.00', gross_pay: '7900.00' });
    expect(slip('C02')).toBeUndefined(); // not yet hired
  });
});
