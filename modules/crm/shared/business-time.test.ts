import { describe, expect, it } from 'vitest';
import { addBusinessMinutes, addWorkingDays, calendarOf } from './business-time.ts';

const cal = calendarOf('Asia/Shanghai', [{ day: '2026-10-01', is_workday: false }, { day: '2026-10-02', is_workday: false }, { day: '2026-10-10', is_workday: true }]);
const sh = (s: string) => new Date(`${s}+08:00`);

describe('business time', () => {
  it('skips weekends and holidays when adding working days', () => {
    expect(addWorkingDays(cal, sh('2026-11-20T15:00:00'), 1).toISOString()).toBe(sh('2026-11-23T15:00:00').toISOString()); // Fri → Mon
    expect(addWorkingDays(cal, sh('2026-09-30T10:00:00'), 1).toISOString()).toBe(sh('2026-10-05T10:00:00').toISOString()); // 国庆 1–2 Oct off, weekend
    expect(addWorkingDays(cal, sh('2026-10-09T10:00:00'), 1).toISOString()).toBe(sh('2026-10-10T10:00:00').toISOString()); // 调休 Saturday works
  });
  it('counts only business hours, 09:00–18:00', () => {
    expect(addBusinessMinutes(cal, sh('2026-11-23T17:00:00'), 120).toISOString()).toBe(sh('2026-11-24T10:00:00').toISOString());
    expect(addBusinessMinutes(cal, sh('2026-11-21T12:00:00'), 60).toISOString()).toBe(sh('2026-11-23T10:00:00').toISOString()); // Saturday → Monday
    expect(addBusinessMinutes(cal, sh('2026-11-23T07:00:00'), 30).toISOString()).toBe(sh('2026-11-23T09:30:00').toISOString());
  });
});

describe('a working day of its own', () => {
  const day = { start: '08:30', end: '17:30', lunchStart: '12:00', lunchEnd: '13:00', weekdays: [1, 2, 3, 4, 5, 6] };
  const six = calendarOf('Asia/Shanghai', [{ day: '2026-10-01', is_workday: false }, { day: '2026-10-04', is_workday: true }], day);

  it('stops the clock over lunch and counts from its own start', () => {
    expect(addBusinessMinutes(six, sh('2026-11-23T11:50:00'), 20).toISOString()).toBe(sh('2026-11-23T13:10:00').toISOString());
    expect(addBusinessMinutes(six, sh('2026-11-23T12:30:00'), 10).toISOString()).toBe(sh('2026-11-23T13:10:00').toISOString()); // asked at lunch
    expect(addBusinessMinutes(six, sh('2026-11-23T07:00:00'), 30).toISOString()).toBe(sh('2026-11-23T09:00:00').toISOString());
    expect(addBusinessMinutes(six, sh('2026-11-23T17:20:00'), 20).toISOString()).toBe(sh('2026-11-24T08:40:00').toISOString());
  });

  it('works the weekdays it names (a six-day week), holidays still off, a 调休 Sunday on', () => {
    expect(addBusinessMinutes(six, sh('2026-11-20T17:00:00'), 60).toISOString()).toBe(sh('2026-11-21T09:00:00').toISOString()); // Fri → Sat
    expect(addBusinessMinutes(six, sh('2026-11-21T17:00:00'), 60).toISOString()).toBe(sh('2026-11-23T09:00:00').toISOString()); // Sat → Mon
    expect(addBusinessMinutes(six, sh('2026-09-30T17:00:00'), 60).toISOString()).toBe(sh('2026-10-02T09:00:00').toISOString()); // 1 Oct off
    expect(addBusinessMinutes(six, sh('2026-10-03T17:00:00'), 60).toISOString()).toBe(sh('2026-10-04T09:00:00').toISOString()); // 调休 Sunday
    expect(addWorkingDays(six, sh('2026-11-20T10:00:00'), 1).toISOString()).toBe(sh('2026-11-21T10:00:00').toISOString());
  });

  it('ignores a lunch break outside the day', () => {
    const odd = calendarOf('Asia/Shanghai', [], { start: '09:00', end: '18:00', lunchStart: '07:00', lunchEnd: '08:00' });
    expect(odd.periods).toEqual([[540, 1080]]);
  });

  it('refuses a calendar with every day closed, naming it, instead of looping forever', () => {
    const closed = calendarOf('Asia/Shanghai', [], { start: '09:00', end: '18:00', weekdays: [] }, 'SLA policy 紧急');
    const err = expect.objectContaining({ code: 'CONFLICT', message: expect.stringContaining('SLA policy 紧急') });
    expect(() => addWorkingDays(closed, sh('2026-11-20T10:00:00'), 1)).toThrow(err);
    expect(() => addBusinessMinutes(closed, sh('2026-11-20T10:00:00'), 60)).toThrow(err);
    // A Sunday-only week still works: one working day on is the next Sunday.
    const sundays = calendarOf('Asia/Shanghai', [], { start: '09:00', end: '18:00', weekdays: [7] });
    expect(addWorkingDays(sundays, sh('2026-11-20T10:00:00'), 1).toISOString()).toBe(sh('2026-11-22T10:00:00').toISOString());
  });
});
