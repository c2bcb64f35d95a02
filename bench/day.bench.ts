// bench/day: a simulated business day of an SME against 2 API processes and 1 worker.
//
// 50 concurrent users in the proportions of a real SME (25 sales reps: customers,
// items and stock, quotes, orders; 8 warehouse keepers: deliveries; 7 accountants:
// invoices, customer receipts, receivables; 5 managers: the dashboard, aggregates,
// aging; 5 sales managers: lists and a CSV export), each in a default role, with
// think times, for DAY_MINUTES (default 10), through HTTP spread over two
// `--role api` processes with a `--role worker` beside them on one embedded
// PostgreSQL. Prints throughput and p50/p95/p99 per operation and the errors.
// Then the same with faults: one process (the two APIs, then the worker) SIGKILLed and restarted every
// DAY_KILL_EVERY_S (60) seconds, and every connection of the application to the
// database terminated twice (pg_terminate_backend). Clients retry on connection
// errors and 5xx, writes with the same Idempotency-Key. After each run: no
// acknowledged write lost, every voucher balanced, stock ledger = balance table,
// no document twice for one key, no document posted twice (bench/day/verify.ts).
// Beside it, the raw-PostgreSQL baseline: the same number of equivalent statements
// from 50 node-postgres connections (bench/day/baseline.ts).
// Sizes: DAY_MINUTES (10), DAY_USERS (50: the proportions scale), DAY_THINK_MS (3000),
// DAY_FAULTS=0 skips the fault run, DAY_KILL_EVERY_S (60), DAY_RESULT (day: bench/results/<name>.json).
import os from 'node:os';
import pg from 'pg';
import { benchDatabase, machine, round, writeResult } from './lib/bench-kit.ts';
import { rawBaseline, kindOf } from './day/baseline.ts';
import { Metrics, type Ack } from './day/client.ts';
import { Cluster } from './day/cluster.ts';
import { seed, type World } from './day/seed.ts';
import { runDay } from './day/users.ts';
import { verify } from './day/verify.ts';

const MINUTES = Number(process.env.DAY_MINUTES ?? 10);
const USERS = Number(process.env.DAY_USERS ?? 50);
const CALM_MINUTES = Number(process.env.DAY_CALM_MINUTES ?? MINUTES); // while developing: a short calm run before the faults
const KILL_EVERY_S = Number(process.env.DAY_KILL_EVERY_S ?? 60);
const FAULTS = process.env.DAY_FAULTS !== '0';
// A shorter fault-focused run writes beside the full calm run rather than over it (e.g. DAY_RESULT=day-faults).
const RESULT = process.env.DAY_RESULT ?? 'day';
const TARGET_P95_MS = 300;
const NOT_INTERACTIVE = new Set(['export.customers']); // a file download, not a screen

const database = await benchDatabase();
const t0 = performance.now();
const log = (line: string) => console.log(`[${round((performance.now() - t0) / 1000, 0)} s] ${line}`);
const cluster = new Cluster(database.url, {}, log);
const su = new pg.Pool({ connectionString: database.url, max: 2, application_name: 'day-bench', options: '-c search_path=mosaic,public' });
su.on('error', () => {}); // an idle connection of ours may be cut too when the app's are dropped
const loads: number[] = [];
const loadTimer = setInterval(() => loads.push(os.loadavg()[0]), 15_000);

async function dropAppConnections(): Promise<number> {
  const r = await su.query(`SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) AS n FROM pg_stat_activity
    WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend' AND application_name <> 'day-bench'`);
  return Number(r.rows[0].n);
}

async function day(world: World, faults: boolean, minutes: number) {
  const metrics = new Metrics();
  const acks: Ack[] = [];
  const since = (await su.query('SELECT now() AS t')).rows[0].t as Date;
  const ms = minutes * 60_000;
  const events: string[] = [];
  const started = performance.now();
  const stamp = () => `${round((performance.now() - started) / 1000, 0)} s`;
  let stopFaults = () => {};
  const faultsDone = faults ? (async () => {
    let stopped = false;
    stopFaults = () => (stopped = true);
    const drops = [ms / 3, (2 * ms) / 3];
    let nextKill = KILL_EVERY_S * 1000;
    let victim = 0;
    while (!stopped && performance.now() - started < ms) {
      const t = performance.now() - started;
      if (drops.length && t >= drops[0]) {
        drops.shift();
        events.push(`${stamp()}: terminated ${await dropAppConnections()} database connections of the application`);
        log(events.at(-1)!);
      } else if (t >= nextKill) {
        nextKill += KILL_EVERY_S * 1000;
        // The API processes in turn, and the worker after them: its start-up install then meets live traffic too.
        const victims = [...cluster.apis, cluster.worker];
        const slot = victims[victim++ % victims.length];
        const pid = slot.child?.pid;
        const at = stamp();
        const down = await cluster.killAndRestart(slot);
        events.push(`${at}: SIGKILL ${slot.role}:${slot.port} (pid ${pid}), back in ${round(down / 1000, 1)} s`);
        log(events.at(-1)!);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  })() : Promise.resolve();
  const progress = setInterval(() => log(`${faults ? 'faults' : 'calm'}: ${metrics.report((performance.now() - started) / 1000).operations} operations, ${[...metrics.errors.values()].reduce((a, b) => a + b, 0)} errors, ${metrics.retries} retries`), 30_000);
  await runDay(cluster, world, metrics, acks, ms);
  clearInterval(progress);
  log(`${faults ? 'faults' : 'calm'}: the day is over; verifying`);
  stopFaults();
  await faultsDone;
  const seconds = (performance.now() - started) / 1000;
  const checks = await verify(su, acks, since);
  return { report: metrics.report(seconds), acknowledged: { creates: acks.filter((a) => a.kind === 'create').length, submits: acks.filter((a) => a.kind === 'submit').length }, checks, events };
}

function print(title: string, r: Awaited<ReturnType<typeof day>>, raw?: Awaited<ReturnType<typeof rawBaseline>>) {
  console.log(`\n== ${title}: ${r.report.operations} operations in ${r.report.seconds} s (${r.report.perSecond}/s), errors ${r.report.errors}, retries ${r.report.retries}, unknown outcomes ${r.report.unknownOutcomes}`);
  console.log('operation              n    /min    p50    p95    p99  errors   raw p50  raw p95');
  for (const [op, s] of Object.entries(r.report.perOp)) {
    const b = raw?.perOp[op];
    const cell = (v: number | null | undefined, w = 7) => String(v ?? '-').padStart(w);
    console.log(`${op.padEnd(20)}${cell(s.n, 5)}${cell(s.perMin)}${cell(s.p50)}${cell(s.p95)}${cell(s.p99)}${cell(s.errors, 8)}${cell(b?.p50, 10)}${cell(b?.p95, 9)}`);
  }
  for (const e of r.events) console.log(`  fault: ${e}`);
  for (const e of r.report.errorSamples.slice(0, 10)) console.log(`  error: ${e}`);
  console.log(`  checks: ${JSON.stringify(r.checks)}`);
}

try {
  const loadBefore = os.loadavg()[0];
  const [startMs] = [performance.now()];
  await cluster.start();
  log('cluster up');
  const startupS = round((performance.now() - startMs) / 1000, 1);
  const world = await seed(cluster, USERS / 50);
  console.log(`cluster up in ${startupS} s (2 api + 1 worker); seeded ${world.items.length} items, ${world.users.length} users, ${world.users.reduce((n, u) => n + u.customers.length, 0)} customers`);

  const calm = await day(world, false, CALM_MINUTES);
  const counts = Object.fromEntries(Object.entries(calm.report.perOp).map(([op, s]) => [op, s.n]));
  const raw = await rawBaseline(database.url, counts, USERS);
  print(`${CALM_MINUTES} min, no faults`, calm, raw);
  console.log(`raw baseline: ${raw.operations} equivalent statement groups from ${raw.connections} pg connections in ${raw.seconds} s (${raw.perSecond}/s)`);
  // Written now too, so a run cut short still leaves its calm half.
  writeResult(RESULT, { bench: 'day', partial: 'calm run only', machine: machine(), calm, rawBaseline: raw });
  const faulty = FAULTS ? await day(world, true, MINUTES) : null;
  if (faulty) print(`${MINUTES} min, faults`, faulty);
  const crashes = [...cluster.apis, cluster.worker].map((s) => ({ process: `${s.role}:${s.port}`, killedAndRestarted: s.restarts, crashedByItself: s.crashes, failedStarts: s.failedStarts }));
  console.log(`processes: ${JSON.stringify(crashes)}`);

  const interactive = (r: Awaited<ReturnType<typeof day>>) => Object.entries(r.report.perOp).filter(([op]) => !NOT_INTERACTIVE.has(op));
  const targets = {
    p95Under300msEveryInteractiveOp: interactive(calm).every(([, s]) => s.p95 !== null && s.p95 < TARGET_P95_MS),
    slowInteractiveOps: interactive(calm).filter(([, s]) => s.p95 === null || s.p95 >= TARGET_P95_MS).map(([op, s]) => `${op} p95 ${s.p95} ms`),
    zeroErrorsWithoutFaults: calm.report.errors === 0,
    noLostOrDuplicatedEffectsWithFaults: faulty ? Object.values(faulty.checks).every((n) => n === 0) : null,
    calmChecksAllZero: Object.values(calm.checks).every((n) => n === 0),
  };
  console.log(`\ntargets: ${JSON.stringify(targets)}`);
  const file = writeResult(RESULT, {
    bench: 'day', machine: { ...machine(), loadAverage1mBefore: round(loadBefore), loadAverage1mDuring: loads.length ? { min: round(Math.min(...loads)), max: round(Math.max(...loads)), mean: round(loads.reduce((a, b) => a + b, 0) / loads.length) } : null },
    setup: { apiProcesses: 2, workers: 1, users: world.users.length, byPersona: Object.fromEntries(['rep', 'warehouse', 'finance', 'manager', 'misc'].map((p) => [p, world.users.filter((u) => u.role === p).length])),
      minutes: { calm: CALM_MINUTES, faults: MINUTES }, thinkMs: Number(process.env.DAY_THINK_MS ?? 3000), items: world.items.length, customers: world.users.reduce((n, u) => n + u.customers.length, 0), clusterStartupS: startupS,
      faults: FAULTS ? `SIGKILL + restart of one process every ${KILL_EVERY_S} s (api, api, worker in turn); all app DB connections terminated at 1/3 and 2/3 of the run` : 'skipped' },
    calm, faults: faulty, processes: crashes, rawBaseline: { ...raw, kinds: Object.fromEntries(Object.keys(counts).map((op) => [op, kindOf(op)])) }, targets,
  });
  console.log(`wrote ${file}`);
} finally {
  clearInterval(loadTimer);
  await cluster.stop().catch(() => {});
  await su.end().catch(() => {});
  await database.stop();
}
