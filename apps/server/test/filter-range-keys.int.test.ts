import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenantTx, sql } from '@mosaic/db';
import { createTestApp, statementsOf, type TestApp } from '@mosaic/testing';

// Number filters under row-level security (ADR 0011): at 100,000 rows, EXPLAIN as the app
// role shows the list's filter on an indexed decimal and on an integer reaching an index
// (the plain numeric comparison scans: PostgreSQL gives an index leakproof operators only),
// and the answers stay exact at the edges (the range key only narrows, the numeric test decides).
let t: TestApp;
const ROWS = 100_000;

beforeAll(async () => {
  t = await createTestApp();
  const r = await t.api('POST', '/api/v1/meta/objects', { apiName: 'rk_item', label: '区间', fields: [
    { apiName: 'name', type: 'text', label: '名称' },
    { apiName: 'amount', type: 'decimal', label: '金额', indexed: true, config: { scale: 2 } },
    { apiName: 'qty', type: 'integer', label: '数量', indexed: true },
    { apiName: 'price', type: 'money', label: '单价' }, // not indexed: no key, still exact
  ] });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  // amount i/100 + 0.005 rounded to 2 places: 0.01 … 1000.00 in 0.01 steps; qty i % 1000.
  await inTenantTx(t.testDb.db.owner, { tenantId: t.tenant.tenantId }, (tx) => sql`INSERT INTO o_rk_item (tenant_id, id, c_name, c_amount, c_qty, c_price, c_price_ccy)
    SELECT ${t.tenant.tenantId}::uuid, gen_random_uuid(), 'r' || i, i / 100.0, i % 1000, i / 100.0, 'CNY' FROM generate_series(1, ${ROWS}::int) AS i`.execute(tx));
  await sql`ANALYZE o_rk_item`.execute(t.testDb.db.owner);
}, 120_000);

afterAll(async () => {
  await t?.close();
});

/** EXPLAIN of a statement as the application role (mosaic_app) with the tenant set: row-level security applies. */
async function planAsApp(text: string, values: unknown[]): Promise<string> {
  const r = await inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId, userId: t.tenant.adminId }, (tx) =>
    tx.executeQuery({ sql: `EXPLAIN ${text}`, parameters: values, query: { kind: 'RawNode' } as any, queryId: { queryId: 'explain' } } as any));
  return (r.rows as { 'QUERY PLAN': string }[]).map((x) => x['QUERY PLAN']).join('\n');
}

async function listPlan(filter: unknown, sort = 'amount'): Promise<{ plan: string; status: number; body: any }> {
  let reply: any;
  const seen = await statementsOf(async () => (reply = await t.api('GET', `/api/v1/records/rk_item?pageSize=500&sort=${sort}&filter=${encodeURIComponent(JSON.stringify(filter))}`)));
  const list = seen.find((s) => /FROM "o_rk_item"/.test(s.text));
  expect(list, 'the list statement').toBeTruthy();
  return { plan: await planAsApp(list!.text, list!.values), status: reply.status, body: reply.body };
}

describe('number filters under row-level security', () => {
  it('scan without a range key: the plain numeric comparison is no index condition (the problem)', async () => {
    const plan = await planAsApp('SELECT id FROM o_rk_item WHERE c_amount >= $1::numeric', ['999']);
    expect(plan).toMatch(/Seq Scan on o_rk_item/);
  });

  it('an indexed decimal filter reaches its float8 key index', async () => {
    const { plan, status, body } = await listPlan({ amount: { gte: 999 } });
    expect(status).toBe(200);
    expect(plan).toMatch(/Index Cond: .*c_amount__k/);
    expect(plan).not.toMatch(/Seq Scan on o_rk_item/);
    expect(body.total).toBe(101); // 999.00 … 1000.00
  });

  it('a between on it too', async () => {
    const { plan, body } = await listPlan({ amount: { between: ['10.5', '10.75'] } });
    expect(plan).toMatch(/Index Cond: .*c_amount__k/);
    expect(body.total).toBe(26);
  });

  it('an integer filter reaches the integer index (int8 bounds, not numeric)', async () => {
    const { plan, body } = await listPlan({ qty: 7 }, 'qty');
    expect(plan).toMatch(/Index Cond: .*c_qty/);
    expect(plan).not.toMatch(/Seq Scan on o_rk_item/);
    expect(body.total).toBe(ROWS / 1000);
  });

  it('stays exact at the edges: strict bounds, fractions against integers, an eq between two keys', async () => {
    const total = async (filter: unknown) => (await t.api('GET', `/api/v1/records/rk_item?pageSize=1&filter=${encodeURIComponent(JSON.stringify(filter))}`)).body.total;
    expect(await total({ amount: { gt: 999.99 } })).toBe(1);
    expect(await total({ amount: { gt: '999.995' } })).toBe(1);
    expect(await total({ amount: { lt: '0.02' } })).toBe(1);
    expect(await total({ amount: { lte: '0.02' } })).toBe(2);
    expect(await total({ amount: '500.5' })).toBe(1);
    expect(await total({ amount: '500.505' })).toBe(0);
    expect(await total({ qty: 2.5 })).toBe(0);
    expect(await total({ qty: { gt: 998.5 } })).toBe(ROWS / 1000);
    expect(await total({ qty: { lte: 0.5 } })).toBe(ROWS / 1000);
    expect(await total({ qty: { between: [1.5, 2.5] } })).toBe(ROWS / 1000);
    // A value too large for float8 / int8 keys: no key, no error, the exact test answers.
    expect(await total({ amount: { lt: '1e400' } })).toBe(ROWS);
    expect(await total({ qty: { gte: '1e30' } })).toBe(0);
    expect(await total({ amount: { gt: '1e-400' } })).toBe(ROWS); // float8 underflow would be an error
    expect(await total({ amount: { gte: '-1e400' } })).toBe(ROWS);
    // A money field that is not indexed has no key and filters as before.
    expect(await total({ price: { gte: 999 } })).toBe(101);
  });
});
