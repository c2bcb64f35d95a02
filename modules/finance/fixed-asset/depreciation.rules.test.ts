import { describe, expect, it } from 'vitest';
import { Decimal } from '@mosaic/kernel';
import { depreciationSchedule, lifeMonthIndex } from './depreciation.rules.ts';

const terms = (method: 'straight_line' | 'double_declining' | 'sum_of_years', cost = 100000, life = 60, residual = '0.05') =>
  ({ cost: new Decimal(cost), residualRate: new Decimal(residual), lifeMonths: life, method });
const yearly = (s: Decimal[]) => Array.from({ length: s.length / 12 }, (_, y) => s.slice(y * 12, y * 12 + 12).reduce((a, b) => a.plus(b), new Decimal(0)).toFixed(2));
const sum = (s: Decimal[]) => s.reduce((a, b) => a.plus(b), new Decimal(0)).toFixed(2);

describe('depreciation schedules', () => {
  it('straight-line: equal months, the last takes the rounding', () => {
    const s = depreciationSchedule(terms('straight_line', 10000, 36, '0.05'));
    expect(s[0].toFixed(2)).toBe('263.89');
    expect(s[35].toFixed(2)).toBe('263.85');
    expect(sum(s)).toBe('9500.00');
  });

  it('double-declining: 40 % of book value a year, straight-line over the last two years to the residual', () => {
    const s = depreciationSchedule(terms('double_declining'));
    expect(yearly(s)).toEqual(['40000.00', '24000.00', '14400.00', '8300.00', '8300.00']);
    expect(sum(s)).toBe('95000.00');
    expect(s[0].toFixed(2)).toBe('3333.33');
    expect(s[11].toFixed(2)).toBe('3333.37');
  });

  it('sum-of-years: 5/15, 4/15, … of cost − residual', () => {
    const s = depreciationSchedule(terms('sum_of_years'));
    expect(yearly(s)).toEqual(['31666.67', '25333.33', '19000.00', '12666.67', '6333.33']);
    expect(sum(s)).toBe('95000.00');
  });

  it('refuses an accelerated method over part years', () => {
    expect(() => depreciationSchedule(terms('sum_of_years', 1000, 30))).toThrow(/life_months/);
  });

  it('starts the month after acquisition and stops at the end of life', () => {
    expect(lifeMonthIndex('2026-01-15', '2026-01', 12)).toBe(-1);
    expect(lifeMonthIndex('2026-01-15', '2026-02', 12)).toBe(0);
    expect(lifeMonthIndex('2026-01-15', '2027-01', 12)).toBe(11);
    expect(lifeMonthIndex('2026-01-15', '2027-02', 12)).toBe(-1);
  });
});
