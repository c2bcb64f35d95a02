// bench/supply-chain: order-to-cash through the API and the stock balance report.
//
// 1. Sales orders with 5 lines each, submitted → delivered → invoiced end to end
//    through HTTP by 8 concurrent clients (6 calls per chain: create + submit of
//    each document; the server reserves stock, posts the ledger, COGS and the
//    invoice voucher in those transactions). Beside it, in the same run, a
//    raw-SQL baseline doing the same inserts and balance updates through
//    node-postgres: the three documents with their lines, balance rows locked
//    in key order and updated, 5 ledger entries, the COGS and invoice vouchers
//    with their lines and gl entries — into trigger-less copies of the tables.
//    Target (issue 8): API documents/s ≥ 25 % of raw.
// 2. The stock balance report over BENCH_BALANCES item × warehouse rows with
//    BENCH_LEDGER ledger entries behind them: GET /api/v1/stock/balance (paged,
//    with its total), by item, by warehouse, and valuation as of a date for one
//    item — each beside the same SQL by hand. Target: < 500 ms.
// BENCH_RESULT names the result file (default supply-chain: bench/results/<name>.json).
// Sizes: BENCH_CHAINS (default 200), BENCH_CLIENTS (8), BENCH_BALANCES (200,000),
// BENCH_LEDGER (issue: 20,000,000; default 2,000,000 — generating 20 M rows does
// not fit this shared 2-core machine's budget; the result records the size run).
import pg from 'pg';
import { benchDatabase, jsonApi, machine, rawTx, round, startServer, summary, timed, writeResult } from './lib/bench-kit.ts';

const CHAINS = Number(process.env.BENCH_CHAINS ?? 200);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 8);
const ITEMS = 50;
const BALANCES = Number(process.env.BENCH_BALANCES ?? 200_000);
const LEDGER = Number(process.env.BENCH_LEDGER ?? 2_000_000);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 20);
const WAREHOUSES = 10;

const database = await benchDatabase();
const server = await startServer(database.url, { MOSAIC_ADMIN_EMAIL: 'bench@mosaic.local', MOSAIC_ADMIN_PASSWORD: 'Bench-Password-2026' });
const raw = new pg.Pool({ connectionString: database.url, max: CLIENTS, options: '-c search_path=mosaic' });
let token = '';

const callApi = jsonApi(server.base);
const api = (method: string, url: string, body?: unknown) => callApi(method, url, body, token);

const meta = async (object: string) => {
  const m = await api('GET', `/api/v1/meta/objects/${object}`);
  const col = (f: string) => m.fields.find((x: any) => x.apiName === f).columnName as string;
  return { table: (m.tableName as string | undefined) ?? `o_${object}`, col };
};

/** The shared machine can take longer than startServer waits to install every module into the first tenant. */
async function waitUntilUp(): Promise<void> {
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${server.base}/healthz`)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the server did not come up in 2 minutes');
}

try {
  await waitUntilUp();
  token = (await api('POST', '/api/v1/auth/login', { email: 'bench@mosaic.local', password: 'Bench-Password-2026' })).token;
  const tenantId = (await api('GET', '/api/v1/auth/me')).user.tenantId as string;
  const wh = (await api('POST', '/api/v1/records/warehouse', { code: 'BENCH', name: '压测仓' })).id as string;
  const customer = (await api('POST', '/api/v1/records/customer', { name: '压测客户' })).id as string;
  const items: string[] = [];
  for (let i = 0; i < ITEMS; i++) items.push((await api('POST', '/api/v1/records/item', { code: `SC${i}`, name: `压测商品${i}` })).id);
  const receipt = await api('POST', '/api/v1/records/stock_entry', { entry_type: 'receipt', warehouse: wh, lines: items.map((item) => ({ item, qty: 1_000_000, rate: 3 })) });
  await api('POST', `/api/v1/records/stock_entry/${receipt.id}/submit`, { version: 1 });
  const pick = (n: number) => Array.from({ length: 5 }, (_, k) => items[(n * 7 + k * 11) % ITEMS]).filter((x, i, a) => a.indexOf(x) === i);

  // 1a. Order → delivery → invoice through the API, CLIENTS at a time.
  const chain = async (n: number) => {
    const lines = pick(n).map((item) => ({ item, qty: 1, rate: 10 }));
    const so = await api('POST', '/api/v1/records/sales_order', { customer, warehouse: wh, lines });
    await api('POST', `/api/v1/records/sales_order/${so.id}/submit`, { version: 1 });
    const dn = await api('POST', '/api/v1/records/delivery_note', { customer, sales_order: so.id, warehouse: wh, lines: lines.map(({ item, qty }) => ({ item, qty })) });
    await api('POST', `/api/v1/records/delivery_note/${dn.id}/submit`, { version: 1 });
    const si = await api('POST', '/api/v1/records/sales_invoice', { customer, sales_order: so.id, lines });
    await api('POST', `/api/v1/records/sales_invoice/${si.id}/submit`, { version: 1 });
  };
  const runClients = async (fn: (n: number) => Promise<void>, count: number) => {
    let next = 0;
    const latencies: number[] = [];
    const worker = async () => {
      while (next < count) {
        const n = next++;
        latencies.push((await timed(() => fn(n)))[0]);
      }
    };
    const [ms] = await timed(() => Promise.all(Array.from({ length: CLIENTS }, worker)));
    return { ms, latencies };
  };
  await runClients(chain, CLIENTS); // warm-up: plans, caches, JIT
  const viaApi = await runClients(chain, CHAINS);

  // 1b. The raw baseline: the same rows and balance updates by hand, in trigger-less copies.
  const so = await meta('sales_order');
  const sol = await meta('sales_order_line');
  const dn = await meta('delivery_note');
  const dnl = await meta('delivery_note_line');
  const si = await meta('sales_invoice');
  const sil = await meta('sales_invoice_line');
  const bal = await meta('stock_balance');
  const sle = await meta('stock_ledger_entry');
  const je = await meta('journal_entry');
  const jel = await meta('journal_entry_line');
  const gle = await meta('gl_entry');
  const copies = { so, sol, dn, dnl, si, sil, bal, sle, je, jel, gle };
  for (const [k, m] of Object.entries(copies)) await raw.query(`CREATE TABLE raw_${k} (LIKE ${m.table} INCLUDING ALL)`);
  await raw.query(`INSERT INTO raw_bal SELECT * FROM ${bal.table}`);
  const accounts = (await raw.query(`SELECT id FROM o_gl_account LIMIT 5`)).rows.map((r) => r.id as string);
  const period = '2026-11';
  const voucher = async (c: pg.PoolClient, lines: [number, number][]) => {
    const id = crypto.randomUUID();
    await c.query(`INSERT INTO raw_je (tenant_id, id, status, ${je.col('posting_date')}, ${je.col('description')}) VALUES ($1, $2, 'submitted', '2026-11-23', 'bench')`, [tenantId, id]);
    for (const [i, [debit, credit]] of lines.entries()) {
      await c.query(`INSERT INTO raw_jel (tenant_id, id, parent_id, idx, ${jel.col('account')}, ${jel.col('debit')}, ${jel.col('credit')}) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [tenantId, crypto.randomUUID(), id, i, accounts[i], debit, credit]);
      await c.query(`INSERT INTO raw_gle (tenant_id, id, ${gle.col('account')}, ${gle.col('posting_date')}, ${gle.col('period')}, ${gle.col('debit')}, ${gle.col('credit')}, ${gle.col('voucher_no')}, ${gle.col('journal_entry')})
        VALUES ($1, $2, $3, '2026-11-23', $4, $5, $6, 'bench', $7)`, [tenantId, crypto.randomUUID(), accounts[i], period, debit, credit, id]);
    }
  };
  const doc = async (c: pg.PoolClient, head: typeof so, line: typeof sol, lineItems: string[], withRate: boolean) => {
    const id = crypto.randomUUID();
    await c.query(`INSERT INTO raw_${head === so ? 'so' : head === dn ? 'dn' : 'si'} (tenant_id, id, status, ${head.col('customer')}) VALUES ($1, $2, 'submitted', $3)`, [tenantId, id, customer]);
    const name = line === sol ? 'sol' : line === dnl ? 'dnl' : 'sil';
    for (const [i, item] of lineItems.entries()) {
      await c.query(`INSERT INTO raw_${name} (tenant_id, id, parent_id, idx, ${line.col('item')}, ${line.col('qty')}${withRate ? `, ${line.col('rate')}` : ''}) VALUES ($1, $2, $3, $4, $5, 1${withRate ? ', 10' : ''})`,
        [tenantId, crypto.randomUUID(), id, i, item]);
    }
  };
  const tx = (fn: (c: pg.PoolClient) => Promise<void>) => rawTx(raw, fn);
  const lockBalances = (c: pg.PoolClient, lineItems: string[]) => c.query(`SELECT id, ${bal.col('on_hand')}, ${bal.col('value')} FROM raw_bal
    WHERE ${bal.col('warehouse')} = $1 AND ${bal.col('item')} = ANY($2::uuid[]) ORDER BY ${bal.col('item')} FOR UPDATE`, [wh, lineItems]);
  const rawChain = async (n: number) => {
    const lineItems = pick(n);
    await tx(async (c) => {
      await doc(c, so, sol, lineItems, true);
      await lockBalances(c, lineItems);
      await c.query(`UPDATE raw_bal SET ${bal.col('reserved')} = ${bal.col('reserved')} + 1 WHERE ${bal.col('warehouse')} = $1 AND ${bal.col('item')} = ANY($2::uuid[])`, [wh, lineItems]);
    });
    await tx(async (c) => {
      await doc(c, dn, dnl, lineItems, false);
      await lockBalances(c, lineItems);
      for (const item of lineItems) {
        await c.query(`INSERT INTO raw_sle (tenant_id, id, ${sle.col('item')}, ${sle.col('warehouse')}, ${sle.col('posting_date')}, ${sle.col('qty')}, ${sle.col('rate')}, ${sle.col('value_change')}, ${sle.col('voucher_type')}, ${sle.col('voucher_id')})
          VALUES ($1, $2, $3, $4, '2026-11-23', -1, 3, -3, 'delivery_note', 'x')`, [tenantId, crypto.randomUUID(), item, wh]);
      }
      await c.query(`UPDATE raw_bal SET ${bal.col('on_hand')} = ${bal.col('on_hand')} - 1, ${bal.col('value')} = ${bal.col('value')} - 3, ${bal.col('reserved')} = ${bal.col('reserved')} - 1
        WHERE ${bal.col('warehouse')} = $1 AND ${bal.col('item')} = ANY($2::uuid[])`, [wh, lineItems]);
      await voucher(c, [[3 * lineItems.length, 0], [0, 3 * lineItems.length]]);
    });
    await tx(async (c) => {
      await doc(c, si, sil, lineItems, true);
      await voucher(c, [[11.3 * lineItems.length, 0], [0, 10 * lineItems.length], [0, 1.3 * lineItems.length]]);
    });
  };
  await runClients(rawChain, CLIENTS);
  const viaRaw = await runClients(rawChain, CHAINS);
  for (const k of Object.keys(copies)) await raw.query(`DROP TABLE raw_${k}`);

  const apiDocs = (CHAINS * 3) / (viaApi.ms / 1000);
  const rawDocs = (CHAINS * 3) / (viaRaw.ms / 1000);

  // 2. The balance report over BALANCES rows and LEDGER entries (generated, not measured).
  const itemM = await meta('item');
  const whM = await meta('warehouse');
  const perWh = Math.ceil(BALANCES / WAREHOUSES);
  const [fillMs] = await timed(async () => {
    const c = await raw.connect();
    try {
      await c.query('BEGIN');
      await c.query(`SELECT set_config('mosaic.stock_posting', 'on', true)`);
      await c.query(`INSERT INTO ${whM.table} (tenant_id, id, ${whM.col('code')}, ${whM.col('name')}) SELECT $1, gen_random_uuid(), 'W' || w, '仓库' || w FROM generate_series(1, ${WAREHOUSES}) w`, [tenantId]);
      await c.query(`INSERT INTO ${itemM.table} (tenant_id, id, ${itemM.col('code')}, ${itemM.col('name')}, ${itemM.col('item_type')}, ${itemM.col('valuation_method')})
        SELECT $1, gen_random_uuid(), 'BI' || lpad(i::text, 7, '0'), '物料' || i, 'stock', 'moving_average' FROM generate_series(1, ${perWh}) i`, [tenantId]);
      await c.query(`INSERT INTO ${bal.table} (tenant_id, id, ${bal.col('item')}, ${bal.col('warehouse')}, ${bal.col('on_hand')}, ${bal.col('reserved')}, ${bal.col('value')}, ${bal.col('last_posting_date')})
        SELECT $1, gen_random_uuid(), i.id, w.id, 100, 0, 1000, '2026-11-01'
        FROM ${itemM.table} i CROSS JOIN ${whM.table} w WHERE i.${itemM.col('code')} LIKE 'BI%' AND w.${whM.col('code')} LIKE 'W%'`, [tenantId]);
      // the ledger behind them: LEDGER entries spread over the balance rows and 2026's days
      await c.query(`CREATE TEMP TABLE bench_keys ON COMMIT DROP AS SELECT (row_number() OVER () - 1)::int AS rn, ${bal.col('item')} AS item, ${bal.col('warehouse')} AS wh FROM ${bal.table}`);
      await c.query(`INSERT INTO ${sle.table} (tenant_id, id, ${sle.col('item')}, ${sle.col('warehouse')}, ${sle.col('posting_date')}, ${sle.col('qty')}, ${sle.col('rate')}, ${sle.col('value_change')}, ${sle.col('voucher_type')}, ${sle.col('voucher_id')})
        SELECT $1, gen_random_uuid(), k.item, k.wh, DATE '2026-01-01' + (g % 300), 1, 10, 10, 'stock_entry', 'bench'
        FROM generate_series(1, ${LEDGER}) g JOIN bench_keys k ON k.rn = g % (SELECT count(*) FROM bench_keys)`, [tenantId]);
      await c.query('COMMIT');
    } finally {
      c.release();
    }
    await raw.query(`ANALYZE ${bal.table}; ANALYZE ${sle.table}; ANALYZE ${itemM.table}; ANALYZE ${whM.table}`);
  });
  const balanceRows = Number((await raw.query(`SELECT count(*) FROM ${bal.table}`)).rows[0].count);
  const ledgerRows = Number((await raw.query(`SELECT count(*) FROM ${sle.table}`)).rows[0].count);
  const oneItem = (await raw.query(`SELECT ${bal.col('item')} AS item FROM ${bal.table} OFFSET 777 LIMIT 1`)).rows[0].item as string;

  const measure = async (fn: () => Promise<unknown>) => {
    for (let i = 0; i < 3; i++) await fn();
    const samples: number[] = [];
    for (let i = 0; i < REPEAT; i++) samples.push((await timed(fn))[0]);
    return summary(samples);
  };
  const I = itemM.col;
  const B = bal.col;
  const rawPage = () => raw.query(`SELECT b.item, i.${I('code')}, i.${I('name')}, b.warehouse, w.${whM.col('code')}, b.on_hand, b.reserved, b.on_hand - b.reserved, round(b.value, 2)
      FROM (SELECT ${B('item')} AS item, ${B('warehouse')} AS warehouse, ${B('on_hand')} AS on_hand, ${B('reserved')} AS reserved, ${B('value')} AS value
            FROM ${bal.table} WHERE tenant_id = $1 ORDER BY ${B('item')}, ${B('warehouse')} LIMIT 100) b
      JOIN ${itemM.table} i ON i.id = b.item JOIN ${whM.table} w ON w.id = b.warehouse ORDER BY b.item, b.warehouse`, [tenantId])
    .then(() => raw.query(`SELECT count(*) FROM ${bal.table} WHERE tenant_id = $1`, [tenantId]));
  const rawByItem = () => raw.query(`SELECT g.*, i.${I('code')} FROM (SELECT ${B('item')} AS item, sum(${B('on_hand')}), sum(${B('reserved')}), round(sum(${B('value')}), 2)
      FROM ${bal.table} WHERE tenant_id = $1 GROUP BY ${B('item')} ORDER BY ${B('item')} LIMIT 100) g JOIN ${itemM.table} i ON i.id = g.item ORDER BY g.item`, [tenantId])
    .then(() => raw.query(`SELECT count(*) FROM (SELECT DISTINCT ${B('item')} FROM ${bal.table} WHERE tenant_id = $1) d`, [tenantId]));
  const rawByWh = () => raw.query(`SELECT w.id, sum(b.${B('on_hand')}), round(sum(b.${B('value')}), 2) FROM ${bal.table} b JOIN ${whM.table} w ON w.id = b.${B('warehouse')} GROUP BY w.id`);
  const rawAsOf = () => raw.query(`SELECT ${sle.col('warehouse')}, sum(${sle.col('qty')}), round(sum(${sle.col('value_change')}), 2) FROM ${sle.table}
      WHERE ${sle.col('item')} = $1 AND ${sle.col('posting_date')} <= '2026-06-30' GROUP BY 1`, [oneItem]);
  if (process.env.BENCH_EXPLAIN) {
    // The plans behind the by-item figures (BENCH_EXPLAIN=1), to see where the time goes.
    for (const q of [
      `SELECT g.*, i.${I('code')} FROM (SELECT ${B('item')} AS item, sum(${B('on_hand')}), sum(${B('reserved')}), round(sum(${B('value')}), 2)
        FROM ${bal.table} WHERE tenant_id = '${tenantId}' GROUP BY ${B('item')} ORDER BY ${B('item')} LIMIT 100) g JOIN ${itemM.table} i ON i.id = g.item ORDER BY g.item`,
      `SELECT count(*) FROM (SELECT DISTINCT ${B('item')} FROM ${bal.table} WHERE tenant_id = '${tenantId}') d`,
    ]) console.log((await raw.query(`EXPLAIN (ANALYZE, BUFFERS) ${q}`)).rows.map((r) => r['QUERY PLAN']).join('\n'));
  }
  const report = {
    page: { api: await measure(() => api('GET', '/api/v1/stock/balance?limit=100')), raw: await measure(rawPage) },
    byItem: { api: await measure(() => api('GET', '/api/v1/stock/balance?group=item&limit=100')), raw: await measure(rawByItem) },
    byWarehouse: { api: await measure(() => api('GET', '/api/v1/stock/balance?group=warehouse')), raw: await measure(rawByWh) },
    valuationAsOf: { api: await measure(() => api('GET', `/api/v1/stock/valuation?date=2026-06-30&item=${oneItem}`)), raw: await measure(rawAsOf) },
  };

  const result = {
    name: 'supply-chain',
    orderToCash: {
      chains: CHAINS, clients: CLIENTS, linesPerDocument: 5, documentsPerChain: 3,
      apiDocumentsPerSec: round(apiDocs), rawDocumentsPerSec: round(rawDocs), ratio: round(apiDocs / rawDocs), meetsTarget: apiDocs >= 0.25 * rawDocs,
      apiChainMs: summary(viaApi.latencies), rawChainMs: summary(viaRaw.latencies),
    },
    balanceReport: {
      balanceRows, ledgerRows, ledgerRowsTarget: 20_000_000, reducedSize: ledgerRows < 20_000_000 || balanceRows < 200_000, fillSeconds: round(fillMs / 1000, 1),
      latencyMs: Object.fromEntries(Object.entries(report).map(([k, v]) => [k, { ...v, meetsTarget: v.api.p95 < 500 }])),
    },
    machine: machine(),
  };
  console.log('\nsupply-chain benchmark');
  console.log(`order → delivery → invoice, ${CHAINS} chains × 3 documents × 5 lines, ${CLIENTS} clients:`);
  console.log(`  API ${result.orderToCash.apiDocumentsPerSec} documents/s | raw SQL ${result.orderToCash.rawDocumentsPerSec} documents/s → ${result.orderToCash.ratio} (target ≥ 0.25)`);
  console.log(`stock balance report over ${balanceRows} balance rows, ${ledgerRows} ledger entries (ms):`);
  for (const [k, v] of Object.entries(result.balanceReport.latencyMs)) {
    console.log(`  ${k.padEnd(14)} API p50 ${v.api.p50} p95 ${v.api.p95} | raw p50 ${v.raw.p50} p95 ${v.raw.p95} | ${v.meetsTarget ? 'ok' : 'MISSES < 500 ms'}`);
  }
  console.log(`written to ${writeResult(process.env.BENCH_RESULT ?? 'supply-chain', result)}`);
} finally {
  await raw.end();
  await server.stop();
  await database.stop();
}
