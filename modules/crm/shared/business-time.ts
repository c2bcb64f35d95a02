import { localParts, zonedInstant } from '@mosaic/automation';
import { addDays, AppError, isoWeekday, NO_WORKING_DAY_LIMIT, todayIn, workingDayAfter } from '@mosaic/kernel';

/**
 * Working days and business hours (工作日/工作时间) in the tenant's time zone.
 * By default Monday to Friday, 09:00–18:00; an SLA policy may give its own
 * day (start, end, an optional lunch break, which weekdays work). The holiday
 * table overrides the weekdays either way: public holidays are days off,
 * 调休 Saturdays and Sundays are working days — on the policy's hours.
 */
export interface BusinessCalendar {
  timeZone: string;
  /** YYYY-MM-DD → true for a working day (调休), false for a holiday. */
  overrides: Map<string, boolean>;
  /** The working periods of a working day, minutes after local midnight, in order, not overlapping. */
  periods: [number, number][];
  /** ISO weekdays that work when the holiday table says nothing (1 = Monday … 7 = Sunday). */
  weekdays: Set<number>;
  /** What the calendar is, for an error about it ("SLA policy 紧急"). */
  name: string;
}

/** A working day's shape: "HH:MM" times, ISO weekdays. */
export interface WorkingDay {
  start: string;
  end: string;
  lunchStart?: string | null;
  lunchEnd?: string | null;
  weekdays?: number[];
}

export const DEFAULT_DAY: WorkingDay = { start: '09:00', end: '18:00', weekdays: [1, 2, 3, 4, 5] };

const minuteOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export function calendarOf(timeZone: string, holidays: { day: string; is_workday: boolean | null }[] = [], day: WorkingDay = DEFAULT_DAY, name = 'business calendar'): BusinessCalendar {
  const [start, end] = [minuteOf(day.start), minuteOf(day.end)];
  // A lunch break only counts inside the day (the policy's rules refuse anything else).
  const lunch = day.lunchStart && day.lunchEnd ? [minuteOf(day.lunchStart), minuteOf(day.lunchEnd)] : null;
  const periods: [number, number][] = lunch && lunch[0] > start && lunch[1] < end && lunch[1] > lunch[0] ? [[start, lunch[0]], [lunch[1], end]] : [[start, end]];
  return { timeZone, overrides: new Map(holidays.map((h) => [h.day, h.is_workday === true])), periods, weekdays: new Set(day.weekdays ?? DEFAULT_DAY.weekdays), name };
}

export function isWorkday(cal: BusinessCalendar, day: string): boolean {
  const o = cal.overrides.get(day);
  if (o !== undefined) return o;
  return cal.weekdays.has(isoWeekday(day));
}

/** A calendar without a working day in ten years: a 409 naming it, not an endless loop or a date a decade on. */
const neverWorks = (cal: BusinessCalendar) =>
  new AppError('CONFLICT', `${cal.name}: no working day within ten years (weekdays ${[...cal.weekdays].join(',') || 'none'} and the holiday table close every day)`);

/** The same local time `n` working days later: Friday 15:00 + 1 → Monday 15:00 (Tuesday after a Monday holiday). */
export function addWorkingDays(cal: BusinessCalendar, from: Date, n: number): Date {
  const day = workingDayAfter(todayIn(cal.timeZone, from), n, (d) => isWorkday(cal, d));
  if (day === null) throw neverWorks(cal);
  const p = localParts(from, cal.timeZone);
  const [y, m, d] = day.split('-').map(Number);
  return new Date(zonedInstant(y, m, d, p.h, p.mi, p.s, cal.timeZone));
}

/** The instant `minutes` of business time after `from` (SLA clocks stop at night, over lunch, at weekends and on holidays). */
export function addBusinessMinutes(cal: BusinessCalendar, from: Date, minutes: number): Date {
  let day = todayIn(cal.timeZone, from);
  const p = localParts(from, cal.timeZone);
  let at = p.h * 60 + p.mi + p.s / 60;
  let left = minutes;
  for (let guard = 0; guard < NO_WORKING_DAY_LIMIT; guard++) {
    if (isWorkday(cal, day)) {
      for (const [from, to] of cal.periods) {
        const start = Math.max(at, from);
        const room = to - start;
        if (room >= left) return instantAt(cal, day, start + left);
        if (room > 0) left -= room;
      }
    }
    day = addDays(day, 1);
    at = 0;
  }
  throw neverWorks(cal);
}

function instantAt(cal: BusinessCalendar, day: string, minuteOfDay: number): Date {
  const [y, m, d] = day.split('-').map(Number);
  const whole = Math.floor(minuteOfDay);
  const secs = Math.round((minuteOfDay - whole) * 60);
  return new Date(zonedInstant(y, m, d, Math.floor(whole / 60), whole % 60, secs, cal.timeZone));
}
