import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '@mosaic/db';
import { automationWorld, type AutomationWorld } from './automation-fixture.ts';
import { startWorkerChild, type WorkerChild } from './automation-child.ts';

// A schedule runs once per fire time with two server processes on one
// database (issue 5), and keeps running when one of them dies: the schedule
// is a rule row, and each fire time is claimed in the database.
let w: AutomationWorld;
const children: WorkerChild[] = [];

beforeAll(async () => {
  w = await automationWorld({ workers: false });
});
afterAll(async () => {
  for (const c of children) await c.kill();
  await w?.close();
});

describe('schedules with two worker processes', () => {
  it('fire once per fire time, and go on after one process is killed', async () => {
    const [a, b] = await Promise.all([startWorkerChild(w.t.testDb.url), startWorkerChild(w.t.testDb.url)]);
    children.push(a, b);
    const rule = await w.rule({
      name: '每秒打卡', trigger: { type: 'schedule', cron: '* * * * * *' },
      actions: [{ type: 'create_record', object: 'deal_contract', values: { title: { template: '{{rule.name}}' } } }],
    });
    await new Promise((r) => setTimeout(r, 4000));
    await a.kill(); // schedules must not depend on any one process
    const killedAt = new Date();
    await new Promise((r) => setTimeout(r, 2500));
    const off = await w.t.api('PATCH', `/api/v1/automation/rules/${rule.id}`, { enabled: false, version: rule.version });
    expect(off.status, JSON.stringify(off.body)).toBe(200);
    await new Promise((r) => setTimeout(r, 2000)); // the processes' rule caches expire, in-flight runs finish

    const fires = await w.sql<{ key: string; claimed_by: string; fired_at: Date }>(sql`SELECT key, claimed_by, fired_at FROM automation_fire WHERE rule_id = ${rule.id} ORDER BY key`);
    const runs = await w.runs(rule.id);
    const contracts = await w.sql<{ n: number }>(sql`SELECT count(*)::int AS n FROM o_deal_contract WHERE c_title = '每秒打卡'`);
    // About one a second for ~6.5 s — never two for the same second.
    expect(fires.length).toBeGreaterThanOrEqual(5);
    expect(fires.length).toBeLessThanOrEqual(9);
    // Every fire queued its job in the claiming transaction; a job the killed process had
    // taken but not finished is retried only when pg-boss expires it (minutes), so one
    // fire may still be without its run here — never more, and never a run without a fire.
    expect(runs.length).toBeGreaterThanOrEqual(fires.length - 1);
    expect(runs.length).toBeLessThanOrEqual(fires.length);
    const fireAt = new Set(fires.map((f) => f.key.split(':').slice(2).join(':')));
    expect(runs.every((r) => fireAt.has(r.trigger.at))).toBe(true);
    expect(runs.every((r) => r.status === 'done')).toBe(true);
    expect(new Set(runs.map((r) => r.triggerKey)).size).toBe(runs.length);
    expect(contracts[0].n).toBe(runs.length);
    const seconds = runs.map((r) => Date.parse(r.trigger.at)).sort();
    for (let i = 1; i < seconds.length; i++) expect(seconds[i] - seconds[i - 1]).toBeGreaterThanOrEqual(1000);
    // Only the two worker processes fired; after the kill, the survivor kept the schedule going alone.
    const pids = [a.proc.pid, b.proc.pid].map(String);
    expect(fires.every((f) => pids.includes(f.claimed_by.split(':').pop()!))).toBe(true);
    const after = fires.filter((f) => f.fired_at > killedAt);
    expect(after.length).toBeGreaterThanOrEqual(1);
    expect(after.every((f) => f.claimed_by.endsWith(`:${b.proc.pid}`))).toBe(true);
    // Disabled: nothing more.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await w.runs(rule.id)).toHaveLength(runs.length);
  }, 120_000); // two worker processes start first: slow on a loaded 2-core machine
});
