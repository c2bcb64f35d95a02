import { describe, expect, it } from 'vitest';
import { parseQuarter } from './period.ts';

describe('parseQuarter', () => {
  it('gives a quarter\'s first and last day', () => {
    expect(parseQuarter('2026-Q1')).toEqual({ period: '2026-Q1', from: '2026-01-01', to: '2026-03-31' });
    expect(parseQuarter('2024-Q2')).toEqual({ period: '2024-Q2', from: '2024-04-01', to: '2024-06-30' });
    expect(parseQuarter('2026-Q4')).toEqual({ period: '2026-Q4', from: '2026-10-01', to: '2026-12-31' });
  });
  it('refuses other forms, naming the field', () => {
    for (const bad of ['2026Q4', '2026-Q5', '26-Q1', '2026-q1', '', null, 2026]) {
      expect(() => parseQuarter(bad)).toThrow(expect.objectContaining({ code: 'FIELD_INVALID', field: 'period' }));
    }
  });
});
