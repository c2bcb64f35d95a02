import { AppError } from './errors.ts';
import { clock } from './clock.ts';

/**
 * Calendar dates as the API carries them, 'YYYY-MM-DD', with no time zone in play: a due
 * date 30 days on, a report's previous month, a weekday, a month's last day. One
 * implementation for every module (HR, manufacturing and CRM working days, relative filters).
 */

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
// Not toISOString(): that writes year 10000 as "+010000", which PostgreSQL does not read.
const ymd = (y: number, m0: number, d: number): string => {
  const t = new Date(Date.UTC(y, m0, d));
  if (Number.isNaN(t.getTime())) throw new RangeError(`not a calendar date: ${y}-${m0 + 1}-${d}`);
  return `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
};
const parts = (date: string): [number, number, number] => {
  const [y, m, d] = date.split('-').map(Number);
  return [y, m, d ?? 1];
};

/** `date` plus `days` calendar days (negative goes back). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = parts(date);
  return ymd(y, m - 1, d + days);
}

/** `date` plus `months`, the day clamped to the target month's length (Mar 31 − 1 month = Feb 28). */
export function addMonths(date: string, months: number): string {
  const [y, m, day] = parts(date);
  const total = y * 12 + (m - 1) + months;
  const ty = Math.floor(total / 12);
  const target = `${pad(ty, 4)}-${pad(total - ty * 12 + 1)}`;
  return `${target}-${pad(Math.min(day, Number(monthEnd(target).split('-')[2])))}`;
}

/** The last day of the month of `month` ('YYYY-MM', or any 'YYYY-MM-DD' in it): 2028-02 → 2028-02-29. */
export function monthEnd(month: string): string {
  const [y, m] = parts(month);
  return ymd(y, m, 0);
}

/** ISO weekday of a date (GB/T 7408): 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  const [y, m, d] = parts(date);
  const day = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  if (Number.isNaN(day)) throw new RangeError(`not a calendar date: ${date}`);
  return day === 0 ? 7 : day;
}

/**
 * A set of working ISO weekdays as settings carry it: "1,2,3,4,5", "1,2,3,4,5,6" (Monday = 1).
 * The one rule for every such field (an SLA policy's work_weekdays, a workstation's
 * working_weekdays), given to the field as its regex, so a bad value is a 422 naming it.
 */
export const ISO_WEEKDAYS_PATTERN = '^[1-7](,[1-7]){0,6}$';

/** The weekdays of a value that passed ISO_WEEKDAYS_PATTERN; `fallback` when it is blank. */
export function parseIsoWeekdays(value: string | null | undefined, fallback: number[] = [1, 2, 3, 4, 5]): number[] {
  if (value === null || value === undefined || value.trim() === '') return fallback;
  return [...new Set(value.split(',').map((s) => Number(s.trim())).filter((d) => Number.isInteger(d) && d >= 1 && d <= 7))];
}

/** The longest run of closed days a working calendar may have before it is taken to have none (ten years). */
export const NO_WORKING_DAY_LIMIT = 3660;

/**
 * The day `n` working days after `date` (`date` itself when n = 0) by `isWorking`, or null
 * when ten years pass without a working day: a calendar that never works answers no date
 * rather than one a decade away or an endless loop. Callers throw their own error naming the calendar.
 */
export function workingDayAfter(date: string, n: number, isWorking: (date: string) => boolean): string | null {
  let d = date;
  for (let left = n, closed = 0; left > 0;) {
    d = addDays(d, 1);
    if (isWorking(d)) {
      left--;
      closed = 0;
    } else if (++closed >= NO_WORKING_DAY_LIMIT) return null;
  }
  return d;
}

/** Whether `value` is a real calendar date 'YYYY-MM-DD' (2026-02-30 is not). */
export function isCalendarDate(value: unknown): value is string {
  const d = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : null;
  return !!d && !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** `value` when it is a real calendar date 'YYYY-MM-DD' (2026-02-30 is not), else a 422 FIELD_INVALID naming `field`. */
export function dateOrThrow(value: unknown, field: string): string {
  if (!isCalendarDate(value)) throw new AppError('FIELD_INVALID', `${field}: not a date (YYYY-MM-DD)`, { field });
  return value;
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * The calendar day 'YYYY-MM-DD' in `timeZone` at the instant `at` — by default the kernel clock's now, so a
 * test that sets the clock sets "today". The one "today in a time zone" every module and package uses.
 */
export function todayIn(timeZone: string, at: Date = clock.now()): string {
  let f = dayFormats.get(timeZone);
  if (!f) {
    // en-CA formats as YYYY-MM-DD.
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, f);
  }
  return f.format(at);
}
