import { describe, expect, it } from 'vitest';
import { capacityDate, forwardLoad, type Load } from './capacity.rules.ts';
import { addWorkingDays } from './calendar.rules.ts';
import type { Workstation } from './routing.types.ts';

// 2026-12-07 is a Monday. The line works Monday–Friday, 8 h; Wednesday 12-09 is a holiday,
// Saturday 12-12 a 调休 working day.
const ws: Workstation = {
  id: 'W', code: 'LINE', name: 'line', workshop: null, hourlyCost: '0', overheadRate: '0', machines: 1, weekdays: [1, 2, 3, 4, 5], hoursPerDay: '8',
  exceptions: new Map([['2026-12-09', 'holiday'], ['2026-12-12', 'workday']]),
};
const stations = new Map([['W', ws]]);
const load = (day: string, hours: number, source = 'x'): Load => ({ workstation: 'W', day, hours, source });

describe('finite forward loading on the workstation calendar', () => {
  it('places booked work first, then the new load in the hours left, skipping the holiday and working the 调休 Saturday', () => {
    // 20 h booked from Thursday: Thu 8, Fri 8, Sat (调休) 4 → the new 10 h: Sat 4, Mon 12-14 6
    expect(forwardLoad([load('2026-12-10', 20)], [load('2026-12-10', 10)], stations, '2026-12-01')).toEqual(['2026-12-14']);
    // past work still to do starts today
    expect(forwardLoad([load('2026-11-01', 16)], [load('2026-12-07', 4)], stations, '2026-12-07')).toEqual(['2026-12-10']);
  });

  it('moves the wanted date by the working days lost to booked work; none when there is room', () => {
    // Monday and Tuesday booked: the new Monday load is worked Thursday, 2 working days later
    expect(capacityDate('2026-12-07', [load('2026-12-07', 16)], [load('2026-12-07', 4, 'new')], stations, '2026-12-01')).toEqual({
      date: '2026-12-10', delays: [{ workstation: 'W', code: 'LINE', workingDays: 2, finishes: '2026-12-10' }],
    });
    expect(capacityDate('2026-12-10', [load('2026-12-07', 16)], [load('2026-12-10', 4, 'new')], stations, '2026-12-01')).toEqual({ date: '2026-12-10', delays: [] });
  });

  it('gives no date for a workstation that never works', () => {
    const closed = new Map([['W', { ...ws, weekdays: [], exceptions: new Map() }]]);
    expect(capacityDate('2026-12-07', [], [load('2026-12-07', 1)], closed, '2026-12-01').date).toBeNull();
  });

  it('refuses, naming the workstation, a calendar that has no working day left instead of a date ten years on', () => {
    // No working weekday ("Mon-Fri" read as none): only two 调休 Saturdays work.
    const odd = { ...ws, weekdays: [], exceptions: new Map([['2026-12-12', 'workday'], ['2026-12-19', 'workday']] as const) };
    const err = expect.objectContaining({ code: 'CONFLICT', field: 'working_weekdays', message: expect.stringContaining('LINE') });
    expect(() => addWorkingDays(odd, '2026-12-07', 1)).not.toThrow();
    expect(addWorkingDays(odd, '2026-12-07', 2)).toBe('2026-12-19');
    expect(() => addWorkingDays(odd, '2026-12-07', 3)).toThrow(err);
    // Booked work pushes the new load a working day on; wanted after the last working day, there is none to move to.
    expect(() => capacityDate('2027-01-11', [load('2026-12-07', 8)], [load('2026-12-07', 4, 'new')], new Map([['W', odd]]), '2026-12-01')).toThrow(err);
  });
});
