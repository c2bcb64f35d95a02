import { addDays } from '@mosaic/kernel';
import type { Workstation } from './routing.types.ts';

/**
 * Working-calendar arithmetic. Pure. A day is worked when its weekday is a
 * working weekday and it is not a holiday, or when it is a 调休 make-up day
 * (China's public holidays swap weekend days for weekdays around them).
 */
export function isWorkingDay(ws: Pick<Workstation, 'weekdays' | 'exceptions'>, day: string): boolean {
  const exception = ws.exceptions.get(day);
  if (exception) return exception === 'workday';
  return ws.weekdays.includes(isoWeekday(day));
}

/** Capacity hours of the workstation on a day: shifts × machines, 0 when closed. */
export function capacityHours(ws: Workstation, day: string): number {
  return isWorkingDay(ws, day) ? Number(ws.hoursPerDay) * ws.machines : 0;
}

/** ISO weekday, 1 = Monday … 7 = Sunday. */
export function isoWeekday(day: string): number {
  const d = new Date(`${day}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}


/** Monday of the ISO week containing `day` — the key of weekly load buckets. */
export function weekStart(day: string): string {
  return addDays(day, 1 - isoWeekday(day));
}

/** Working days of the workstation after `from`, up to and including `to` (0 when `to` ≤ `from`). */
export function workingDaysBetween(ws: Pick<Workstation, 'weekdays' | 'exceptions'>, from: string, to: string): number {
  let n = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (isWorkingDay(ws, d)) n++;
  return n;
}

/** The day `n` working days after `day` (holidays skipped, 调休 days counted); `day` itself when n = 0. */
export function addWorkingDays(ws: Pick<Workstation, 'weekdays' | 'exceptions'>, day: string, n: number): string {
  let d = day;
  for (let left = n, guard = 0; left > 0 && guard < 3660; guard++) {
    d = addDays(d, 1);
    if (isWorkingDay(ws, d)) left--;
  }
  return d;
}
