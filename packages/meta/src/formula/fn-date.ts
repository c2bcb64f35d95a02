import { sql } from 'kysely';
import { Decimal } from '@mosaic/kernel';
import type { FnDef } from './functions.ts';
import { dateRangeSql, intSql, MAX_DAYS, MAX_MONTHS, simpleIf, type Sql, type SqlRuntime } from './sql-convert.ts';
import { addMonths, dateOfDay, dayNumber, dayNumberOf, toNumber, type Value } from './values.ts';

/**
 * Dates are calendar days ('YYYY-MM-DD', SQL date); TODAY() is the day in the
 * tenant's time zone at the request's `now` — in SQL too, as a parameter, so
 * both engines (and tests with a fixed clock) see the same day. Results
 * outside years 1–9999 are empty.
 */
const clamp = (v: Value, limit: number) => Math.max(-limit, Math.min(limit, (toNumber(v) as Decimal).trunc().toNumber()));

/** date + n days (n truncated), in both engines. */
export function addDays(date: Value, n: Value): Value {
  return date === null || n === null ? null : dateOfDay(dayNumber(date as string) + clamp(n, MAX_DAYS));
}
export function addDaysSql(date: Sql, n: Sql, rt: SqlRuntime): Sql {
  return dateRangeSql(simpleIf([date, n], sql`(${date} + ${intSql(n, rt, MAX_DAYS)})`), rt);
}

function shift(date: Value, n: Value, unit: string): Value {
  if (date === null || n === null) return null;
  if (unit === 'D') return addDays(date, n);
  return addMonths(date as string, unit === 'Y' ? clamp(n, MAX_MONTHS / 12) * 12 : clamp(n, MAX_MONTHS));
}
function shiftSql(date: Sql, n: Sql, unit: string, rt: SqlRuntime): Sql {
  if (unit === 'D') return addDaysSql(date, n, rt);
  const step = unit === 'Y' ? sql`${intSql(n, rt, MAX_MONTHS / 12)} * interval '1 year'` : sql`${intSql(n, rt, MAX_MONTHS)} * interval '1 month'`;
  return dateRangeSql(simpleIf([date, n], sql`((${date} + ${step})::date)`), rt);
}

const part = (from: number, to: number, field: 'year' | 'month' | 'day'): FnDef => ({
  min: 1, max: 1, sig: (s) => ({ params: [s.want(0, 'date')], result: 'number' }),
  eval: ([d]) => (d === null ? null : new Decimal(Number((d as string).slice(from, to)))),
  sql: ([d]) => sql`(extract(${sql.raw(field)} from ${d}))::numeric`,
});

/** Whole months from s to e, counting a month only once its day is reached (Excel's DATEDIF "M"). */
function monthsBetween(s: string, e: string): number {
  const [y1, m1, d1] = [+s.slice(0, 4), +s.slice(5, 7), +s.slice(8, 10)];
  const [y2, m2, d2] = [+e.slice(0, 4), +e.slice(5, 7), +e.slice(8, 10)];
  return (y2 - y1) * 12 + (m2 - m1) - (d2 < d1 ? 1 : 0);
}
function monthsBetweenSql(s: Sql, e: Sql): Sql {
  const x = (f: string, d: Sql) => sql`extract(${sql.raw(f)} from ${d})`;
  return sql`((${x('year', e)} - ${x('year', s)}) * 12 + ${x('month', e)} - ${x('month', s)} - (CASE WHEN ${x('day', e)} < ${x('day', s)} THEN 1 ELSE 0 END))`;
}

export const DATE_FUNCTIONS: Record<string, FnDef> = {
  TODAY: { min: 0, max: 0, sig: () => ({ params: [], result: 'date' }), eval: (_a, rt) => rt.today, sql: (_a, rt) => rt.today() },
  NOW: { min: 0, max: 0, sig: () => ({ params: [], result: 'datetime' }), eval: (_a, rt) => rt.now, sql: (_a, rt) => rt.now() },
  // DATE(y, m, d) rolls over like Excel: DATE(2026, 13, 1) = 2027-01-01, DATE(2026, 3, 0) = 2026-02-28.
  DATE: {
    min: 3, max: 3, sig: (s) => ({ params: s.wantAll('number'), result: 'date' }),
    eval: ([y, m, d]) => {
      if (y === null || m === null || d === null) return null;
      const year = (y as Decimal).trunc().toNumber();
      if (year < 1 || year > 9999) return null;
      return dateOfDay(dayNumberOf(year, clamp(m, MAX_MONTHS), 1) + clamp(d, MAX_DAYS) - 1);
    },
    sql: (args, rt) => rt.bind(args, ([y, m, d]) => {
      const date = sql`((make_date((trunc(${y}))::int, 1, 1) + (${intSql(m, rt, MAX_MONTHS)} - 1) * interval '1 month')::date + (${intSql(d, rt, MAX_DAYS)} - 1))`;
      return sql`(CASE WHEN trunc(${y}) BETWEEN 1 AND 9999 THEN ${dateRangeSql(simpleIf([y, m, d], date), rt)} END)`;
    }),
  },
  YEAR: part(0, 4, 'year'),
  MONTH: part(5, 7, 'month'),
  DAY: part(8, 10, 'day'),
  // WEEKDAY(date, [type]): type 1 (default) Sunday = 1 … Saturday = 7; type 2 Monday = 1 … Sunday = 7; type 3 Monday = 0 … Sunday = 6.
  WEEKDAY: {
    min: 1, max: 2,
    sig: (s) => ({ params: [s.want(0, 'date'), 'number'], result: 'number', option: s.types.length > 1 ? s.literalNumber(1, [1, 2, 3], 'type') : 1 }),
    eval: ([d], _rt, sig) => {
      if (d === null) return null;
      const iso = ((((dayNumber(d as string) + 3) % 7) + 7) % 7) + 1; // Monday = 1; 1970-01-01 was a Thursday
      return new Decimal(sig.option === 1 ? (iso % 7) + 1 : sig.option === 2 ? iso : iso - 1);
    },
    sql: ([d], _rt, sig) => {
      const iso = sql`extract(isodow from ${d})`;
      return sig.option === 1 ? sql`(mod(${iso}, 7) + 1)::numeric` : sig.option === 2 ? sql`(${iso})::numeric` : sql`(${iso} - 1)::numeric`;
    },
  },
  // DATEDIF(start, end, "D" | "M" | "Y"): whole days, months or years; end before start → empty.
  DATEDIF: {
    min: 3, max: 3,
    sig: (s) => ({ params: [s.want(0, 'date'), s.want(1, 'date'), 'text'], result: 'number', option: s.literal(2, ['D', 'M', 'Y'], 'unit') }),
    eval: ([s, e], _rt, sig) => {
      if (s === null || e === null || (e as string) < (s as string)) return null;
      if (sig.option === 'D') return new Decimal(dayNumber(e as string) - dayNumber(s as string));
      const months = monthsBetween(s as string, e as string);
      return new Decimal(sig.option === 'M' ? months : Math.floor(months / 12));
    },
    sql: (args, rt, sig) => rt.bind(args.slice(0, 2), ([s, e]) => {
      const value = sig.option === 'D' ? sql`(${e} - ${s})` : sig.option === 'M' ? monthsBetweenSql(s, e) : sql`floor(${monthsBetweenSql(s, e)} / 12)`;
      return sql`(CASE WHEN ${e} >= ${s} THEN (${value})::numeric END)`;
    }),
  },
  // DATEADD(date, n, ["D" | "M" | "Y"]): months and years keep the day, clipped to the month's end.
  DATEADD: {
    min: 2, max: 3,
    sig: (s) => ({ params: [s.want(0, 'date'), s.want(1, 'number'), 'text'], result: 'date', option: s.types.length > 2 ? s.literal(2, ['D', 'M', 'Y'], 'unit') : 'D' }),
    eval: ([d, n], _rt, sig) => shift(d, n, sig.option as string),
    sql: ([d, n], rt, sig) => shiftSql(d, n, sig.option as string, rt),
  },
  EDATE: {
    min: 2, max: 2, sig: (s) => ({ params: [s.want(0, 'date'), s.want(1, 'number')], result: 'date' }),
    eval: ([d, n]) => shift(d, n, 'M'),
    sql: ([d, n], rt) => shiftSql(d, n, 'M', rt),
  },
  // DAYS(end, start) = end − start in days.
  DAYS: {
    min: 2, max: 2, sig: (s) => ({ params: [s.want(0, 'date'), s.want(1, 'date')], result: 'number' }),
    eval: ([e, s]) => (e === null || s === null ? null : new Decimal(dayNumber(e as string) - dayNumber(s as string))),
    sql: ([e, s]) => sql`(${e} - ${s})::numeric`,
  },
};
