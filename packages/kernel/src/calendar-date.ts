import { AppError } from './errors.ts';
import { clock } from './clock.ts';

/**
 * Calendar dates as the API carries them, 'YYYY-MM-DD', with no time zone in play: a due
 * date 30 days on, a report's previous month. One implementation for every module.
 */

/** `date` plus `days` calendar days (negative goes back). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** `date` plus `months`, the day clamped to the target month's length (Mar 31 − 1 month = Feb 28). */
export function addMonths(date: string, months: number): string {
  const [y, m, day] = date.split('-').map(Number);
  const total = y * 12 + (m - 1) + months;
  const ty = Math.floor(total / 12);
  const tm = total - ty * 12;
  const last = new Date(Date.UTC(ty, tm + 1, 0)).getUTCDate();
  return new Date(Date.UTC(ty, tm, Math.min(day, last))).toISOString().slice(0, 10);
}

/** `value` when it is a real calendar date 'YYYY-MM-DD' (2026-02-30 is not), else a 422 FIELD_INVALID naming `field`. */
export function dateOrThrow(value: unknown, field: string): string {
  const d = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : null;
  const ok = !!d && !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
  if (!ok) throw new AppError('FIELD_INVALID', `${field}: not a date (YYYY-MM-DD)`, { field });
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
