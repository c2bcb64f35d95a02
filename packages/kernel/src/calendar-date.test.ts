import { describe, expect, it } from 'vitest';
import { addDays, addMonths, dateOrThrow } from './calendar-date.ts';

describe('calendar dates', () => {
  it('adds days across month, year and leap-day ends, both ways', () => {
    expect(addDays('2026-01-31', 1)).toBe('2026-02-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-11-23', 30)).toBe('2026-12-23');
  });
  it('adds months, clamping the day to the shorter month', () => {
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-11-15', 2)).toBe('2027-01-15');
    expect(addMonths('2026-01-10', -13)).toBe('2024-12-10');
  });
});

describe('dateOrThrow', () => {
  it('passes real calendar dates and refuses the rest with a 422 naming the field', () => {
    expect(dateOrThrow('2024-02-29', 'from')).toBe('2024-02-29');
    for (const bad of ['2026-02-30', '2026-13-01', '2026-1-5', 'garbage', '', undefined, 20260101]) {
      expect(() => dateOrThrow(bad, 'from'), String(bad)).toThrow(expect.objectContaining({ code: 'FIELD_INVALID', field: 'from' }));
    }
  });
});
