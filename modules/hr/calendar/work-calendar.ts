import { addDays, dateOrThrow, isoWeekday } from '@mosaic/kernel';

/**
 * HR's working days, as a pure function over the company calendar's overrides
 * (@mosaic/calendar companyCalendar: 法定节假日 close a day, 调休 open a weekend
 * day). Attendance, leave and payroll all ask this one calendar, read once per
 * request or run (work-calendar.store.ts) and passed into their pure rules, so
 * an import, a leave request and the month's payslips never disagree on a day.
 */

/** What the company calendar says of a day it overrides (the same values as @mosaic/calendar's DayKind). */
export type CalendarOverride = 'holiday' | 'rest' | 'workday';

/**
 * What a day is for pay: `workday` (a weekday, or a weekend day made a working day by 调休),
 * `rest_day` (a Saturday or Sunday, or a weekday the calendar makes a 调休 rest day: overtime
 * ×200 %), `holiday` (a public holiday the calendar closes: overtime ×300 %, 劳动法 第四十四条).
 */
export type WorkDayKind = 'workday' | 'rest_day' | 'holiday';

export interface WorkCalendar {
  kindOf(date: string): WorkDayKind;
  isWorkday(date: string): boolean;
}

/** Saturday or Sunday by the date alone (YYYY-MM-DD, read as a calendar date, not a moment). */
export function isWeekend(date: string): boolean {
  return isoWeekday(date) >= 6;
}

/** The calendar over the company's overrides: a weekday works unless closed, a weekend day rests unless opened. */
export function workCalendar(overrides: ReadonlyMap<string, CalendarOverride> = new Map()): WorkCalendar {
  const kindOf = (date: string): WorkDayKind => {
    const o = overrides.get(date);
    if (o === 'holiday') return 'holiday';
    if (o === 'rest') return 'rest_day';
    if (o === 'workday') return 'workday';
    return isWeekend(date) ? 'rest_day' : 'workday';
  };
  return { kindOf, isWorkday: (date) => kindOf(date) === 'workday' };
}

/** Monday to Friday with no holidays: for rules tested without a calendar. */
export const WEEKDAYS: WorkCalendar = workCalendar();

/**
 * Every date from `from` to `to`, inclusive (none when `to` is before `from`). A malformed
 * date is a 422 naming `from` or `to`, never an empty range: callers check user input
 * against their own field names first, so this is the last guard, not the message.
 */
export function datesBetween(from: string, to: string): string[] {
  dateOrThrow(from, 'from');
  dateOrThrow(to, 'to');
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** The working days from `from` to `to`, inclusive. */
export function workingDaysBetween(from: string, to: string, cal: WorkCalendar): string[] {
  return datesBetween(from, to).filter((d) => cal.isWorkday(d));
}
