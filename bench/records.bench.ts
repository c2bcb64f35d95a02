// bench/records: one object with 1,000,000 rows (10 fields, 3 indexed).
// Bulk-create rate through the API; p50/p95 of a filtered, sorted, paged list
// (page 1 and page 500) and of get-by-id through HTTP — each beside the same
// work done in raw SQL through node-postgres in the same run, as a ratio.
// Targets (issue 2): list/get p95 ≤ 2× raw + 5 ms; bulk ≥ 40 % of raw INSERT; server RSS < 300 MB.
import os from 'node:os';
import pg from 'pg';
import { benchDatabase, jsonApi, machine, round, startServer, summary, timed, writeResult } from './lib/bench-kit.ts';

const TOTAL = Number(process.env.BENCH_ROWS ?? 1_000_000);
const VIA_API = Number(process.env.BENCH_API_ROWS ?? 100_000);
const BATCH = 1000;
const REPEAT = Number(process.env.BENCH_REPEAT ?? 40);

// The machine is shared: the load when the run starts is kept beside the figures (machine() has it at the end).
const loadAtStart = round(os.loadavg()[0]);
const database = await benchDatabase();
// The API tier as deployed beside workers (docs/deploy.md): `--role api`. BENCH_ROLE=all measures
// the one-process default, where the rules engine consumes the 100k create events on the same CPU.
const ROLE = process.env.BENCH_ROLE ?? 'api';
const server = await startServer(database.url, { MOSAIC_ADMIN_EMAIL: 'bench@mosaic.local', MOSAIC_ADMIN_PASSWORD: 'Bench-Password-2026', MOSAIC_ROLE: ROLE });
let rssPeak = 0;
const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, server.rssMB())), 200);
const raw = new pg.Pool({ connectionString: database.url, max: 4, options: '-c search_path=mosaic' });

const api = jsonApi(server.base);

try {
  const { token } = await api('POST', '/api/v1/auth/login', { email: 'bench@mosaic.local', password: 'Bench-Password-2026' });
  const options = Array.from({ length: 10 }, (_, i) => ({ value: `c${i}`, label: `类别${i}` }));
  await api('POST', '/api/v1/meta/objects', {
    apiName: 'bench_item', label: '压测物料',
    fields: [
      { apiName: 'name', type: 'text', label: '名称', indexed: true },
      { apiName: 'code', type: 'text', label: '编码' },
      { apiName: 'category', type: 'single_select', label: '类别', indexed: true, config: { options } },
      { apiName: 'amount', type: 'decimal', label: '金额', indexed: true, config: { scale: 2 } },
      { apiName: 'qty', type: 'integer', label: '数量' },
      { apiName: 'price', type: 'money', label: '单价' },
      { apiName: 'due', type: 'date', label: '到期' },
      { apiName: 'active', type: 'boolean', label: '启用' },
      { apiName: 'note', type: 'long_text', label: '备注' },
      { apiName: 'email', type: 'email', label: '邮箱' },
    ],
  }, token);
  const meta = await api('GET', '/api/v1/meta/objects/bench_item', undefined, token);
  const col = (f: string) => meta.fields.find((x: any) => x.apiName === f).columnName as string;
  const tenantId = (await api('GET', '/api/v1/auth/me', undefined, token)).user.tenantId as string;

  const row = (i: number) => ({
    name: `物料-${i}`, code: `IT${String(i).padStart(7, '0')}`, category: `c${i % 10}`, amount: ((i * 7919) % 100000) / 100,
    qty: i % 500, price: { amount: ((i * 31) % 10000) / 100, currency: 'CNY' }, due: `2026-${String((i % 12) + 1).padStart(2, '0')}-15`,
    active: i % 3 !== 0, note: `第 ${i} 行的备注`, email: `buyer${i}@example.com`,
  });

  // 1. Bulk create through the API: batches of 1,000, two at a time.
  let next = 0;
  const apiWorker = async () => {
    while (next < VIA_API) {
      const start = next;
      next += BATCH;
      await api('POST', '/api/v1/records/bench_item/bulk', { records: Array.from({ length: BATCH }, (_, k) => row(start + k)) }, token);
    }
  };
  const [apiMs] = await timed(() => Promise.all([apiWorker(), apiWorker()]));
  const apiRate = VIA_API / (apiMs / 1000);

  // 2. The raw baseline: the same rows as multi-row INSERTs through node-postgres, two at a time.
  await raw.query('CREATE TABLE raw_bench (LIKE o_bench_item INCLUDING ALL)');
  const cols = ['tenant_id', 'id', col('name'), col('code'), col('category'), col('amount'), col('qty'), col('price'), `${col('price')}_ccy`, col('due'), col('active'), col('note'), col('email')];
  let rawNext = 0;
  const rawWorker = async () => {
    while (rawNext < VIA_API) {
      const start = rawNext;
      rawNext += BATCH;
      const params: unknown[] = [];
      const tuples: string[] = [];
      for (let k = 0; k < BATCH; k++) {
        const r = row(start + k);
        const vals = [tenantId, crypto.randomUUID(), r.name, r.code, r.category, r.amount, r.qty, r.price.amount, 'CNY', r.due, r.active, r.note, r.email];
        tuples.push(`(${vals.map((_, j) => `$${params.length + j + 1}`).join(',')})`);
        params.push(...vals);
      }
      await raw.query(`INSERT INTO raw_bench (${cols.join(',')}) VALUES ${tuples.join(',')}`, params);
    }
  };
  const [rawMs] = await timed(() => Promise.all([rawWorker(), rawWorker()]));
  const rawRate = VIA_API / (rawMs / 1000);
  await raw.query('DROP TABLE raw_bench');

  // 3. Fill up to TOTAL rows with generate_series (not measured), then ANALYZE.
  await raw.query(`INSERT INTO o_bench_item (tenant_id, id, ${cols.slice(2).join(',')})
    SELECT $1::uuid, gen_random_uuid(), '物料-' || i, 'IT' || lpad(i::text, 7, '0'), 'c' || (i % 10), ((i * 7919) % 100000) / 100.0, i % 500,
      ((i * 31) % 10000) / 100.0, 'CNY', make_date(2026, ((i % 12) + 1)::int, 15), i % 3 <> 0, '第 ' || i || ' 行的备注', 'buyer' || i || '@example.com'
    FROM generate_series(${VIA_API}::bigint, ${TOTAL - 1}::bigint) AS i`, [tenantId]);
  await raw.query('ANALYZE o_bench_item');

  // 4. Lists and gets: through HTTP vs the same SQL by hand.
  const filter = encodeURIComponent(JSON.stringify({ category: 'c3', amount: { gt: 500 } }));
  const listUrl = (page: number) => `/api/v1/records/bench_item?filter=${filter}&sort=-amount&page=${page}&pageSize=20`;
  const rawList = async (page: number) => {
    const c = await raw.connect();
    try {
      const where = `tenant_id = $1 AND ${col('category')} = $2 AND ${col('amount')} > $3`;
      await c.query(`SELECT * FROM o_bench_item WHERE ${where} ORDER BY ${col('amount')} DESC NULLS FIRST, id LIMIT 21 OFFSET ${(page - 1) * 20}`, [tenantId, 'c3', 500]);
      await c.query(`SELECT count(*) FROM o_bench_item WHERE ${where}`, [tenantId, 'c3', 500]);
    } finally {
      c.release();
    }
  };
  const ids = (await raw.query('SELECT id FROM o_bench_item TABLESAMPLE SYSTEM (1) LIMIT 500')).rows.map((r) => r.id as string);
  const measure = async (fn: (i: number) => Promise<unknown>) => {
    for (let i = 0; i < 5; i++) await fn(i); // warm-up
    const samples: number[] = [];
    for (let i = 0; i < REPEAT; i++) samples.push((await timed(() => fn(i)))[0]);
    return summary(samples);
  };
  const results = {
    list_page1: { api: await measure(() => api('GET', listUrl(1), undefined, token)), raw: await measure(() => rawList(1)) },
    list_page500: { api: await measure(() => api('GET', listUrl(500), undefined, token)), raw: await measure(() => rawList(500)) },
    get_by_id: {
      api: await measure((i) => api('GET', `/api/v1/records/bench_item/${ids[i % ids.length]}`, undefined, token)),
      raw: await measure((i) => raw.query('SELECT * FROM o_bench_item WHERE tenant_id = $1 AND id = $2', [tenantId, ids[i % ids.length]])),
    },
  };
  clearInterval(sampler);
  rssPeak = Math.max(rssPeak, server.rssMB());

  const checks = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, { ...v, ratioP95: round(v.api.p95 / v.raw.p95), meetsTarget: v.api.p95 <= 2 * v.raw.p95 + 5 }]));
  const report = {
    name: 'records', rows: TOTAL, rowsViaApi: VIA_API, serverRole: ROLE,
    bulkCreate: { apiRowsPerSec: Math.round(apiRate), rawRowsPerSec: Math.round(rawRate), ratio: round(apiRate / rawRate), meetsTarget: apiRate >= 0.4 * rawRate },
    latencyMs: checks,
    serverRssPeakMB: round(rssPeak, 0), rssMeetsTarget: rssPeak < 300,
    machine: { ...machine(), loadAverage1mAtStart: loadAtStart },
  };
  console.log('\nrecords benchmark (ms; ratio = API p95 / raw p95)');
  console.log(`bulk create: API ${report.bulkCreate.apiRowsPerSec} rows/s, raw ${report.bulkCreate.rawRowsPerSec} rows/s → ${report.bulkCreate.ratio} (target ≥ 0.4)`);
  for (const [k, v] of Object.entries(checks)) {
    console.log(`${k.padEnd(13)} API p50 ${v.api.p50} p95 ${v.api.p95} | raw p50 ${v.raw.p50} p95 ${v.raw.p95} | ratio ${v.ratioP95} ${v.meetsTarget ? 'ok' : 'MISSES target'}`);
  }
  console.log(`server RSS peak: ${report.serverRssPeakMB} MB (target < 300)`);
  console.log(`written to ${writeResult('records', report)}`);
} finally {
  clearInterval(sampler);
  await raw.end();
  await server.stop();
  await database.stop();
}
