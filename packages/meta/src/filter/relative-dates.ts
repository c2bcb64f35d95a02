import { AppError } from '@mosaic/kernel';
import type { EvalContext } from '../query-scope.ts';

export const RELATIVE_DATES = [
  'today', 'yesterday', 'tomorrow', 'this_week', 'last_week', 'next_week', 'this_month', 'last_month', 'next_month',
  'this_quarter', 'last_quarter', 'next_quarter', 'this_year', 'last_year', 'next_year',
  'last_7_days', 'last_30_days', 'last_90_days', 'next_7_days', 'next_30_days', 'next_90_days',
] as const;
export type RelativeDate = (typeof RELATIVE_DATES)[number];

/** Today's calendar date where the tenant is (Asia/Shanghai by default), as YYYY-MM-DD. */
export function todayIn(ctx: Pick<EvalContext, 'now' | 'timeZone'>): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: ctx.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ctx.now);
}

/**
 * A relative date as an inclusive range of calendar days in the tenant's time
 * zone. Weeks start on Monday (GB/T 7408, as Chinese calendars do).
 */
export function relativeDateRange(name: string, ctx: Pick<EvalContext, 'now' | 'timeZone'>): { from: string; to: string } {
  if (!(RELATIVE_DATES as readonly string[]).includes(name)) {
    throw new AppError('FILTER_INVALID', `filter: unknown relative date "${String(name).slice(0, 30)}"; use one of ${RELATIVE_DATES.join(', ')}`, { field: 'filter' });
  }
  const today = parse(todayIn(ctx));
  const d = (offset: number) => addDays(today, offset);
  const weekStart = addDays(today, -((today.getUTCDay() + 6) % 7));
  const monthStart = (delta: number) => new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + delta, 1));
  const quarterStart = (delta: number) => new Date(Date.UTC(today.getUTCFullYear(), Math.floor(today.getUTCMonth() / 3) * 3 + delta * 3, 1));
  const yearStart = (delta: number) => new Date(Date.UTC(today.getUTCFullYear() + delta, 0, 1));
  const span = (from: Date, toExclusive: Date) => ({ from: fmt(from), to: fmt(addDays(toExclusive, -1)) });
  switch (name as RelativeDate) {
    case 'today': return span(d(0), d(1));
    case 'yesterday': return span(d(-1), d(0));
    case 'tomorrow': return span(d(1), d(2));
    case 'this_week': return span(weekStart, addDays(weekStart, 7));
    case 'last_week': return span(addDays(weekStart, -7), weekStart);
    case 'next_week': return span(addDays(weekStart, 7), addDays(weekStart, 14));
    case 'this_month': return span(monthStart(0), monthStart(1));
    case 'last_month': return span(monthStart(-1), monthStart(0));
    case 'next_month': return span(monthStart(1), monthStart(2));
    case 'this_quarter': return span(quarterStart(0), quarterStart(1));
    case 'last_quarter': return span(quarterStart(-1), quarterStart(0));
    case 'next_quarter': return span(quarterStart(1), quarterStart(2));
    case 'this_year': return span(yearStart(0), yearStart(1));
    case 'last_year': return span(yearStart(-1), yearStart(0));
    case 'next_year': return span(yearStart(1), yearStart(2));
    case 'last_7_days': return span(d(-6), d(1));
    case 'last_30_days': return span(d(-29), d(1));
    case 'last_90_days': return span(d(-89), d(1));
    case 'next_7_days': return span(d(0), d(7));
    case 'next_30_days': return span(d(0), d(30));
    case 'next_90_days': return span(d(0), d(90));
  }
}

const parse = (s: string) => new Date(`${s}T00:00:00Z`);
const fmt = (d: Date) => d.toISOString().slice(0, 10);
const addDays = (d: Date, n: number) => new Date(d.getTime() + n * 86_400_000);
