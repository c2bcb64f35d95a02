import { sql, type RawBuilder } from 'kysely';
import { Decimal } from '@mosaic/kernel';
import type { ScalarType } from '../meta.types.ts';
import { bool, compare, date, datetime, fromDayNumber, num, text, toDayNumber, type Value } from './values.ts';

type S = RawBuilder<unknown>;
export interface FnCtx {
  today: string;
  now: Date;
  timeZone: string;
}

/**
 * The function library: for each function its arity, result type, its meaning
 * in the interpreter and the same meaning in PostgreSQL. Aggregates (SUM, AVG,
 * MIN, MAX, COUNT) also accept a child-table path (SUM(lines.amount)); the
 * checker and compilers handle that case before they get here.
 */
export interface FnDef {
  min: number;
  max: number;
  type(args: ScalarType[]): ScalarType;
  eval(args: Value[], ctx: FnCtx): Value;
  sql(args: S[], ctx: FnCtx, literals: (string | null)[]): S;
}

const N = 'number' as const;
const T = 'text' as const;
const B = 'boolean' as const;
const D = 'date' as const;
const numeric = (a: S) => sql`(${a})::numeric`;
const txt = (a: S) => sql`(${a})::text`;
const dec = (d: Decimal | null) => d;
const firstNonNull = (types: ScalarType[]) => types.find((t) => t !== 'null' && t !== 'any') ?? 'any';

function math1(f: (d: Decimal) => Decimal, s: (a: S) => S): FnDef {
  return { min: 1, max: 1, type: () => N, eval: ([a]) => { const d = num(a); return d ? f(d) : null; }, sql: ([a]) => s(numeric(a)) };
}

function sumOf(args: Value[]): Decimal | null {
  const xs = args.flat(Infinity as 1).map(num).filter((x): x is Decimal => x !== null);
  return xs.length ? xs.reduce((s, x) => s.plus(x), new Decimal(0)) : null;
}

function roundTo(a: Value, n: Value, mode: 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8): Value {
  const d = num(a);
  const places = num(n ?? 0);
  if (!d || !places) return null;
  return d.toDecimalPlaces(Math.max(0, Math.min(12, places.toNumber())), mode);
}

const TEXT_FORMATS: Record<string, { js: (v: Value) => string | null; pg: (a: S) => S }> = {
  '0': { js: (v) => num(v)?.toFixed(0) ?? null, pg: (a) => sql`round(${numeric(a)}, 0)::text` },
  '0.0': { js: (v) => num(v)?.toFixed(1) ?? null, pg: (a) => sql`round(${numeric(a)}, 1)::text` },
  '0.00': { js: (v) => num(v)?.toFixed(2) ?? null, pg: (a) => sql`round(${numeric(a)}, 2)::text` },
  '#,##0': { js: (v) => groupThousands(num(v)?.toFixed(0)), pg: (a) => sql`trim(to_char(round(${numeric(a)}, 0), 'FM999,999,999,999,999,990'))` },
  '#,##0.00': { js: (v) => groupThousands(num(v)?.toFixed(2)), pg: (a) => sql`trim(to_char(round(${numeric(a)}, 2), 'FM999,999,999,999,999,990.00'))` },
  '0%': { js: (v) => (num(v) ? `${num(v)!.times(100).toFixed(0)}%` : null), pg: (a) => sql`round(${numeric(a)} * 100, 0)::text || '%'` },
  '0.0%': { js: (v) => (num(v) ? `${num(v)!.times(100).toFixed(1)}%` : null), pg: (a) => sql`round(${numeric(a)} * 100, 1)::text || '%'` },
  'yyyy-mm-dd': { js: (v) => date(v), pg: (a) => sql`to_char((${a})::date, 'YYYY-MM-DD')` },
  'yyyy/mm/dd': { js: (v) => date(v)?.replace(/-/g, '/') ?? null, pg: (a) => sql`to_char((${a})::date, 'YYYY/MM/DD')` },
  'yyyy年mm月dd日': { js: (v) => { const d = date(v); return d ? `${d.slice(0, 4)}年${d.slice(5, 7)}月${d.slice(8, 10)}日` : null; }, pg: (a) => sql`to_char((${a})::date, 'YYYY"年"MM"月"DD"日"')` },
  'yyyy-mm': { js: (v) => date(v)?.slice(0, 7) ?? null, pg: (a) => sql`to_char((${a})::date, 'YYYY-MM')` },
};
export const TEXT_FORMAT_NAMES = Object.keys(TEXT_FORMATS);

function groupThousands(s: string | undefined): string | null {
  if (s === undefined) return null;
  const [int, frac] = s.split('.');
  const sign = int.startsWith('-') ? '-' : '';
  const digits = int.replace('-', '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${digits}${frac !== undefined ? `.${frac}` : ''}`;
}

function addMonths(d: string, months: number): string {
  const [y, m, day] = d.split('-').map(Number);
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  return new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth(), Math.min(day, last))).toISOString().slice(0, 10);
}

function datedif(s: string, e: string, unit: string): number | null {
  const [y1, m1, d1] = s.split('-').map(Number);
  const [y2, m2, d2] = e.split('-').map(Number);
  if (e < s) return null;
  if (unit === 'D') return toDayNumber(e) - toDayNumber(s);
  const months = (y2 - y1) * 12 + (m2 - m1) - (d2 < d1 ? 1 : 0);
  return unit === 'M' ? months : unit === 'Y' ? Math.floor(months / 12) : null;
}

export const FUNCTIONS: Record<string, FnDef> = {
  IF: {
    min: 2, max: 3, type: ([, a, b]) => firstNonNull([a, b ?? 'null']),
    eval: ([c, a, b]) => (bool(c) ? a : b ?? null),
    sql: ([c, a, b]) => sql`CASE WHEN (${c})::boolean THEN ${a} ELSE ${b ?? sql`NULL`} END`,
  },
  IFS: {
    min: 2, max: 60, type: (ts) => firstNonNull(ts.filter((_, i) => i % 2 === 1)),
    eval: (args) => { for (let i = 0; i + 1 < args.length; i += 2) if (bool(args[i])) return args[i + 1]; return null; },
    sql: (args) => sql`CASE ${sql.join(pairs(args).map(([c, v]) => sql`WHEN (${c})::boolean THEN ${v}`), sql` `)} END`,
  },
  SWITCH: {
    min: 3, max: 61, type: (ts) => firstNonNull(ts.slice(1).filter((_, i) => i % 2 === 1).concat(ts.length % 2 === 0 ? [ts[ts.length - 1]] : [])),
    eval: ([x, ...rest]) => { for (let i = 0; i + 1 < rest.length; i += 2) if (compare(x, rest[i]) === 0) return rest[i + 1]; return rest.length % 2 ? rest[rest.length - 1] : null; },
    sql: ([x, ...rest]) => sql`CASE ${sql.join(pairs(rest).map(([c, v]) => sql`WHEN ${x} = ${c} THEN ${v}`), sql` `)} ELSE ${rest.length % 2 ? rest[rest.length - 1] : sql`NULL`} END`,
  },
  AND: { min: 1, max: 60, type: () => B, eval: (xs) => logic(xs, 'and'), sql: (xs) => sql`(${sql.join(xs.map((x) => sql`(${x})::boolean`), sql` AND `)})` },
  OR: { min: 1, max: 60, type: () => B, eval: (xs) => logic(xs, 'or'), sql: (xs) => sql`(${sql.join(xs.map((x) => sql`(${x})::boolean`), sql` OR `)})` },
  NOT: { min: 1, max: 1, type: () => B, eval: ([a]) => { const b = bool(a); return b === null ? null : !b; }, sql: ([a]) => sql`(NOT (${a})::boolean)` },
  ISBLANK: { min: 1, max: 1, type: () => B, eval: ([a]) => a === null || a === '' || (Array.isArray(a) && !a.length), sql: ([a]) => sql`(${a} IS NULL OR (${a})::text = '')` },
  ISNUMBER: { min: 1, max: 1, type: () => B, eval: ([a]) => num(a) !== null && typeof a !== 'boolean', sql: ([a]) => sql`((${a})::text ~ '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)$')` },
  COALESCE: { min: 1, max: 60, type: firstNonNull, eval: (xs) => xs.find((x) => x !== null && x !== '') ?? null, sql: (xs) => sql`COALESCE(${sql.join(xs)})` },
  IN: { min: 2, max: 200, type: () => B, eval: ([x, ...xs]) => (x === null ? null : xs.some((y) => compare(x, y) === 0)), sql: ([x, ...xs]) => sql`(${x} IN (${sql.join(xs)}))` },
  // aggregates over scalars (child-table paths are handled by the compilers)
  SUM: { min: 1, max: 60, type: () => N, eval: (xs) => sumOf(xs), sql: (xs) => sql`(${sql.join(xs.map((x) => sql`COALESCE(${numeric(x)}, 0)`), sql` + `)})` },
  AVG: {
    min: 1, max: 60, type: () => N,
    eval: (xs) => { const v = xs.flat(Infinity as 1).map(num).filter((x): x is Decimal => !!x); return v.length ? sumOf(v)!.div(v.length) : null; },
    sql: (xs) => sql`((${sql.join(xs.map((x) => sql`COALESCE(${numeric(x)}, 0)`), sql` + `)}) / NULLIF(${sql.join(xs.map((x) => sql`(CASE WHEN ${x} IS NULL THEN 0 ELSE 1 END)`), sql` + `)}, 0))`,
  },
  MIN: { min: 1, max: 60, type: firstNonNull, eval: (xs) => extreme(xs, -1), sql: (xs) => (xs.length === 1 ? xs[0] : sql`LEAST(${sql.join(xs)})`) },
  MAX: { min: 1, max: 60, type: firstNonNull, eval: (xs) => extreme(xs, 1), sql: (xs) => (xs.length === 1 ? xs[0] : sql`GREATEST(${sql.join(xs)})`) },
  COUNT: { min: 1, max: 60, type: () => N, eval: (xs) => new Decimal(xs.flat(Infinity as 1).filter((x) => x !== null).length), sql: (xs) => sql`(${sql.join(xs.map((x) => sql`(CASE WHEN ${x} IS NULL THEN 0 ELSE 1 END)`), sql` + `)})::numeric` },
  // numbers
  ROUND: { min: 1, max: 2, type: () => N, eval: ([a, n]) => roundTo(a, n ?? '0', Decimal.ROUND_HALF_UP), sql: ([a, n]) => sql`round(${numeric(a)}, (${n ?? sql`0`})::int)` },
  ROUNDUP: { min: 1, max: 2, type: () => N, eval: ([a, n]) => roundTo(a, n ?? '0', Decimal.ROUND_UP), sql: ([a, n]) => sql`(sign(${numeric(a)}) * ceil(abs(${numeric(a)}) * 10 ^ (${n ?? sql`0`})::int) / 10 ^ (${n ?? sql`0`})::int)` },
  ROUNDDOWN: { min: 1, max: 2, type: () => N, eval: ([a, n]) => roundTo(a, n ?? '0', Decimal.ROUND_DOWN), sql: ([a, n]) => sql`trunc(${numeric(a)}, (${n ?? sql`0`})::int)` },
  ABS: math1((d) => d.abs(), (a) => sql`abs(${a})`),
  CEILING: math1((d) => d.ceil(), (a) => sql`ceil(${a})`),
  FLOOR: math1((d) => d.floor(), (a) => sql`floor(${a})`),
  INT: math1((d) => d.floor(), (a) => sql`floor(${a})`),
  SQRT: { min: 1, max: 1, type: () => N, eval: ([a]) => { const d = num(a); return d && !d.isNeg() ? d.sqrt() : null; }, sql: ([a]) => sql`CASE WHEN ${numeric(a)} >= 0 THEN sqrt(${numeric(a)}) END` },
  MOD: {
    min: 2, max: 2, type: () => N,
    // Excel's MOD takes the divisor's sign: MOD(-3, 2) = 1.
    eval: ([a, b]) => { const x = num(a); const y = num(b); if (!x || !y || y.isZero()) return null; const m = x.mod(y); return !m.isZero() && m.isNeg() !== y.isNeg() ? m.plus(y) : m; },
    sql: ([a, b]) => sql`(mod(mod(${numeric(a)}, NULLIF(${numeric(b)}, 0)) + ${numeric(b)}, NULLIF(${numeric(b)}, 0)))`,
  },
  POWER: { min: 2, max: 2, type: () => N, eval: ([a, b]) => { const x = num(a); const y = num(b); return x && y ? dec(x.pow(y)) : null; }, sql: ([a, b]) => sql`power(${numeric(a)}, ${numeric(b)})` },
  VALUE: { min: 1, max: 1, type: () => N, eval: ([a]) => num(typeof a === 'string' ? a.replace(/[,¥￥\s]/g, '') : a), sql: ([a]) => sql`CASE WHEN regexp_replace(${txt(a)}, '[,¥￥[:space:]]', '', 'g') ~ '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)$' THEN regexp_replace(${txt(a)}, '[,¥￥[:space:]]', '', 'g')::numeric END` },
  // text
  CONCATENATE: { min: 1, max: 60, type: () => T, eval: (xs) => xs.map((x) => text(x) ?? '').join(''), sql: (xs) => sql`concat(${sql.join(xs)})` },
  CONCAT: { min: 1, max: 60, type: () => T, eval: (xs) => xs.map((x) => text(x) ?? '').join(''), sql: (xs) => sql`concat(${sql.join(xs)})` },
  LEFT: { min: 1, max: 2, type: () => T, eval: ([s, n]) => chars(s)?.slice(0, num(n ?? '1')?.toNumber() ?? 1).join('') ?? null, sql: ([s, n]) => sql`left(${txt(s)}, (${n ?? sql`1`})::int)` },
  RIGHT: { min: 1, max: 2, type: () => T, eval: ([s, n]) => { const c = chars(s); const k = num(n ?? '1')?.toNumber() ?? 1; return c ? (k > 0 ? c.slice(-k).join('') : '') : null; }, sql: ([s, n]) => sql`right(${txt(s)}, (${n ?? sql`1`})::int)` },
  MID: { min: 3, max: 3, type: () => T, eval: ([s, a, n]) => { const c = chars(s); const st = num(a)?.toNumber(); const k = num(n)?.toNumber(); return c && st && k !== undefined ? c.slice(st - 1, st - 1 + k).join('') : null; }, sql: ([s, a, n]) => sql`substr(${txt(s)}, (${a})::int, (${n})::int)` },
  LEN: { min: 1, max: 1, type: () => N, eval: ([s]) => { const c = chars(s); return c ? new Decimal(c.length) : null; }, sql: ([s]) => sql`char_length(${txt(s)})::numeric` },
  UPPER: { min: 1, max: 1, type: () => T, eval: ([s]) => text(s)?.toUpperCase() ?? null, sql: ([s]) => sql`upper(${txt(s)})` },
  LOWER: { min: 1, max: 1, type: () => T, eval: ([s]) => text(s)?.toLowerCase() ?? null, sql: ([s]) => sql`lower(${txt(s)})` },
  TRIM: { min: 1, max: 1, type: () => T, eval: ([s]) => text(s)?.trim().replace(/ +/g, ' ') ?? null, sql: ([s]) => sql`regexp_replace(btrim(${txt(s)}), ' +', ' ', 'g')` },
  SUBSTITUTE: { min: 3, max: 3, type: () => T, eval: ([s, a, b]) => { const x = text(s); const f = text(a); return x === null || !f ? x : x.split(f).join(text(b) ?? ''); }, sql: ([s, a, b]) => sql`replace(${txt(s)}, ${txt(a)}, COALESCE(${txt(b)}, ''))` },
  FIND: { min: 2, max: 2, type: () => N, eval: ([needle, hay]) => { const h = text(hay); const n = text(needle); if (h === null || n === null) return null; const i = [...h].join('').indexOf(n); return i < 0 ? null : new Decimal([...h.slice(0, i)].length + 1); }, sql: ([needle, hay]) => sql`NULLIF(strpos(${txt(hay)}, ${txt(needle)}), 0)::numeric` },
  CONTAINS: { min: 2, max: 2, type: () => B, eval: ([hay, needle]) => { const h = text(hay); const n = text(needle); return h === null || n === null ? null : h.includes(n); }, sql: ([hay, needle]) => sql`(strpos(${txt(hay)}, ${txt(needle)}) > 0)` },
  TEXT: {
    min: 2, max: 2, type: () => T,
    eval: ([v, f]) => TEXT_FORMATS[String(f)]?.js(v) ?? null,
    sql: ([v], _ctx, lits) => TEXT_FORMATS[lits[1] ?? '']?.pg(v) ?? sql`NULL`,
  },
  // dates — TODAY() is the tenant's calendar day (Asia/Shanghai by default)
  TODAY: { min: 0, max: 0, type: () => D, eval: (_a, ctx) => ctx.today, sql: (_a, ctx) => sql`(now() AT TIME ZONE ${ctx.timeZone})::date` },
  NOW: { min: 0, max: 0, type: () => 'datetime', eval: (_a, ctx) => ctx.now, sql: () => sql`now()` },
  DATE: {
    min: 3, max: 3, type: () => D,
    eval: ([y, m, d]) => { const [a, b, c] = [num(y), num(m), num(d)].map((x) => x?.toNumber()); if (a === undefined || b === undefined || c === undefined) return null; const t = new Date(Date.UTC(a, b - 1, c)); return Number.isNaN(t.getTime()) ? null : t.toISOString().slice(0, 10); },
    sql: ([y, m, d]) => sql`(make_date((${y})::int, 1, 1) + ((${m})::int - 1) * interval '1 month' + ((${d})::int - 1) * interval '1 day')::date`,
  },
  YEAR: { min: 1, max: 1, type: () => N, eval: ([a]) => part(a, 0, 4), sql: ([a]) => sql`extract(year from (${a})::date)::numeric` },
  MONTH: { min: 1, max: 1, type: () => N, eval: ([a]) => part(a, 5, 7), sql: ([a]) => sql`extract(month from (${a})::date)::numeric` },
  DAY: { min: 1, max: 1, type: () => N, eval: ([a]) => part(a, 8, 10), sql: ([a]) => sql`extract(day from (${a})::date)::numeric` },
  // Excel's WEEKDAY: Sunday = 1 … Saturday = 7.
  WEEKDAY: { min: 1, max: 1, type: () => N, eval: ([a]) => { const d = date(a); return d ? new Decimal(new Date(`${d}T00:00:00Z`).getUTCDay() + 1) : null; }, sql: ([a]) => sql`(extract(dow from (${a})::date) + 1)::numeric` },
  DAYS: { min: 2, max: 2, type: () => N, eval: ([e, s]) => { const a = date(e); const b = date(s); return a && b ? new Decimal(toDayNumber(a) - toDayNumber(b)) : null; }, sql: ([e, s]) => sql`((${e})::date - (${s})::date)::numeric` },
  DATEDIF: {
    min: 3, max: 3, type: () => N,
    eval: ([s, e, u]) => { const a = date(s); const b = date(e); const r = a && b ? datedif(a, b, String(u).toUpperCase()) : null; return r === null ? null : new Decimal(r); },
    sql: ([s, e], _ctx, lits) => {
      const unit = (lits[2] ?? 'D').toUpperCase();
      if (unit === 'D') return sql`CASE WHEN (${e})::date >= (${s})::date THEN ((${e})::date - (${s})::date)::numeric END`;
      const months = sql`((extract(year from age((${e})::date, (${s})::date)) * 12 + extract(month from age((${e})::date, (${s})::date))))`;
      return unit === 'Y' ? sql`CASE WHEN (${e})::date >= (${s})::date THEN floor(${months} / 12)::numeric END` : sql`CASE WHEN (${e})::date >= (${s})::date THEN ${months}::numeric END`;
    },
  },
  DATEADD: {
    min: 2, max: 3, type: () => D,
    eval: ([d, n, u]) => { const x = date(d); const k = num(n)?.toNumber(); if (!x || k === undefined) return null; const unit = String(u ?? 'D').toUpperCase(); return unit === 'M' ? addMonths(x, k) : unit === 'Y' ? addMonths(x, k * 12) : fromDayNumber(toDayNumber(x) + k); },
    sql: ([d, n], _ctx, lits) => { const unit = (lits[2] ?? 'D').toUpperCase(); const iv = unit === 'M' ? sql`interval '1 month'` : unit === 'Y' ? sql`interval '1 year'` : sql`interval '1 day'`; return sql`((${d})::date + (${n})::int * ${iv})::date`; },
  },
  EDATE: { min: 2, max: 2, type: () => D, eval: ([d, n]) => { const x = date(d); const k = num(n)?.toNumber(); return x && k !== undefined ? addMonths(x, k) : null; }, sql: ([d, n]) => sql`((${d})::date + (${n})::int * interval '1 month')::date` },
};

function pairs(xs: S[]): [S, S][] {
  const out: [S, S][] = [];
  for (let i = 0; i + 1 < xs.length; i += 2) out.push([xs[i], xs[i + 1]]);
  return out;
}

function logic(xs: Value[], op: 'and' | 'or'): boolean | null {
  const bs = xs.map(bool);
  if (op === 'and') return bs.includes(false) ? false : bs.includes(null) ? null : true;
  return bs.includes(true) ? true : bs.includes(null) ? null : false;
}

function extreme(xs: Value[], sign: 1 | -1): Value {
  let best: Value = null;
  for (const x of xs.flat(Infinity as 1)) {
    if (x === null) continue;
    if (best === null || (compare(x, best) ?? 0) * sign > 0) best = x;
  }
  return typeof best === 'string' && num(best) && !/^\d{4}-/.test(best) ? num(best) : best;
}

function chars(s: Value): string[] | null {
  const t = text(s);
  return t === null ? null : [...t];
}

function part(a: Value, from: number, to: number): Decimal | null {
  const d = date(a) ?? (datetime(a) ? datetime(a)!.toISOString().slice(0, 10) : null);
  return d ? new Decimal(Number(d.slice(from, to))) : null;
}
