import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { inTenantTx } from '@mosaic/db';
import { loadWorkstations } from '../../manufacturing/routing/routing.store.ts';
import { capacityHours } from '../../manufacturing/routing/calendar.rules.ts';
import { policyCalendar } from '../../crm/service/sla.service.ts';
import { crmHolidays } from '../../crm/shared/holidays.ts';
import { addBusinessMinutes, isWorkday } from '../../crm/shared/business-time.ts';

// One company calendar (company_holiday) for CRM and manufacturing, on a real PostgreSQL:
// 国庆 2026 as holidays, Saturday 10-10 as a 调休 working day; the workstation calendars fall
// back to it (a workstation's own exception still wins), and CRM's business hours follow it
// (a crm_holiday row still wins on its day).
let t: TestApp;
const ids: Record<string, string> = {};

const api = async (method: string, url: string, body?: unknown, status = 201) => {
  const r = await t.api(method, url, body);
  expect(r.status, `${url}: ${JSON.stringify(r.body)}`).toBe(status);
  return r.body;
};
const tx = <T>(fn: (tx: any, objects: any) => Promise<T>) =>
  inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, async (x) => fn(x, await t.store.objects(t.tenant.tenantId)));
const shanghai = (isoLocal: string) => new Date(`${isoLocal}+08:00`);

beforeAll(async () => {
  t = await createTestApp();
  for (const day of ['2026-10-01', '2026-10-02', '2026-10-05']) await api('POST', '/api/v1/records/company_holiday', { day, name: '国庆节' });
  await api('POST', '/api/v1/records/company_holiday', { day: '2026-10-10', name: '国庆调休', kind: 'workday' });
  ids.PLAIN = (await api('POST', '/api/v1/records/workstation', { code: 'PLAIN', name: '普通线', shifts: [{ name: '白班', hours: 8 }] })).id;
  // ASSY runs on 10-02 although the company is off (its own exception wins), and is closed on 10-09 on its own.
  ids.ASSY = (await api('POST', '/api/v1/records/workstation', { code: 'ASSY', name: '装配线', machines: 2, shifts: [{ name: '白班', hours: 8 }],
    holidays: [{ day: '2026-10-02', kind: 'workday', name: '赶工' }, { day: '2026-10-09', kind: 'holiday', name: '检修' }] })).id;
});

afterAll(async () => {
  await t?.close();
});

describe('the company calendar', () => {
  it('is what workstation calendars fall back to; their own exceptions win', async () => {
    const ws = await tx((x, objects) => loadWorkstations(x, objects));
    const days = ['2026-09-30', '2026-10-01', '2026-10-02', '2026-10-05', '2026-10-09', '2026-10-10', '2026-10-11'];
    expect(days.map((d) => capacityHours(ws.get(ids.PLAIN)!, d))).toEqual([8, 0, 0, 0, 8, 8, 0]);
    expect(days.map((d) => capacityHours(ws.get(ids.ASSY)!, d))).toEqual([16, 0, 16, 0, 0, 16, 0]);
  });

  it('is what CRM business hours follow; a crm_holiday row wins on its day', async () => {
    // An SLA policy that sets no working day: 09:00–18:00, Monday to Friday.
    const noDay = { work_start: null, work_end: null, lunch_start: null, lunch_end: null, work_weekdays: null };
    const defaultDay = async (x: Parameters<typeof crmHolidays>[0], objects: Parameters<typeof crmHolidays>[1]) => policyCalendar('Asia/Shanghai', await crmHolidays(x, objects), noDay);
    let cal = await tx((x, objects) => defaultDay(x, objects));
    expect(['2026-10-01', '2026-10-02', '2026-10-10'].map((d) => isWorkday(cal, d))).toEqual([false, false, true]);
    // 30 business minutes from Wednesday 09-30 17:45: 15 that evening, then nothing until Tuesday 10-06 (10-01, 10-02, the weekend, 10-05 off)
    expect(addBusinessMinutes(cal, shanghai('2026-09-30T17:45:00'), 30).toISOString()).toBe(shanghai('2026-10-06T09:15:00').toISOString());
    // The service desk works on 10-02 although the company is off.
    await api('POST', '/api/v1/records/crm_holiday', { day: '2026-10-02', name: '客服值班', is_workday: true });
    cal = await tx((x, objects) => defaultDay(x, objects));
    expect(addBusinessMinutes(cal, shanghai('2026-09-30T17:45:00'), 30).toISOString()).toBe(shanghai('2026-10-02T09:15:00').toISOString());
  });

  it('takes one row per day; a bad kind names the field', async () => {
    const dup = await t.api('POST', '/api/v1/records/company_holiday', { day: '2026-10-01', name: '重复' });
    expect(dup.status).toBe(409);
    const bad = await t.api('POST', '/api/v1/records/company_holiday', { day: '2026-10-03', kind: 'maybe' });
    expect(bad.status).toBe(422);
    expect(bad.body.error.field).toBe('kind');
    // 调休 opens a weekend day: on a weekday (2026-10-09 is a Friday) it names the day.
    const weekday = await t.api('POST', '/api/v1/records/company_holiday', { day: '2026-10-09', name: '调休', kind: 'workday' });
    expect([weekday.status, weekday.body.error?.field]).toEqual([422, 'day']);
  });
});
