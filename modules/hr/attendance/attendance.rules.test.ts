import { describe, expect, it } from 'vitest';
import { WEEKDAYS, workCalendar } from '../calendar/work-calendar.ts';
import { computeAttendance, computeDay, minuteOf, type Shift } from './attendance.rules.ts';

// 09:00–18:00 with five minutes' grace.
const SHIFT = { start: 9 * 60, end: 18 * 60, graceMinutes: 5 };
const m = (t: string) => minuteOf(t);

describe('a day against the shift', () => {
  it.each([
    ['on time', ['08:55', '18:02'], { lateMinutes: 0, earlyMinutes: 0, dayStatus: 'present', overtimeHours: 0 }],
    ['inside the grace period is not late', ['09:05', '18:00'], { lateMinutes: 0, dayStatus: 'present' }],
    ['past the grace counts from the shift start', ['09:12', '18:00'], { lateMinutes: 12, dayStatus: 'late' }],
    ['left early', ['08:50', '17:20'], { earlyMinutes: 40, dayStatus: 'early' }],
    ['late and early', ['09:30', '17:45'], { lateMinutes: 30, earlyMinutes: 15, dayStatus: 'late_early' }],
    ['less than an hour after the end is not overtime', ['09:00', '18:59'], { overtimeHours: 0 }],
    ['overtime in whole half-hours from one hour on', ['09:00', '20:47'], { overtimeHours: 2.5, overtimeKind: 'workday' }],
    ['punches in between do not matter: first in, last out', ['12:01', '08:59', '13:00', '18:00'], { firstIn: '08:59', lastOut: '18:00', dayStatus: 'present' }],
  ])('%s', (_, punches, expected) => {
    expect(computeDay('E1', '2026-03-03', punches.map(m), SHIFT, WEEKDAYS)).toMatchObject(expected);
  });

  it('a Saturday with punches is rest-day overtime, never late', () => {
    expect(computeDay('E1', '2026-03-07', [m('10:00'), m('14:40')], SHIFT, WEEKDAYS)).toMatchObject({ lateMinutes: 0, overtimeHours: 4.5, overtimeKind: 'rest_day', dayStatus: 'present' });
  });

  it('a holiday with punches is holiday overtime; a 调休 Saturday is a working day', () => {
    const cal = workCalendar(new Map([['2026-10-02', 'holiday'], ['2026-10-03', 'holiday'], ['2026-10-10', 'workday']]));
    expect(computeDay('E1', '2026-10-02', [m('09:00'), m('13:00')], SHIFT, cal)).toMatchObject({ overtimeHours: 4, overtimeKind: 'holiday', dayStatus: 'present' });
    expect(computeDay('E1', '2026-10-03', [m('09:00'), m('17:00')], SHIFT, cal)).toMatchObject({ overtimeHours: 8, overtimeKind: 'holiday' });
    expect(computeDay('E1', '2026-10-10', [m('09:20'), m('19:30')], SHIFT, cal)).toMatchObject({ lateMinutes: 20, overtimeHours: 1.5, overtimeKind: 'workday', dayStatus: 'late' });
  });

  it('a Saturday of a 单休 shift (Monday–Saturday) is a working day: late counts, overtime is a working day\'s', () => {
    const sixDays = { ...SHIFT, weekdays: [6, 1, 2, 3, 4, 5] };
    expect(computeDay('E1', '2026-03-07', [m('09:20'), m('19:30')], sixDays, WEEKDAYS)).toMatchObject({ lateMinutes: 20, overtimeHours: 1.5, overtimeKind: 'workday', dayStatus: 'late' });
    expect(computeDay('E1', '2026-03-08', [m('10:00'), m('14:00')], sixDays, WEEKDAYS)).toMatchObject({ overtimeHours: 4, overtimeKind: 'rest_day' }); // Sunday
    // A holiday stays a holiday whatever the week.
    expect(computeDay('E1', '2026-10-03', [m('09:00'), m('13:00')], sixDays, workCalendar(new Map([['2026-10-03', 'holiday']])))).toMatchObject({ overtimeKind: 'holiday' });
  });

  it.each(['25:00', '9h', '', '12:60'])('refuses the time %j, naming the field', (t) => {
    expect(() => minuteOf(t, 'punch_time')).toThrow(expect.objectContaining({ code: 'FIELD_INVALID', field: 'punch_time' }));
  });
});

describe('a punch file', () => {
  it('marks a working day in the range without punches absent, but not the weekend', () => {
    // Fri 2026-03-06 … Mon 2026-03-09: E2 punches Friday and Monday only; E1 never punches on Monday.
    const punches = [
      { employeeNo: 'E1', date: '2026-03-06', minute: m('09:00') }, { employeeNo: 'E1', date: '2026-03-06', minute: m('18:00') },
      { employeeNo: 'E2', date: '2026-03-06', minute: m('09:20') }, { employeeNo: 'E2', date: '2026-03-06', minute: m('18:00') },
      { employeeNo: 'E2', date: '2026-03-09', minute: m('08:40') }, { employeeNo: 'E2', date: '2026-03-09', minute: m('18:00') },
    ];
    const days = computeAttendance(punches, new Map([['E1', SHIFT], ['E2', SHIFT]]), WEEKDAYS);
    expect(days.map((d) => [d.employeeNo, d.date, d.dayStatus, d.lateMinutes])).toEqual([
      ['E1', '2026-03-06', 'present', 0], ['E1', '2026-03-09', 'absent', 0],
      ['E2', '2026-03-06', 'late', 20], ['E2', '2026-03-09', 'present', 0],
    ]);
  });

  it('a working day without punches is leave when on approved leave, and nothing when not employed', () => {
    const punches = [
      ...['2026-03-02', '2026-03-05'].flatMap((date) => [{ employeeNo: 'E1', date, minute: m('09:00') }, { employeeNo: 'E1', date, minute: m('18:00') }]),
      { employeeNo: 'E2', date: '2026-03-05', minute: m('09:00') }, { employeeNo: 'E2', date: '2026-03-05', minute: m('18:00') },
    ];
    // E1 on leave on the 3rd; E2 hired on the 4th.
    const off = (no: string, date: string) => (no === 'E1' && date === '2026-03-03' ? 'leave' as const : no === 'E2' && date < '2026-03-04' ? 'not_employed' as const : null);
    const days = computeAttendance(punches, new Map([['E1', SHIFT], ['E2', SHIFT]]), WEEKDAYS, off);
    expect(days.map((d) => [d.employeeNo, d.date, d.dayStatus])).toEqual([
      ['E1', '2026-03-02', 'present'], ['E1', '2026-03-03', 'leave'], ['E1', '2026-03-04', 'absent'], ['E1', '2026-03-05', 'present'],
      ['E2', '2026-03-04', 'absent'], ['E2', '2026-03-05', 'present'],
    ]);
  });

  it('a holiday without punches is no absence, a 调休 Saturday without punches is one', () => {
    // Thu 1 – Sat 10 October: holidays 1–7, 调休 Saturday the 10th; E1 punches on the 8th and 9th only.
    const cal = workCalendar(new Map([...[1, 2, 3, 4, 5, 6, 7].map((d) => [`2026-10-0${d}`, 'holiday'] as const), ['2026-10-10', 'workday']]));
    const punches = ['2026-10-01', '2026-10-08', '2026-10-09'].flatMap((date) => [{ employeeNo: 'E1', date, minute: m('09:00') }, { employeeNo: 'E1', date, minute: m('18:00') }]);
    punches.push({ employeeNo: 'E2', date: '2026-10-10', minute: m('09:00') });
    const days = computeAttendance(punches, new Map([['E1', SHIFT]]), cal);
    expect(days.map((d) => [d.date, d.dayStatus, d.overtimeKind, d.overtimeHours])).toEqual([
      ['2026-10-01', 'present', 'holiday', 9], ['2026-10-08', 'present', 'workday', 0], ['2026-10-09', 'present', 'workday', 0], ['2026-10-10', 'absent', 'workday', 0],
    ]);
  });

  it('a Saturday without punches is an absence for a 单休 shift, nothing for a Monday–Friday one', () => {
    // Fri 6 – Mon 9 March 2026: both punch Friday and Monday only.
    const punches = ['E1', 'E2'].flatMap((employeeNo) => ['2026-03-06', '2026-03-09'].map((date) => ({ employeeNo, date, minute: m('09:00') })));
    const days = computeAttendance(punches, new Map<string, Shift>([['E1', { ...SHIFT, weekdays: [1, 2, 3, 4, 5, 6] }], ['E2', SHIFT]]), WEEKDAYS);
    expect(days.filter((d) => d.dayStatus === 'absent').map((d) => [d.employeeNo, d.date])).toEqual([['E1', '2026-03-07']]);
  });
});
