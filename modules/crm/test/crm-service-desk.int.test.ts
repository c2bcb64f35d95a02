import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '@mosaic/db';
import { advanceClock, resetClock } from '@mosaic/kernel';
import type { Workers } from '@mosaic/automation';
import { ticketFromEmail } from '../service/ticket.service.ts';
import { systemCtx } from '../shared/system-ctx.ts';
import { crmWorld, startCrmWorkers, waitFor, type CrmWorld } from './crm-world.ts';

// The service desk's working day and ticket assignment (issue 7, audit gaps):
// an SLA policy with its own business hours (start, end, lunch break, working
// weekdays) times a ticket across lunch, a weekend, a holiday and a 调休
// Saturday; bad hours are refused naming the field. Tickets that come in
// without an assignee are routed by category to a group and shared within it
// by the shipped rule, with the rules engine running — in turn, also when
// created at once, or to whoever has the fewest open tickets.
let w: CrmWorld;
let workers: Workers;
const MIN = 60_000;
const sh = (s: string) => new Date(`${s}+08:00`);

beforeAll(async () => {
  w = await crmWorld();
  workers = await startCrmWorkers(w);
}, 180_000);
afterAll(async () => {
  resetClock();
  await workers?.stop();
  await w?.t.close();
});

// The mail gateway's path at a moment the test picks (the clock moved; sessions would expire, so no HTTP).
const inboundEmail = async (mail: Record<string, unknown>): Promise<any> => ticketFromEmail(await systemCtx(w.t.testDb.db, w.t.store, w.t.tenant.tenantId), mail);

describe('an SLA policy’s working day', () => {
  it('times a ticket across lunch, a 调休 Saturday, a Sunday and a holiday on the policy’s own hours', async () => {
    // December 2026: Fri 4th, 调休 Sat 5th, Sun 6th, holiday Mon 7th, Tue 8th.
    await w.create('admin', 'crm_holiday', { day: '2026-12-05', name: '调休上班', is_workday: true });
    await w.create('admin', 'crm_holiday', { day: '2026-12-07', name: '公司假日', is_workday: false });
    const policy = await w.create('admin', 'sla_policy', {
      name: '高优先级（早八点半）', priority: 'high', first_response_minutes: 60, resolution_minutes: 1200, business_hours: true,
      work_start: '08:30', work_end: '17:30', lunch_start: '12:00', lunch_end: '13:00', work_weekdays: '1,2,3,4,5',
    });
    expect(policy).toMatchObject({ work_start: '08:30', lunch_end: '13:00' });
    const start = sh('2026-12-04T11:30:00');
    advanceClock(start.getTime() - Date.now());
    try {
      const r = { body: await inboundEmail({ from: 'a@b.cn', subject: '服务器宕机', priority: 'high' }) };
      // 30 minutes before lunch, lunch stops the clock, 30 after: 13:30.
      expect(Date.parse(r.body.first_response_due) - sh('2026-12-04T13:30:00').getTime()).toBeLessThan(MIN);
      expect(Date.parse(r.body.first_response_due) - sh('2026-12-04T13:30:00').getTime()).toBeGreaterThanOrEqual(0);
      // 1200 minutes: Fri 300 (30 + 270), 调休 Sat 480, Sun off, Mon holiday, Tue 08:30–12:00 210 + 13:00–16:30 210.
      expect(Date.parse(r.body.resolution_due) - sh('2026-12-08T16:30:00').getTime()).toBeLessThan(MIN);
      expect(Date.parse(r.body.resolution_due) - sh('2026-12-08T16:30:00').getTime()).toBeGreaterThanOrEqual(0);
    } finally {
      resetClock();
    }
  });

  it('a policy that says nothing keeps 09:00–18:00, Monday to Friday', async () => {
    const p = await w.create('admin', 'sla_policy', { name: '低优先级', priority: 'low', first_response_minutes: 120, resolution_minutes: 600 });
    expect(p).toMatchObject({ work_start: '09:00', work_end: '18:00', work_weekdays: '1,2,3,4,5', lunch_start: null });
    advanceClock(sh('2026-12-04T17:00:00').getTime() - Date.now());
    try {
      const r = { body: await inboundEmail({ from: 'c@d.cn', subject: '咨询', priority: 'low' }) };
      // 17:00–18:00 Friday, then Saturday the 5th works (调休) 09:00–10:00.
      expect(Math.round((Date.parse(r.body.first_response_due) - sh('2026-12-05T10:00:00').getTime()) / MIN)).toBe(0);
      // 600: Fri 60, Sat 540 → Saturday 18:00.
      expect(Math.round((Date.parse(r.body.resolution_due) - sh('2026-12-05T18:00:00').getTime()) / MIN)).toBe(0);
    } finally {
      resetClock();
    }
  });

  it('refuses hours that make no sense, naming the field', async () => {
    const base = { name: '坏策略', priority: 'urgent', first_response_minutes: 10, resolution_minutes: 60 };
    const cases: [Record<string, unknown>, string][] = [
      [{ work_start: '18:00', work_end: '09:00' }, 'work_end'],
      [{ work_start: '09:00', work_end: '09:00' }, 'work_end'],
      [{ work_start: '25:00' }, 'work_start'],
      [{ work_weekdays: '1,8' }, 'work_weekdays'],
      [{ lunch_start: '12:00' }, 'lunch_end'],
      [{ lunch_start: '13:00', lunch_end: '12:00' }, 'lunch_end'],
      [{ lunch_start: '07:00', lunch_end: '08:00' }, 'lunch_start'],
    ];
    for (const [bad, field] of cases) {
      const r = await w.t.api('POST', '/api/v1/records/sla_policy', { ...base, ...bad });
      expect(r.status, JSON.stringify(bad)).toBe(422);
      expect(r.body.error.field, JSON.stringify(r.body)).toBe(field);
    }
    const ok = await w.create('admin', 'sla_policy', { ...base, name: '好策略' });
    const edit = await w.t.api('PATCH', `/api/v1/records/sla_policy/${ok.id}`, { work_end: '08:00', version: ok.version });
    expect(edit.status).toBe(422);
    expect(edit.body.error.field).toBe('work_end');
  });
});

describe('ticket assignment', () => {
  const ticket = (values: Record<string, unknown>) => w.create('admin', 'ticket', { priority: 'normal', channel: 'web', ...values });
  const assignees = async (ids: string[]) => waitFor(async () => {
    const rows = await w.q<{ id: string; assignee: string | null; owner_id: string }>(sql`SELECT id, c_assignee AS assignee, owner_id FROM o_ticket WHERE id = ANY(${ids}::uuid[]) ORDER BY created_at, c_number`);
    return rows.length === ids.length && rows.every((r) => r.assignee) ? rows : null;
  }, 'assignment');

  it('ships the rule; three tickets for a two-person group alternate, and the assignee becomes the owner', async () => {
    const rules = (await w.t.api('GET', '/api/v1/automation/rules')).body.data.map((r: any) => r.name);
    expect(rules).toContain('新工单：按分类/产品分派到处理组并轮流分配');
    await w.create('admin', 'crm_ticket_route', { name: '设备故障 → 华南', category: '设备故障', team: w.south, strategy: 'round_robin', sequence: 10 });
    const ids: string[] = [];
    // One after the other, each assigned before the next arrives: the order is the rotation's.
    for (let i = 0; i < 3; i++) {
      ids.push((await ticket({ subject: `停机 ${i}`, category: '设备故障' })).id);
      await assignees([ids[i]]);
    }
    const rows = await assignees(ids);
    expect(rows.map((r) => r.assignee)).toEqual([w.ids.repA, w.ids.repB, w.ids.repA]); // the manager is not in the rotation
    for (const r of rows) expect(r.owner_id).toBe(r.assignee);
    expect((await w.as('repB')('GET', `/api/v1/records/ticket/${ids[1]}`)).body.assignee).toBe(w.ids.repB);
  });

  it('tickets created at once are shared exactly (the rotation advances under a row lock)', async () => {
    const made = await Promise.all(Array.from({ length: 6 }, (_, i) => ticket({ subject: `并发 ${i}`, category: '设备故障' })));
    const rows = await assignees(made.map((t) => t.id));
    const count = (id: string) => rows.filter((r) => r.assignee === id).length;
    expect([count(w.ids.repA), count(w.ids.repB)]).toEqual([3, 3]);
  });

  it('keeps a given assignee; leaves a ticket no route matches alone', async () => {
    const mine = await ticket({ subject: '指定处理人', category: '设备故障', assignee: w.ids.repC });
    const other = await ticket({ subject: '无规则分类', category: '其他' });
    // The unrouted ticket's run ends as done, its action saying why it did nothing.
    const run = await waitFor(async () => (await w.q<{ status: string; actions: unknown }>(sql`SELECT status, actions FROM automation_run WHERE record_id = ${other.id}::uuid`))[0], 'the run for the unrouted ticket');
    expect(run.status).toBe('done');
    expect(JSON.stringify(run.actions)).toContain('no ticket route matches category 其他');
    const [a, b] = await w.q<{ id: string; assignee: string | null; owner_id: string }>(sql`SELECT id, c_assignee AS assignee, owner_id FROM o_ticket WHERE id IN (${mine.id}, ${other.id}) ORDER BY created_at`);
    expect(a).toMatchObject({ assignee: w.ids.repC, owner_id: w.t.tenant.adminId });
    expect(b).toMatchObject({ assignee: null, owner_id: w.t.tenant.adminId });
  });

  it('least open tickets: a route may give each new ticket to whoever has the fewest open', async () => {
    await w.create('admin', 'crm_ticket_route', { name: '退款 → 华南（最少未结）', category: '退款', team: w.south, strategy: 'least_load', sequence: 5 });
    const open = async () => {
      const rows = await w.q<{ owner_id: string; n: number }>(sql`SELECT owner_id, count(*)::int AS n FROM o_ticket WHERE c_state NOT IN ('resolved', 'closed') AND owner_id IN (${w.ids.repA}, ${w.ids.repB}) GROUP BY owner_id`);
      return Object.fromEntries(rows.map((r) => [r.owner_id, r.n])) as Record<string, number>;
    };
    // Resolve three of repA's tickets, so repA has fewer open than repB.
    const repAs = await w.q<{ id: string }>(sql`SELECT id FROM o_ticket WHERE c_assignee = ${w.ids.repA} ORDER BY created_at LIMIT 3`);
    for (const t of repAs) expect((await w.as('repA')('POST', `/api/v1/crm/tickets/${t.id}/resolve`)).status).toBe(200);
    const before = await open();
    expect(before[w.ids.repA]).toBeLessThan(before[w.ids.repB]);
    const gap = before[w.ids.repB] - before[w.ids.repA];
    const got: string[] = [];
    for (let i = 0; i < gap + 2; i++) {
      const t = await ticket({ subject: `退款 ${i}`, category: '退款' });
      got.push((await assignees([t.id]))[0].assignee!);
    }
    // repA until level, then ties go to the earlier person, then the other.
    expect(got).toEqual([...Array(gap).fill(w.ids.repA), w.ids.repA, w.ids.repB]);
  });

  it('fewest open with tickets created at once: 6 over two equally loaded agents give 3 and 3', async () => {
    const open = async (id: string) => (await w.q<{ n: number }>(sql`SELECT count(*)::int AS n FROM o_ticket WHERE c_state NOT IN ('resolved', 'closed') AND owner_id = ${id}`))[0].n;
    const level = [await open(w.ids.repA), await open(w.ids.repB)];
    expect(level[0]).toBe(level[1]); // the previous test ends level
    const made = await Promise.all(Array.from({ length: 6 }, (_, i) => ticket({ subject: `并发退款 ${i}`, category: '退款' })));
    const rows = await assignees(made.map((t) => t.id));
    const count = (id: string) => rows.filter((r) => r.assignee === id).length;
    expect([count(w.ids.repA), count(w.ids.repB)]).toEqual([3, 3]);
  });
});
