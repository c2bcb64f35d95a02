import { describe, expect, it } from 'vitest';
import { consumeForecasts, monthlyForecastRows, periodEnd, type Forecast } from './forecast.rules.ts';

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

describe('monthly forecast rows from sales history', () => {
  // A stand-in for the report engine's model: the last value plus the mean step, so the figures are easy to follow.
  const drift = (series: number[], horizon: number) => ({
    model: 'drift',
    forecast: Array.from({ length: horizon }, (_, h) => ({ value: series.at(-1)! + ((h + 1) * (series.at(-1)! - series[0])) / Math.max(1, series.length - 1) })),
  });

  it('counts months without sales as 0, keeps months a manual row of any bucket overlaps, updates its own rows', () => {
    const plan = monthlyForecastRows({
      items: ['A', 'B'], from: '2027-01-01', months: 3, forecast: drift,
      // A: 30 in October, nothing in November, 10 in December → series 30, 0, 10: −10 a month, so 0, 0 (never below 0), 0
      sales: [{ item: 'A', month: '2026-10-01', qty: 30 }, { item: 'A', month: '2026-12-01', qty: 10 }],
      existing: [
        { id: 'r1', version: 3, item: 'A', start: '2027-01-01', bucket: 'month', source: 'report' },
        { id: 'm1', version: 1, item: 'A', start: '2027-02-26', bucket: 'week', source: 'manual' }, // overlaps February and March
      ],
    });
    expect(plan.update).toEqual([{ id: 'r1', version: 3, item: 'A', month: '2027-01-01', qty: 0, model: 'drift' }]);
    expect(plan.create).toEqual([]);
    expect(plan.kept).toEqual([{ item: 'A', month: '2027-02-01', forecast: 'm1' }, { item: 'A', month: '2027-03-01', forecast: 'm1' }]);
    expect(plan.skipped).toEqual([{ item: 'B', reason: 'no sales in the history window' }]);
  });
});
