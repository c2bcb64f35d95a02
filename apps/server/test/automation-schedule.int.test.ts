import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '@mosaic/db';
import { automationWorld, waitFor, type AutomationWorld } from './automation-fixture.ts';
import { startWorkerChild, type WorkerChild } from './automation-child.ts';

// A schedule runs once per fire time with two server processes on one
// database (issue 5), and keeps running when one of them dies: the schedule
// is a rule row, and each fire time is claimed in the database. A run the
// killed process had taken comes back when its job lease runs out (2 s here;
// 20 s by default, MOSAIC_JOB_LEASE_SECONDS), not after the job's expiry.
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
    const env = { MOSAIC_JOB_LEASE_SECONDS: '2', MOSAIC_JOB_MAINTENANCE_SECONDS: '1', MOSAIC_JOB_RETRY_DELAY_SECONDS: '1' };
    const [a, b] = await Promise.all([startWorkerChild(w.t.testDb.url, env), startWorkerChild(w.t.testDb.url, env)]);
    children.push(a, b);
    const rule = await w.rule({
      name: '每秒打卡', trigger: { type: 'schedule', cron: '* * * * * *' },
      actions: [{ type: 'create_record', object: 'deal_contract', values: { title: { template: '{{rule.name}}' } } }],
    });
    await new Promise((r) => setTimeout(r, 4000));
    await a.kill(); // schedules must not depend on any one process
    const killedAt = new Date();
    // Every fire claimed before the kill gets its run done — those the killed process held
    // too, once their lease has run out (lease 2 s, maintenance 1 s, retry delay 1-2 s; the
    // job's expiry is 300 s, far past this wait) — while the survivor keeps firing.
    const beforeKill = await w.sql<{ key: string }>(sql`SELECT key FROM automation_fire WHERE rule_id = ${rule.id} AND fired_at <= ${killedAt}`);
    const runKey = (fireKey: string) => `s:${fireKey.split(':').slice(2).join(':')}`; // s:<rule>:<at> → s:<at>
    await waitFor(async () => {
      const done = new Set((await w.runs(rule.id)).filter((r) => r.status === 'done').map((r) => r.triggerKey));
      return beforeKill.every((f) => done.has(runKey(f.key)));
    }, 30_000, 'a done run for every fire before the kill');
    await new Promise((r) => setTimeout(r, Math.max(0, 8000 - (Date.now() - killedAt.getTime()))));
    const off = await w.t.api('PATCH', `/api/v1/automation/rules/${rule.id}`, { enabled: false, version: rule.version });
    expect(off.status, JSON.stringify(off.body)).toBe(200);
    await new Promise((r) => setTimeout(r, 2000)); // the processes' rule caches expire, in-flight runs finish

    const fires = await w.sql<{ key: string; claimed_by: string; fired_at: Date }>(sql`SELECT key, claimed_by, fired_at FROM automation_fire WHERE rule_id = ${rule.id} ORDER BY key`);
    // About one a second for 12 s or more — never two for the same second (below).
    expect(fires.length).toBeGreaterThanOrEqual(9);
    // Every fire queued its job in the claiming transaction: every fire gets one line in the
    // rule's history. Done, or — a job that reached a worker after the rule was turned off
    // (a loaded machine, right at the PATCH) — skipped, saying why.
    const runs = await waitFor(async () => {
      const r = await w.runs(rule.id);
      return r.length >= fires.length && r.every((x) => x.status !== 'running') ? r : null;
    }, 15_000, 'a run for every fire');
    expect(runs).toHaveLength(fires.length);
    const done = runs.filter((r) => r.status === 'done');
    for (const r of runs.filter((x) => x.status !== 'done')) expect(r).toMatchObject({ status: 'skipped', error: 'the rule was turned off before this run started' });
    expect(done.length).toBeGreaterThanOrEqual(beforeKill.length);
    const contracts = await w.sql<{ n: number }>(sql`SELECT count(*)::int AS n FROM o_deal_contract WHERE c_title = '每秒打卡'`);
    const fireKeys = new Set(fires.map((f) => runKey(f.key)));
    expect(runs.every((r) => fireKeys.has(r.triggerKey) && r.triggerKey === `s:${r.trigger.at}`)).toBe(true);
    expect(new Set(runs.map((r) => r.triggerKey)).size).toBe(runs.length);
    expect(contracts[0].n).toBe(done.length);
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
