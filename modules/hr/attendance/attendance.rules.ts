import { AppError } from '@mosaic/kernel';
import { datesBetween, type WorkCalendar, type WorkDayKind } from '../calendar/work-calendar.ts';

/**
 * Attendance from a time clock, as pure functions. A punch is an employee number
 * and a wall-clock moment; a day's first punch is the clock-in, its last the
 * clock-out. Against the employee's shift:
 *   late   = minutes after the shift start, counted only beyond the grace period
 *   early  = minutes the last punch is before the shift end
 *   overtime (working day) = whole half-hours after the shift end, from one hour on
 *   a rest day or a holiday with punches is overtime of its kind (WorkCalendar over the shift's
 *   week: the company calendar's 法定节假日 → holiday, other days off the week → rest_day; a 调休
 *   weekend day is a working day): the span in whole half-hours
 *   a working day in the file's range without a punch is an absence (旷工) — unless the
 *   employee was on approved leave that day (请假), or not yet hired or already gone (no day at all)
 */
export interface Punch {
  employeeNo: string;
  /** YYYY-MM-DD */
  date: string;
  /** Minutes after midnight. */
  minute: number;
}

export interface Shift {
  start: number;
  end: number;
  graceMinutes: number;
  /** The ISO weekdays the shift works (its work_weekdays); absent, the calendar's own week. */
  weekdays?: readonly number[];
}

/** The calendar over the shift's week: 单休 works its Saturdays, which are then no overtime and can be 旷工. */
const shiftCalendar = (shift: Shift, cal: WorkCalendar): WorkCalendar => (shift.weekdays ? cal.withWeek(shift.weekdays) : cal);

export interface DayResult {
  employeeNo: string;
  date: string;
  firstIn: string | null;
  lastOut: string | null;
  lateMinutes: number;
  earlyMinutes: number;
  dayStatus: 'present' | 'late' | 'early' | 'late_early' | 'absent' | 'leave';
  overtimeHours: number;
  overtimeKind: WorkDayKind;
}

/** "08:58" or "8:58:30" → 538 (seconds dropped: a punch at 09:00:59 is on time). */
export function minuteOf(hhmm: string, field = 'time'): number {
  const m = /^(\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?$/.exec(hhmm.trim());
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) throw new AppError('FIELD_INVALID', `${field}: "${hhmm.slice(0, 20)}" is not a time of day (HH:MM)`, { field });
  return Number(m[1]) * 60 + Number(m[2]);
}

export const hhmm = (minute: number) => `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

const halfHoursDown = (minutes: number) => Math.floor(minutes / 30) / 2;

/** One employee's day from their punches (at least one). */
export function computeDay(employeeNo: string, date: string, minutes: number[], shift: Shift, cal: WorkCalendar): DayResult {
  const first = Math.min(...minutes);
  const last = Math.max(...minutes);
  const base = { employeeNo, date, firstIn: hhmm(first), lastOut: hhmm(last) };
  const kind = shiftCalendar(shift, cal).kindOf(date);
  if (kind !== 'workday') {
    return { ...base, lateMinutes: 0, earlyMinutes: 0, dayStatus: 'present', overtimeHours: halfHoursDown(last - first), overtimeKind: kind };
  }
  const lateBy = first - shift.start;
  const lateMinutes = lateBy > shift.graceMinutes ? lateBy : 0;
  const earlyMinutes = Math.max(0, shift.end - last);
  const after = last - shift.end;
  const overtimeHours = after >= 60 ? halfHoursDown(after) : 0;
  const dayStatus = lateMinutes && earlyMinutes ? 'late_early' : lateMinutes ? 'late' : earlyMinutes ? 'early' : 'present';
  return { ...base, lateMinutes, earlyMinutes, dayStatus, overtimeHours, overtimeKind: 'workday' };
}

/**
 * Why an employee owes no work on a day: approved leave (the day is 请假, not 旷工) or not
 * employed (before the hire date or after the leaving date: no day is recorded).
 */
export type DayOff = 'leave' | 'not_employed';

/**
 * The days of a punch file: one result per employee and date with punches, and
 * an absence for every working day of the file's date range (first to last
 * punch date, working by `cal` over the shift's week: a holiday or rest day without punches is nothing)
 * on which an employee with a shift did not punch at all. `dayOff`
 * tells which of those days the employee owed no work (see DayOff): a day off
 * without punches is a leave day or nothing, never an absence — payroll deducts
 * absences, so a day of paid leave marked 旷工 would cost the employee a day's pay.
 */
export function computeAttendance(punches: Punch[], shifts: Map<string, Shift>, cal: WorkCalendar, dayOff: (employeeNo: string, date: string) => DayOff | null = () => null): DayResult[] {
  if (!punches.length) return [];
  const byDay = new Map<string, number[]>();
  for (const p of punches) {
    const key = `${p.employeeNo}\u0000${p.date}`;
    byDay.set(key, [...(byDay.get(key) ?? []), p.minute]);
  }
  const dates = punches.map((p) => p.date).sort();
  const range = datesBetween(dates[0], dates[dates.length - 1]);
  const out: DayResult[] = [];
  for (const [employeeNo, shift] of shifts) {
    const week = shiftCalendar(shift, cal);
    for (const date of range) {
      const minutes = byDay.get(`${employeeNo}\u0000${date}`);
      if (minutes) {
        out.push(computeDay(employeeNo, date, minutes, shift, week));
        continue;
      }
      if (!week.isWorkday(date)) continue;
      const off = dayOff(employeeNo, date);
      if (off === 'not_employed') continue;
      out.push({ employeeNo, date, firstIn: null, lastOut: null, lateMinutes: 0, earlyMinutes: 0, dayStatus: off === 'leave' ? 'leave' : 'absent', overtimeHours: 0, overtimeKind: 'workday' });
    }
  }
  return out;
}
