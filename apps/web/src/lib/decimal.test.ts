import { describe, expect, it } from 'vitest';
import { mulDecimals, sumDecimals } from './decimal.ts';

// Row totals in the child grid are worked out in the browser: exact, never through a float.
describe('mulDecimals', () => {
  it('multiplies exactly and rounds half away from zero', () => {
    expect(mulDecimals('3', '12345.6', 2)).toBe('37036.8');
    expect(mulDecimals('0.1', '0.2', 2)).toBe('0.02');
    expect(mulDecimals('1.005', '1', 2)).toBe('1.01'); // 1.005 × 1: a float would say 1.00
    expect(mulDecimals('-2.5', '0.3', 1)).toBe('-0.8');
    expect(mulDecimals('99999999999999.99', '3', 2)).toBe('299999999999999.97');
    expect(mulDecimals('7', '8', 0)).toBe('56');
  });

  it('is null when a side is empty or not a number', () => {
    expect(mulDecimals('', '2', 2)).toBeNull();
    expect(mulDecimals(null, '2', 2)).toBeNull();
    expect(mulDecimals('abc', '2', 2)).toBeNull();
  });

  it('adds up with sumDecimals, skipping empty rows', () => {
    expect(sumDecimals([mulDecimals('2', '1.10', 2), null, mulDecimals('3', '0.333', 2)])).toBe('3.2');
  });
});
