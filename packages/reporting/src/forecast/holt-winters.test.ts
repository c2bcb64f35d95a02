import { describe, expect, it } from 'vitest';
import { forecastSeries, meanAbsolutePercentageError } from './holt-winters.ts';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('Holt-Winters forecasting', () => {
  it('continues a straight line exactly, with a zero back-test error', () => {
    const y = range(24).map((t) => 10 + 2 * t);
    const r = forecastSeries(y, 6, 12);
    expect(r.model).toBe('holt_winters_additive');
    expect(r.forecast.map((p) => p.value)).toEqual(range(6).map((h) => 10 + 2 * (24 + h)).map((v) => expect.closeTo(v, 6)));
    expect(r.mape).toBeCloseTo(0, 6);
    expect(r.sigma).toBeCloseTo(0, 6);
  });

  it('follows trend and season of a monthly series (sales with a Spring Festival dip)', () => {
    const season = [0, -30, 10, 15, 20, 10, 0, -5, 5, 10, 20, 40];
    const truth = (t: number) => 200 + 3 * t + season[t % 12];
    const y = range(48).map(truth);
    const r = forecastSeries(y, 12, 12);
    expect(r.model).toBe('holt_winters_additive');
    r.forecast.forEach((p, h) => expect(Math.abs(p.value - truth(48 + h)) / truth(48 + h)).toBeLessThan(0.01));
    expect(r.mape).toBeLessThan(1);
  });

  it('widens the prediction interval with the horizon and keeps the forecast inside it', () => {
    let seed = 7;
    const noise = () => ((seed = (seed * 48271) % 2147483647) / 2147483647 - 0.5) * 8; // a fixed pseudo-random sequence
    const y = range(36).map((t) => 100 + t + (t % 12 < 6 ? 10 : -10) + noise());
    const r = forecastSeries(y, 6, 12);
    expect(r.sigma).toBeGreaterThan(0);
    for (const p of r.forecast) expect(p.lo).toBeLessThan(p.value), expect(p.hi).toBeGreaterThan(p.value);
    const widths = r.forecast.map((p) => p.hi - p.lo);
    for (let i = 1; i < widths.length; i++) expect(widths[i]).toBeGreaterThanOrEqual(widths[i - 1] - 1e-9);
    expect(r.holdout).toBe(6);
    expect(r.mape).not.toBeNull();
  });

  it('falls back to Holt\'s linear trend with less than two seasons, and to the last value with under three points', () => {
    const holt = forecastSeries([5, 7, 9, 11, 13, 15, 17, 19], 3, 12);
    expect(holt.model).toBe('holt_linear');
    expect(holt.forecast.map((p) => p.value)).toEqual([21, 23, 25].map((v) => expect.closeTo(v, 6)));
    const naive = forecastSeries([42, 40], 2, 12);
    expect(naive.model).toBe('naive');
    expect(naive.forecast.map((p) => p.value)).toEqual([40, 40]);
    expect(naive.mape).toBeNull();
  });

  it('computes MAPE over the non-zero actuals', () => {
    expect(meanAbsolutePercentageError([100, 200, 0], [110, 180, 5])).toBeCloseTo(10, 10);
    expect(meanAbsolutePercentageError([0], [1])).toBeNull();
  });
});
