import { localDate, localParts, zonedInstant } from '@mosaic/automation';

/**
 * Working days and business hours (工作日/工作时间) in the tenant's time zone:
 * Monday to Friday, 09:00–18:00, unless the holiday table says otherwise —
 * public holidays are days off, 调休 Saturdays and Sundays are working days.
 */
export interface BusinessCalendar {
  timeZone: string;
  /** YYYY-MM-DD → true for a working day (调休), false for a holiday. */
  overrides: Map<string, boolean>;
  startMinute: number;
  endMinute: number;
}

export function calendarOf(timeZone: string, holidays: { day: string; is_workday: boolean | null }[] = []): BusinessCalendar {
  return { timeZone, overrides: new Map(holidays.map((h) => [h.day, h.is_workday === true])), startMinute: 9 * 60, endMinute: 18 * 60 };
}

const DAY_MS = 86_400_000;

/** Calendar day arithmetic on YYYY-MM-DD, free of time zones. */
function shiftDay(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

export function isWorkday(cal: BusinessCalendar, day: string): boolean {
  const o = cal.overrides.get(day);
  if (o !== undefined) return o;
  const dow = new Date(`${day}T00:00:00Z`).getUTCDay();
  return dow !== 0 && dow !== 6;
}

/** The same local time `n` working days later: Friday 15:00 + 1 → Monday 15:00 (Tuesday after a Monday holiday). */
export function addWorkingDays(cal: BusinessCalendar, from: Date, n: number): Date {
  let day = localDate(from, cal.timeZone);
  for (let left = n; left > 0;) {
    day = shiftDay(day, 1);
    if (isWorkday(cal, day)) left--;
  }
  const p = localParts(from, cal.timeZone);
  const [y, m, d] = day.split('-').map(Number);
  return new Date(zonedInstant(y, m, d, p.h, p.mi, p.s, cal.timeZone));
}

/** The instant `minutes` of business time after `from` (SLA clocks stop at night, at weekends and on holidays). */
export function addBusinessMinutes(cal: BusinessCalendar, from: Date, minutes: number): Date {
  let day = localDate(from, cal.timeZone);
  const p = localParts(from, cal.timeZone);
  let at = p.h * 60 + p.mi + p.s / 60;
  let left = minutes;
  for (let guard = 0; guard < 3660; guard++) {
    if (isWorkday(cal, day)) {
      const start = Math.max(at, cal.startMinute);
      const room = cal.endMinute - start;
      if (room >= left) return instantAt(cal, day, start + left);
      if (room > 0) left -= room;
    }
    day = shiftDay(day, 1);
    at = 0;
  }
  throw new Error('business calendar: no working time within ten years');
}

function instantAt(cal: BusinessCalendar, day: string, minuteOfDay: number): Date {
  const [y, m, d] = day.split('-').map(Number);
  const whole = Math.floor(minuteOfDay);
  const secs = Math.round((minuteOfDay - whole) * 60);
  return new Date(zonedInstant(y, m, d, Math.floor(whole / 60), whole % 60, secs, cal.timeZone));
}
