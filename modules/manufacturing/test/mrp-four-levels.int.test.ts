import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { mfgHelpers } from './mfg-fixture.ts';

// The hand-computed 4-level case of mrp.rules.test.ts, on a real PostgreSQL through the API:
// BOMs with scrap, planning parameters with lot sizing, stock from a receipt, an open purchase
// order, safety stock and two sales orders, one background MRP run; the stored suggestions
// must be exactly the hand-computed orders, and the deepest purchase pegs back to both orders.
//   A (make, lead 2, lot for lot, 5 on hand)            = 2 B + 1 E
//   B (make, lead 3, fixed lot 50)                      = 3 C at 10 % scrap
//   C (make, lead 1, min 100 × 25, 10 on hand)          = 4 D at 5 % scrap + 0.5 E
//   D (buy, lead 5, safety stock 20; open PO 100 due 12-03)
//   E (buy, lead 4, multiple 10, 3 on hand) — under A (level 1) and C (level 3): low-level code 3
// Demand: SO-1 20 A due 12-10, SO-2 15 A due 12-17; run date 2026-12-01. The arithmetic is
// written out beside the pure test's fourLevels().
let t: TestApp;
const ids: Record<string, string> = {};

const mfg = mfgHelpers(() => t);
const { create, ok, submit } = mfg;

beforeAll(async () => {
  t = await createTestApp();
  const fg = await create('warehouse', { code: 'FG', name: '成品仓', allow_negative: true });
  const rm = await create('warehouse', { code: 'RM', name: '原料仓' });
  for (const code of ['A', 'B', 'C', 'D', 'E']) ids[code] = await create('item', { code, name: `物料${code}` });
  await create('item_planning', { item: ids.A, procurement: 'make', lead_time_days: 2 });
  await create('item_planning', { item: ids.B, procurement: 'make', lead_time_days: 3, lot_policy: 'fixed', lot_size: 50 });
  await create('item_planning', { item: ids.C, procurement: 'make', lead_time_days: 1, lot_policy: 'min_multiple', min_qty: 100, multiple: 25 });
  await create('item_planning', { item: ids.D, procurement: 'buy', lead_time_days: 5, safety_stock: 20 });
  await create('item_planning', { item: ids.E, procurement: 'buy', lead_time_days: 4, lot_policy: 'min_multiple', multiple: 10 });
  await create('bom', { item: ids.A, is_default: true, lines: [{ item: ids.B, qty: 2 }, { item: ids.E, qty: 1 }] });
  await create('bom', { item: ids.B, is_default: true, lines: [{ item: ids.C, qty: 3, scrap_pct: '0.1' }] });
  await create('bom', { item: ids.C, is_default: true, lines: [{ item: ids.D, qty: 4, scrap_pct: '0.05' }, { item: ids.E, qty: '0.5' }] });
  await submit('stock_entry', await create('stock_entry', { entry_type: 'receipt', warehouse: fg, lines: [{ item: ids.A, qty: 5, rate: 100 }] }));
  await submit('stock_entry', await create('stock_entry', { entry_type: 'receipt', warehouse: rm, lines: [{ item: ids.C, qty: 10, rate: 20 }, { item: ids.E, qty: 3, rate: 1 }] }));
  const supplier = await create('supplier', { code: 'S-D', name: '零件供应商' });
  const po = await create('purchase_order', { supplier, warehouse: rm, schedule_date: '2026-12-03', lines: [{ item: ids.D, qty: 100, rate: 2 }] });
  await submit('purchase_order', po);
  const customer = await create('customer', { name: '四级客户' });
  for (const [key, qty, date] of [['SO1', 20, '2026-12-10'], ['SO2', 15, '2026-12-17']] as const) {
    ids[key] = await create('sales_order', { customer, warehouse: fg, delivery_date: date, lines: [{ item: ids.A, qty, rate: 500 }] });
    await submit('sales_order', ids[key]);
  }
});

afterAll(async () => {
  await t?.close();
});

describe('a 4-level BOM explosion with scrap and lot sizing, stored by a real MRP run', () => {
  let suggestions: any[];

  it('stores exactly the hand-computed planned orders, levels and dates', async () => {
    suggestions = (await mfg.runMrp('2026-12-01', 'id,item.code,kind,qty,start_date,due_date,level', 'level,item.code,due_date')).suggestions;
    expect(suggestions.map((s) => [s['item.code'], s.level, s.kind, Number(s.qty), s.start_date, s.due_date])).toEqual([
      ['A', 0, 'work_order', 15, '2026-12-08', '2026-12-10'], // 20 − 5 on hand
      ['A', 0, 'work_order', 15, '2026-12-15', '2026-12-17'],
      ['B', 1, 'work_order', 50, '2026-12-05', '2026-12-08'], // 30 → fixed 50, 20 left
      ['B', 1, 'work_order', 50, '2026-12-12', '2026-12-15'], // 30 − 20 = 10 → 50
      ['C', 2, 'work_order', 175, '2026-12-04', '2026-12-05'], // 50 × 3.3 = 165 − 10 = 155 → ≥ 100, × 25
      ['C', 2, 'work_order', 150, '2026-12-11', '2026-12-12'], // 165 − 20 left = 145 → 150
      ['D', 3, 'purchase', 20, '2026-11-26', '2026-12-01'], // safety stock
      ['D', 3, 'purchase', 635, '2026-11-29', '2026-12-04'], // 175 × 4.2 = 735 − PO 100
      ['D', 3, 'purchase', 630, '2026-12-06', '2026-12-11'], // 150 × 4.2
      ['E', 3, 'purchase', 90, '2026-11-30', '2026-12-04'], // 87.5 − 3 = 84.5 → 90
      ['E', 3, 'purchase', 10, '2026-12-04', '2026-12-08'], // 15 − 5.5 = 9.5 → 10
      ['E', 3, 'purchase', 80, '2026-12-07', '2026-12-11'], // 75 − 0.5 = 74.5 → 80
      ['E', 3, 'purchase', 10, '2026-12-11', '2026-12-15'], // 15 − 5.5 = 9.5 → 10
    ]);
  });

  it('pegs the level-3 purchase back through C, B and A to both sales orders', async () => {
    const d = suggestions.find((s) => s['item.code'] === 'D' && Number(s.qty) === 635);
    const pegging = await ok('GET', `/api/v1/manufacturing/mrp-suggestions/${d.id}/pegging`);
    expect(pegging.roots.map((r: any) => r.id).sort()).toEqual([ids.SO1, ids.SO2].sort());
    expect(new Set(pegging.chain.map((c: any) => c.item))).toEqual(new Set([ids.D, ids.C, ids.B, ids.A]));
  });
});
