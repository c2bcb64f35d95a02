import { describe, expect, it } from 'vitest';
import { Decimal } from '@mosaic/kernel';
import { WEEKDAYS, workCalendar } from '../calendar/work-calendar.ts';
import { accruedDays, availableDays, leaveDayLimit, monthOf } from './leave.rules.ts';

const d = (x: string | number) => new Decimal(x);

describe('leave accrual', () => {
  it.each([
    // annual, accrual, hired, through, accrued
    ['5', 'monthly', '2020-05-01', '2026-01', '0.42'], // 5 ÷ 12 = 0.4166…
    ['5', 'monthly', '2020-05-01', '2026-03', '1.25'], // 5 × 3 ÷ 12
    ['5', 'monthly', '2020-05-01', '2026-12', '5.00'], // a whole year adds up exactly, no drift
    ['10', 'monthly', '2026-04-15', '2026-06', '2.50'], // hired in April: April, May, June
    ['10', 'monthly', '2026-07-01', '2026-06', '0.00'], // not employed yet
    ['15', 'yearly', '2019-01-01', '2026-02', '15.00'],
    ['15', 'none', '2019-01-01', '2026-02', '0.00'],
  ] as const)('%s days %s, hired %s, through %s → %s', (annual, accrual, hired, through, expected) => {
    expect(accruedDays(d(annual), accrual, hired, through).toFixed(2)).toBe(expected);
  });

  it('available = accrued − used − pending', () => {
    expect(availableDays(d('2.5'), d(1), d('0.5')).toFixed(2)).toBe('1.00');
  });

  it('limits a request to its working days by the calendar, and refuses a bad month', () => {
    expect(leaveDayLimit('2026-02-27', '2026-03-02', WEEKDAYS)).toBe(2); // Fri 27, Mon 2
    // Mon 28 Sep – Sat 10 Oct over National Day (1–7 closed, Sat 10 worked): 28, 29, 30 Sep, 8, 9, 10 Oct.
    const cal = workCalendar(new Map([...[1, 2, 3, 4, 5, 6, 7].map((n) => [`2026-10-0${n}`, 'holiday'] as const), ['2026-10-10', 'workday']]));
    expect(leaveDayLimit('2026-09-28', '2026-10-10', cal)).toBe(6);
    expect(leaveDayLimit('2026-10-01', '2026-10-07', cal)).toBe(0);
    // Fri 27 Feb – Mon 2 Mar for a 单休 shift (Monday–Saturday): Saturday the 28th is spent too.
    expect(leaveDayLimit('2026-02-27', '2026-03-02', WEEKDAYS.withWeek([1, 2, 3, 4, 5, 6]))).toBe(3);
    // Over National Day the week changes nothing of the closed days: Sat 3 Oct is a holiday, Sat 10 worked either way.
    expect(leaveDayLimit('2026-09-28', '2026-10-10', cal.withWeek([1, 2, 3, 4, 5, 6]))).toBe(6);
    expect(() => monthOf('2026-13')).toThrow(expect.objectContaining({ code: 'FIELD_INVALID', field: 'month' }));
  });
});
