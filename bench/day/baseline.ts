import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { percentile, rawTx, round } from '../lib/bench-kit.ts';

/**
 * The raw-PostgreSQL baseline: for each operation of the day, as many executions
 * as the API run completed, of the equivalent hand-written statements, from 50
 * node-postgres connections without think time. Reads run on the real tables;
 * writes into trigger-less copies (CREATE TABLE … LIKE … INCLUDING ALL) so the
 * day's data stays as the API left it. No access checks, no metadata, no HTTP:
 * the floor under what the API does.
 */
type Kind = 'list' | 'get' | 'update' | 'create' | 'submit' | 'aggregate' | 'export';

export function kindOf(op: string): Kind {
  if (op.endsWith('.create')) return 'create';
  if (op.endsWith('.submit')) return 'submit';
  if (op.endsWith('.update')) return 'update';
  if (op === 'customer.open' || op === 'stock.check') return 'get';
  if (op.startsWith('export.')) return 'export';
  if (op === 'dashboard.open' || op === 'orders.byCustomer' || op === 'receivables.aging') return 'aggregate';
  return 'list';
}

export async function rawBaseline(url: string, counts: Record<string, number>, connections = 50) {
  const pool = new pg.Pool({ connectionString: url, max: connections, options: '-c search_path=mosaic' });
  const one = async (text: string, values: unknown[] = []) => (await pool.query(text, values)).rows;
  for (const [copy, table] of [['raw_doc', 'o_sales_order'], ['raw_line', 'o_sales_order_line'], ['raw_bal', 'o_stock_balance'], ['raw_sle', 'o_stock_ledger_entry'], ['raw_gle', 'o_gl_entry'], ['raw_customer', 'o_customer']]) {
    await one(`DROP TABLE IF EXISTS ${copy}`);
    await one(`CREATE TABLE ${copy} (LIKE ${table} INCLUDING ALL)`);
  }
  await one(`INSERT INTO raw_bal SELECT * FROM o_stock_balance`);
  await one(`INSERT INTO raw_customer SELECT * FROM o_customer`);
  const tenant = (await one(`SELECT tenant_id FROM o_customer LIMIT 1`))[0].tenant_id as string;
  const customers = (await one(`SELECT id FROM o_customer`)).map((r) => r.id as string);
  const balances = (await one(`SELECT c_item AS item, c_warehouse AS wh FROM raw_bal`)) as { item: string; wh: string }[];
  const accounts = (await one(`SELECT id FROM o_gl_account LIMIT 2`)).map((r) => r.id as string);
  const pick = <T>(a: T[]): T => a[Math.floor(Math.random() * a.length)];

  const tx = (fn: (c: pg.PoolClient) => Promise<void>) => rawTx(pool, fn);
  const ops: Record<Kind, () => Promise<unknown>> = {
    list: () => Promise.all([
      one(`SELECT * FROM o_customer WHERE c_name ILIKE $1 ORDER BY c_name LIMIT 20`, [`%${pick(['华强', '东方', '长城'])}%`]),
      one(`SELECT count(*) FROM o_customer WHERE c_name ILIKE $1`, [`%${pick(['华强', '东方', '长城'])}%`]),
    ]),
    get: () => one(`SELECT * FROM o_customer WHERE id = $1`, [pick(customers)]),
    update: async () => {
      const id = pick(customers);
      const [cur] = await one(`SELECT version FROM raw_customer WHERE id = $1`, [id]);
      await one(`UPDATE raw_customer SET c_phone = $2, version = version + 1, updated_at = now() WHERE id = $1 AND version = $3`, [id, `138${Date.now() % 1e8}`, cur.version]);
    },
    create: () => tx(async (c) => {
      const id = randomUUID();
      await c.query(`INSERT INTO raw_doc (tenant_id, id, status, c_customer) VALUES ($1, $2, 'draft', $3)`, [tenant, id, pick(customers)]);
      for (let i = 0; i < 3; i++) {
        await c.query(`INSERT INTO raw_line (tenant_id, id, parent_id, idx, c_item, c_qty, c_rate) VALUES ($1, $2, $3, $4, $5, 2, 10)`, [tenant, randomUUID(), id, i, pick(balances).item]);
      }
      await c.query(`SELECT * FROM raw_doc WHERE id = $1`, [id]);
    }),
    submit: () => tx(async (c) => {
      const lines = [...new Set([pick(balances), pick(balances), pick(balances)])].sort((a, b) => (a.item < b.item ? -1 : 1));
      for (const b of lines) {
        await c.query(`SELECT c_on_hand FROM raw_bal WHERE c_item = $1 AND c_warehouse = $2 FOR UPDATE`, [b.item, b.wh]);
        await c.query(`UPDATE raw_bal SET c_on_hand = c_on_hand - 1, c_value = c_value - 10 WHERE c_item = $1 AND c_warehouse = $2`, [b.item, b.wh]);
        await c.query(`INSERT INTO raw_sle (tenant_id, id, c_item, c_warehouse, c_posting_date, c_qty, c_rate, c_value_change, c_voucher_type, c_voucher_id)
          VALUES ($1, $2, $3, $4, current_date, -1, 10, -10, 'delivery_note', 'x')`, [tenant, randomUUID(), b.item, b.wh]);
      }
      const je = randomUUID();
      for (const [account, d, cr] of [[accounts[0], 10, 0], [accounts[1], 0, 10]] as const) {
        await c.query(`INSERT INTO raw_gle (tenant_id, id, c_account, c_posting_date, c_period, c_debit, c_credit, c_voucher_no, c_journal_entry)
          VALUES ($1, $2, $3, current_date, to_char(current_date, 'YYYY-MM'), $4, $5, 'raw', $6)`, [tenant, randomUUID(), account, d, cr, je]);
      }
    }),
    aggregate: () => one(`SELECT c_customer, sum(c_net_total), count(*) FROM o_sales_order GROUP BY 1 ORDER BY 2 DESC NULLS LAST LIMIT 10`),
    export: () => one(`SELECT * FROM o_customer ORDER BY c_name`),
  };

  const work = Object.entries(counts).flatMap(([op, n]) => Array.from({ length: n }, () => op));
  for (let i = work.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [work[i], work[j]] = [work[j], work[i]];
  }
  const samples = new Map<string, number[]>();
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: connections }, async () => {
    while (next < work.length) {
      const op = work[next++];
      const t = performance.now();
      await ops[kindOf(op)]();
      (samples.get(op) ?? samples.set(op, []).get(op)!).push(performance.now() - t);
    }
  }));
  const seconds = (performance.now() - t0) / 1000;
  for (const copy of ['raw_doc', 'raw_line', 'raw_bal', 'raw_sle', 'raw_gle', 'raw_customer']) await one(`DROP TABLE ${copy}`);
  await pool.end();
  return {
    connections, operations: work.length, seconds: round(seconds, 1), perSecond: round(work.length / seconds, 1),
    perOp: Object.fromEntries([...samples].sort().map(([op, s]) => [op, { as: kindOf(op), n: s.length, p50: round(percentile(s, 50), 1), p95: round(percentile(s, 95), 1), p99: round(percentile(s, 99), 1) }])),
  };
}
