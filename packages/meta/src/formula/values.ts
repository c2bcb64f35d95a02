import { Decimal, parseDecimal } from '@mosaic/kernel';
import type { ScalarType } from '../meta.types.ts';

/**
 * Run-time values of the interpreter: number → Decimal, text → string,
 * boolean, date → 'YYYY-MM-DD', date-time → Date, list (child rows, multi
 * selects) → array, empty → null. Every conversion here has a twin in
 * sql-convert.ts so that a formula gives the same value in both engines.
 */
export type Value = Decimal | string | boolean | Date | null | Value[];

/** What the interpreter needs from the evaluation context. */
export interface Runtime {
  today: string;
  now: Date;
  timeZone: string;
}

const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)$/;

export function isDecimal(v: unknown): v is Decimal {
  return Decimal.isDecimal(v);
}

/** Numbers: Decimal, JS numbers, NUMERIC strings from PostgreSQL, money objects `{ amount, currency }`. */
export function toNumber(v: unknown): Decimal | null {
  if (v === null || v === undefined || v === '') return null;
  if (isDecimal(v)) return v;
  if (typeof v === 'bigint') return new Decimal(v.toString());
  if (typeof v === 'object' && !(v instanceof Date) && !Array.isArray(v) && 'amount' in v) return toNumber((v as { amount: unknown }).amount);
  if (typeof v === 'string') {
    const d = parseDecimal(v);
    return d && scaled(d, textScale(v.replace(/,/g, '')));
  }
  if (typeof v === 'number') return parseDecimal(v);
  return null;
}

// NUMERIC remembers its display scale: '3.50' has scale 2 though it equals 3.5.
// Division's result scale depends on it (see divide), so the interpreter keeps it beside each Decimal.
const SCALE = new WeakMap<Decimal, number>();

export function scaled(d: Decimal, scale: number): Decimal {
  SCALE.set(d, Math.max(0, scale));
  return d;
}

export function scaleOf(d: Decimal): number {
  return SCALE.get(d) ?? d.decimalPlaces();
}

/** The scale NUMERIC gives a literal: '1.50' → 2, '1e3' → 0, '1.5e-3' → 4. */
export function textScale(s: string): number {
  const m = /^\s*[+-]?\d*(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/.exec(s);
  return m ? Math.max(0, (m[1]?.length ?? 0) - Number(m[2] ?? 0)) : 0;
}

export const isPlainNumber = (s: string) => PLAIN_NUMBER.test(s);

/** VALUE("¥1,234.50"): strips grouping, currency signs and spaces; anything else not a plain number → null. */
export function parseNumberText(s: string): Decimal | null {
  const clean = s.replace(/[,¥￥ \t\n\r\u3000]/g, '');
  return PLAIN_NUMBER.test(clean) ? new Decimal(clean) : null;
}

/** Numbers print without exponent and without trailing zeros, like trim_scale(x)::text. */
export function numberText(d: Decimal): string {
  return d.isZero() ? '0' : d.toFixed();
}

export function toText(v: unknown, timeZone: string): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (isDecimal(v)) return numberText(v);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) return formatLocal(v, timeZone, true);
  if (typeof v === 'number' || typeof v === 'bigint') return numberText(new Decimal(v.toString()));
  return JSON.stringify(v);
}

export function toBoolean(v: unknown): boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') return /^(t|true|y|yes|on|1)$/i.test(v) ? true : /^(f|false|n|no|off|0)$/i.test(v) ? false : null;
  return null;
}

/** Dates: 'YYYY-MM-DD' (a longer ISO string keeps its first ten characters), or a Date → its calendar day in `timeZone`. */
export function toDate(v: unknown, timeZone: string): string | null {
  if (v === null || v === undefined || v === '') return null;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : formatLocal(v, timeZone, false);
  if (typeof v !== 'string') return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])/.exec(v);
  if (!m) return null;
  if (v.length > 10 && /[zZ]|[+-]\d{2}:?\d{2}$/.test(v.slice(10))) return toDate(new Date(v), timeZone); // an instant
  return isCalendarDate(+m[1], +m[2], +m[3]) ? v.slice(0, 10) : null;
}

/** Date-times: a Date, an ISO instant, or local 'YYYY-MM-DD[ HH:MM[:SS]]' read in `timeZone`. */
export function toDatetime(v: unknown, timeZone: string): Date | null {
  if (v === null || v === undefined || v === '') return null;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v;
  if (typeof v !== 'string') return null;
  const local = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(v);
  if (local) {
    const [y, mo, d, h = '0', mi = '0', s = '0'] = local.slice(1);
    if (!isCalendarDate(+y, +mo, +d) || +h > 23 || +mi > 59 || +s > 59) return null;
    return localToInstant(+y, +mo, +d, +h, +mi, +s, timeZone);
  }
  const t = new Date(v);
  return Number.isNaN(t.getTime()) ? null : t;
}

/** Converts a value to a static type, as the checker planned (`to` is a parameter or result type). */
export function coerceTo(v: Value | unknown, to: ScalarType, rt: Runtime): Value {
  switch (to) {
    case 'number': return toNumber(v);
    case 'text': return toText(v, rt.timeZone);
    case 'boolean': return toBoolean(v);
    case 'date': return toDate(v, rt.timeZone);
    case 'datetime': return toDatetime(v, rt.timeZone);
    case 'list': return Array.isArray(v) ? (v as Value[]) : v === null || v === undefined ? null : [v as Value];
    case 'null': return null;
    default: return normalize(v);
  }
}

/** A raw value of unknown type in run-time form: JS numbers become Decimals, undefined becomes null. */
export function normalize(v: unknown): Value {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number' || typeof v === 'bigint') return toNumber(v);
  if (Array.isArray(v)) return v.map(normalize);
  if (typeof v === 'object' && !(v instanceof Date) && !isDecimal(v)) return toNumber(v) ?? JSON.stringify(v);
  return v as Value;
}

// -------------------------------------------------------------- comparison

/**
 * Compares two values in static type `as`: -1, 0, 1, or null when either is
 * empty (a comparison with empty is FALSE). Text compares by code point, as
 * the SQL side does with COLLATE "C".
 */
export function compareValues(a: Value, b: Value, as: ScalarType, rt: Runtime): number | null {
  if (a === null || b === null) return null;
  switch (as) {
    case 'number': return cmpNumbers(toNumber(a), toNumber(b));
    case 'date': return cmpText(toDate(a, rt.timeZone), toDate(b, rt.timeZone));
    case 'datetime': return cmpNumbers(toDatetime(a, rt.timeZone)?.getTime() ?? null, toDatetime(b, rt.timeZone)?.getTime() ?? null);
    case 'boolean': return cmpNumbers(boolRank(a), boolRank(b));
    case 'text': return cmpText(toText(a, rt.timeZone), toText(b, rt.timeZone));
    default: // a field of unknown type: compare by what the values are
      if (isDecimal(a) || isDecimal(b)) return cmpNumbers(toNumber(a), toNumber(b));
      if (a instanceof Date || b instanceof Date) return compareValues(a, b, 'datetime', rt);
      if (typeof a === 'boolean' || typeof b === 'boolean') return compareValues(a, b, 'boolean', rt);
      return compareValues(a, b, 'text', rt);
  }
}

function cmpNumbers(a: Decimal | number | null, b: Decimal | number | null): number | null {
  if (a === null || b === null) return null;
  if (typeof a === 'number' && typeof b === 'number') return Math.sign(a - b);
  return (a as Decimal).cmp(b as Decimal);
}

const boolRank = (v: Value) => (toBoolean(v) === null ? null : toBoolean(v) ? 1 : 0);

function cmpText(a: string | null, b: string | null): number | null {
  if (a === null || b === null) return null;
  if (a === b) return 0;
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i].codePointAt(0)! < y[i].codePointAt(0)! ? -1 : 1;
  }
  return x.length < y.length ? -1 : 1;
}

// ------------------------------------------------------ exact arithmetic

// NUMERIC adds, subtracts and multiplies exactly; the kernel's Decimal rounds
// to 40 digits. These keep up to 1000 digits, as exact as any sane amount needs.
const EXACT = Decimal.clone({ precision: 1000, rounding: Decimal.ROUND_HALF_UP });
const back = (d: Decimal) => new Decimal(d);
const maxScale = (a: Decimal, b: Decimal) => Math.max(scaleOf(a), scaleOf(b));
export const plus = (a: Decimal, b: Decimal) => scaled(back(new EXACT(a).plus(b)), maxScale(a, b));
export const minus = (a: Decimal, b: Decimal) => scaled(back(new EXACT(a).minus(b)), maxScale(a, b));
export const times = (a: Decimal, b: Decimal) => scaled(back(new EXACT(a).times(b)), scaleOf(a) + scaleOf(b));
/** Truncated remainder, like PostgreSQL's mod(). */
export const remainder = (a: Decimal, b: Decimal) => scaled(back(new EXACT(a).mod(b)), maxScale(a, b));
/** Rounds to `n` ≥ 0 places with the scale round()/trunc() give. */
export const toPlaces = (a: Decimal, n: number, mode: Parameters<Decimal['toDecimalPlaces']>[1]) => scaled(a.toDecimalPlaces(n, mode), n);
/** a × 10^n, exact (ROUND to negative digits). */
export const shift10 = (a: Decimal, n: number) => back(new EXACT(a).times(new EXACT(10).pow(n)));

// ---------------------------------------------------------------- division

const WIDE = Decimal.clone({ precision: 1100, rounding: Decimal.ROUND_DOWN });

/**
 * a / b with PostgreSQL NUMERIC's result scale (select_div_scale in
 * numeric.c): at least 16 significant digits, at least the operands' own
 * decimals, rounded half away from zero — so 1/3 is 0.33333333333333333333 in
 * both engines and ROUND, comparisons and text agree. The scale includes
 * trailing zeros (scaleOf), as NUMERIC's dscale does. b must not be zero.
 */
export function divide(a: Decimal, b: Decimal): Decimal {
  const [w1, f1] = a.isZero() ? [0, 0] : baseWeight(a);
  const [w2, f2] = baseWeight(b);
  let qweight = w1 - w2;
  if (f1 <= f2) qweight--;
  const scale = Math.min(1000, Math.max(16 - qweight * 4, scaleOf(a), scaleOf(b), 0));
  const q = new WIDE(a.toString()).div(new WIDE(b.toString()));
  return scaled(new Decimal(q.toDecimalPlaces(scale, Decimal.ROUND_HALF_UP).toString()), scale);
}

// NUMERIC stores base-10000 digits: the weight of the first one and its value.
function baseWeight(d: Decimal): [number, number] {
  const abs = d.abs();
  const weight = Math.floor(abs.e / 4);
  return [weight, abs.div(new Decimal(10).pow(weight * 4)).floor().toNumber()];
}

// ------------------------------------------------------------- calendar days

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil); month and year may be any integers. */
export function dayNumberOf(y0: number, m0: number, d: number): number {
  const yFix = y0 + Math.floor((m0 - 1) / 12);
  const m = m0 - Math.floor((m0 - 1) / 12) * 12;
  const y = m <= 2 ? yFix - 1 : yFix;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Days since 1970-01-01 of 'YYYY-MM-DD'. */
export function dayNumber(date: string): number {
  return dayNumberOf(+date.slice(0, 4), +date.slice(5, 7), +date.slice(8, 10));
}

/** The date of a day number, or null outside years 1–9999 (what the language supports). */
export function dateOfDay(n: number): string | null {
  const z = n + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  if (y < 1 || y > 9999) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export function isCalendarDate(y: number, m: number, d: number): boolean {
  return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

export function daysInMonth(y: number, m: number): number {
  return m === 2 ? (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
}

/** Adds months, keeping the day but not past the month's end (Jan 31 + 1 month = Feb 28), as PostgreSQL intervals do. */
export function addMonths(date: string, months: number): string | null {
  const total = +date.slice(0, 4) * 12 + (+date.slice(5, 7) - 1) + months;
  const y = Math.floor(total / 12);
  const m = total - y * 12 + 1;
  if (y < 1 || y > 9999) return null;
  const d = Math.min(+date.slice(8, 10), daysInMonth(y, m));
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

// ---------------------------------------------------------------- time zones

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

/** Wall-clock fields of an instant in an IANA time zone. */
export function localParts(t: Date, timeZone: string): { y: number; m: number; d: number; h: number; mi: number; s: number } {
  let f = partsFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', era: 'short' });
    partsFormatters.set(timeZone, f);
  }
  const p: Record<string, string> = {};
  for (const part of f.formatToParts(t)) p[part.type] = part.value;
  const y = p.era === 'BC' || p.era === 'B' ? 1 - +p.year : +p.year;
  return { y, m: +p.month, d: +p.day, h: +p.hour % 24, mi: +p.minute, s: +p.second };
}

/** 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS' of an instant in `timeZone` (to_char(x AT TIME ZONE tz, …)). */
export function formatLocal(t: Date, timeZone: string, withTime: boolean): string {
  const p = localParts(t, timeZone);
  const date = `${String(p.y).padStart(4, '0')}-${pad2(p.m)}-${pad2(p.d)}`;
  return withTime ? `${date} ${pad2(p.h)}:${pad2(p.mi)}:${pad2(p.s)}` : date;
}

/** The instant a wall-clock time in `timeZone` names (timestamp AT TIME ZONE tz). */
export function localToInstant(y: number, m: number, d: number, h: number, mi: number, s: number, timeZone: string): Date {
  const wall = (dayNumberOf(y, m, d) * 86_400 + h * 3600 + mi * 60 + s) * 1000;
  const offsetAt = (t: number) => {
    const p = localParts(new Date(t), timeZone);
    return (dayNumberOf(p.y, p.m, p.d) * 86_400 + p.h * 3600 + p.mi * 60 + p.s) * 1000 - Math.floor(t / 1000) * 1000;
  };
  const first = wall - offsetAt(wall);
  return new Date(wall - offsetAt(first));
}

export const pad2 = (n: number) => String(n).padStart(2, '0');
