import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduleTick, startWorkers, type Workers } from '@mosaic/automation';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { waitFor } from '../../../apps/server/test/automation-fixture.ts';
import { make, q } from './hr-fixture.ts';

// HR's shipped rules, run by the real rules engine (outbox consumer, pg-boss workers, the
// date scheduler) on real PostgreSQL: the onboarding checklist when an employee is entered,
// the offboarding one when they leave, and the contract-expiry reminder 30 days ahead.
let t: TestApp;
let workers: Workers;
const DAY = 86_400_000;

beforeAll(async () => {
  t = await createTestApp();
  workers = await startWorkers({ db: t.testDb.db, store: t.store, url: t.testDb.url }, { tickMs: 200, slowTickMs: 3_600_000, pollMs: 1000 });
});

afterAll(async () => {
  await workers?.stop();
  await t?.close();
});

const tasksOf = async (employeeId: string) =>
  (await t.api('GET', `/api/v1/records/task?filter=${q({ related_id: employeeId })}&sort=created_at&pageSize=50&fields=subject,due_at,assignee_id,related_object`)).body.data as any[];
const ruleId = async (name: string) => ((await t.api('GET', '/api/v1/automation/rules')).body.data as any[]).find((r) => r.name === name)?.id as string;

describe('HR rules', () => {
  it('ships the three rules, editable like any other', async () => {
    const names = ((await t.api('GET', '/api/v1/automation/rules')).body.data as any[]).map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(['入职清单：新员工入职任务', '离职清单：员工离职任务', '劳动合同到期提醒：到期前 30 天']));
  });

  it('gives whoever entered a new employee the onboarding checklist, and the offboarding one when they leave', async () => {
    const e = await make(t, 'employee', { employee_no: 'N01', name: '周新', hire_date: '2026-03-02' });
    const onboarding = await waitFor(async () => { const x = await tasksOf(e.id); return x.length >= 5 && x; }, 20_000, 'the onboarding tasks');
    expect(onboarding.map((x) => x.subject)).toEqual([
      '入职：周新（N01）签订劳动合同', '入职：周新（N01）开通系统账号与邮箱', '入职：周新（N01）办理社保公积金增员',
      '入职：周新（N01）发放电脑、工牌与门禁', '入职：周新（N01）入职培训与安全教育',
    ]);
    expect(new Set(onboarding.map((x) => [x.assignee_id, x.related_object].join()))).toEqual(new Set([`${t.tenant.adminId},employee`]));
    // Due 1, 1, 5, 1 and 7 days after the rule ran.
    const created = Date.parse(onboarding[0].due_at) - DAY;
    expect(onboarding.map((x) => Math.round((Date.parse(x.due_at) - created) / DAY))).toEqual([1, 1, 5, 1, 7]);

    const cur = (await t.api('GET', `/api/v1/records/employee/${e.id}`)).body;
    const left = await t.api('PATCH', `/api/v1/records/employee/${e.id}`, { employment_status: 'left', leave_date: '2026-06-30', version: cur.version });
    expect(left.status, JSON.stringify(left.body)).toBe(200);
    const all = await waitFor(async () => { const x = await tasksOf(e.id); return x.length >= 9 && x; }, 20_000, 'the offboarding tasks');
    expect(all.slice(5).map((x) => x.subject)).toEqual(['离职：周新（N01）工作交接', '离职：周新（N01）停用系统账号', '离职：周新（N01）办理社保公积金减员', '离职：周新（N01）结清工资与报销']);
    // A later edit of someone who has left does not hand out the checklist again.
    const again = await t.api('PATCH', `/api/v1/records/employee/${e.id}`, { position: '顾问', version: left.body.version });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await tasksOf(e.id)).toHaveLength(9);
  });

  it('reminds HR 30 days before a labour contract ends, once per end date, and not for someone who has left', async () => {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const plus = (days: number) => new Date(Date.parse(`${today}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
    const staying = await make(t, 'employee', { employee_no: 'C01', name: '吴合同', hire_date: '2024-01-01', contract_end: plus(32) });
    const leaving = await make(t, 'employee', { employee_no: 'C02', name: '郑离职', hire_date: '2024-01-01', contract_end: plus(32), employment_status: 'left' });
    const deps = { db: t.testDb.db, store: t.store, url: t.testDb.url };
    // contract_end − 30 days at 09:00 Shanghai = today + 2 days, 01:00Z.
    const moment = Date.parse(`${plus(2)}T01:00:00Z`);
    const tick = (at: number) => scheduleTick(deps, workers.queue, t.tenant.tenantId, new Date(at), { dates: true });
    expect(await tick(moment - 60_000)).toBe(0);
    expect(await tick(moment + 60_000)).toBeGreaterThanOrEqual(1);
    expect(await tick(moment + 120_000)).toBe(0); // once per end date

    const notice = await waitFor(async () => ((await t.api('GET', '/api/v1/notifications')).body.data as any[]).find((n) => n.recordId === staying.id), 20_000, 'the reminder');
    expect(notice).toMatchObject({ title: '劳动合同 30 天后到期：吴合同（C01）', body: `到期日 ${plus(32)}，请确定续签或终止。` });
    const renewal = await waitFor(async () => (await tasksOf(staying.id)).find((x) => x.subject.startsWith('续签')), 20_000, 'the renewal task');
    expect(renewal.subject).toBe('续签或终止劳动合同：吴合同（C01）');
    const runs = (await t.api('GET', `/api/v1/automation/rules/${await ruleId('劳动合同到期提醒：到期前 30 天')}/runs?limit=50`)).body.data as any[];
    expect(runs.filter((r) => r.status === 'done').map((r) => r.triggerKey)).toEqual([`d:${staying.id}:${plus(32)}`]);
    expect(((await t.api('GET', '/api/v1/notifications')).body.data as any[]).some((n) => n.recordId === leaving.id)).toBe(false);
  });
});
