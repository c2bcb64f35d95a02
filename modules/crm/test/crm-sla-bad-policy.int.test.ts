import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, isoWeekday, todayIn } from '@mosaic/kernel';
import { createRecords } from '@mosaic/records';
import { crmWorld, slaCheckAt, systemCtxOf, type CrmWorld } from './crm-world.ts';

// The scheduled SLA check with one policy whose working calendar never works (a Sunday-only
// desk, and the holiday table — imported for the next eleven years — closes every Sunday):
// that policy's ticket cannot be timed, but every other ticket is still checked (the good
// policy's overdue ticket breaches and escalates), the bad policy is answered in the run's
// result and told to the administrators in the bell — once, not on every five-minute run.
let w: CrmWorld;

beforeAll(async () => {
  w = await crmWorld();
}, 180_000);
afterAll(async () => {
  await w?.t.close();
});

const sys = () => systemCtxOf(w);
const checkAt = (minutes: number) => slaCheckAt(w, minutes);
const bell = async (who: 'admin' | 'mgrSouth') => (await w.as(who)('GET', '/api/v1/notifications')).body.data as { title: string; body: string | null; object: string | null; recordId: string | null }[];

describe('the SLA check with a policy whose calendar never works', () => {
  it('still checks every other policy\'s tickets, and tells the admins of the bad one once', async () => {
    const good = await w.create('admin', 'sla_policy', { name: '紧急工单', priority: 'urgent', first_response_minutes: 30, resolution_minutes: 240, business_hours: false, escalate_to: w.ids.mgrSouth });
    const bad = await w.create('admin', 'sla_policy', { name: '周日值班', priority: 'low', first_response_minutes: 60, resolution_minutes: 600, business_hours: true, work_weekdays: '7' });
    // Every Sunday from last week on, for eleven years, is a day off.
    let sunday = addDays(todayIn('Asia/Shanghai'), -7);
    while (isoWeekday(sunday) !== 7) sunday = addDays(sunday, 1);
    const sundays = Array.from({ length: 11 * 53 }, (_, i) => ({ day: addDays(sunday, 7 * i), name: '周日休息', is_workday: false }));
    await createRecords(await sys(), 'crm_holiday', sundays);

    const stuck = await w.create('repA', 'ticket', { subject: '周末咨询', priority: 'low', channel: 'web' });
    // A mail for the bad policy still opens its ticket (untimed, with its policy), rather than a 409 losing the mail.
    const mailed = await w.t.api('POST', '/api/v1/crm/tickets/inbound-email', { from: 'zhou@example.cn', subject: '周日报修', priority: 'low' });
    expect(mailed.status, JSON.stringify(mailed.body)).toBe(201);
    expect(mailed.body).toMatchObject({ sla_policy: bad.id, first_response_due: null, resolution_due: null });
    const urgent = await w.create('repA', 'ticket', { subject: '生产线停机', priority: 'urgent', channel: 'phone' });

    // 31 minutes on, the urgent ticket is timed and past its 30-minute first response.
    const run = await checkAt(31);
    expect(run).toMatchObject({ breached: 1 });
    expect(run.problems).toEqual([{ kind: 'calendar', policyId: bad.id, policy: '周日值班', problem: expect.stringContaining('SLA policy 周日值班: no working day'), tickets: 2 }]);
    const after = (await w.as('repA')('GET', `/api/v1/records/ticket/${urgent.id}`)).body;
    expect(after).toMatchObject({ sla_policy: good.id, sla_state: 'breached', escalation_level: 1 });
    expect((await bell('mgrSouth')).map((n) => n.title)).toContain(`工单已超时并升级：${urgent.number}（紧急工单）`);
    // The bad policy's ticket is left untimed, for the policy to be fixed.
    expect((await w.as('repA')('GET', `/api/v1/records/ticket/${stuck.id}`)).body).toMatchObject({ first_response_due: null, resolution_due: null, sla_state: 'ok' });

    const told = (await bell('admin')).filter((n) => n.object === 'sla_policy');
    expect(told).toEqual([expect.objectContaining({ recordId: bad.id, title: 'SLA 策略无法计时：周日值班（2 张工单未计时）', body: expect.stringContaining('no working day within ten years') })]);
    // Administrators keep the policies: a manager who is not one is not told (only of the escalation above).
    expect((await bell('mgrSouth')).filter((n) => n.object === 'sla_policy')).toEqual([]);
    // The next runs report it again in their result, but the admin is not told again.
    expect((await checkAt(36)).problems).toHaveLength(1);
    expect((await checkAt(41)).problems).toHaveLength(1);
    expect((await bell('admin')).filter((n) => n.object === 'sla_policy')).toHaveLength(1);

    // Fixed (Saturdays work too), the next run times the ticket and reports nothing.
    const fixed = await w.as('admin')('PATCH', `/api/v1/records/sla_policy/${bad.id}`, { work_weekdays: '6,7', version: bad.version });
    expect(fixed.status, JSON.stringify(fixed.body)).toBe(200);
    const again = await checkAt(46);
    expect(again.problems).toEqual([]);
    expect(again.timed).toBe(2);
    for (const id of [stuck.id, mailed.body.id]) expect((await w.as('admin')('GET', `/api/v1/records/ticket/${id}`)).body.first_response_due).toBeTruthy();
  });

  it('refuses a target longer than a year, naming the field, rather than a policy the walk would call never-working', async () => {
    const r = await w.as('admin')('POST', '/api/v1/records/sla_policy', { name: '年度', priority: 'normal', first_response_minutes: 60, resolution_minutes: 2_000_000 });
    expect(r.status).toBe(422);
    expect(JSON.stringify(r.body)).toContain('resolution_minutes');
    const year = await w.as('admin')('POST', '/api/v1/records/sla_policy', { name: '年度', priority: 'normal', first_response_minutes: 60, resolution_minutes: 525_600 });
    expect(year.status, JSON.stringify(year.body)).toBe(201);
  });
});
