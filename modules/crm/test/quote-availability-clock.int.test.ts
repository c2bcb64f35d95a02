import { afterAll, beforeAll, expect, it } from 'vitest';
import { advanceClock, clock, resetClock } from '@mosaic/kernel';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { quoteAvailability } from '../quotes/quote-availability.service.ts';
import { systemCtx } from '../shared/system-ctx.ts';

// 报价实时库存 says "can ship on <today>" for a line the stock covers: today is the
// kernel clock's, in the tenant's time zone, so a test (or a replay) that moves the clock moves it too.
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
}, 120_000);
afterAll(async () => {
  resetClock();
  await t?.close();
});

const created = async (object: string, values: Record<string, unknown>) => {
  const r = await t.api('POST', `/api/v1/records/${object}`, values);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { id: string; version: number };
};

it('a line the stock covers can ship today by the kernel clock', async () => {
  const wh = (await created('warehouse', { code: 'WQ', name: '报价仓' })).id;
  const item = (await created('item', { code: 'QC-1', name: '钟测物料' })).id;
  const receipt = await created('stock_entry', { entry_type: 'receipt', warehouse: wh, lines: [{ item, qty: 5, rate: 10 }] });
  expect((await t.api('POST', `/api/v1/records/stock_entry/${receipt.id}/submit`, { version: receipt.version })).status).toBe(200);
  const customer = (await created('customer', { name: '钟测客户' })).id;
  const quote = await created('quote', { customer, warehouse: wh, lines: [{ item, qty: 3, list_price: '50' }] });

  const ctx = await systemCtx(t.testDb.db, t.store, t.tenant.tenantId);
  expect(ctx.guard.actor.timeZone).toBe('Asia/Shanghai');
  advanceClock(Date.parse('2031-03-14T17:30:00Z') - clock.now().getTime()); // 01:30 on the 15th in Shanghai
  try {
    const a = await quoteAvailability(ctx, quote.id);
    expect(a.lines.map((l) => [l.available, l.shortBy, l.canShipOn])).toEqual([['5', '0', '2031-03-15']]);
  } finally {
    resetClock();
  }
});
