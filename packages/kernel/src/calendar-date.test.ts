import { afterEach, describe, expect, it } from 'vitest';
import { addDays, addMonths, dateOrThrow, todayIn } from './calendar-date.ts';
import { advanceClock, clock, resetClock } from './clock.ts';

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

describe('todayIn', () => {
  afterEach(() => resetClock());
  it('is the day in the zone at an instant: 18:30 UTC is already the next day in Shanghai', () => {
    const at = new Date('2026-11-23T18:30:00Z');
    expect(todayIn('Asia/Shanghai', at)).toBe('2026-11-24');
    expect(todayIn('UTC', at)).toBe('2026-11-23');
    expect(todayIn('America/New_York', at)).toBe('2026-11-23');
  });
  it('defaults to the kernel clock, so a test that moves the clock moves today', () => {
    const before = todayIn('UTC');
    expect(before).toBe(todayIn('UTC', clock.now()));
    advanceClock(3 * 86_400_000);
    expect(todayIn('UTC')).toBe(addDays(before, 3));
  });
});
