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
