import { describe, expect, it } from 'vitest';
import { datesBetween, WEEKDAYS, workCalendar, workingDaysBetween } from './work-calendar.ts';

// National Day 2026 (Thu 1 – Wed 7 October closed) with 调休 on Sun 27 September and Sat 10 October.
const NATIONAL_DAY = workCalendar(new Map([
  ...['01', '02', '03', '04', '05', '06', '07'].map((d) => [`2026-10-${d}`, 'holiday'] as const),
  ['2026-09-27', 'workday'], ['2026-10-10', 'workday'],
]));

describe('work calendar', () => {
  it('works Monday to Friday without overrides', () => {
    expect(WEEKDAYS.kindOf('2026-10-01')).toBe('workday');
    expect(WEEKDAYS.kindOf('2026-10-03')).toBe('rest_day');
    expect(workingDaysBetween('2026-10-01', '2026-10-31', WEEKDAYS)).toHaveLength(22);
  });

  it('closes the holidays and opens the 调休 weekend days', () => {
    expect(NATIONAL_DAY.kindOf('2026-10-02')).toBe('holiday'); // a Friday closed
    expect(NATIONAL_DAY.kindOf('2026-10-03')).toBe('holiday'); // a Saturday in the holiday: 3× overtime
    expect(NATIONAL_DAY.kindOf('2026-10-10')).toBe('workday'); // 调休 Saturday
    expect(NATIONAL_DAY.kindOf('2026-10-11')).toBe('rest_day');
    // October: 22 weekdays − 5 closed (Thu 1, Fri 2, Mon 5, Tue 6, Wed 7) + Sat 10 = 18.
    expect(workingDaysBetween('2026-10-01', '2026-10-31', NATIONAL_DAY)).toHaveLength(18);
    // Sun 27 Sep – Sat 10 Oct: 27, 28, 29, 30 Sep + 8, 9, 10 Oct.
    expect(workingDaysBetween('2026-09-27', '2026-10-10', NATIONAL_DAY)).toEqual(['2026-09-27', '2026-09-28', '2026-09-29', '2026-09-30', '2026-10-08', '2026-10-09', '2026-10-10']);
  });

  it('pays a 调休 rest day as a rest day, a public holiday as a holiday', () => {
    // As the State Council sets it: 1–3 October public holidays (3×), 4–7 swapped rest days (2×).
    const cal = workCalendar(new Map([
      ...['01', '02', '03'].map((d) => [`2026-10-${d}`, 'holiday'] as const),
      ...['04', '05', '06', '07'].map((d) => [`2026-10-${d}`, 'rest'] as const),
    ]));
    expect(cal.kindOf('2026-10-03')).toBe('holiday');
    expect(cal.kindOf('2026-10-05')).toBe('rest_day'); // a Monday, closed
    expect(cal.isWorkday('2026-10-05')).toBe(false);
    expect(workingDaysBetween('2026-10-01', '2026-10-09', cal)).toEqual(['2026-10-08', '2026-10-09']);
  });

  it('works the week it is given, the company calendar\'s days on top', () => {
    const sixDays = NATIONAL_DAY.withWeek([6, 1, 2, 3, 4, 5]);
    expect(sixDays.weekdays).toEqual([1, 2, 3, 4, 5, 6]); // one week however it is written
    expect(workCalendar(new Map(), [3, 1, 1, 2]).weekdays).toEqual([1, 2, 3]);
    expect(sixDays.kindOf('2026-10-17')).toBe('workday'); // a Saturday
    expect(sixDays.kindOf('2026-10-18')).toBe('rest_day'); // a Sunday
    expect(sixDays.kindOf('2026-10-03')).toBe('holiday'); // a Saturday the calendar closes
    expect([sixDays.baseKindOf('2026-10-03'), NATIONAL_DAY.baseKindOf('2026-10-03')]).toEqual(['workday', 'rest_day']);
    // October: 18 by Monday–Friday + Saturdays 17, 24, 31 (Sat 3 closed, Sat 10 already counted) = 21.
    expect(workingDaysBetween('2026-10-01', '2026-10-31', sixDays)).toHaveLength(21);
    // A week of Tuesday–Saturday (a shop open on Saturdays, closed Mondays).
    expect(workingDaysBetween('2026-03-01', '2026-03-08', WEEKDAYS.withWeek([2, 3, 4, 5, 6]))).toEqual(['2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06', '2026-03-07']);
    expect(WEEKDAYS.weekdays).toEqual([1, 2, 3, 4, 5]);
  });

  it('refuses a malformed date, naming it, instead of answering no days or rolling it over', () => {
    expect(datesBetween('2026-02-27', '2026-03-01')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01']);
    expect(datesBetween('2026-03-02', '2026-03-01')).toEqual([]);
    expect(() => datesBetween('2026-13-01', '2026-12-31')).toThrow(expect.objectContaining({ code: 'FIELD_INVALID', field: 'from' }));
    expect(() => datesBetween('2026-03-01', 'garbage')).toThrow(expect.objectContaining({ code: 'FIELD_INVALID', field: 'to' }));
    // 30 February is no day, not 2 March.
    expect(() => workingDaysBetween('2026-02-30', '2026-03-03', WEEKDAYS)).toThrow(expect.objectContaining({ field: 'from' }));
  });
});
