import { addDays, addMonths, AppError, isoWeekday, todayIn as dayIn } from '@mosaic/kernel';
import type { EvalContext } from '../query-scope.ts';

/**
 * Relative dates ("this_month", "last_30_days", …) as inclusive ranges of
 * calendar days in the tenant's time zone. Calendar arithmetic runs on UTC
 * midnights (no DST there); only "what day is it now, there" needs the zone,
 * and Intl answers that from the IANA database — no date library needed.
 *
 *   relativeDateRange('this_month', { now: new Date('2026-11-23T18:30:00Z'), timeZone: 'Asia/Shanghai' })
 *     → { from: '2026-11-01', to: '2026-11-30' }     (it is already the 24th in Shanghai)
 */
export const RELATIVE_DATES = [
  'today', 'yesterday', 'tomorrow', 'this_week', 'last_week', 'next_week', 'this_month', 'last_month', 'next_month',
  'this_quarter', 'last_quarter', 'next_quarter', 'this_year', 'last_year', 'next_year',
  'last_7_days', 'last_30_days', 'last_90_days', 'next_7_days', 'next_30_days', 'next_90_days',
] as const;
export type RelativeDate = (typeof RELATIVE_DATES)[number];

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

export function isRelativeDate(name: unknown): name is RelativeDate {
  return typeof name === 'string' && (RELATIVE_DATES as readonly string[]).includes(name);
}

/** Today's calendar date where the tenant is (Asia/Shanghai by default), as YYYY-MM-DD: the kernel's todayIn at ctx.now. */
export function todayIn(ctx: Pick<EvalContext, 'now' | 'timeZone'>): string {
  return dayIn(ctx.timeZone || DEFAULT_TIME_ZONE, ctx.now);
}

/**
 * A relative date as an inclusive range of days. Weeks start on Monday
 * (GB/T 7408 / ISO 8601, as Chinese calendars do); "last_7_days" is today and
 * the six days before, "next_7_days" today and the six days after.
 */
export function relativeDateRange(name: string, ctx: Pick<EvalContext, 'now' | 'timeZone'>): { from: string; to: string } {
  if (!isRelativeDate(name)) {
    throw new AppError('FILTER_INVALID', `filter: unknown relative date ${JSON.stringify(String(name).slice(0, 40))}; use one of ${RELATIVE_DATES.join(', ')}`);
  }
  const today = todayIn(ctx);
  const d = (offset: number) => addDays(today, offset);
  const weekStart = addDays(today, 1 - isoWeekday(today));
  const thisMonth = `${today.slice(0, 7)}-01`;
  const month = (delta: number) => addMonths(thisMonth, delta);
  const quarter = (delta: number) => addMonths(thisMonth, -((Number(today.slice(5, 7)) - 1) % 3) + delta * 3);
  const year = (delta: number) => addMonths(`${today.slice(0, 4)}-01-01`, delta * 12);
  const span = (from: string, toExclusive: string) => ({ from, to: addDays(toExclusive, -1) });
  switch (name) {
    case 'today': return span(d(0), d(1));
    case 'yesterday': return span(d(-1), d(0));
    case 'tomorrow': return span(d(1), d(2));
    case 'this_week': return span(weekStart, addDays(weekStart, 7));
    case 'last_week': return span(addDays(weekStart, -7), weekStart);
    case 'next_week': return span(addDays(weekStart, 7), addDays(weekStart, 14));
    case 'this_month': return span(month(0), month(1));
    case 'last_month': return span(month(-1), month(0));
    case 'next_month': return span(month(1), month(2));
    case 'this_quarter': return span(quarter(0), quarter(1));
    case 'last_quarter': return span(quarter(-1), quarter(0));
    case 'next_quarter': return span(quarter(1), quarter(2));
    case 'this_year': return span(year(0), year(1));
    case 'last_year': return span(year(-1), year(0));
    case 'next_year': return span(year(1), year(2));
    case 'last_7_days': return span(d(-6), d(1));
    case 'last_30_days': return span(d(-29), d(1));
    case 'last_90_days': return span(d(-89), d(1));
    case 'next_7_days': return span(d(0), d(7));
    case 'next_30_days': return span(d(0), d(30));
    case 'next_90_days': return span(d(0), d(90));
  }
}

/** The calendar day after `day` (YYYY-MM-DD). */
export function nextDay(day: string): string {
  return addDays(day, 1);
}
