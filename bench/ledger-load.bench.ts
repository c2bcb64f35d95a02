// bench/ledger-load: the ledger invariants at full size (issue 9, "What it must show").
// The suite runs the same checks small (modules/finance/test/ledger-load.int.test.ts and
// ledger-crash.int.test.ts); this runs them at the size the issue names, through HTTP against
// a real server process:
//
//   1. load:  BENCH_LEDGER_DOCS (20,000) acknowledged documents — sales invoices in CNY and USD,
//      payments allocating them (clients race for the same invoices), credit notes, expense
//      vouchers, payment cancellations — across 2 companies by BENCH_CLIENTS (8) concurrent
//      clients; then every invariant of ledgerViolations, and every acknowledged document present.
//   2. crash: the same workload on, with the server SIGKILLed at a random moment every few
//      seconds and restarted, BENCH_LEDGER_KILLS (20) times, until BENCH_CRASH_DOCS more documents
//      are acknowledged; then the same checks.
//
// It is an invariant run, not a speed race: there is no raw-SQL baseline for "the books
// balance"; the figures printed are the counts, the throughput and the violations (all 0).
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { freePort, openDatabase } from '@mosaic/db';
import { MetaStore } from '@mosaic/meta';
import { createTenant } from '@mosaic/identity';
import { installModules } from '@mosaic/server';
import { ledgerViolations } from '../modules/finance/test/ledger-invariants.ts';
import { ledgerStep, mulberry32, type LoadCompany } from '../modules/finance/test/ledger-workload.ts';
import { benchDatabase, machine, round, timed, writeResult } from './lib/bench-kit.ts';

const DOCS = Number(process.env.BENCH_LEDGER_DOCS ?? 20_000);
const CRASH_DOCS = Number(process.env.BENCH_CRASH_DOCS ?? 20_000);
const KILLS = Number(process.env.BENCH_LEDGER_KILLS ?? 20);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 8);
// A time budget for the load phase (seconds; default none): on a shared, saturated machine the
// full 20,000 may not fit — the run then stops at the budget and the result says reducedSize.
const LOAD_SECONDS = Number(process.env.BENCH_LEDGER_LOAD_SECONDS ?? Infinity);
const ADMIN = { email: 'ledger-bench@mosaic.local', password: 'Bench-Password-2026' };
// The crash test's server: buildApp in its own process, "ready" once it listens — no module
// install on start, so a restart after a SIGKILL takes seconds (the modules are installed here).
const CHILD = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../modules/finance/test/finance-server.child.ts');

const database = await benchDatabase();
const db = openDatabase(database.url, { appPoolSize: 2 });
const store = new MetaStore(db.app);
const raw = new pg.Pool({ connectionString: database.url, max: 2, options: '-c search_path=mosaic' });

interface Server { base: string; child: ChildProcess; stop(): Promise<void> }
async function startServer(): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], { env: { ...process.env, DATABASE_URL: database.url, PORT: String(port), LOG_LEVEL: 'error' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 5 minutes:\n${out}`)), 300_000);
    child.stdout!.on('data', () => { if (/^ready$/m.test(out)) { clearTimeout(timer); resolve(); } });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited (${code}):\n${out}`)); });
  });
  return {
    base: `http://127.0.0.1:${port}`,
    child,
    async stop() {
      if (child.exitCode !== null || child.signalCode) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

const tenant = await createTenant(db, { name: '账簿压测', companyName: '压测公司', adminEmail: ADMIN.email, adminPassword: ADMIN.password });
await installModules(db, store, [tenant.tenantId]);
let server = await startServer();

type Company = LoadCompany;
/** Every document the API answered 200 to: submitted ones must be submitted, cancelled ones cancelled. */
const acknowledged: { object: string; id: string; status: 'submitted' | 'cancelled' }[] = [];

async function call(token: string, method: string, url: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${server.base}${url}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), authorization: `Bearer ${token}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

async function ok(token: string, method: string, url: string, body?: unknown): Promise<any> {
  const r = await call(token, method, url, body);
  if (r.status >= 300) throw new Error(`${method} ${url} → ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

async function login(email: string, password: string): Promise<string> {
  const res = await fetch(`${server.base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  const body = await res.json();
  if (!res.ok) throw new Error(`login ${email}: ${JSON.stringify(body)}`);
  return body.token as string;
}

/** Two companies, each with customers, an item, a USD rate; the second company's chart comes from installing the modules again (as on a restart). */
async function setUp(): Promise<Company[]> {
  const admin = await login(ADMIN.email, ADMIN.password);
  const second = await ok(admin, 'POST', '/api/v1/admin/companies', { name: '第二公司' });
  await ok(admin, 'POST', '/api/v1/admin/users', { email: 'second@mosaic.local', name: '第二公司管理员', password: ADMIN.password, companyId: second.id, isAdmin: true });
  await installModules(db, store, [tenant.tenantId]);
  const companies: Company[] = [];
  for (const [n, email] of [ADMIN.email, 'second@mosaic.local'].entries()) {
    const token = await login(email, ADMIN.password);
    const customers = [];
    for (let i = 0; i < 6; i++) customers.push((await ok(token, 'POST', '/api/v1/records/customer', { name: `压测客户${n}-${i}` })).id);
    const item = (await ok(token, 'POST', '/api/v1/records/item', { code: `LL${n}`, name: `压测商品${n}` })).id;
    await ok(token, 'POST', '/api/v1/records/currency_rate', { currency: 'USD', rate_date: '2026-01-01', rate: '7.10' });
    const accounts = await ok(token, 'GET', '/api/v1/records/gl_account?pageSize=200&fields=code');
    companies.push({ token, acct: Object.fromEntries(accounts.data.map((a: any) => [a.code, a.id])), customers, item, invoices: [] });
  }
  return companies;
}

/**
 * One client: a seeded stream of documents until `done()`. A request that fails because the
 * server died is simply not acknowledged; the client waits for the next server and goes on.
 */
async function client(companies: Company[], seed: number, done: () => boolean, counts: { ok: number; refused: number; lost: number }): Promise<void> {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  while (!done()) {
    const c = pick(companies);
    const api = (m: string, u: string, b?: unknown) => call(c.token, m, u, b);
    const day = `2026-${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}`;
    const submit = async (object: string, body: Record<string, unknown>): Promise<string | null> => {
      const r = await api('POST', `/api/v1/records/${object}`, body);
      if (r.status >= 500) throw new Error(`${object}: ${r.status} ${JSON.stringify(r.body)}`);
      if (r.status !== 201) { counts.refused++; return null; }
      const s = await api('POST', `/api/v1/records/${object}/${r.body.id}/submit`, { version: 1 });
      if (s.status >= 500) throw new Error(`${object} submit: ${s.status} ${JSON.stringify(s.body)}`);
      if (s.status !== 200) { counts.refused++; return null; }
      counts.ok++;
      acknowledged.push({ object, id: r.body.id, status: 'submitted' });
      return r.body.id as string;
    };
    try {
      const cancel = await ledgerStep(rnd, c, day, api, submit, 0.03);
      if (cancel?.cancelled) { counts.ok++; acknowledged.push({ object: 'payment', id: cancel.cancelled, status: 'cancelled' }); }
      if (cancel?.refused) counts.refused++;
    } catch (e) {
      // fetch failed: the server was killed under this request — not acknowledged, try again on the next one.
      if (!(e instanceof TypeError && e.message === 'fetch failed')) throw e;
      counts.lost++;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** The invariants and the acknowledged documents' presence: every figure must be 0. */
async function check(tenantId: string) {
  const violations = await ledgerViolations(db, tenantId);
  const latest = new Map<string, string>();
  for (const a of acknowledged) latest.set(`${a.object}:${a.id}`, a.status);
  let missing = 0;
  for (const object of ['sales_invoice', 'payment', 'credit_note', 'journal_entry']) {
    const want = [...latest].filter(([k]) => k.startsWith(`${object}:`)).map(([k, s]) => ({ id: k.slice(object.length + 1), s }));
    const found = await raw.query(`SELECT id::text, status FROM o_${object} WHERE id = ANY($1::uuid[])`, [want.map((w) => w.id)]);
    const status = new Map(found.rows.map((r) => [r.id, r.status]));
    // an acknowledged submission may have been cancelled later (by an acknowledged cancel)
    missing += want.filter((w) => status.get(w.id) !== w.s).length;
  }
  const docs = await raw.query(`SELECT (SELECT count(*) FROM o_journal_entry WHERE status <> 'draft')::int AS vouchers, (SELECT count(*) FROM o_gl_entry)::int AS entries,
    (SELECT count(DISTINCT company_id) FROM o_gl_entry)::int AS companies, (SELECT count(DISTINCT COALESCE(c_currency, 'CNY')) FROM o_gl_entry)::int AS currencies`);
  return { violations, acknowledgedMissing: missing, ...docs.rows[0] };
}

try {
  const companies = await setUp();
  const tenantId = tenant.tenantId;

  // 1. load
  const load = { ok: 0, refused: 0, lost: 0 };
  const loadEnds = Date.now() + LOAD_SECONDS * 1000;
  const [loadMs] = await timed(() => Promise.all(Array.from({ length: CLIENTS }, (_, i) => client(companies, 1000 + i, () => load.ok >= DOCS || Date.now() > loadEnds, load))));
  const afterLoad = await check(tenantId);
  console.log(`load: ${load.ok} acknowledged (${load.refused} refused) by ${CLIENTS} clients in ${round(loadMs / 1000, 1)} s → ${round(load.ok / (loadMs / 1000))} docs/s`);
  console.log('  checks', JSON.stringify(afterLoad));

  // 2. crash: SIGKILL at random moments, restart, KILLS times, until CRASH_DOCS more are acknowledged.
  const crash = { ok: 0, refused: 0, lost: 0 };
  let kills = 0;
  const restartSeconds: number[] = [];
  const rnd = mulberry32(99);
  const [crashMs] = await timed(async () => {
    const killer = (async () => {
      while (kills < KILLS || crash.ok < CRASH_DOCS) {
        await new Promise((r) => setTimeout(r, 2000 + rnd() * 8000));
        if (kills >= KILLS) break;
        server.child.kill('SIGKILL');
        await new Promise((r) => (server.child.exitCode !== null || server.child.signalCode ? r(null) : server.child.once('exit', r)));
        kills++;
        const [ms, next] = await timed(() => startServer());
        server = next;
        restartSeconds.push(round(ms / 1000, 1));
        console.log(`  kill ${kills}: ${crash.ok} acknowledged so far, back up in ${round(ms / 1000, 1)} s`);
      }
    })();
    await Promise.all([killer, ...Array.from({ length: CLIENTS }, (_, i) => client(companies, 5000 + i, () => kills >= KILLS && crash.ok >= CRASH_DOCS, crash))]);
  });
  const afterCrash = await check(tenantId);
  console.log(`crash: ${kills} SIGKILLs, ${crash.ok} acknowledged, ${crash.lost} requests lost with the server, in ${round(crashMs / 1000, 1)} s`);
  console.log('  checks', JSON.stringify(afterCrash));

  const clean = (c: typeof afterLoad) => c.acknowledgedMissing === 0 && Object.values(c.violations).every((v) => v === 0);
  const file = writeResult('ledger-load', {
    name: 'ledger-load', clients: CLIENTS, companies: 2, currencies: ['CNY', 'USD'],
    target: { documents: DOCS, kills: KILLS, crashDocuments: CRASH_DOCS }, reducedSize: load.ok < 20_000 || kills < 20,
    load: { acknowledged: load.ok, refused: load.refused, seconds: round(loadMs / 1000, 1), docsPerSec: round(load.ok / (loadMs / 1000)), checks: afterLoad, invariantsHold: clean(afterLoad) },
    crash: { kills, acknowledged: crash.ok, refused: crash.refused, lostWithServer: crash.lost, seconds: round(crashMs / 1000, 1), restartSeconds, checks: afterCrash, invariantsHold: clean(afterCrash) },
    machine: machine(),
  });
  console.log(`written ${file}`);
  if (!clean(afterLoad) || !clean(afterCrash)) process.exitCode = 1;
} finally {
  await raw.end();
  await db.close();
  await server.stop();
  await database.stop();
}
