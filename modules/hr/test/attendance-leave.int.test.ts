import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xlsxOf } from '@mosaic/io/test-kit';
import { isoWeekday } from '@mosaic/kernel';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { roleWith, userWith } from '../../../apps/server/test/access-helpers.ts';
import { make, oneStepFlow, q } from './hr-fixture.ts';

// Attendance from a time clock's punch file (CSV and XLSX), lateness, early
// leaving, overtime and absence computed against the shift; leave accrued
// monthly, and a request approved through the approval engine reducing the balance.
let t: TestApp;
const emp: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  const shift = (await make(t, 'shift', { name: '标准班', start_time: '09:00', end_time: '18:00', grace_minutes: 5 })).id;
  for (const [no, name, hire] of [['A01', '周一', '2024-03-01'], ['A02', '吴二', '2024-03-01'], ['A03', '郑三', '2026-02-10']]) {
    emp[no] = (await make(t, 'employee', { employee_no: no, name, hire_date: hire, shift })).id;
  }
});

afterAll(async () => {
  await t?.close();
});

const attendance = async (no: string) =>
  (await t.api('GET', `/api/v1/records/attendance?filter=${q({ employee: emp[no] })}&sort=date&fields=date,first_in,last_out,late_minutes,early_minutes,day_status,overtime_hours,overtime_kind`)).body.data
    .map(({ date, first_in, last_out, late_minutes, early_minutes, day_status, overtime_hours, overtime_kind }: any) =>
      [date, first_in, last_out, late_minutes, early_minutes, day_status, overtime_hours, overtime_kind]);

describe('attendance imported from punches', () => {
  it('computes lateness, early leaving, overtime and absence from a CSV export', async () => {
    // Mon 2026-03-02 … Wed 03-04, plus Saturday 03-07 for A01.
    const csv = [
      '工号,打卡时间',
      'A01,2026-03-02 08:52', 'A01,2026-03-02 12:03', 'A01,2026-03-02 18:01', // on time
      'A01,2026-03-03 09:04', 'A01,2026-03-03 20:40', // inside grace; 2 h 40 after → 2.5 h overtime
      'A01,2026-03-04 09:17', 'A01,2026-03-04 17:30', // 17 min late, 30 min early
      'A01,2026/3/7 10:00', 'A01,2026/3/7 14:10', // Saturday: 4 h rest-day overtime
      'A02,2026-03-02 09:31:20', 'A02,2026-03-02 18:00', // 31 min late
      'A02,2026-03-04 08:59', 'A02,2026-03-04 18:00', // 03-03 missing: absent
    ].join('\n');
    const file = await t.upload('punches.csv', csv, 'text/csv');
    expect(file.status, JSON.stringify(file.body)).toBe(201);
    const r = await t.api('POST', '/api/v1/hr/attendance/import', { file: file.body.id });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    // Days: A01 03-02, 03-03, 03-04, 03-05 (absent), 03-06 (absent), 03-07; A02 03-02, 03-03 (absent), 03-04, 03-05, 03-06 (absent)
    expect(r.body).toEqual({ punches: 13, days: 11, created: 11, updated: 0, late: 2, early: 1, absent: 5, leave: 0 });
    expect(await attendance('A01')).toEqual([
      ['2026-03-02', '08:52', '18:01', 0, 0, 'present', '0.00', 'workday'],
      ['2026-03-03', '09:04', '20:40', 0, 0, 'present', '2.50', 'workday'],
      ['2026-03-04', '09:17', '17:30', 17, 30, 'late_early', '0.00', 'workday'],
      ['2026-03-05', null, null, 0, 0, 'absent', '0.00', 'workday'],
      ['2026-03-06', null, null, 0, 0, 'absent', '0.00', 'workday'],
      ['2026-03-07', '10:00', '14:10', 0, 0, 'present', '4.00', 'rest_day'],
    ]);
    expect((await attendance('A02')).slice(0, 3)).toEqual([
      ['2026-03-02', '09:31', '18:00', 31, 0, 'late', '0.00', 'workday'],
      ['2026-03-03', null, null, 0, 0, 'absent', '0.00', 'workday'],
      ['2026-03-04', '08:59', '18:00', 0, 0, 'present', '0.00', 'workday'],
    ]);
  });

  it('reads an XLSX with separate date and time columns and updates days already imported', async () => {
    const xlsx = await xlsxOf([
      ['工号', '日期', '时间'],
      ['A01', '2026-03-05', '09:45'], ['A01', '2026-03-05', '18:00'],
      ['A01', new Date(Date.UTC(2026, 2, 6)), new Date(Date.UTC(1899, 11, 30, 8, 58))], ['A01', '2026-03-06', '18:30'],
    ]);
    const file = await t.upload('clock.xlsx', xlsx, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const r = await t.api('POST', '/api/v1/hr/attendance/import', { file: file.body.id });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ punches: 4, days: 2, created: 0, updated: 2, late: 1, absent: 0 });
    expect((await attendance('A01')).slice(3, 5)).toEqual([
      ['2026-03-05', '09:45', '18:00', 45, 0, 'late', '0.00', 'workday'],
      ['2026-03-06', '08:58', '18:30', 0, 0, 'present', '0.00', 'workday'],
    ]);
  });

  it('refuses a bad file with the row, importing nothing', async () => {
    const before = (await t.api('GET', '/api/v1/records/attendance?pageSize=1')).body.total;
    const bad = await t.upload('bad.csv', '工号,打卡时间\nA01,2026-03-09 09:00\nA01,昨天早上\n', 'text/csv');
    const r = await t.api('POST', '/api/v1/hr/attendance/import', { file: bad.body.id });
    expect(r.status).toBe(422);
    expect(r.body.error).toMatchObject({ code: 'IMPORT_ROWS_FAILED', field: 'file' });
    expect(r.body.error.message).toContain('Row 3');
    // A date the calendar does not have is the row's error, not a rolled-over day or a server error.
    for (const csv of ['工号,打卡时间\nA01,2026-03-09 09:00\nA01,2026-02-30 09:00\n', '工号,日期,时间\nA01,2026-03-09,09:00\nA01,2026-13-01,09:00\n']) {
      const day = await t.upload('day.csv', csv, 'text/csv');
      const res = await t.api('POST', '/api/v1/hr/attendance/import', { file: day.body.id });
      expect(res.status, csv).toBe(422);
      expect(res.body.error, csv).toMatchObject({ code: 'IMPORT_ROWS_FAILED', field: 'file' });
      expect(res.body.error.message, csv).toContain('Row 3');
    }
    const unknown = await t.upload('who.csv', '工号,打卡时间\nZ99,2026-03-09 09:00\n', 'text/csv');
    expect((await t.api('POST', '/api/v1/hr/attendance/import', { file: unknown.body.id })).body.error.message).toContain('Z99');
    const noColumns = await t.upload('cols.csv', 'name,when\nA01,2026-03-09 09:00\n', 'text/csv');
    expect((await t.api('POST', '/api/v1/hr/attendance/import', { file: noColumns.body.id })).body.error).toMatchObject({ code: 'IMPORT_MAPPING', field: 'file' });
    expect((await t.api('POST', '/api/v1/hr/attendance/import', {})).body.error).toMatchObject({ code: 'FIELD_REQUIRED', field: 'file' });
    expect((await t.api('GET', '/api/v1/records/attendance?pageSize=1')).body.total).toBe(before);
  });
});

describe('leave: accrual, and a request approved through the flow', () => {
  let annual: string;
  const balance = async (no: string) =>
    (await t.api('GET', `/api/v1/records/leave_balance?filter=${q({ employee: emp[no], leave_type: annual, year: 2026 })}`)).body.data[0];

  it('accrues annual leave month by month, from the hire month, idempotently', async () => {
    annual = (await make(t, 'leave_type', { name: '年假', annual_days: '10', accrual: 'monthly', paid: true })).id;
    await make(t, 'leave_type', { name: '病假', annual_days: '0', accrual: 'none' });
    const r = await t.api('POST', '/api/v1/hr/leave/accrue', { month: '2026-03' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    // Three employees × one accruing type.
    expect(r.body).toEqual({ month: '2026-03', balances: 3, created: 3 });
    // A01: 10 × 3 ÷ 12 = 2.50; A03 hired in February: 10 × 2 ÷ 12 = 1.67
    expect(await balance('A01')).toMatchObject({ accrued: '2.50', used: '0.00', balance: '2.50', accrued_through: '2026-03' });
    expect(await balance('A03')).toMatchObject({ accrued: '1.67', balance: '1.67' });
    const again = await t.api('POST', '/api/v1/hr/leave/accrue', { month: '2026-03' });
    expect(again.body.created).toBe(0);
    expect((await balance('A01')).accrued).toBe('2.50');
    expect((await t.api('POST', '/api/v1/hr/leave/accrue', { month: '2026-3' })).body.error).toMatchObject({ code: 'FIELD_INVALID', field: 'month' });
  });

  it('an approved request reduces the balance; more than is available is refused', async () => {
    await oneStepFlow(t, 'leave_request', '请假审批', '人事');

    const req = await make(t, 'leave_request', { employee: emp.A01, leave_type: annual, from_date: '2026-03-16', to_date: '2026-03-17', days: '2', reason: '回老家' });
    const s = await t.api('POST', `/api/v1/records/leave_request/${req.id}/submit`, { version: 1 });
    expect(s.status, JSON.stringify(s.body)).toBe(200);
    expect(s.body.status).toBe('submitted');
    // While it waits, the 2 days are pending: asking for 1 more of the 2.50 is refused.
    const greedy = await make(t, 'leave_request', { employee: emp.A01, leave_type: annual, from_date: '2026-03-20', to_date: '2026-03-20', days: '1' });
    const refused = await t.api('POST', `/api/v1/records/leave_request/${greedy.id}/submit`, { version: 1 });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'CONFLICT', field: 'days' });
    expect(refused.body.error.message).toContain('0.50');
    expect((await balance('A01')).used).toBe('0.00');

    const inbox = await t.api('GET', '/api/v1/approvals/inbox?box=pending&pageSize=50');
    const task = inbox.body.data.find((x: any) => x.recordId === req.id);
    expect(task, JSON.stringify(inbox.body)).toBeTruthy();
    const ok = await t.api('POST', `/api/v1/approvals/tasks/${task.task.id}/approve`, { comment: '同意' });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect((await t.api('GET', `/api/v1/records/leave_request/${req.id}`)).body.status).toBe('approved');
    expect(await balance('A01')).toMatchObject({ accrued: '2.50', used: '2.00', balance: '0.50' });

    // Cancelling the approved request gives the days back.
    const cur = (await t.api('GET', `/api/v1/records/leave_request/${req.id}`)).body;
    const c = await t.api('POST', `/api/v1/records/leave_request/${req.id}/cancel`, { version: cur.version, reason: '行程取消' });
    expect(c.status, JSON.stringify(c.body)).toBe(200);
    expect(await balance('A01')).toMatchObject({ used: '0.00', balance: '2.50' });
  });

  it('refuses more days than the dates cover, and dates out of order', async () => {
    const sick = (await t.api('GET', `/api/v1/records/leave_type?filter=${q({ name: '病假' })}`)).body.data[0].id;
    const r = await make(t, 'leave_request', { employee: emp.A02, leave_type: sick, from_date: '2026-03-10', to_date: '2026-03-10', days: '3' });
    const s = await t.api('POST', `/api/v1/records/leave_request/${r.id}/submit`, { version: 1 });
    expect(s.body.error).toMatchObject({ code: 'FIELD_INVALID', field: 'days' });
    const backwards = await t.api('POST', '/api/v1/records/leave_request', { employee: emp.A02, leave_type: sick, from_date: '2026-03-10', to_date: '2026-03-09', days: '1' });
    expect(backwards.status).toBe(422);
    expect(backwards.body.error.field).toBe('to_date');
  });
});

describe('the organisation and the team calendar', () => {
  it('shows departments as a tree with managers and their employees', async () => {
    const dept = await t.api('POST', '/api/v1/admin/departments', { name: '工程部', parentId: t.tenant.departmentId, managerId: t.tenant.adminId });
    expect(dept.status, JSON.stringify(dept.body)).toBe(201);
    const a01 = (await t.api('GET', `/api/v1/records/employee/${emp.A01}`)).body;
    expect((await t.api('PATCH', `/api/v1/records/employee/${emp.A01}`, { version: a01.version, department: dept.body.id, position: '工程师' })).status).toBe(200);
    const r = await t.api('GET', '/api/v1/hr/org-chart');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const [root] = r.body.data;
    expect(root.id).toBe(t.tenant.departmentId);
    const eng = root.children.find((c: any) => c.id === dept.body.id);
    expect(eng).toMatchObject({ name: '工程部', manager: { id: t.tenant.adminId }, children: [] });
    expect(eng.employees).toEqual([{ id: emp.A01, employee_no: 'A01', name: '周一', position: '工程师' }]);
  });

  it('lists the leave overlapping a range, by department', async () => {
    const sick = (await t.api('GET', `/api/v1/records/leave_type?filter=${q({ name: '病假' })}`)).body.data[0].id;
    const r = await make(t, 'leave_request', { employee: emp.A02, leave_type: sick, from_date: '2026-04-01', to_date: '2026-04-02', days: '2' });
    expect((await t.api('POST', `/api/v1/records/leave_request/${r.id}/submit`, { version: 1 })).status).toBe(200);
    const cal = await t.api('GET', '/api/v1/hr/leave/calendar?from=2026-04-02&to=2026-04-30');
    expect(cal.status, JSON.stringify(cal.body)).toBe(200);
    expect(cal.body.data.map((x: any) => [x['employee.name'], x['leave_type.name'], x.from_date, x.to_date, x.status])).toEqual([['吴二', '病假', '2026-04-01', '2026-04-02', 'submitted']]);
    // 吴二 is in no department: filtering on 工程部 leaves him out.
    const eng = (await t.api('GET', '/api/v1/admin/departments')).body.data.find((d: any) => d.name === '工程部').id;
    expect((await t.api('GET', `/api/v1/hr/leave/calendar?from=2026-04-01&to=2026-04-30&department=${eng}`)).body.data).toEqual([]);
    // Outside the range: nothing. The cancelled March request never shows.
    expect((await t.api('GET', '/api/v1/hr/leave/calendar?from=2026-04-03&to=2026-04-30')).body.data).toEqual([]);
    expect((await t.api('GET', '/api/v1/hr/leave/calendar?from=2026-03-01&to=2026-03-31')).body.data).toEqual([]);
    expect((await t.api('GET', '/api/v1/hr/leave/calendar?from=2026-04-01&to=2026-03-01')).body.error).toMatchObject({ code: 'FIELD_INVALID', field: 'to' });
    expect((await t.api('GET', '/api/v1/hr/leave/calendar?to=2026-03-01')).body.error).toMatchObject({ field: 'from' });
  });
});

describe('clocking in from the web app', () => {
  it('records the first punch as clock-in and the last as clock-out, for the caller\'s own employee only', async () => {
    const roles = (await t.api('GET', '/api/v1/admin/roles')).body;
    const role = (roles.data ?? roles).find((r: any) => r.code === 'employee_self');
    const login = async (name: string) => {
      const email = `${name}-${t.tenant.tenantId.slice(0, 8)}@test.local`;
      const c = await t.api('POST', '/api/v1/admin/users', { email, name, password: 'Clock-Test-Pw-2026', roleIds: [role.id], departmentId: t.tenant.departmentId, companyId: t.tenant.companyId });
      expect(c.status, JSON.stringify(c.body)).toBe(201);
      return { id: c.body.id as string, token: (await t.api('POST', '/api/v1/auth/login', { email, password: 'Clock-Test-Pw-2026' }, { token: null })).body.token as string };
    };
    const zheng = await login('zhengsan');
    const a03 = (await t.api('GET', `/api/v1/records/employee/${emp.A03}`)).body;
    expect((await t.api('PATCH', `/api/v1/records/employee/${emp.A03}`, { version: a03.version, user: zheng.id })).status).toBe(200);
    const clock = (token: string) => t.api('POST', '/api/v1/hr/attendance/clock', undefined, { token });

    const first = await clock(zheng.token);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({ employee: emp.A03, first_in: first.body.punched_at, last_out: null });
    expect(first.body.first_in).toMatch(/^([01]\d|2[0-3]):[0-5]\d$/);
    const second = await clock(zheng.token);
    expect(second.body).toMatchObject({ id: first.body.id, date: first.body.date, first_in: first.body.first_in, last_out: second.body.punched_at });
    // Moved to a shift whose week leaves out today's weekday: today is a rest day for them, all overtime, never late.
    const today = isoWeekday(first.body.date);
    const offToday = (await make(t, 'shift', { name: '今天休', start_time: '09:00', end_time: '18:00', work_weekdays: [1, 2, 3, 4, 5, 6, 7].filter((d) => d !== today).join(',') })).id;
    const moved = (await t.api('GET', `/api/v1/records/employee/${emp.A03}`)).body;
    expect((await t.api('PATCH', `/api/v1/records/employee/${emp.A03}`, { version: moved.version, shift: offToday })).status).toBe(200);
    const resting = await clock(zheng.token);
    expect(resting.body).toMatchObject({ id: first.body.id, shift: offToday, overtime_kind: 'rest_day', late_minutes: 0, early_minutes: 0, day_status: 'present' });
    // And one whose week is today alone: a working day, whatever weekday today is (a Saturday or
    // Sunday too — with the two checks, the shift's week decides on every day of the week).
    const onlyToday = (await make(t, 'shift', { name: '只上今天', start_time: '00:00', end_time: '23:59', work_weekdays: String(today) })).id;
    const again = (await t.api('GET', `/api/v1/records/employee/${emp.A03}`)).body;
    expect((await t.api('PATCH', `/api/v1/records/employee/${emp.A03}`, { version: again.version, shift: onlyToday })).status).toBe(200);
    const working = await clock(zheng.token);
    expect(working.body).toMatchObject({ id: first.body.id, shift: onlyToday, overtime_kind: 'workday' });
    // Today closed in the company calendar: the day becomes holiday overtime, never late.
    await make(t, 'company_holiday', { day: first.body.date, name: '测试假日', kind: 'holiday' });
    const third = await clock(zheng.token);
    expect(third.body).toMatchObject({ id: first.body.id, overtime_kind: 'holiday', late_minutes: 0, early_minutes: 0, day_status: 'present' });
    // The employee reads their own day, and only theirs.
    const mine = await t.api('GET', '/api/v1/records/attendance', undefined, { token: zheng.token });
    expect(mine.body.data.map((r: any) => r.id)).toEqual([first.body.id]);

    const nobody = await login('nobody');
    const refused = await clock(nobody.token);
    expect([refused.status, refused.body.error.field]).toEqual([409, 'employee']);
  });
});

describe('who leave may be filed for', () => {
  it("refuses an HR clerk of one department a request for another department's employee, on create and on edit", async () => {
    // The clerk works in 工程部 (周一's department) with a department scope; 王四 is in the head-office department.
    const eng = (await t.api('GET', '/api/v1/admin/departments')).body.data.find((d: any) => d.name === '工程部').id;
    const other = (await make(t, 'employee', { employee_no: 'A04', name: '王四', hire_date: '2024-03-01', department: t.tenant.departmentId })).id;
    const role = await roleWith(t, 'hr_clerk_eng', [
      ...['read', 'create', 'edit', 'submit'].map((action) => ({ object: 'leave_request', action, scope: 'department' })),
      { object: 'employee', action: 'read', scope: 'all' }, { object: 'leave_type', action: 'read', scope: 'all' },
    ]);
    const clerk = await userWith(t, [role], { departmentId: eng, name: 'clerk' });
    const sick = (await t.api('GET', `/api/v1/records/leave_type?filter=${q({ name: '病假' })}`)).body.data[0].id;
    const leave = (employee: string) => ({ employee, leave_type: sick, from_date: '2026-05-06', to_date: '2026-05-06', days: '1' });

    const outside = await t.api('POST', '/api/v1/records/leave_request', leave(other), { token: clerk.token });
    expect([outside.status, outside.body.error?.code, outside.body.error?.field], JSON.stringify(outside.body)).toEqual([403, 'FORBIDDEN', 'employee']);
    expect(outside.body.error.details).toEqual({ employee: other }); // by id: a clerk reading no employees learns no name
    const mine = await t.api('POST', '/api/v1/records/leave_request', leave(emp.A01), { token: clerk.token });
    expect(mine.status, JSON.stringify(mine.body)).toBe(201);
    const moved = await t.api('PATCH', `/api/v1/records/leave_request/${mine.body.id}`, { version: mine.body.version, employee: other }, { token: clerk.token });
    expect([moved.status, moved.body.error?.field], JSON.stringify(moved.body)).toEqual([403, 'employee']);
    // An edit that leaves the employee alone is no filing for anyone; HR of the whole company files for 王四.
    expect((await t.api('PATCH', `/api/v1/records/leave_request/${mine.body.id}`, { version: mine.body.version, reason: '发烧' }, { token: clerk.token })).status).toBe(200);
    expect((await t.api('POST', '/api/v1/records/leave_request', leave(other))).status).toBe(201);
  });
});
