// bench/reports: BENCH_ROWS (default 10,000,000) sales orders (date, customer, province, product,
// amount, cost) in an object made through the metadata service, a 12-widget dashboard. Each widget
// is run through the report engine (runReport: guard, JoinScope, RLS, shaping) and beside it the
// same aggregate in hand-written SQL through node-postgres; then the whole dashboard in one call.
// Target (issue 6): every widget ≤ 1.5× its raw SQL (median of BENCH_REPEAT runs after a warm-up).
import pg from 'pg';
import { openDatabase } from '@mosaic/db';
import { MetaStore, createObject } from '@mosaic/meta';
import { createTenant, loadActor } from '@mosaic/identity';
import { guardFor } from '@mosaic/access';
import { inTenantTx, sql } from '@mosaic/db';
import { createDashboard, dashboardData, parseDefinition, prepareReport, runReport } from '@mosaic/reporting';
import type { RecordsCtx } from '@mosaic/records';
import { benchDatabase, machine, measureAlternately, round, summary, timed, writeResult } from './lib/bench-kit.ts';
import { WIDGETS } from './reports.widgets.ts';

const TOTAL = Number(process.env.BENCH_ROWS ?? 10_000_000);
const CUSTOMERS = 20_000;
const PRODUCTS = 2_000;
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);
const CHUNK = 1_000_000;

// The engine runs in this process, as a request would: the mosaic_app pool (row-level
// security on), the user's guard, objects made through the metadata service the API uses.
// (No HTTP server: the figures are the engine's, not the network's.)
const database = await benchDatabase();
const db = openDatabase(database.url, { appPoolSize: 16 });
const raw = new pg.Pool({ connectionString: database.url, max: 4, options: '-c search_path=mosaic -c statement_timeout=0' });

try {
  const tenant = await createTenant(db, { name: '压测', companyName: '压测公司', adminEmail: 'bench@mosaic.local', adminPassword: 'Bench-Password-2026' });
  const tenantId = tenant.tenantId;
  const store = new MetaStore(db.app);
  const meta = { db, store, tenantId, userId: tenant.adminId };
  const categories = Array.from({ length: 8 }, (_, i) => ({ value: `k${i}`, label: `品类${i}` }));
  await createObject(meta, { apiName: 'b_customer', label: '客户', fields: [{ apiName: 'name', type: 'text', label: '名称' }, { apiName: 'tier', type: 'text', label: '等级' }] });
  await createObject(meta, { apiName: 'b_product', label: '产品', fields: [{ apiName: 'name', type: 'text', label: '名称' }, { apiName: 'category', type: 'single_select', label: '品类', config: { options: categories } }] });
  await createObject(meta, {
    apiName: 'b_order', label: '订单',
    fields: [
      { apiName: 'order_date', type: 'date', label: '日期' },
      { apiName: 'customer', type: 'link', label: '客户', config: { target: 'b_customer' } },
      { apiName: 'province', type: 'text', label: '省份' },
      { apiName: 'product', type: 'link', label: '产品', config: { target: 'b_product' } },
      { apiName: 'amount', type: 'decimal', label: '金额', config: { scale: 2 } },
      { apiName: 'cost', type: 'decimal', label: '成本', config: { scale: 2 } },
    ],
  });
  store.invalidate(tenantId);
  const actor = (await inTenantTx(db.app, { tenantId }, (tx) => loadActor(tx, tenantId, tenant.adminId)))!.actor;
  const ctx: RecordsCtx = { db, store, guard: await guardFor(db, store, actor) };
  const cols = async (o: string) => Object.fromEntries((await store.objectOrThrow(tenantId, o)).fields.map((f) => [f.apiName, f.columnName!]));
  const c = await cols('b_customer');
  const p = await cols('b_product');
  const o = await cols('b_order');

  // Fill with generate_series (not measured): customers, products, then orders in chunks of 1M.
  const [genMs] = await timed(async () => {
    await raw.query(`INSERT INTO o_b_customer (tenant_id, id, ${c.name}, ${c.tier}) SELECT $1::uuid, gen_random_uuid(), '客户' || i, 'T' || (i % 4) FROM generate_series(1, ${CUSTOMERS}) i`, [tenantId]);
    await raw.query(`INSERT INTO o_b_product (tenant_id, id, ${p.name}, ${p.category}) SELECT $1::uuid, gen_random_uuid(), '产品' || i, 'k' || (i % 8) FROM generate_series(1, ${PRODUCTS}) i`, [tenantId]);
    await raw.query('CREATE TEMP TABLE IF NOT EXISTS x (n int)');
    for (let start = 0; start < TOTAL; start += CHUNK) {
      const end = Math.min(TOTAL, start + CHUNK) - 1;
      await raw.query(`WITH cu AS (SELECT array_agg(id ORDER BY ${c.name}) a FROM o_b_customer), pr AS (SELECT array_agg(id ORDER BY ${p.name}) a FROM o_b_product),
          pv AS (SELECT ARRAY['广东','浙江','江苏','山东','河南','四川','湖北','福建','湖南','上海','北京','河北','安徽','辽宁','陕西','江西','重庆','广西','云南','天津'] a)
        INSERT INTO o_b_order (tenant_id, id, ${o.order_date}, ${o.customer}, ${o.province}, ${o.product}, ${o.amount}, ${o.cost})
        SELECT $1::uuid, gen_random_uuid(), DATE '2023-01-01' + ((i * 7919) % 1095)::int, cu.a[1 + (i * 31) % ${CUSTOMERS}], pv.a[1 + (i * 13) % 20],
          pr.a[1 + (i * 17) % ${PRODUCTS}], round((100 + (i * 7907) % 9900)::numeric / 10, 2), round((60 + (i * 7901) % 6000)::numeric / 10, 2)
        FROM generate_series(${start}::bigint, ${end}::bigint) AS i, cu, pr, pv`, [tenantId]);
      process.stdout.write(`  ${end + 1} rows\r`);
    }
    await raw.query('VACUUM ANALYZE o_b_order');
    await raw.query('VACUUM ANALYZE o_b_customer');
    await raw.query('VACUUM ANALYZE o_b_product');
  });
  console.log(`generated ${TOTAL} orders in ${round(genMs / 1000, 1)} s`);

  const median = async (fn: () => Promise<unknown>) => {
    await fn(); // warm-up
    const samples: number[] = [];
    for (let i = 0; i < REPEAT; i++) samples.push((await timed(fn))[0]);
    return summary(samples);
  };
  const alternately = (engine: () => Promise<unknown>, baseline: () => Promise<unknown>) => measureAlternately(engine, baseline, REPEAT);
  const failures: Record<string, string> = {};
  const results: Record<string, { api: ReturnType<typeof summary>; raw: ReturnType<typeof summary>; ratio: number; meetsTarget: boolean; rows: number }> = {};
  // BENCH_ONLY=id,id: just those widgets (a look at one, nothing written); BENCH_EXPLAIN=1: each one's plans, engine and raw.
  const only = process.env.BENCH_ONLY?.split(',');
  for (const w of WIDGETS.filter((x) => !only || only.includes(x.id))) {
    if (process.env.BENCH_EXPLAIN) await explainWidget(w);
    try {
      const apiRows = (await runReport(ctx, w.definition)).rows.length;
      const rawSql = w.raw({ c, p, o });
      const rawRows = (await raw.query(rawSql, [tenantId])).rows.length;
      if (apiRows !== rawRows) throw new Error(`${w.id}: the engine returned ${apiRows} rows, raw SQL ${rawRows}`);
      const [a, r] = await alternately(() => runReport(ctx, w.definition), () => raw.query(rawSql, [tenantId]));
      results[w.id] = { api: a, raw: r, ratio: round(a.p50 / r.p50), meetsTarget: a.p50 <= 1.5 * r.p50, rows: apiRows };
      console.log(`${w.id.padEnd(24)} API p50 ${String(a.p50).padStart(9)} ms | raw p50 ${String(r.p50).padStart(9)} ms | ratio ${results[w.id].ratio} ${results[w.id].meetsTarget ? 'ok' : 'MISSES target'}`);
    } catch (e) {
      // e.g. the app pool's 60 s statement timeout on a very large table: recorded, not hidden.
      failures[w.id] = (e as Error).message;
      console.log(`${w.id.padEnd(24)} FAILED: ${(e as Error).message}`);
    }
  }

  if (only) process.exit(0);
  // The whole dashboard: one call, widgets run concurrently (each its own query).
  const dash = await createDashboard(ctx, {
    name: '压测看板', widgets: WIDGETS.map((w, i) => ({ id: w.id, chart: w.chart, layout: { x: (i % 4) * 6, y: Math.floor(i / 4) * 6, w: 6, h: 6 }, definition: w.definition })),
  });
  const dashboard = await median(() => dashboardData(ctx, dash.id, {}));
  const widgetMs = Object.fromEntries((await dashboardData(ctx, dash.id, {})).widgets.map((w) => [w.id, w.ok ? w.ms : `error ${w.error.code}`]));
  const sumRaw = round(Object.values(results).reduce((s, r) => s + r.raw.p50, 0));
  console.log(`dashboard /data (12 widgets at once): p50 ${dashboard.p50} ms; the raw queries one after another: ${sumRaw} ms`);

  const report = {
    name: 'reports', rows: TOTAL, customers: CUSTOMERS, products: PRODUCTS, repeat: REPEAT, generateSeconds: round(genMs / 1000, 1),
    via: 'in-process engine (runReport / dashboardData on the mosaic_app pool)', widgetsMs: results, allMeetTarget: Object.values(results).every((r) => r.meetsTarget),
    dashboardMs: dashboard, rawSumMs: sumRaw, preAggregation: null, machine: machine(),
  };
  console.log(`written to ${writeResult(TOTAL === 10_000_000 ? 'reports' : `reports-${TOTAL >= 1_000_000 ? `${TOTAL / 1_000_000}m` : TOTAL}`, report)}`);

  async function explainWidget(w: (typeof WIDGETS)[number]) {
    const compiled = await prepareReport(ctx, parseDefinition(w.definition), {});
    const engine = await inTenantTx(db.app, { tenantId, userId: tenant.adminId }, (tx) => sql<{ 'QUERY PLAN': string }>`EXPLAIN (ANALYZE, BUFFERS) ${compiled.query}`.execute(tx));
    const rawPlan = await raw.query(`EXPLAIN (ANALYZE, BUFFERS) ${w.raw({ c, p, o })}`, [tenantId]);
    console.log(`--- ${w.id} engine\n${engine.rows.map((r) => r['QUERY PLAN']).join('\n')}\n--- ${w.id} raw\n${rawPlan.rows.map((r) => r['QUERY PLAN']).join('\n')}`);
  }
} finally {
  await raw.end();
  await db.close();
  await database.stop();
}
