import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenantTx, sql } from '@mosaic/db';
import { createTestApp, type TestApp } from '@mosaic/testing';

// 业财一体化 for stock: each stock posting becomes a voucher in the same
// transaction, with the exact accounts and amounts, and the books can refuse it.
let t: TestApp;
let wh: string;
let item: string;

beforeAll(async () => {
  t = await createTestApp();
  wh = (await t.api('POST', '/api/v1/records/warehouse', { code: 'RM', name: '原料仓' })).body.id;
  item = (await t.api('POST', '/api/v1/records/item', { code: 'STEEL', name: '钢板' })).body.id;
});

afterAll(async () => {
  await t?.close();
});

const entry = async (entry_type: string, qty: number, rate?: number, posting_date = '2026-11-20') => {
  const doc = await t.api('POST', '/api/v1/records/stock_entry', { entry_type, warehouse: wh, posting_date, lines: [{ item, qty, rate }] });
  expect(doc.status, JSON.stringify(doc.body)).toBe(201);
  return t.api('POST', `/api/v1/records/stock_entry/${doc.body.id}/submit`, { version: 1 });
};

const vouchersOf = (sourceId: string) => inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, async (tx) =>
  (await sql<{ number: string; status: string; code: string; debit: string; credit: string }>`
    SELECT j.c_number AS number, j.status, a.c_code AS code, g.c_debit::text AS debit, g.c_credit::text AS credit
    FROM o_journal_entry j JOIN o_gl_entry g ON g.c_journal_entry = j.id JOIN o_gl_account a ON a.id = g.c_account
    WHERE j.c_source_id = ${sourceId} ORDER BY j.created_at, a.c_code`.execute(tx)).rows);

describe('stock postings become vouchers', () => {
  it('a receipt: Dr 1405 库存商品, Cr 1901; an issue: Dr 5602, Cr 1405 at the valuation rate', async () => {
    const r = await entry('receipt', 10, 12.345);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(await vouchersOf(r.body.id)).toEqual([
      { number: expect.stringMatching(/^转-202611-\d{4}$/), status: 'submitted', code: '1405', debit: '123.45', credit: '0.00' },
      { number: expect.stringMatching(/^转-202611-\d{4}$/), status: 'submitted', code: '1901', debit: '0.00', credit: '123.45' },
    ]);
    const i = await entry('issue', 4);
    expect(await vouchersOf(i.body.id)).toEqual([
      expect.objectContaining({ code: '1405', debit: '0.00', credit: '49.38' }),
      expect.objectContaining({ code: '5602', debit: '49.38', credit: '0.00' }),
    ]);
  });

  it('cancelling the stock document posts the reversing voucher', async () => {
    const r = await entry('receipt', 2, 50);
    await t.api('POST', `/api/v1/records/stock_entry/${r.body.id}/cancel`, { version: 2 });
    const lines = await vouchersOf(r.body.id);
    expect(lines.filter((l) => l.code === '1405').map((l) => [l.debit, l.credit])).toEqual([['100.00', '0.00'], ['0.00', '100.00']]);
  });

  it('a closed period refuses the stock posting with it: stock and books never disagree', async () => {
    await t.api('POST', '/api/v1/records/fiscal_period', { period: '2026-09', is_closed: true });
    const r = await entry('receipt', 5, 10, '2026-09-10');
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('PERIOD_CLOSED');
    const bal = await t.api('GET', `/api/v1/records/stock_balance?filter=${encodeURIComponent(JSON.stringify({ item, warehouse: wh }))}`);
    expect(bal.body.data[0].on_hand).toBe('6.000000'); // 10 − 4, the refused 5 never arrived
  });
});
