import { describe, expect, it } from 'vitest';
import { flattenPhantoms, lotSize, lowLevelCodes, pegRoots, plannedOrder, plannedOrders, planMrp, planMrpAsync } from './mrp.rules.ts';
import type { MrpBom, MrpInput, MrpItem } from './mrp.types.ts';

const item = (id: string, p: Partial<MrpItem>): MrpItem => ({
  id, procurement: 'make', leadTimeDays: 0, safetyStock: 0, lotPolicy: 'lot_for_lot', lotSize: 0, minQty: 0, multiple: 0, periodDays: 0, onHand: 0, ...p,
});
const bom = (parent: string, lines: [string, number, number?][]): [string, MrpBom] =>
  // qty per unit × (1 + scrap): the caller (mrp.service.ts) includes scrap the same way
  [parent, { item: parent, lines: lines.map(([i, q, scrap = 0]) => ({ item: i, qtyPer: q * (1 + scrap), phantom: false })) }];

/**
 * The 4-level case, computed by hand.
 *   A (make, lead 2, lot for lot, 5 on hand)     = 2 B + 1 E
 *   B (make, lead 3, fixed lot 50)               = 3 C at 10 % scrap (3.3)
 *   C (make, lead 1, min 100, multiple 25, 10 on hand) = 4 D at 5 % scrap (4.2) + 0.5 E
 *   D (buy, lead 5, lot for lot, safety stock 20; open PO 100 due 12-03)
 *   E (buy, lead 4, multiple 10, 3 on hand) — used at level 1 (under A) and level 3 (under C): low-level code 3
 * Demand: SO-1 20 A due 12-10, SO-2 15 A due 12-17; planning date 2026-12-01.
 *
 * A: 12-10 20 − 5 on hand = 15 → A1 15 due 12-10 start 12-08;  12-17 15 → A2 15 due 12-17 start 12-15
 *    explode: B 30 @12-08 (A1), 30 @12-15 (A2); E 15 @12-08, 15 @12-15
 * B: 12-08 30 → fixed 50: B1 50 due 12-08 start 12-05, 20 left; 12-15 30 − 20 = 10 → B2 50 due 12-15 start 12-12
 *    explode: C 50 × 3.3 = 165 @12-05 (B1), 165 @12-12 (B2)
 * C: 12-05 165 − 10 = 155 → ≥100, ×25 → 175: C1 due 12-05 start 12-04, 20 left
 *    12-12 165 − 20 = 145 → 150: C2 due 12-12 start 12-11
 *    explode: D 175 × 4.2 = 735 @12-04, 150 × 4.2 = 630 @12-11; E 87.5 @12-04, 75 @12-11
 * D: safety stock 20 @12-01 → D1 20 due 12-01 start 11-26 (past due)
 *    12-04 735 − PO 100 = 635 → D2 due 12-04 start 11-29 (past due); 12-11 630 → D3 due 12-11 start 12-06
 * E: 12-04 87.5 − 3 = 84.5 → 90 (5.5 left), start 11-30 (past due); 12-08 15 − 5.5 = 9.5 → 10 (0.5 left), start 12-04
 *    12-11 75 − 0.5 = 74.5 → 80 (5.5 left), start 12-07; 12-15 15 − 5.5 = 9.5 → 10, start 12-11
 */
const fourLevels = (): MrpInput => ({
  today: '2026-12-01',
  items: [
    item('A', { leadTimeDays: 2, onHand: 5 }),
    item('B', { leadTimeDays: 3, lotPolicy: 'fixed', lotSize: 50 }),
    item('C', { leadTimeDays: 1, lotPolicy: 'min_multiple', minQty: 100, multiple: 25, onHand: 10 }),
    item('D', { procurement: 'buy', leadTimeDays: 5, safetyStock: 20 }),
    item('E', { procurement: 'buy', leadTimeDays: 4, lotPolicy: 'min_multiple', multiple: 10, onHand: 3 }),
  ],
  boms: new Map([bom('A', [['B', 2], ['E', 1]]), bom('B', [['C', 3, 0.1]]), bom('C', [['D', 4, 0.05], ['E', 0.5]])]),
  demands: [
    { item: 'A', qty: 20, date: '2026-12-10', ref: { type: 'sales_order', id: 'SO-1', line: 'L1' } },
    { item: 'A', qty: 15, date: '2026-12-17', ref: { type: 'sales_order', id: 'SO-2', line: 'L1' } },
  ],
  receipts: [{ item: 'D', qty: 100, date: '2026-12-03', type: 'purchase_order', id: 'PO-1' }],
});

const summary = (r: ReturnType<typeof planMrp>) => r.orders.map((o) => [o.item, o.kind, o.qty, o.startDate, o.dueDate, o.pastDue]);

describe('MRP: 4-level explosion with scrap, lot sizing, stock, open POs and safety stock', () => {
  const result = planMrp(fourLevels());

  it('gives each item its low-level code (E appears at levels 1 and 3 → 3)', () => {
    expect(Object.fromEntries(result.levels)).toEqual({ A: 0, B: 1, C: 2, D: 3, E: 3 });
  });

  it('plans the hand-computed orders and dates', () => {
    expect(summary(result)).toEqual([
      ['A', 'work_order', 15, '2026-12-08', '2026-12-10', false],
      ['A', 'work_order', 15, '2026-12-15', '2026-12-17', false],
      ['B', 'work_order', 50, '2026-12-05', '2026-12-08', false],
      ['B', 'work_order', 50, '2026-12-12', '2026-12-15', false],
      ['C', 'work_order', 175, '2026-12-04', '2026-12-05', false],
      ['C', 'work_order', 150, '2026-12-11', '2026-12-12', false],
      ['D', 'purchase', 20, '2026-11-26', '2026-12-01', true],
      ['D', 'purchase', 635, '2026-11-29', '2026-12-04', true],
      ['D', 'purchase', 630, '2026-12-06', '2026-12-11', false],
      ['E', 'purchase', 90, '2026-11-30', '2026-12-04', true],
      ['E', 'purchase', 10, '2026-12-04', '2026-12-08', false],
      ['E', 'purchase', 80, '2026-12-07', '2026-12-11', false],
      ['E', 'purchase', 10, '2026-12-11', '2026-12-15', false],
    ]);
  });

  it('pegs each order to what it covers, and back to the sales order', () => {
    const [a1, a2, b1, b2, c1, , d1, d2] = result.orders;
    expect(a1.pegs).toEqual([{ demand: { type: 'sales_order', id: 'SO-1', line: 'L1' }, qty: 15 }]);
    // B1's lot surplus of 20 covers part of A2's requirement
    expect(b1.pegs).toEqual([{ order: a1.index, qty: 30 }, { order: a2.index, qty: 20 }]);
    expect(b2.pegs).toEqual([{ order: a2.index, qty: 10 }]);
    expect(d1.pegs).toEqual([{ demand: { type: 'safety_stock', id: 'D' }, qty: 20 }]);
    expect(d2.pegs).toEqual([{ order: c1.index, qty: 635 }]);
    // D2 → C1 → B1 → A1 → SO-1, and through B1's surplus → A2 → SO-2
    expect(pegRoots(result.orders, d2.index).map((d) => d.id).sort()).toEqual(['SO-1', 'SO-2']);
    expect(pegRoots(result.orders, result.orders[5].index).map((d) => d.id)).toEqual(['SO-2']);
  });

  it('an open work order is a scheduled receipt like a PO', () => {
    const input = fourLevels();
    input.receipts.push({ item: 'A', qty: 15, date: '2026-12-09', type: 'work_order', id: 'WO-1' });
    const r = planMrp(input);
    // 12-10: 20 − 5 − 15 = 0; only SO-2's 15 is planned
    expect(summary(r).filter((o) => o[0] === 'A')).toEqual([['A', 'work_order', 15, '2026-12-15', '2026-12-17', false]]);
  });

  it('reports progress and ends at 100 %', () => {
    const seen: [number, number][] = [];
    planMrp({ ...fourLevels(), onProgress: (d, t) => seen.push([d, t]) });
    expect(seen.at(-1)).toEqual([5, 5]);
  });
});

describe('MRP building blocks', () => {
  it('lot sizing: lot for lot, fixed, minimum/multiple', () => {
    const p = { lotSize: 0, minQty: 0, multiple: 0 };
    expect(lotSize({ ...p, lotPolicy: 'lot_for_lot' }, 7.3)).toBe(7.3);
    expect(lotSize({ ...p, lotPolicy: 'fixed', lotSize: 50 }, 50)).toBe(50);
    expect(lotSize({ ...p, lotPolicy: 'fixed', lotSize: 50 }, 50.000001)).toBe(100);
    expect(lotSize({ ...p, lotPolicy: 'min_multiple', minQty: 100, multiple: 25 }, 30)).toBe(100);
    expect(lotSize({ ...p, lotPolicy: 'min_multiple', minQty: 100, multiple: 25 }, 101)).toBe(125);
    expect(lotSize({ ...p, lotPolicy: 'min_multiple', multiple: 0.1 }, 0.30000000000000004)).toBe(0.3);
  });

  it('period order quantity: a week of requirements in one order due on its first day', () => {
    const r = planMrp({
      today: '2026-12-01', items: [item('P', { procurement: 'buy', periodDays: 7, leadTimeDays: 2 })], boms: new Map(), receipts: [],
      demands: ['2026-12-02', '2026-12-05', '2026-12-08', '2026-12-09', '2026-12-20'].map((date, i) => ({ item: 'P', qty: i + 1, date, ref: { type: 'sales_order' as const, id: `S${i}` } })),
    });
    // 12-02..12-08 → 1 + 2 + 3 due 12-02; 12-09 starts the next week → 4; 12-20 → 5
    expect(summary(r)).toEqual([['P', 'purchase', 6, '2026-11-30', '2026-12-02', true], ['P', 'purchase', 4, '2026-12-07', '2026-12-09', false], ['P', 'purchase', 5, '2026-12-18', '2026-12-20', false]]);
  });

  it('a phantom passes its components through, scaled', () => {
    const boms = new Map<string, MrpBom>([
      ['P', { item: 'P', lines: [{ item: 'K', qtyPer: 2, phantom: true }, { item: 'X', qtyPer: 1, phantom: false }] }],
      ['K', { item: 'K', lines: [{ item: 'S', qtyPer: 3, phantom: false }] }],
    ]);
    expect(flattenPhantoms(boms).get('P')!.lines).toEqual([{ item: 'S', qtyPer: 6, phantom: false }, { item: 'X', qtyPer: 1, phantom: false }]);
    const r = planMrp({ today: '2026-12-01', items: [], boms, demands: [{ item: 'P', qty: 1, date: '2026-12-02', ref: { type: 'sales_order', id: 'S' } }], receipts: [] });
    expect(r.orders.map((o) => [o.item, o.qty])).toEqual([['P', 1], ['S', 6], ['X', 1]]);
  });

  it('explodes each planned order with the BOM version in effect on its release date', () => {
    // P (lead 1): V1 (2 X) until 12-14, V2 (3 Y) from 12-15; the run date's version is V1.
    const v1: MrpBom = { item: 'P', lines: [{ item: 'X', qtyPer: 2, phantom: false }] };
    const v2: MrpBom = { item: 'P', lines: [{ item: 'Y', qtyPer: 3, phantom: false }] };
    const input: MrpInput = {
      today: '2026-12-01', items: [item('P', { leadTimeDays: 1 }), item('X', { procurement: 'buy' }), item('Y', { procurement: 'buy' })],
      boms: new Map([['P', v1]]), bomTimeline: new Map([['P', [{ from: null, bom: v1 }, { from: '2026-12-15', bom: v2 }]]]),
      receipts: [],
      demands: [
        { item: 'P', qty: 10, date: '2026-12-11', ref: { type: 'sales_order', id: 'S1' } }, // starts 12-10: V1
        { item: 'P', qty: 4, date: '2026-12-15', ref: { type: 'sales_order', id: 'S2' } }, // starts 12-14: still V1
        { item: 'P', qty: 5, date: '2026-12-16', ref: { type: 'sales_order', id: 'S3' } }, // starts 12-15: V2
      ],
    };
    expect(summary(planMrp(input))).toEqual([
      ['P', 'work_order', 10, '2026-12-10', '2026-12-11', false],
      ['P', 'work_order', 4, '2026-12-14', '2026-12-15', false],
      ['P', 'work_order', 5, '2026-12-15', '2026-12-16', false],
      ['X', 'purchase', 20, '2026-12-10', '2026-12-10', false],
      ['X', 'purchase', 8, '2026-12-14', '2026-12-14', false],
      ['Y', 'purchase', 15, '2026-12-15', '2026-12-15', false],
    ]);
    // Without the timeline every order explodes with the run date's V1 (the old behaviour).
    expect(summary(planMrp({ ...input, bomTimeline: undefined })).filter((o) => o[0] !== 'P').map((o) => [o[0], o[2]])).toEqual([['X', 20], ['X', 8], ['X', 10]]);
  });

  it('explodes a phantom with its own version of the requirement date, inside an undated BOM or a dated version', () => {
    // K (phantom): K1 (2 X) until 12-14, K2 (3 Y) from 12-15; the run date's version is K1.
    // P (lead 1) = 1 K, one undated version; Q (lead 1): one version from 11-01 = 1 K.
    const k1: MrpBom = { item: 'K', lines: [{ item: 'X', qtyPer: 2, phantom: false }] };
    const k2: MrpBom = { item: 'K', lines: [{ item: 'Y', qtyPer: 3, phantom: false }] };
    const p: MrpBom = { item: 'P', lines: [{ item: 'K', qtyPer: 1, phantom: true }] };
    const q: MrpBom = { item: 'Q', lines: [{ item: 'K', qtyPer: 1, phantom: true }] };
    const r = planMrp({
      today: '2026-12-01', receipts: [],
      items: [item('P', { leadTimeDays: 1 }), item('Q', { leadTimeDays: 1 }), item('X', { procurement: 'buy' }), item('Y', { procurement: 'buy' })],
      boms: new Map([['K', k1], ['P', p], ['Q', q]]),
      bomTimeline: new Map([['K', [{ from: null, bom: k1 }, { from: '2026-12-15', bom: k2 }]], ['Q', [{ from: null, bom: null }, { from: '2026-11-01', bom: q }]]]),
      demands: [
        { item: 'P', qty: 10, date: '2026-12-11', ref: { type: 'sales_order', id: 'S1' } }, // starts 12-10: K1
        { item: 'P', qty: 5, date: '2026-12-21', ref: { type: 'sales_order', id: 'S2' } }, // starts 12-20: K2
        { item: 'Q', qty: 4, date: '2026-12-16', ref: { type: 'sales_order', id: 'S3' } }, // starts 12-15: K2
      ],
    });
    expect(summary(r)).toEqual([
      ['P', 'work_order', 10, '2026-12-10', '2026-12-11', false],
      ['P', 'work_order', 5, '2026-12-20', '2026-12-21', false],
      ['Q', 'work_order', 4, '2026-12-15', '2026-12-16', false],
      ['X', 'purchase', 20, '2026-12-10', '2026-12-10', false],
      ['Y', 'purchase', 12, '2026-12-15', '2026-12-15', false],
      ['Y', 'purchase', 15, '2026-12-20', '2026-12-20', false],
    ]);
    expect(r.orders.some((o) => o.item === 'K')).toBe(false);
  });

  it('gives low-level codes over every version: a component only a later version uses is still planned after its parent', () => {
    const v1: MrpBom = { item: 'P', lines: [{ item: 'X', qtyPer: 1, phantom: false }] };
    const v2: MrpBom = { item: 'P', lines: [{ item: 'Q', qtyPer: 1, phantom: false }] };
    const q: MrpBom = { item: 'Q', lines: [{ item: 'X', qtyPer: 2, phantom: false }] };
    const r = planMrp({
      today: '2026-12-01', items: [], receipts: [], boms: new Map([['P', v1], ['Q', q]]),
      bomTimeline: new Map([['P', [{ from: null, bom: v1 }, { from: '2026-12-10', bom: v2 }]]]),
      demands: [{ item: 'P', qty: 3, date: '2026-12-20', ref: { type: 'sales_order', id: 'S' } }],
    });
    expect(Object.fromEntries(r.levels)).toEqual({ P: 0, Q: 1, X: 2 });
    expect(summary(r).map((o) => [o[0], o[2]])).toEqual([['P', 3], ['Q', 3], ['X', 6]]);
  });

  it('refuses a BOM cycle naming the items', () => {
    const boms = new Map([bom('A', [['B', 1]]), bom('B', [['A', 1]])]);
    expect(() => lowLevelCodes(new Map(), boms)).toThrow(/contain themselves: A, B/);
  });
});

describe('MRP planned in slices, the event loop free in between', () => {
  // 3 levels × 40 items, 400 demands: enough steps to pause between.
  const sizable = (): MrpInput => {
    const ids = (p: string) => Array.from({ length: 40 }, (_, i) => `${p}${String(i).padStart(2, '0')}`);
    const [tops, mids, parts] = [ids('T'), ids('M'), ids('P')];
    return {
      today: '2026-12-01',
      items: [...tops.map((id) => item(id, { leadTimeDays: 1 })), ...mids.map((id, i) => item(id, { leadTimeDays: 2, lotPolicy: 'fixed', lotSize: 7 + i, periodDays: 5 })),
        ...parts.map((id, i) => item(id, { procurement: 'buy', leadTimeDays: 3, lotPolicy: 'min_multiple', minQty: 50, multiple: 10, onHand: i * 3, safetyStock: i % 4 }))],
      boms: new Map([...tops.map((t, i) => bom(t, [[mids[i], 2], [mids[(i + 7) % 40], 1, 0.02], [parts[(i * 3) % 40], 3]])), ...mids.map((m, i) => bom(m, [[parts[i], 1.5], [parts[(i + 11) % 40], 4, 0.05]]))]),
      demands: Array.from({ length: 400 }, (_, k) => ({ item: tops[(k * 13) % 40], qty: 1 + (k % 9), date: `2026-12-${String(2 + (k % 27)).padStart(2, '0')}`, ref: { type: 'sales_order' as const, id: `SO-${k}`, line: 'L1' } })),
      receipts: [{ item: parts[5], qty: 120, date: '2026-12-04', type: 'purchase_order', id: 'PO-1' }],
    };
  };

  it('planMrpAsync plans exactly what planMrp plans, pegs included', async () => {
    const sync = planMrp(sizable());
    expect(sync.orders.length).toBeGreaterThan(100);
    const plan = await planMrpAsync(sizable(), 0);
    expect(plannedOrders(plan)).toEqual(sync.orders);
    expect(plan.levels).toEqual(sync.levels);
  });

  it('hands out only final orders between slices: what it offered early is what the plan ends with', async () => {
    const offered = new Map<number, string>(); // an order as first offered, to compare with its final state
    let calls = 0;
    const plan = await planMrpAsync(sizable(), 0, (soFar) => {
      calls++;
      for (let i = 0; i < soFar.count; i++) if (!offered.has(i)) offered.set(i, JSON.stringify(plannedOrder(soFar, i)));
    });
    const result = { orders: plannedOrders(plan) };
    expect(calls).toBeGreaterThan(10);
    expect(offered.size).toBeGreaterThan(100);
    for (const [index, snapshot] of offered) expect(snapshot).toBe(JSON.stringify(result.orders[index]));
  });

  it('planMrpAsync lets other callbacks run while it plans', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const before = ticks;
    await planMrpAsync(sizable(), 0);
    clearInterval(timer);
    expect(ticks - before).toBeGreaterThan(0);
    // the synchronous one blocks: no callback in between
    const mark = ticks;
    const t2 = setInterval(() => ticks++, 0);
    planMrp(sizable());
    const after = ticks;
    clearInterval(t2);
    expect(after).toBe(mark);
  });
});
