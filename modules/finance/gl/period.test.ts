import { describe, expect, it } from 'vitest';
import { periodBounds } from './period.ts';

describe('periodBounds', () => {
  it('gives the first and last day, leap Februaries and year ends included, and refuses anything else naming period', () => {
    expect(periodBounds('2028-02')).toEqual({ first: '2028-02-01', last: '2028-02-29', nextFirst: '2028-03-01', next: '2028-03', previous: '2028-01' });
    expect(periodBounds('2026-12')).toMatchObject({ last: '2026-12-31', next: '2027-01' });
    expect(periodBounds('2026-01')).toMatchObject({ last: '2026-01-31', previous: '2025-12' });
    expect(() => periodBounds('2026-13')).toThrow(expect.objectContaining({ code: 'FIELD_INVALID', field: 'period' }));
  });
});
