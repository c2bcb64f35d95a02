import fs from 'node:fs';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { planMrp } from './mrp.rules.ts';
import { goldenFixture, ordersForGolden } from './fixtures/mrp-fixture.ts';

// Written by the engine before its typed-array rewrite (see fixtures/mrp-fixture.ts):
// a faster engine must plan exactly these orders, dates, quantities and pegs.
const golden = JSON.parse(zlib.gunzipSync(fs.readFileSync(new URL('./fixtures/mrp-golden.json.gz', import.meta.url))).toString('utf8')) as { levels: Record<string, number>; orders: unknown[][] };

describe('MRP golden result', () => {
  const result = planMrp(goldenFixture());

  it('plans exactly the golden orders and pegs', () => {
    const got = ordersForGolden(result.orders);
    expect(got.length).toBe(golden.orders.length);
    // order by order, so a difference names the first order that moved
    for (let i = 0; i < got.length; i++) expect(got[i], `order ${i}`).toEqual(golden.orders[i]);
  });

  it('gives the golden low-level codes', () => {
    expect(Object.fromEntries([...result.levels].sort(([a], [b]) => (a < b ? -1 : 1)))).toEqual(golden.levels);
  });

  it('covers what it is meant to: both kinds, all demand kinds, lot surplus pegs, past-due orders', () => {
    const pegs = result.orders.flatMap((o) => o.pegs);
    expect(new Set(result.orders.map((o) => o.kind))).toEqual(new Set(['work_order', 'purchase']));
    expect(new Set(pegs.filter((p) => p.demand).map((p) => p.demand!.type))).toEqual(new Set(['sales_order', 'production_plan', 'work_order', 'safety_stock']));
    expect(result.orders.some((o) => o.pastDue)).toBe(true);
    expect(result.orders.filter((o) => o.pegs.length > 1).length).toBeGreaterThan(100);
  });
});
