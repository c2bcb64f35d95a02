import { afterEach, describe, expect, it } from 'vitest';
import { addDays, addMonths, dateOrThrow, isoWeekday, ISO_WEEKDAYS_PATTERN, monthEnd, parseIsoWeekdays, todayIn, workingDayAfter } from './calendar-date.ts';
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
  it('writes years past 9999 as PostgreSQL reads them, not "+010000"', () => {
    expect(addDays('9999-12-31', 1)).toBe('10000-01-01');
    expect(addMonths('9999-12-15', 1)).toBe('10000-01-15');
  });
  it('gives the ISO weekday (Monday 1 … Sunday 7) and the last day of a month', () => {
    expect(['2026-11-23', '2026-11-24', '2026-11-28', '2026-11-29', '2027-01-01'].map(isoWeekday)).toEqual([1, 2, 6, 7, 5]);
    expect(monthEnd('2028-02')).toBe('2028-02-29');
    expect(monthEnd('2026-02-10')).toBe('2026-02-28');
    expect(monthEnd('2026-12')).toBe('2026-12-31');
    expect(() => isoWeekday('garbage')).toThrow(RangeError);
  });
});

describe('working weekdays and working days', () => {
  it('reads "1,2,3,4,5"; the pattern refuses names, ranges and days past 7', () => {
    const re = new RegExp(ISO_WEEKDAYS_PATTERN);
    for (const ok of ['1,2,3,4,5', '1,2,3,4,5,6', '7']) expect(re.test(ok), ok).toBe(true);
    for (const bad of ['Mon-Fri', '1-5', '1,8', '0', '', '1,,2']) expect(re.test(bad), bad).toBe(false);
    expect(parseIsoWeekdays('1,2,3,4,5,6')).toEqual([1, 2, 3, 4, 5, 6]);
    expect(parseIsoWeekdays(null)).toEqual([1, 2, 3, 4, 5]);
  });
  it('counts working days on, and answers null for a calendar that never works', () => {
    const weekdays = (d: string) => isoWeekday(d) <= 5;
    expect(workingDayAfter('2026-11-20', 1, weekdays)).toBe('2026-11-23'); // Fri → Mon
    expect(workingDayAfter('2026-11-20', 0, weekdays)).toBe('2026-11-20');
    expect(workingDayAfter('2026-11-20', 3, () => false)).toBeNull();
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
