import { addDays, addMonths, AppError } from '@mosaic/kernel';

/** An inclusive range of calendar days. */
export interface DateWindow {
  from: string;
  to: string;
}

/** How far the previous window lies behind the current one: whole months, or days. */
export interface Shift {
  months: number;
  days: number;
}

/**
 * The window a comparison compares with. Whole calendar months shift by months
 * (Mar 2026 → Feb 2026; Q1 → Q4 of last year; Feb 2026 → Feb 2025 keeps its
 * 28 days); any other window shifts by its own length in days, or by a year.
 *
 *   previousWindow({ from: '2026-01-01', to: '2026-03-31' }, 'previous_period') → 2025-10-01 … 2025-12-31
 *   previousWindow({ from: '2026-03-01', to: '2026-03-15' }, 'previous_year')   → 2025-03-01 … 2025-03-15
 */
export function previousWindow(w: DateWindow, compare: 'previous_period' | 'previous_year'): { window: DateWindow; shift: Shift } {
  if (w.from > w.to) throw new AppError('BAD_REQUEST', `period: from ${w.from} is after to ${w.to}`, { field: 'period' });
  const wholeMonths = isFirstOfMonth(w.from) && isFirstOfMonth(addDays(w.to, 1));
  let shift: Shift;
  if (compare === 'previous_year') {
    if (daysBetween(w.from, w.to) >= 366) throw new AppError('BAD_REQUEST', 'period: a comparison with the previous year needs a window of at most one year', { field: 'period' });
    shift = { months: 12, days: 0 };
  } else if (wholeMonths) {
    shift = { months: monthsBetween(w.from, addDays(w.to, 1)), days: 0 };
  } else {
    shift = { months: 0, days: daysBetween(w.from, w.to) + 1 };
  }
  if (shift.days) return { window: { from: addDays(w.from, -shift.days), to: addDays(w.to, -shift.days) }, shift };
  const to = wholeMonths ? addDays(addMonths(addDays(w.to, 1), -shift.months), -1) : addMonths(w.to, -shift.months);
  return { window: { from: addMonths(w.from, -shift.months), to }, shift };
}

/** The first day of the bucket after the one starting at `start`. */
export function nextBucketStart(start: string, bucket: 'day' | 'week' | 'month' | 'quarter' | 'year'): string {
  switch (bucket) {
    case 'day': return addDays(start, 1);
    case 'week': return addDays(start, 7);
    case 'month': return addMonths(start, 1);
    case 'quarter': return addMonths(start, 3);
    case 'year': return addMonths(start, 12);
  }
}

/** Shifts a date back by a comparison's shift (to find the previous window's records for a bucket). */
export function shiftBack(date: string, shift: Shift): string {
  return shift.days ? addDays(date, -shift.days) : addMonths(date, -shift.months);
}

export { addDays, addMonths }; // calendar-date arithmetic lives in @mosaic/kernel

function isFirstOfMonth(d: string): boolean {
  return d.endsWith('-01');
}

function monthsBetween(a: string, b: string): number {
  const [ya, ma] = a.split('-').map(Number);
  const [yb, mb] = b.split('-').map(Number);
  return (yb - ya) * 12 + (mb - ma);
}

function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/**
 * The instant a calendar day starts in a time zone, as ISO 8601 with its offset
 * ('2026-03-01' in Asia/Shanghai → '2026-03-01T00:00:00+08:00').
 */
export function zonedDayStart(date: string, timeZone: string): string {
  const utcMidnight = Date.parse(`${date}T00:00:00Z`);
  // The zone's offset at that moment; one correction step covers DST edges.
  let offset = offsetMinutes(utcMidnight, timeZone);
  offset = offsetMinutes(utcMidnight - offset * 60_000, timeZone);
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return `${date}T00:00:00${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

function offsetMinutes(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
    .formatToParts(new Date(instant));
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  return Math.round((local - instant) / 60_000);
}
