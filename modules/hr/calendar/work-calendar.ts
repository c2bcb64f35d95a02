import { addDays, dateOrThrow, isoWeekday } from '@mosaic/kernel';

/**
 * HR's working days, as a pure function over the company calendar's overrides
 * (@mosaic/calendar companyCalendar: 法定节假日 close a day, 调休 open a weekend
 * day) and the employee's week (their shift's work_weekdays: 单休 Monday–Saturday,
 * or Monday–Friday without a shift). Attendance, leave and payroll all ask this one
 * calendar, read once per request or run (work-calendar.store.ts) and passed into
 * their pure rules, so an import, a leave request and the month's payslips never
 * disagree on a day.
 */

/** What the company calendar says of a day it overrides (the same values as @mosaic/calendar's DayKind). */
export type CalendarOverride = 'holiday' | 'rest' | 'workday';

/**
 * What a day is for pay: `workday` (a day of the week worked, or a rest day made a working day by 调休),
 * `rest_day` (a day of the week not worked — Saturday and Sunday in a Monday–Friday week — or a working
 * day the calendar makes a 调休 rest day: overtime ×200 %), `holiday` (a public holiday the calendar
 * closes: overtime ×300 %, 劳动法 第四十四条).
 */
export type WorkDayKind = 'workday' | 'rest_day' | 'holiday';

export interface WorkCalendar {
  /** The ISO weekdays worked (1 = Monday … 7 = Sunday), sorted, each once: a shift's 工作日. */
  readonly weekdays: readonly number[];
  kindOf(date: string): WorkDayKind;
  isWorkday(date: string): boolean;
  /** What the week alone makes of a day, without the company calendar's overrides. */
  baseKindOf(date: string): WorkDayKind;
  /** The same company calendar over another week (an employee's shift), without reading it again. */
  withWeek(weekdays: readonly number[]): WorkCalendar;
}

/** Monday to Friday: the week of an employee without a shift, or of a shift that names none. */
export const MONDAY_TO_FRIDAY: readonly number[] = [1, 2, 3, 4, 5];

/**
 * The calendar over the company's overrides and a week: a day of the week works unless the
 * calendar closes it, any other day rests unless the calendar opens it (调休上班). The week is
 * taken as a set — "6,1,2,3,4,5" and "1,2,3,4,5,6" are one week.
 */
export function workCalendar(overrides: ReadonlyMap<string, CalendarOverride> = new Map(), weekdays: readonly number[] = MONDAY_TO_FRIDAY): WorkCalendar {
  const week = [...new Set(weekdays)].sort((a, b) => a - b);
  const baseKindOf = (date: string): WorkDayKind => (week.includes(isoWeekday(date)) ? 'workday' : 'rest_day');
  const kindOf = (date: string): WorkDayKind => {
    const o = overrides.get(date);
    if (o === 'holiday') return 'holiday';
    if (o === 'rest') return 'rest_day';
    if (o === 'workday') return 'workday';
    return baseKindOf(date);
  };
  return { weekdays: week, kindOf, baseKindOf, isWorkday: (date) => kindOf(date) === 'workday', withWeek: (w) => workCalendar(overrides, w) };
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
