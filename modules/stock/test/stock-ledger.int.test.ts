import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenantTx, sql } from '@mosaic/db';
import { createTestApp, type TestApp } from '@mosaic/testing';

// The stock ledger on a real PostgreSQL: valuation by moving average and FIFO,
// reversals at the rate things left, transfers carrying value, and the oversell
// test — 64 clients racing for 20 units.
let t: TestApp;
let wh: string;
let wh2: string;

beforeAll(async () => {
  t = await createTestApp();
  wh = (await t.api('POST', '/api/v1/records/warehouse', { code: 'FG', name: '成品仓' })).body.id;
  wh2 = (await t.api('POST', '/api/v1/records/warehouse', { code: 'WIP', name: '车间仓' })).body.id;
});

afterAll(async () => {
  await t?.close();
});

const newItem = async (code: string, method = 'moving_average') => {
  const r = await t.api('POST', '/api/v1/records/item', { code, name: `物料${code}`, valuation_method: method });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id as string;
};

const post = async (entry_type: string, lines: { item: string; qty: number; rate?: number }[], opts: { warehouse?: string; to_warehouse?: string } = {}) => {
  const doc = await t.api('POST', '/api/v1/records/stock_entry', { entry_type, warehouse: opts.warehouse ?? wh, to_warehouse: opts.to_warehouse, lines });
  if (doc.status !== 201) return doc;
  return t.api('POST', `/api/v1/records/stock_entry/${doc.body.id}/submit`, { version: 1 });
};

const balance = async (item: string, warehouse = wh) => {
  const r = await t.api('GET', `/api/v1/records/stock_balance?filter=${encodeURIComponent(JSON.stringify({ item, warehouse }))}`);
  return r.body.data[0] as { on_hand: string; value: string; available: string };
};

describe('valuation through documents', () => {
  it('moving average: in 10 @ 10, in 10 @ 20, out 15 → 5 left valued 75', async () => {
    const item = await newItem('MA-1');
    await post('receipt', [{ item, qty: 10, rate: 10 }]);
    await post('receipt', [{ item, qty: 10, rate: 20 }]);
    const out = await post('issue', [{ item, qty: 15 }]);
    expect(out.status, JSON.stringify(out.body)).toBe(200);
    expect(await balance(item)).toMatchObject({ on_hand: '5.000000', value: '75.000000', available: '5.000000' });
  });

  it('FIFO: the same moves → 5 left valued 100', async () => {
    const item = await newItem('FIFO-1', 'fifo');
    await post('receipt', [{ item, qty: 10, rate: 10 }]);
    await post('receipt', [{ item, qty: 10, rate: 20 }]);
    await post('issue', [{ item, qty: 15 }]);
    expect(await balance(item)).toMatchObject({ on_hand: '5.000000', value: '100.000000' });
  });

  it('a cancelled issue comes back at the rate it left, a cancelled receipt goes out at the rate it came', async () => {
    const item = await newItem('RET-1');
    await post('receipt', [{ item, qty: 10, rate: 10 }]);
    const out = await post('issue', [{ item, qty: 4 }]);
    await post('receipt', [{ item, qty: 6, rate: 20 }]); // average now (60 + 120) / 12 = 15
    const cancel = await t.api('POST', `/api/v1/records/stock_entry/${out.body.id}/cancel`, { version: out.body.version, reason: '退货' });
    expect(cancel.status, JSON.stringify(cancel.body)).toBe(200);
    expect(await balance(item)).toMatchObject({ on_hand: '16.000000', value: '220.000000' }); // 180 + 4 × 10
  });

  it('a transfer carries value from one warehouse to the other', async () => {
    const item = await newItem('TR-1');
    await post('receipt', [{ item, qty: 10, rate: 12.5 }]);
    const tr = await post('transfer', [{ item, qty: 4 }], { to_warehouse: wh2 });
    expect(tr.status, JSON.stringify(tr.body)).toBe(200);
    expect(await balance(item, wh)).toMatchObject({ on_hand: '6.000000', value: '75.000000' });
    expect(await balance(item, wh2)).toMatchObject({ on_hand: '4.000000', value: '50.000000' });
  });
});

describe('the oversell test', () => {
  it('64 concurrent clients ordering 1 unit of 20 in stock: exactly 20 succeed, the rest get a clear 409', async () => {
    const item = await newItem('HOT-1');
    await post('receipt', [{ item, qty: 20, rate: 8 }]);
    const results = await Promise.all(Array.from({ length: 64 }, () => post('issue', [{ item, qty: 1 }])));
    const ok = results.filter((r) => r.status === 200);
    const refused = results.filter((r) => r.status !== 200);
    expect(ok).toHaveLength(20);
    expect(refused).toHaveLength(44);
    for (const r of refused) {
      expect(r.status).toBe(409);
      expect(r.body.error.code).toBe('STOCK_SHORTAGE');
      expect(r.body.error.message).toContain('物料HOT-1');
    }
    expect(await balance(item)).toMatchObject({ on_hand: '0.000000', value: '0.000000' });
    // the ledger adds up to the balance
    const sums = await inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, (tx) =>
      sql<{ qty: string; value: string; n: number }>`SELECT sum(c_qty)::text AS qty, sum(c_value_change)::text AS value, count(*)::int AS n FROM o_stock_ledger_entry WHERE c_item = ${item}`.execute(tx));
    expect(sums.rows[0]).toMatchObject({ qty: '0.000000', n: 21 });
    expect(Number(sums.rows[0].value)).toBe(0);
  }, 60_000);
});

describe('the ledger is written only by postings', () => {
  it('refuses direct writes through the API and through SQL', async () => {
    const item = await newItem('GUARD-1');
    await post('receipt', [{ item, qty: 1, rate: 1 }]);
    const viaApi = await t.api('POST', '/api/v1/records/stock_ledger_entry', { item, warehouse: wh, posting_date: '2026-01-01', qty: 5, voucher_type: 'x', voucher_id: 'y' });
    expect(viaApi.status).toBe(403);
    const bal = await balance(item);
    void bal;
    const attempt = (q: ReturnType<typeof sql>) => inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, (tx) => q.execute(tx));
    await expect(attempt(sql`UPDATE o_stock_ledger_entry SET c_qty = 100 WHERE c_item = ${item}`)).rejects.toMatchObject({ code: 'MS002' });
    await expect(attempt(sql`DELETE FROM o_stock_ledger_entry WHERE c_item = ${item}`)).rejects.toMatchObject({ code: 'MS002' });
    await expect(attempt(sql`UPDATE o_stock_balance SET c_on_hand = 100 WHERE c_item = ${item}`)).rejects.toMatchObject({ code: 'MS002' });
  });

  it('refuses a receipt without a rate and a transfer to the same warehouse, naming the field', async () => {
    const item = await newItem('BAD-1');
    const noRate = await post('receipt', [{ item, qty: 1 }]);
    expect(noRate.body.error).toMatchObject({ code: 'FIELD_REQUIRED', field: 'lines.0.rate' });
    const same = await post('transfer', [{ item, qty: 1 }], { to_warehouse: wh });
    expect(same.body.error).toMatchObject({ code: 'FIELD_INVALID', field: 'to_warehouse' });
  });
});
