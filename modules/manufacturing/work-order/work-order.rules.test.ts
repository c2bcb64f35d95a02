import { describe, expect, it } from 'vitest';
import { Decimal } from '@mosaic/kernel';
import { actualCost, checkReport, issuedPerPrimary, withSubstitutes } from './work-order.rules.ts';

const d = (x: number | string) => new Decimal(x);

describe('substitutes (替代料)', () => {
  const subs = [{ item: 'A', substitute: 'B', ratio: '2', priority: 2 }, { item: 'A', substitute: 'C', ratio: '1', priority: 1 }];

  it('takes the shortfall from substitutes by priority, at their ratio', () => {
    // need 10 A, 4 on hand → 6 short: C (priority 1) has 2 → 2 C covers 2; B covers the other 4 at ×2 = 8 B
    const out = withSubstitutes([{ item: 'A', qty: d(10) }], subs, new Map([['A', d(4)], ['B', d(100)], ['C', d(2)]]));
    expect(out.map((l) => [l.item, l.qty.toNumber()])).toEqual([['C', 2], ['B', 8], ['A', 4]]);
  });

  it('leaves what nothing covers on the primary, for the stock ledger to refuse by name', () => {
    const out = withSubstitutes([{ item: 'A', qty: d(10) }], subs, new Map([['A', d(4)], ['B', d(2)]]));
    // B 2 covers 1 A; 5 remain short on A → A 4 + 5 = 9
    expect(out.map((l) => [l.item, l.qty.toNumber()])).toEqual([['B', 2], ['A', 9]]);
  });

  it('counts issued substitutes against the primary', () => {
    expect(issuedPerPrimary([{ item: 'A' }], subs, new Map([['A', d(1)], ['B', d(4)], ['C', d(1)]])).get('A')!.toNumber()).toBe(4);
  });
});

describe('work reports and cost', () => {
  const ops = [{ seq: 10, good: d(6), scrap: d(1) }, { seq: 20, good: d(6), scrap: d(0) }];

  it('refuses more than reached the operation, naming the field', () => {
    expect(() => checkReport(ops, d(10), 20, d(1), d(0))).toThrow(/only 0 left to report on operation 20/);
    expect(() => checkReport(ops, d(10), 10, d(3), d(1))).toThrow(/only 3 left/);
    expect(() => checkReport(ops, d(10), 10, d(0), d(0))).toThrow(/good_qty/);
    expect(() => checkReport(ops, d(10), 10, d(3), d(0))).not.toThrow();
  });

  it('actual cost vs standard for what was produced', () => {
    const c = actualCost({ material: d(1420), labour: d('336.666'), overheadAbsorbed: d('168.333'), overheadPct: d(0), byProducts: d(0), standardUnit: d(235), produced: d(8) });
    expect([c.actual.toFixed(2), c.standard.toFixed(2), c.variance.toFixed(2), c.fgRate.toFixed(6)]).toEqual(['1925.00', '1880.00', '45.00', '240.625000']);
  });
});
