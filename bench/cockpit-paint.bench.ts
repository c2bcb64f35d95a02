// bench/cockpit-paint: the cockpit (经营驾驶舱) on the demo company's history,
// opened in Chromium through playwright-core: time from navigation until every
// widget shows its chart (no skeleton left) — the first paint a manager waits
// for. Beside it, in the same run: the dashboard data API alone (HTTP), and
// "engineSqlDirect" — each widget's statement as the report engine compiles it
// (reportSql), run one after another through node-postgres as the owner, with
// no HTTP, guard or JSON. It is NOT hand-written SQL (bench/reports compares the
// engine with hand-written SQL); it shows how much of the paint is the database.
// Each sample's waterfall (Resource Timing: page, scripts, API calls, from the
// navigation's start, and when the widgets were all drawn) says where the rest goes.
// Target (issue 6): the cockpit's first paint under 1 s on the demo data.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { inTenantTx, openDatabase } from '@mosaic/db';
import { MetaStore } from '@mosaic/meta';
import { loadActor } from '@mosaic/identity';
import { guardFor } from '@mosaic/access';
import { getDashboardOrThrow, getReportOrThrow, reportSql } from '@mosaic/reporting';
import type { RecordsCtx } from '@mosaic/records';
import buildWeb from '../apps/web/e2e/build-web.ts';
import { launchBrowser, logIn } from '../apps/web/e2e/browser.ts';
import { benchDatabase, machine, round, startServer, summary, timed, writeResult } from './lib/bench-kit.ts';

const MONTHS = Number(process.env.BENCH_DEMO_MONTHS ?? 12);
const ORDERS = Number(process.env.BENCH_DEMO_ORDERS ?? 20);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 10);
const EMAIL = 'bench@mosaic.local';
const PASSWORD = 'Bench-Password-2026';
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

buildWeb();
const database = await benchDatabase();
// The demo history, as `npm run seed:demo` writes it (not measured).
const [seedMs, seeded] = await timed(async () => spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'apps/server/src/main.ts'), 'seed-demo', '--months', String(MONTHS), '--orders-per-month', String(ORDERS)], {
  cwd: root, env: { ...process.env, DATABASE_URL: database.url, MOSAIC_ADMIN_EMAIL: EMAIL, MOSAIC_ADMIN_PASSWORD: PASSWORD, LOG_LEVEL: 'warn' }, encoding: 'utf8',
}));
if (seeded.status !== 0) throw new Error(`seed-demo failed: ${seeded.stdout}\n${seeded.stderr}`);
const server = await startServer(database.url, { MOSAIC_ADMIN_EMAIL: EMAIL, MOSAIC_ADMIN_PASSWORD: PASSWORD, MOSAIC_ROLE: 'api' });
const raw = new pg.Pool({ connectionString: database.url, max: 1, options: '-c search_path=mosaic,public' });
const db = openDatabase(database.url, { appPoolSize: 2 });
const browser = await launchBrowser();

try {
  const login = await (await fetch(`${server.base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: EMAIL, password: PASSWORD }) })).json();
  const auth = { authorization: `Bearer ${login.token}` };
  const cockpit = await (await fetch(`${server.base}/api/v1/dashboards/cockpit`, { method: 'POST', headers: auth })).json();

  // The raw baseline: each widget's compiled statement, run as the owner (no RLS, no engine).
  const store = new MetaStore(db.app);
  const me = (await (await fetch(`${server.base}/api/v1/auth/me`, { headers: auth })).json()).user;
  const { tenantId, userId } = { tenantId: me.tenantId as string, userId: me.id as string };
  const actor = (await inTenantTx(db.app, { tenantId, userId }, (tx) => loadActor(tx, tenantId, userId)))!.actor;
  const ctx: RecordsCtx = { db, store, guard: await guardFor(db, store, actor) };
  const dash = await getDashboardOrThrow(ctx, cockpit.id);
  const statements: { sql: string; parameters: readonly unknown[] }[] = [];
  for (const w of dash.widgets) {
    const definition = w.reportId ? (await getReportOrThrow(ctx, w.reportId)).definition : w.definition;
    statements.push(await reportSql(ctx, definition, (w.params ?? {}) as never));
  }
  const rawAll = async () => {
    const c = await raw.connect();
    try {
      await c.query(`SELECT set_config('mosaic.tenant_id', $1, false)`, [tenantId]); // for SQL functions that read it
      for (const s of statements) await c.query(s.sql, [...s.parameters]);
    } finally {
      c.release();
    }
  };
  const apiData = () => fetch(`${server.base}/api/v1/dashboards/${cockpit.id}/data`, { headers: auth }).then((r) => r.json());

  const page = browser.page;
  page.setDefaultTimeout(60_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && pageErrors.push(m.text()));
  await logIn(page, { base: server.base, email: EMAIL, password: PASSWORD }, '/dashboards');
  const widgets = dash.widgets.length;
  const n = () => widgets;
  type Step = { name: string; start: number; end: number };
  const waterfalls: { ms: number; steps: Step[] }[] = [];
  const paint = async () => {
    const [ms] = await timed(async () => {
      await page.goto(`${server.base}/dashboards/${cockpit.id}`);
      await page.waitForFunction((n) => {
        const cards = document.querySelectorAll('[data-testid="widget"]');
        const done = cards.length >= n && [...cards].every((c) => !c.querySelector('.ant-skeleton'));
        if (done) (window as unknown as { $painted: number }).$painted = performance.now();
        return done;
      }, widgets, { polling: 'raf' }).catch(async (e) => {
        const state = await page.evaluate(() => ({ url: location.href, cards: document.querySelectorAll('[data-testid="widget"]').length, loading: document.querySelectorAll('[data-testid="widget"] .ant-skeleton').length }));
        await page.screenshot({ path: path.join(root, 'test-output', 'cockpit-paint-timeout.png'), fullPage: true });
        throw new Error(`the cockpit did not paint: ${JSON.stringify(state)} (of ${n()} widgets); page errors: ${pageErrors.join(' | ').slice(0, 2000)}; ${(e as Error).message}`);
      });
    });
    // Where the time went, from the navigation's start (performance.timeOrigin); index-3f9a1c2d.js → index.js.
    // (No named helper functions inside evaluate: tsx would wrap them in a __name() the page does not have.)
    const steps = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const res = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).map((e) => ({ name: new URL(e.name).pathname.replace(/-[\w-]{8}\.(js|css)$/, '.$1'), start: Math.round(e.startTime), end: Math.round(e.responseEnd) }));
      return [
        { name: 'document', start: 0, end: Math.round(nav.responseEnd) },
        { name: 'domContentLoaded', start: Math.round(nav.domContentLoadedEventStart), end: Math.round(nav.domContentLoadedEventEnd) },
        ...res,
        { name: 'all widgets drawn', start: Math.round((window as unknown as { $painted: number }).$painted), end: Math.round((window as unknown as { $painted: number }).$painted) },
      ];
    });
    waterfalls.push({ ms, steps });
    return ms;
  };
  const measure = async (fn: () => Promise<unknown>) => {
    for (let i = 0; i < 2; i++) await fn(); // warm-up: chunks, caches
    const samples: number[] = [];
    for (let i = 0; i < REPEAT; i++) samples.push((await timed(fn))[0]);
    return summary(samples);
  };
  const firstPaint = await measure(paint);
  const api = await measure(apiData);
  const engineSql = await measure(rawAll);
  const measuredWaterfalls = waterfalls.slice(2); // not the warm-up rounds
  const typical = [...measuredWaterfalls].sort((a, b) => a.ms - b.ms)[Math.floor(measuredWaterfalls.length / 2)];
  const glCount = await (await fetch(`${server.base}/api/v1/records/gl_entry/aggregate?measures=count`, { headers: auth })).json();
  const counts = { gl_entries: glCount.data[0]?.count ?? 0 };
  const report = {
    name: 'cockpit-paint', demo: { months: MONTHS, ordersPerMonth: ORDERS, seedSeconds: round(seedMs / 1000, 0), glEntries: Number(counts.gl_entries) },
    widgets, repeat: REPEAT, webBuild: process.env.MOSAIC_WEB_DIST ?? 'apps/web/dist',
    firstPaintMs: firstPaint, dashboardDataApiMs: api, engineSqlDirectMs: engineSql,
    note: 'engineSqlDirect = each widget\'s engine-compiled statement (reportSql) run directly as the owner, one after another: the database part of the paint, not a hand-written baseline. waterfall = the median sample\'s resources, ms from navigation start.',
    meetsTarget: firstPaint.p95 < 1000,
    waterfall: typical?.steps,
    machine: machine(),
  };
  console.table({ 'first paint (browser)': firstPaint, 'dashboard data API': api, "widgets' engine SQL run directly": engineSql });
  console.table(typical?.steps);
  console.log(`${widgets} widgets; first paint p95 ${firstPaint.p95} ms (target < 1000 ms): ${report.meetsTarget ? 'met' : 'NOT met'}`);
  // BENCH_RESULT names the file (e.g. cockpit-paint-before, for a previous build served through MOSAIC_WEB_DIST).
  console.log(`written ${writeResult(process.env.BENCH_RESULT ?? 'cockpit-paint', report)}`);
} finally {
  await browser.close();
  await raw.end();
  await db.close();
  await server.stop();
  await database.stop();
}
