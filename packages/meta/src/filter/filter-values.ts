import { sql, type RawBuilder } from 'kysely';
import { isUuid, parseDecimal } from '@mosaic/kernel';
import { coerceSelect } from '../field-types/coerce.ts';
import type { FieldMeta } from '../meta.types.ts';
import type { EvalContext } from '../query-scope.ts';
import { PARAM_TYPE, type Kind } from './filter-kinds.ts';
import { FILTER_LIMITS, VARIABLES } from './filter.types.ts';
import { filterInvalid, isRelativeObject, isVarObject, show, valueInvalid } from './filter-shape.ts';
import { DEFAULT_TIME_ZONE, isRelativeDate, nextDay, relativeDateRange, RELATIVE_DATES, todayIn } from './relative-dates.ts';

/**
 * Filter values → SQL parameters, checked against the field's kind. Every value
 * leaves here as a parameter with a constant cast (`$1::numeric`); numbers go
 * as decimal strings, never JS floats.
 */

/** A variable the context has no value for (a user in no department). */
export const MISSING: unique symbol = Symbol('missing');

/** Replaces `{ "var": … }` (alone or inside a list) by the context's value. */
export function resolveVariables(value: unknown, path: string, ctx: EvalContext): unknown {
  if (isVarObject(value)) return variable(value.var, path, ctx);
  if (!Array.isArray(value)) return value;
  return value.flatMap((item) => {
    const v = isVarObject(item) ? variable(item.var, path, ctx) : item;
    return v === MISSING ? [] : Array.isArray(v) ? v : [v];
  });
}

function variable(name: unknown, path: string, ctx: EvalContext): unknown {
  switch (name) {
    case '$user': return ctx.userId || MISSING;
    case '$department': return ctx.departmentId || MISSING;
    case '$departmentTree': return ctx.departmentIds ?? (ctx.departmentId ? [ctx.departmentId] : MISSING);
    case '$company': return ctx.companyId || MISSING;
    case '$today': return todayIn(ctx);
    default: throw filterInvalid(`unknown variable ${show(name)}; use one of ${VARIABLES.join(', ')}`, path);
  }
}

/** One value as a parameter of the field's kind (for =, IN lists, hasAny). */
export function scalarParam(x: unknown, kind: Exclude<Kind, 'none'>, field: FieldMeta, path: string): string | boolean {
  if (x === null || x === undefined) throw filterInvalid('null is allowed only with eq, ne and isNull', path);
  if (typeof x === 'string' && x.length > FILTER_LIMITS.stringLength) throw filterInvalid(`a value is longer than ${FILTER_LIMITS.stringLength} characters`, path);
  switch (kind) {
    case 'number': {
      const d = typeof x === 'string' || typeof x === 'number' ? parseDecimal(x) : null;
      // A bounded exponent: "1e999999999" would otherwise expand to a billion digits.
      if (!d || !d.isFinite() || Math.abs(d.e) > 1000) throw valueInvalid(path, `${show(x)} is not a number`);
      return d.toFixed();
    }
    case 'date':
      if (typeof x !== 'string' || !isCalendarDate(x)) throw valueInvalid(path, `${show(x)} is not a date (YYYY-MM-DD) or a relative date (${RELATIVE_DATES.slice(0, 4).join(', ')}, …)`);
      return x;
    case 'datetime':
      if (typeof x !== 'string' || !isDateTime(x)) throw valueInvalid(path, `${show(x)} is not a date-time (ISO 8601, e.g. 2026-11-24T09:30:00+08:00)`);
      return x;
    case 'boolean':
      if (typeof x !== 'boolean') throw valueInvalid(path, `${show(x)} is not true or false`);
      return x;
    case 'uuid':
      if (!isUuid(x)) throw valueInvalid(path, `${show(x)} is not a record id (UUID)`);
      return x.toLowerCase();
    case 'select':
    case 'multi':
      // Same rule as stored values: an option's value, or its label (赢单 → won).
      return coerceSelect(x, field, path) as string;
    case 'text':
      if (typeof x !== 'string') throw valueInvalid(path, `${show(x)} is not text`);
      // PostgreSQL text cannot hold NUL; refuse it here rather than fail in the database.
      if (x.includes('\u0000')) throw valueInvalid(path, 'contains a NUL character');
      return x;
  }
}

/**
 * A value to compare with, as SQL: a point (`$1::numeric`), or a range of days
 * for relative dates and for a plain date on a datetime field. `hi` is the last
 * value inside (points, date ranges) or, when `hiExclusive`, the first after.
 */
export interface Bound {
  lo: RawBuilder<unknown>;
  hi: RawBuilder<unknown>;
  hiExclusive: boolean;
  point: boolean;
}

export function boundOf(x: unknown, kind: Exclude<Kind, 'none'>, field: FieldMeta, path: string, ctx: EvalContext): Bound {
  const days = dayRange(x, kind, path, ctx);
  const zone = ctx.timeZone || DEFAULT_TIME_ZONE;
  if (days && kind === 'date') return { lo: sql`${days.from}::date`, hi: sql`${days.to}::date`, hiExclusive: false, point: false };
  if (days) {
    // [first day 00:00, day after the last 00:00) on the tenant's wall clock.
    const lo = sql`(${days.from}::timestamp AT TIME ZONE ${zone})`;
    return { lo, hi: sql`(${nextDay(days.to)}::timestamp AT TIME ZONE ${zone})`, hiExclusive: true, point: false };
  }
  const param = scalarParam(x, kind, field, path);
  const p = kind === 'datetime' && !hasOffset(param as string)
    ? sql`(${param}::timestamp AT TIME ZONE ${zone})` // a wall-clock time in the tenant's zone
    : sql`${param}::${sql.raw(PARAM_TYPE[kind])}`;
  return { lo: p, hi: p, hiExclusive: false, point: true };
}

/** The days a date value covers when it is a range: a relative date, or a plain date on a datetime field. */
function dayRange(x: unknown, kind: Kind, path: string, ctx: EvalContext): { from: string; to: string } | null {
  const dated = kind === 'date' || kind === 'datetime';
  if (isRelativeObject(x)) {
    if (!dated) throw filterInvalid('relative dates apply to date and date-time fields only', path);
    if (!isRelativeDate(x.relative)) throw filterInvalid(`unknown relative date ${show(x.relative)}; use one of ${RELATIVE_DATES.join(', ')}`, path);
    return relativeDateRange(x.relative, ctx);
  }
  if (!dated || typeof x !== 'string') return null;
  if (isRelativeDate(x)) return relativeDateRange(x, ctx);
  if (kind === 'datetime' && isCalendarDate(x)) return { from: x, to: x };
  return null;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME_RE = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2})(?::?(\d{2}))?)?$/i;

/** 'YYYY-MM-DD' naming a real day of years 1–9999 (PostgreSQL has no year 0). */
export function isCalendarDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1];
  return y >= 1 && days !== undefined && d >= 1 && d <= days;
}

/** ISO 8601 date-time, checked field by field (Date.parse takes 2026-02-30 and much else). */
export function isDateTime(s: string): boolean {
  const m = DATETIME_RE.exec(s);
  if (!m || !isCalendarDate(m[1])) return false;
  const [h, min, sec] = [Number(m[2]), Number(m[3]), Number(m[4] ?? 0)];
  const [oh, om] = [Number(m[6] ?? 0), Number(m[7] ?? 0)];
  return h <= 23 && min <= 59 && sec <= 59 && oh <= 14 && om <= 59;
}

const hasOffset = (s: string) => /(Z|[+-]\d{2}(:?\d{2})?)$/i.test(s.slice(10));
