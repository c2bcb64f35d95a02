import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '@mosaic/db';
import { scheduleTick } from '@mosaic/automation';
import { automationWorld, waitFor, type AutomationWorld } from './automation-fixture.ts';

// Rules that could run forever are stopped, with a run-log entry; a date rule
// ("3 days before the contract ends") fires once per record and date value;
// "only when the condition starts to hold" fires on the crossing, not after.
let w: AutomationWorld;
const DAY = 86_400_000;

beforeAll(async () => {
  w = await automationWorld();
});
afterAll(async () => {
  await w?.close();
});

const lead = async (id: string) => (await w.t.api('GET', `/api/v1/records/sales_lead/${id}`)).body;
const update = async (id: string, values: Record<string, unknown>) => {
  const r = await w.t.api('PATCH', `/api/v1/records/sales_lead/${id}`, { ...values, version: (await lead(id)).version });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
};

describe('loop stop', () => {
  it('stops a rule that would fire on its own write, and logs it', async () => {
    const rule = await w.rule({
      name: '备注加感叹号', object: 'sales_lead', trigger: { type: 'updated', fields: ['note'] },
      actions: [{ type: 'update_record', values: { note: { formula: 'note & "!"' } } }],
    });
    const l = await w.lead({ name: '循环测试', note: 'hi' });
    await update(l.id, { note: 'hello' });
    const runs = await waitFor(async () => {
      const r = await w.runs(rule.id);
      return r.length === 2 && r.every((x) => x.finishedAt) ? r : null;
    }, 15_000, 'a run and a stop');
    expect(runs.map((r) => r.status).sort()).toEqual(['done', 'stopped']);
    const stop = runs.find((r) => r.status === 'stopped');
    expect(stop.error).toMatch(/^loop stopped: rule "备注加感叹号" would fire on a change it caused itself/);
    expect(stop.trigger.cause).toMatchObject({ source: 'rule', rules: [rule.id], depth: 1 });
    await new Promise((r) => setTimeout(r, 500));
    expect((await lead(l.id)).note).toBe('hello!');
    expect(await w.runs(rule.id)).toHaveLength(2);
  });

  it('stops a ping-pong between two rules', async () => {
    const a = await w.rule({ name: 'A: 评分变了改状态', object: 'sales_lead', trigger: { type: 'updated', fields: ['score'] }, condition: 'name = "乒乓"',
      actions: [{ type: 'update_record', values: { stage: { template: 'scored {{score}}' } } }] });
    const b = await w.rule({ name: 'B: 状态变了加分', object: 'sales_lead', trigger: { type: 'updated', fields: ['stage'] }, condition: 'name = "乒乓"',
      actions: [{ type: 'update_record', values: { score: { formula: 'score + 1' } } }] });
    const l = await w.lead({ name: '乒乓', score: 1 });
    await update(l.id, { score: 10 });
    await waitFor(async () => (await w.runs(a.id)).some((r) => r.status === 'stopped'), 15_000, 'A stopped');
    const runsA = await w.runs(a.id);
    expect(runsA.map((r) => r.status).sort()).toEqual(['done', 'stopped']);
    expect(runsA.find((r) => r.status === 'stopped').error).toContain(`${a.id.slice(-12)} → ${b.id.slice(-12)} → ${a.id.slice(-12)}`);
    expect((await w.runs(b.id)).map((r) => r.status)).toEqual(['done']);
    expect(await lead(l.id)).toMatchObject({ score: 11, stage: 'scored 10' });
  });
});

describe('becomes true', () => {
  it('fires when the condition starts to hold, not while it keeps holding', async () => {
    const rule = await w.rule({
      name: '高分线索提醒', object: 'sales_lead', trigger: { type: 'updated', fields: ['score'], becomesTrue: true }, condition: 'score >= 80 AND name = "评分"',
      actions: [{ type: 'notify', users: [w.reps.rep1], title: '{{name}} 评分达到 {{score}}' }],
    });
    const l = await w.lead({ name: '评分', score: 10 });
    for (const score of [50, 85, 90, 40, 95]) await update(l.id, { score });
    await waitFor(async () => (await w.runs(rule.id)).filter((r) => r.status === 'done').length >= 2, 15_000, 'two runs');
    await new Promise((r) => setTimeout(r, 700));
    expect((await w.runs(rule.id)).map((r) => String(r.inputs.values.score)).sort()).toEqual(['85', '95']);
    const titles = (await w.t.api('GET', '/api/v1/notifications', undefined, { token: w.tokens.rep1 })).body.data.map((n: any) => n.title);
    expect(titles.filter((x: string) => x.startsWith('评分')).sort()).toEqual(['评分 评分达到 85', '评分 评分达到 95']);
  });
});

describe('date reached', () => {
  it('fires once, 3 days before the contract ends — and again only for a new end date', async () => {
    const rule = await w.rule({
      name: '合同到期前3天', object: 'deal_contract', trigger: { type: 'date_reached', dateField: 'end_date', offset: { days: -3, at: '09:00' } },
      actions: [{ type: 'update_record', values: { reminded: { formula: 'IF(ISBLANK(reminded), 1, reminded + 1)' } } }],
    });
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const plus = (days: number) => new Date(Date.parse(`${today}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
    const c = await w.t.api('POST', '/api/v1/records/deal_contract', { title: '年度框架合同', end_date: plus(5) });
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    const deps = { db: w.t.testDb.db, store: w.t.store, url: w.t.testDb.url };
    // The moment is end_date − 3 days at 09:00 Shanghai = today + 2 days, 01:00Z.
    const moment = Date.parse(`${plus(2)}T01:00:00Z`);
    const tick = (at: number) => scheduleTick(deps, w.workers!.queue, w.t.tenant.tenantId, new Date(at), { dates: true });
    expect(await tick(moment - 60_000)).toBe(0);
    expect(await tick(moment + 60_000)).toBe(1);
    expect(await tick(moment + 120_000)).toBe(0);
    expect(await Promise.all([tick(moment + 3_600_000), tick(moment + 3_600_000)])).toEqual([0, 0]);
    await waitFor(async () => (await w.runs(rule.id)).some((r) => r.status === 'done'), 15_000, 'the run');
    const get = async () => (await w.t.api('GET', `/api/v1/records/deal_contract/${c.body.id}`)).body;
    expect((await get()).reminded).toBe(1);
    // Prolonged by a day: a new date value, a new moment, one more run.
    const r = await w.t.api('PATCH', `/api/v1/records/deal_contract/${c.body.id}`, { end_date: plus(6), version: (await get()).version });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(await tick(moment + DAY + 60_000)).toBe(1);
    expect(await tick(moment + DAY + 120_000)).toBe(0);
    await waitFor(async () => (await get()).reminded === 2, 15_000, 'second run');
    const runs = await w.runs(rule.id);
    expect(runs.map((x) => [x.status, x.trigger.kind])).toEqual([['done', 'date'], ['done', 'date']]);
    expect(runs.map((x) => x.triggerKey).sort()).toEqual([`d:${c.body.id}:${plus(5)}`, `d:${c.body.id}:${plus(6)}`]);
  });
});
