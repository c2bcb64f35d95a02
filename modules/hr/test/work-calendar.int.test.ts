import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenantTx, sql } from '@mosaic/db';
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

// A shift's own week: 单休 (Monday–Saturday) for the shop floor, Monday–Friday for the office.
// November 2026 (no calendar days set): 21 weekdays and 4 Saturdays (7, 14, 21, 28).
describe('a shift that works Saturdays (work_weekdays)', () => {
  let floor = '';
  beforeAll(async () => {
    const city = (await t.api('GET', '/api/v1/records/social_insurance_policy')).body.data[0].id;
    const office = (await t.api('GET', `/api/v1/records/shift?filter=${q({ name: '白班' })}`)).body.data[0];
    expect(office.work_weekdays).toBe('1,2,3,4,5'); // the field's default
    floor = (await make(t, 'shift', { name: '单休', start_time: '09:00', end_time: '18:00', work_weekdays: '6,1,2,3,4,5' })).id;
    for (const [no, name, shift] of [['C05', '车间', floor], ['C06', '办公室', office.id], ['C07', '无班次', null]] as const) {
      emp[no] = (await make(t, 'employee', { employee_no: no, name, hire_date: '2025-03-01', shift })).id;
      await make(t, 'salary_structure', { employee: emp[no], base_salary: '8700', policy: city, si_base: '8700', hf_base: '8700' });
    }
  });

  it('refuses a week that is not ISO weekdays, naming work_weekdays, on create and on update', async () => {
    for (const bad of ['8', '1,,2', 'Mon', '1-6']) {
      const r = await t.api('POST', '/api/v1/records/shift', { name: `坏班次${bad}`, start_time: '09:00', end_time: '18:00', work_weekdays: bad });
      expect([r.status, r.body.error?.field], bad).toEqual([422, 'work_weekdays']);
    }
    const cur = await t.api('GET', `/api/v1/records/shift/${floor}`);
    const edit = await t.api('PATCH', `/api/v1/records/shift/${floor}`, { work_weekdays: 'Mon-Sat', version: cur.body.version });
    expect([edit.status, edit.body.error?.field]).toEqual([422, 'work_weekdays']);
  });

  it('imports a Saturday without punches as 旷工 for the 单休 shift only, Saturday work as its kind of day', async () => {
    // Fri 6 – Sat 14 November: both punch every weekday 09:00–18:00, neither on Sat 7, both 09:00–20:00 on Sat 14.
    const days = ['2026-11-06', '2026-11-09', '2026-11-10', '2026-11-11', '2026-11-12', '2026-11-13', '2026-11-14'];
    const csv = ['工号,打卡时间', ...['C05', 'C06'].flatMap((no) => days.flatMap((day) => [`${no},${day} 09:00`, `${no},${day} ${day === '2026-11-14' ? '20:00' : '18:00'}`]))].join('\n');
    const file = await t.upload('november.csv', csv, 'text/csv');
    const r = await t.api('POST', '/api/v1/hr/attendance/import', { file: file.body.id });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ punches: 28, days: 15, absent: 1 });
    const saturdays = async (no: string) => (await t.api('GET', `/api/v1/records/attendance?filter=${q({ employee: emp[no], date: { in: ['2026-11-07', '2026-11-14'] } })}&sort=date&fields=date,day_status,overtime_hours,overtime_kind`)).body.data
      .map((d: any) => [d.date, d.day_status, d.overtime_hours, d.overtime_kind]);
    // 单休: Saturday the 7th missed, the 14th a working day with 2 h after 18:00. Monday–Friday: the 14th all overtime of a rest day.
    expect(await saturdays('C05')).toEqual([['2026-11-07', 'absent', '0.00', 'workday'], ['2026-11-14', 'present', '2.00', 'workday']]);
    expect(await saturdays('C06')).toEqual([['2026-11-14', 'present', '11.00', 'rest_day']]);
  });

  it('counts a leave from Friday to Monday as 3 days for the 单休 shift, 2 for Monday–Friday', async () => {
    const floor = await make(t, 'leave_request', { employee: emp.C05, leave_type: unpaid, from_date: '2026-11-20', to_date: '2026-11-23', days: '3' });
    expect((await submit(t, 'leave_request', floor.id)).status).toBe('approved');
    const office = await make(t, 'leave_request', { employee: emp.C06, leave_type: unpaid, from_date: '2026-11-20', to_date: '2026-11-23', days: '3' });
    const refused = await submitStatus(office.id);
    expect([refused.status, refused.body.error?.field]).toEqual([422, 'days']);
    expect(refused.body.error.message).toContain('2 working days');
    const two = await make(t, 'leave_request', { employee: emp.C06, leave_type: unpaid, from_date: '2026-11-20', to_date: '2026-11-23', days: '2' });
    expect((await submit(t, 'leave_request', two.id)).status).toBe('approved');
  });

  it('pays each by its own week in one run: month working days, Saturday overtime, absences', async () => {
    // A clock's absence on Sat 28 Nov for the office: a day off its week, no 旷工.
    await make(t, 'attendance', { employee: emp.C06, date: '2026-11-28', day_status: 'absent' });
    // The office shift as a tenant's from before the field: blank, which is Monday–Friday.
    const blank = await inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, (tx) => sql`UPDATE o_shift SET c_work_weekdays = NULL WHERE c_name = '白班'`.execute(tx));
    expect(blank.numAffectedRows).toBe(1n);
    const slip = await slipsOf('2026-11', '2026-11-30');
    // 8 700 ÷ 21.75 = 400 a day, 50 an hour.
    // 单休: 21 + 4 Saturdays = 25 working days; 2 h at 1.5× = 150; Sat 7 absent + 3 days unpaid leave = 4 × 400 = 1 600.
    expect(slip('C05')).toMatchObject({ month_workdays: 25, employed_workdays: 25, overtime_hours: '2.00', overtime_pay: '150.00', absence_days: '4.00', gross_pay: '7250.00' });
    // Monday–Friday: 21 working days; 11 h on a rest day at 2× = 1 100; 2 days unpaid leave = 800.
    expect(slip('C06')).toMatchObject({ month_workdays: 21, employed_workdays: 21, overtime_hours: '11.00', overtime_pay: '1100.00', absence_days: '2.00', gross_pay: '9000.00' });
    // No shift: Monday–Friday.
    expect(slip('C07')).toMatchObject({ month_workdays: 21, gross_pay: '8700.00' });
  });
});
