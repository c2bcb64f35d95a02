import { addDays, AppError, isoWeekday, workingDayAfter } from '@mosaic/kernel';
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

/**
 * The day `n` working days after `day` (holidays skipped, 调休 days counted); `day` itself when n = 0.
 * A workstation whose calendar never works (no working weekday, every day closed) is a 409
 * naming it and its working_weekdays, not a date ten years on.
 */
export function addWorkingDays(ws: Pick<Workstation, 'code' | 'weekdays' | 'exceptions'>, day: string, n: number): string {
  const d = workingDayAfter(day, n, (date) => isWorkingDay(ws, date));
  if (d === null) {
    throw new AppError('CONFLICT', `workstation ${ws.code}: its calendar has no working day (working_weekdays "${ws.weekdays.join(',')}", holidays)`, { field: 'working_weekdays' });
  }
  return d;
}
