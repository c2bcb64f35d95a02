import { describe, expect, it } from 'vitest';
import type { FieldMeta } from '../meta.types.ts';
import { coerceDate } from './coerce.ts';

// coerceDate checks the calendar by arithmetic (no Date object per value, issue 2's bulk
// create profile); it must accept and refuse exactly what a Date round trip does.
const field = { apiName: 'due', type: 'date', config: {} } as unknown as FieldMeta;
const viaDate = (s: string) => {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
};
const accepts = (s: string) => {
  try {
    return coerceDate(s, field, 'due') === s;
  } catch {
    return false;
  }
};

describe('coerceDate', () => {
  it('knows leap years and month lengths', () => {
    for (const ok of ['2024-02-29', '2000-02-29', '2026-12-31', '2026-04-30', '1999-01-01']) expect(accepts(ok), ok).toBe(true);
    for (const bad of ['2026-02-29', '1900-02-29', '2026-04-31', '2026-13-01', '2026-00-10', '2026-01-00', '2026-01-32']) expect(accepts(bad), bad).toBe(false);
  });

  it('agrees with a Date round trip on every day-shaped string of 1896–2104', () => {
    const disagreements: string[] = [];
    for (let y = 1896; y <= 2104; y++) {
      for (let m = 0; m <= 13; m++) {
        for (let d = 0; d <= 32; d++) {
          const s = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
          if (accepts(s) !== viaDate(s)) disagreements.push(s);
        }
      }
    }
    expect(disagreements).toEqual([]);
  });
});
