import { describe, expect, it } from 'vitest';
import { consumeForecasts, periodEnd, type Forecast } from './forecast.rules.ts';

const f = (id: string, item: string, start: string, qty: number, bucket: 'day' | 'week' | 'month' | 'quarter' = 'month'): Forecast => ({ id, item, start, end: periodEnd(start, bucket), qty });

describe('forecast consumption: demand = max(forecast, ordered) per item and period', () => {
  it('adds only what orders of the period have not taken', () => {
    const out = consumeForecasts([f('F1', 'A', '2026-12-01', 100), f('F2', 'A', '2027-01-01', 80)], [
      { item: 'A', date: '2026-12-10', qty: 30 }, { item: 'A', date: '2026-12-31', qty: 20 }, // December: 50 of 100
      { item: 'A', date: '2027-01-05', qty: 90 }, // January: more than the forecast → nothing added
    ], '2026-12-01');
    expect(out).toEqual([{ item: 'A', qty: 50, date: '2026-12-01', ref: { type: 'demand_forecast', id: 'F1' } }]);
  });

  it('sums rows of one item and period (per warehouse), keeps items apart, dates the period under way today, drops past periods', () => {
    const out = consumeForecasts([f('F2', 'A', '2026-12-01', 40), f('F1', 'A', '2026-12-01', 60), f('F3', 'B', '2026-12-01', 10), f('F4', 'A', '2026-11-01', 500)],
      [{ item: 'B', date: '2026-12-02', qty: 4 }, { item: 'A', date: '2026-11-20', qty: 1 }], '2026-12-05');
    expect(out).toEqual([
      { item: 'A', qty: 100, date: '2026-12-05', ref: { type: 'demand_forecast', id: 'F1' } },
      { item: 'B', qty: 6, date: '2026-12-05', ref: { type: 'demand_forecast', id: 'F3' } },
    ]);
  });

  it('periods: a week is 7 days, a quarter 3 months, the end exclusive', () => {
    expect(periodEnd('2026-12-28', 'week')).toBe('2027-01-04');
    expect(periodEnd('2026-11-01', 'quarter')).toBe('2027-02-01');
    expect(consumeForecasts([f('W', 'A', '2026-12-07', 10, 'week')], [{ item: 'A', date: '2026-12-14', qty: 10 }], '2026-12-01')[0].qty).toBe(10);
  });
});
