import { addDays } from '@mosaic/kernel';
import { DEPARTMENTS, EMPLOYEES, LEAVE_REASONS } from './demo-catalogue.ts';
import { submitted, workdays, type Api, type DemoApi } from './demo-api.ts';

/**
 * The people (人事) of the demo company: departments, staff on a day shift,
 * leave requests each month (approved: with no approval flow, submitting is
 * approving) and the month's attendance imported from the time clock's punch
 * file through the HR module's own import — so lateness and absence are
 * computed by it, as for a real clock export.
 */
export interface People { employees: Record<string, string>; leaveTypes: string[] }

export async function peopleMaster(api: Api): Promise<People> {
  const departments: string[] = [];
  for (const name of DEPARTMENTS) departments.push((await api('POST', '/api/v1/admin/departments', { name })).id);
  const shift = (await api('POST', '/api/v1/records/shift', { name: '白班', start_time: '08:30', end_time: '17:30', grace_minutes: 5 })).id;
  const employees: Record<string, string> = {};
  for (const e of EMPLOYEES) {
    employees[e.no] = (await api('POST', '/api/v1/records/employee', {
      employee_no: e.no, name: e.name, department: departments[e.dept], position: e.position, hire_date: e.hired, shift,
      hourly_cost: e.hourly, cost_category: e.selling ? 'selling' : 'admin',
    })).id;
  }
  // Leave without a balance to draw on: 事假 unpaid, 病假 paid.
  const leaveTypes = [
    (await api('POST', '/api/v1/records/leave_type', { name: '事假', annual_days: '0', accrual: 'none', paid: false })).id,
    (await api('POST', '/api/v1/records/leave_type', { name: '病假', annual_days: '0', accrual: 'none', paid: true })).id,
  ];
  return { employees, leaveTypes };
}

export interface PeopleMonth { leaveRequests: number; leaveDays: number; attendanceDays: number; late: number }

/** A few leave requests, then the month's punches (a late arrival now and then) imported. */
export async function peopleOfMonth(d: DemoApi, people: People, rnd: () => number, start: string, end: string): Promise<PeopleMonth> {
  const days = workdays(start, end);
  if (!days.length) return { leaveRequests: 0, leaveDays: 0, attendanceDays: 0, late: 0 };
  const onLeave = new Set<string>();
  const requests = 1 + Math.floor(rnd() * 3);
  let leaveDays = 0;
  let leaveRequests = 0;
  for (let i = 0; i < requests; i++) {
    const e = EMPLOYEES[Math.floor(rnd() * EMPLOYEES.length)];
    const from = days[Math.floor(rnd() * days.length)];
    const to = rnd() < 0.3 && days.includes(addDays(from, 1)) ? addDays(from, 1) : from;
    if (onLeave.has(`${e.no} ${from}`) || onLeave.has(`${e.no} ${to}`)) continue;
    const n = to === from ? 1 : 2;
    const req = await d.api('POST', '/api/v1/records/leave_request', {
      employee: people.employees[e.no], leave_type: people.leaveTypes[Math.floor(rnd() * 2)], from_date: from, to_date: to, days: String(n), reason: LEAVE_REASONS[i % LEAVE_REASONS.length],
    });
    await submitted(d.api, 'leave_request', req.id, req.version);
    onLeave.add(`${e.no} ${from}`).add(`${e.no} ${to}`);
    leaveDays += n;
    leaveRequests++;
  }
  // The punch file: in around 08:20–08:34 (grace 5 min: a late day now and then), out after 17:30.
  const rows = ['工号,打卡时间'];
  let late = 0;
  let attendanceDays = 0;
  for (const day of days) {
    for (const e of EMPLOYEES) {
      if (onLeave.has(`${e.no} ${day}`)) continue;
      const lateDay = rnd() < 0.03;
      const inMin = lateDay ? 8 * 60 + 40 + Math.floor(rnd() * 20) : 8 * 60 + 15 + Math.floor(rnd() * 20);
      const outMin = 17 * 60 + 31 + Math.floor(rnd() * 25);
      rows.push(`${e.no},${day} ${hhmm(inMin)}`, `${e.no},${day} ${hhmm(outMin)}`);
      attendanceDays++;
      if (lateDay) late++;
    }
  }
  const file = await d.upload(`punches-${start.slice(0, 7)}.csv`, rows.join('\n'), 'text/csv');
  await d.api('POST', '/api/v1/hr/attendance/import', { file: file.id });
  return { leaveRequests, leaveDays, attendanceDays, late };
}

const hhmm = (min: number) => `${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;
