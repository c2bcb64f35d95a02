import { describe, expect, it } from 'vitest';
import { AppError } from '@mosaic/kernel';
import { fixedCtx } from '../test-scope.ts';
import { relativeDateRange, todayIn } from './relative-dates.ts';

// fixedCtx.now is 2026-11-23T18:30Z: already Tuesday 2026-11-24 in Shanghai.
describe('relativeDateRange: inclusive days in the tenant time zone, weeks from Monday', () => {
  it.each([
    ['today', '2026-11-24', '2026-11-24'],
    ['yesterday', '2026-11-23', '2026-11-23'],
    ['tomorrow', '2026-11-25', '2026-11-25'],
    ['this_week', '2026-11-23', '2026-11-29'],
    ['last_week', '2026-11-16', '2026-11-22'],
    ['next_week', '2026-11-30', '2026-12-06'],
    ['this_month', '2026-11-01', '2026-11-30'],
    ['last_month', '2026-10-01', '2026-10-31'],
    ['next_month', '2026-12-01', '2026-12-31'],
    ['this_quarter', '2026-10-01', '2026-12-31'],
    ['last_quarter', '2026-07-01', '2026-09-30'],
    ['next_quarter', '2027-01-01', '2027-03-31'],
    ['this_year', '2026-01-01', '2026-12-31'],
    ['last_year', '2025-01-01', '2025-12-31'],
    ['next_year', '2027-01-01', '2027-12-31'],
    ['last_7_days', '2026-11-18', '2026-11-24'],
    ['last_30_days', '2026-10-26', '2026-11-24'],
    ['last_90_days', '2026-08-27', '2026-11-24'],
    ['next_7_days', '2026-11-24', '2026-11-30'],
    ['next_30_days', '2026-11-24', '2026-12-23'],
    ['next_90_days', '2026-11-24', '2027-02-21'],
  ])('%s → %s … %s', (name, from, to) => {
    expect(relativeDateRange(name, fixedCtx)).toEqual({ from, to });
  });

  it('depends on the time zone: the same instant is still the 23rd in UTC', () => {
    expect(todayIn({ now: fixedCtx.now, timeZone: 'UTC' })).toBe('2026-11-23');
    expect(relativeDateRange('this_week', { now: fixedCtx.now, timeZone: 'UTC' })).toEqual({ from: '2026-11-23', to: '2026-11-29' });
    expect(todayIn({ now: fixedCtx.now, timeZone: '' })).toBe('2026-11-24'); // Asia/Shanghai by default
  });

  it('crosses year ends, Sundays and leap Februaries', () => {
    const newYear = { now: new Date('2025-12-31T16:30:00Z'), timeZone: 'Asia/Shanghai' }; // Thu 2026-01-01 00:30
    expect(relativeDateRange('last_month', newYear)).toEqual({ from: '2025-12-01', to: '2025-12-31' });
    expect(relativeDateRange('this_week', newYear)).toEqual({ from: '2025-12-29', to: '2026-01-04' });
    expect(relativeDateRange('last_quarter', newYear)).toEqual({ from: '2025-10-01', to: '2025-12-31' });
    const sunday = { now: new Date('2026-11-29T12:00:00Z'), timeZone: 'Asia/Shanghai' };
    expect(relativeDateRange('this_week', sunday)).toEqual({ from: '2026-11-23', to: '2026-11-29' });
    const leap = { now: new Date('2028-03-15T04:00:00Z'), timeZone: 'Asia/Shanghai' };
    expect(relativeDateRange('last_month', leap)).toEqual({ from: '2028-02-01', to: '2028-02-29' });
  });

  it('refuses an unknown name with FILTER_INVALID', () => {
    expect(() => relativeDateRange('someday', fixedCtx)).toThrow(AppError);
    expect(() => relativeDateRange('someday', fixedCtx)).toThrow(/unknown relative date "someday"/);
  });
});
