// bench/automation: 10,000 record creations, each matching one rule with one
// action (create a follow-up record). Two runs through `npm start`'s server
// (HTTP API + the rules engine's workers in one process, as shipped):
//   paced — creations at 500/s (bulk calls of 50 every 100 ms): does the queue keep up?
//   burst — 10,000 created as fast as the API takes them: how fast does it drain?
// Each prints events/s processed and the lag from the triggering commit to the
// action's commit (p50/p95), beside the raw baseline: the same 10,000
// follow-up rows as single INSERTs through node-postgres.
// Target (issue 5): keeps up with 500 events/s, p95 lag < 2 s.
import os from 'node:os';
import pg from 'pg';
import { benchDatabase, jsonApi, machine, round, startServer, writeResult } from './lib/bench-kit.ts';

const N = Number(process.env.BENCH_EVENTS ?? 10_000);
const RATE = Number(process.env.BENCH_RATE ?? 500);
const TICK_MS = 100;
// The machine is shared: the 1-minute load average before and while measuring says how far to trust the figures.
const loadBefore = round(os.loadavg()[0]);
const loads: number[] = [];
const loadTimer = setInterval(() => loads.push(os.loadavg()[0]), 10_000);

const database = await benchDatabase();
// BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' profiles the server under the bench's load.
const server = await startServer(database.url, { MOSAIC_ADMIN_EMAIL: 'bench@mosaic.local', MOSAIC_ADMIN_PASSWORD: 'Bench-Password-2026' },
  process.env.BENCH_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? []);
// A first start installs every module into the tenant; on a busy machine that can outlast startServer's wait.
for (let i = 0; ; i++) {
  if (await fetch(`${server.base}/healthz`).then((r) => r.ok, () => false)) break;
  if (i > 600) throw new Error('the server did not come up in 2 minutes');
  await new Promise((r) => setTimeout(r, 200));
}
const raw = new pg.Pool({ connectionString: database.url, max: 4, options: '-c search_path=mosaic' });

const api = jsonApi(server.base);

/** Waits until `n` runs of the rule are done; returns processing rate and lag percentiles from the run log. */
async function measure(ruleId: string, n: number) {
  const until = Date.now() + 10 * 60_000;
  for (;;) {
    const { rows } = await raw.query(`SELECT count(*)::int AS n, count(*) FILTER (WHERE status <> 'done')::int AS bad FROM automation_run WHERE rule_id = $1 AND finished_at IS NOT NULL`, [ruleId]);
    if (rows[0].n >= n) break;
    if (Date.now() > until) throw new Error(`only ${rows[0].n} of ${n} runs after 10 minutes`);
    await new Promise((r) => setTimeout(r, 250));
  }
  // Lag: the triggering transaction's outbox timestamp → the commit of the action's run record.
  const { rows } = await raw.query(`
    WITH lag AS (SELECT extract(epoch FROM (a.finished_at - r.event_at)) * 1000 AS ms, r.event_at, a.finished_at
                 FROM automation_run r JOIN action_run a ON a.tenant_id = r.tenant_id AND a.rule_id = r.rule_id AND a.trigger_key = r.trigger_key
                 WHERE r.rule_id = $1 AND r.status = 'done')
    SELECT count(*)::int AS n, percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50, percentile_cont(0.95) WITHIN GROUP (ORDER BY ms) AS p95, max(ms) AS max,
           extract(epoch FROM (max(finished_at) - min(event_at))) AS span_s FROM lag`, [ruleId]);
  const r = rows[0];
  return { runs: r.n, eventsPerSec: round(r.n / Number(r.span_s), 0), lagMs: { p50: round(Number(r.p50), 0), p95: round(Number(r.p95), 0), max: round(Number(r.max), 0) } };
}

try {
  const { token } = await api('POST', '/api/v1/auth/login', { email: 'bench@mosaic.local', password: 'Bench-Password-2026' });
  await api('POST', '/api/v1/meta/objects', { apiName: 'bench_lead', label: '压测线索', fields: [{ apiName: 'name', type: 'text', label: '名称' }, { apiName: 'phase', type: 'text', label: '批次' }] }, token);
  await api('POST', '/api/v1/meta/objects', { apiName: 'bench_followup', label: '压测跟进', fields: [{ apiName: 'subject', type: 'text', label: '主题' }, { apiName: 'lead_ref', type: 'text', label: '线索' }] }, token);
  const rule = (phase: string) => api('POST', '/api/v1/automation/rules', {
    name: `压测 ${phase}`, object: 'bench_lead', trigger: { type: 'created' }, condition: `phase = "${phase}"`,
    actions: [{ type: 'create_record', object: 'bench_followup', values: { subject: { template: '跟进 {{name}}' }, lead_ref: { template: '{{id}}' } } }],
  }, token);
  const rows = (phase: string, from: number, n: number) => Array.from({ length: n }, (_, i) => ({ name: `线索-${from + i}`, phase }));

  // 1. Paced: RATE creations a second.
  const paced = await rule('paced');
  const perTick = Math.round((RATE * TICK_MS) / 1000);
  const t0 = Date.now();
  const calls: Promise<unknown>[] = [];
  for (let sent = 0, tick = 0; sent < N; sent += perTick, tick++) {
    const wait = t0 + tick * TICK_MS - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    calls.push(api('POST', '/api/v1/records/bench_lead/bulk', { records: rows('paced', sent, Math.min(perTick, N - sent)) }, token));
  }
  await Promise.all(calls);
  const offeredRate = round(N / ((Date.now() - t0) / 1000), 0);
  const pacedResult = await measure(paced.id, N);

  // 2. Burst: everything at once (bulk calls of 1,000, two at a time), then drain.
  const burst = await rule('burst');
  let next = 0;
  const sender = async () => {
    while (next < N) {
      const from = next;
      next += 1000;
      await api('POST', '/api/v1/records/bench_lead/bulk', { records: rows('burst', from, Math.min(1000, N - from)) }, token);
    }
  };
  await Promise.all([sender(), sender()]);
  const burstResult = await measure(burst.id, N);

  // 3. Raw baseline: the action's effect alone — N single-row INSERTs of follow-ups, 4 at a time.
  const { rows: [t] } = await raw.query(`SELECT tenant_id FROM tenant LIMIT 1`);
  let k = 0;
  const rt0 = performance.now();
  await Promise.all(Array.from({ length: 4 }, async () => {
    while (k < N) {
      const i = k++;
      await raw.query(`INSERT INTO o_bench_followup (tenant_id, id, c_subject, c_lead_ref) VALUES ($1, gen_random_uuid(), $2, $3)`, [t.tenant_id, `跟进 线索-${i}`, String(i)]);
    }
  }));
  const rawRate = round(N / ((performance.now() - rt0) / 1000), 0);

  const report = {
    machine: { ...machine(), loadAverage1mBefore: loadBefore, loadAverage1mDuring: loads.length ? { min: round(Math.min(...loads)), max: round(Math.max(...loads)) } : null },
    events: N,
    size: N === 10_000 ? 'the issue\'s 10,000' : `BENCH_EVENTS=${N} (the issue asks 10,000; a smaller run on the shared machine)`,
    rule: 'created → condition → create_record (one follow-up per lead)',
    paced: { offeredEventsPerSec: offeredRate, ...pacedResult, meetsTarget: pacedResult.eventsPerSec >= 0.95 * RATE && pacedResult.lagMs.p95 < 2000 },
    burst: burstResult,
    raw: { insertsPerSec: rawRate, note: 'the action\'s effect alone: single-row INSERTs of the follow-up, 4 connections' },
    ratioBurstToRaw: round(burstResult.eventsPerSec / rawRate, 2),
    // The machine is shared: the ratio to the raw baseline of the same run travels between loads, the absolute rate does not.
    ratioPacedToRaw: round(pacedResult.eventsPerSec / rawRate, 2),
    target: { eventsPerSec: RATE, lagP95Ms: 2000 },
  };
  console.log('\nautomation benchmark');
  console.log(`paced  ${offeredRate}/s offered: processed ${pacedResult.eventsPerSec} events/s, lag p50 ${pacedResult.lagMs.p50} ms, p95 ${pacedResult.lagMs.p95} ms, max ${pacedResult.lagMs.max} ms → ${report.paced.meetsTarget ? 'meets target' : 'MISSES target'} (≥ ${RATE}/s, p95 < 2000 ms)`);
  console.log(`burst  ${N} at once: processed ${burstResult.eventsPerSec} events/s, lag p50 ${burstResult.lagMs.p50} ms, p95 ${burstResult.lagMs.p95} ms (backlog drain)`);
  console.log(`raw    ${rawRate} INSERTs/s of the action's effect → paced/raw ${report.ratioPacedToRaw}, burst/raw ${report.ratioBurstToRaw}`);
  console.log(`written to ${writeResult('automation', report)}`);
} finally {
  clearInterval(loadTimer);
  await raw.end();
  await server.stop();
  await database.stop();
}
