import { sql } from 'kysely';
import { Decimal } from '@mosaic/kernel';
import type { ScalarType } from '../meta.types.ts';
import type { FnDef } from './functions.ts';
import { describeType, type Sig, type SigInput } from './formula-types.ts';
import { intSql, simple, type Sql, type SqlRuntime } from './sql-convert.ts';
import { compareValues, divide, parseNumberText, plus, remainder, scaled, scaleOf, shift10, times, toNumber, toPlaces, type Value } from './values.ts';

/**
 * Numbers: Decimal in the interpreter, NUMERIC in SQL — never a float.
 * Aggregates skip empty values (SUM and COUNT of nothing are 0; AVG, MIN and
 * MAX of nothing are empty). Impossible results (MOD by 0, SQRT of a negative,
 * 0 to a negative power) are empty rather than an error, in both engines.
 */
const n1 = (fn: (d: Decimal) => Decimal, toSql: (x: Sql) => Sql): FnDef => ({
  min: 1, max: 1, sig: (s) => ({ params: [s.want(0, 'number')], result: 'number' }),
  eval: ([x]) => (x === null ? null : fn(x as Decimal)),
  sql: ([x]) => toSql(x),
});

const MAX_DIGITS = 1000; // ROUND(x, 5000) rounds like ROUND(x, 1000): PostgreSQL caps the scale too

/** Digits for ROUND & co: truncated like Excel, clamped; null stays null. */
function digitsOf(v: Value): number | null {
  const d = toNumber(v);
  return d === null ? null : Math.max(-MAX_DIGITS, Math.min(MAX_DIGITS, d.trunc().toNumber()));
}

type Rounding = Parameters<Decimal['toDecimalPlaces']>[1];

function roundTo(x: Value, digits: Value, mode: Rounding): Decimal | null {
  const d = toNumber(x);
  const n = digitsOf(digits);
  if (d === null || n === null) return null;
  if (n >= 0) return toPlaces(d, n, mode);
  return scaled(shift10(shift10(d, n).toDecimalPlaces(0, mode), -n), 0);
}

const roundSig = (s: SigInput): Sig => ({ params: [s.want(0, 'number'), ...(s.types.length > 1 ? [s.want(1, 'number')] : [])], result: 'number' });
const digitsSql = (n: Sql | undefined, rt: SqlRuntime) => (n ? intSql(n, rt, MAX_DIGITS) : simple(sql`0`));

/** A child-row list is an aggregate's only argument; its elements must suit the function. */
function listSig(s: SigInput, result: ScalarType | null): Sig | null {
  const at = s.types.indexOf('list');
  if (at < 0) return null;
  if (s.types.length > 1) s.fail(at, `${s.call.fn}: a list of rows must be its only argument`);
  const elem = s.elems[0] ?? 'any';
  if (result === 'number' && elem !== 'number' && elem !== 'any') s.fail(0, `${s.call.fn} needs numbers, but the rows hold ${describeType(elem)}`);
  return { params: ['list'], result: result ?? 'number', option: 'list' };
}

const flat = (xs: Value[]): Value[] => xs.flatMap((x) => (Array.isArray(x) ? flat(x) : [x]));
const numbersOf = (xs: Value[]) => flat(xs).map(toNumber).filter((d): d is Decimal => d !== null);
const sumOf = (ds: Decimal[]) => ds.reduce((a, b) => plus(a, b), new Decimal(0));
const notNull = (x: Sql) => sql`(CASE WHEN ${x} IS NULL THEN 0 ELSE 1 END)`;

function extreme(xs: Value[], sign: 1 | -1, sig: Sig, rt: Parameters<FnDef['eval']>[1]): Value {
  const as = sig.option === 'list' ? 'number' : sig.result;
  let best: Value = null;
  for (const x of flat(xs)) {
    const v = as === 'number' ? toNumber(x) : x;
    if (v !== null && (best === null || (compareValues(v, best, as, rt) ?? 0) * sign > 0)) best = v;
  }
  return best;
}

function minMax(sign: 1 | -1, name: 'LEAST' | 'GREATEST'): FnDef {
  return {
    min: 1, max: 255, aggregate: sign < 0 ? 'min' : 'max',
    sig(s) {
      const list = listSig(s, 'number');
      if (list) return list;
      const t = s.unify(s.types.map((_, i) => i));
      return { params: s.types.map(() => t), result: t };
    },
    eval: (xs, rt, sig) => extreme(xs, sign, sig, rt),
    sql: (xs, _rt, sig) => sql`${sql.raw(name)}(${sql.join(xs.map((x) => (sig.result === 'text' ? sql`(${x}) COLLATE "C"` : x)))})`,
  };
}

export function powerOf(a: Decimal, b: Decimal): Decimal | null {
  if ((a.isZero() && b.isNeg() && !b.isZero()) || (a.isNeg() && !a.isZero() && !b.isInteger())) return null;
  return a.pow(b);
}

export function powerSql(x: Sql, y: Sql, rt: SqlRuntime): Sql {
  return rt.bind([x, y], ([a, b]) => sql`(CASE WHEN (${a} = 0 AND ${b} < 0) OR (${a} < 0 AND ${b} <> trunc(${b})) THEN NULL ELSE power(${a}, ${b}) END)`);
}

// Excel's CEILING/FLOOR(x, significance): a multiple of significance; significance 0 gives 0.
function toMultiple(dir: 'ceil' | 'floor'): FnDef {
  return {
    min: 1, max: 2, sig: roundSig,
    eval: ([x, s]) => {
      const d = x as Decimal | null;
      if (d === null || s === null) return null;
      if (s === undefined) return d[dir]();
      const m = s as Decimal;
      return m.isZero() ? new Decimal(0) : times(divide(d, m)[dir](), m);
    },
    sql: (args, rt) => (args.length === 1 ? sql`${sql.raw(dir)}(${args[0]})`
      : rt.bind(args, ([x, s]) => sql`(CASE WHEN ${x} IS NULL OR ${s} IS NULL THEN NULL WHEN ${s} = 0 THEN 0 ELSE ${sql.raw(dir)}(${x} / ${s}) * ${s} END)`)),
  };
}

export const MATH_FUNCTIONS: Record<string, FnDef> = {
  SUM: {
    min: 1, max: 255, aggregate: 'sum',
    sig: (s) => listSig(s, 'number') ?? { params: s.wantAll('number'), result: 'number' },
    eval: (xs) => sumOf(numbersOf(xs)),
    sql: (xs) => sql`(${sql.join(xs.map((x) => sql`COALESCE(${x}, 0)`), sql` + `)})`,
  },
  AVG: {
    min: 1, max: 255, aggregate: 'avg',
    sig: (s) => listSig(s, 'number') ?? { params: s.wantAll('number'), result: 'number' },
    eval: (xs) => {
      const ds = numbersOf(xs);
      return ds.length ? divide(sumOf(ds), new Decimal(ds.length)) : null;
    },
    sql: (args, rt) => rt.bind(args, (xs) => sql`((${sql.join(xs.map((x) => sql`COALESCE(${x}, 0)`), sql` + `)}) / NULLIF(${sql.join(xs.map(notNull), sql` + `)}, 0))`),
  },
  MIN: minMax(-1, 'LEAST'),
  MAX: minMax(1, 'GREATEST'),
  COUNT: {
    min: 1, max: 255, aggregate: 'count',
    sig: (s) => listSig(s, null) ?? { params: s.types.map(() => 'any'), result: 'number' },
    eval: (xs) => new Decimal(flat(xs).filter((x) => x !== null).length),
    sql: (xs) => sql`(${sql.join(xs.map(notNull), sql` + `)})::numeric`,
  },
  ROUND: { min: 1, max: 2, sig: roundSig, eval: ([x, n]) => roundTo(x, n === undefined ? new Decimal(0) : n, Decimal.ROUND_HALF_UP), sql: ([x, n], rt) => sql`round(${x}, ${digitsSql(n, rt)})` },
  ROUNDDOWN: { min: 1, max: 2, sig: roundSig, eval: ([x, n]) => roundTo(x, n === undefined ? new Decimal(0) : n, Decimal.ROUND_DOWN), sql: ([x, n], rt) => sql`trunc(${x}, ${digitsSql(n, rt)})` },
  // Away from zero: ROUNDUP(-1.21, 1) = -1.3.
  ROUNDUP: {
    min: 1, max: 2, sig: roundSig,
    eval: ([x, n]) => roundTo(x, n === undefined ? new Decimal(0) : n, Decimal.ROUND_UP),
    sql: ([v, n], rt) => rt.bind([v, digitsSql(n, rt)], ([x, k]) => {
      const t = sql`trunc(${x}, ${k})`;
      // round(…, k) gives the sum the scale k, as ROUNDUP has in the interpreter.
      return sql`(CASE WHEN ${t} = ${x} THEN ${t} ELSE round(${t} + sign(${x}) * power(10::numeric, -(${k})), ${k}) END)`;
    }),
  },
  ABS: n1((d) => scaled(d.abs(), scaleOf(d)), (x) => sql`abs(${x})`),
  INT: n1((d) => d.floor(), (x) => sql`floor(${x})`),
  CEILING: toMultiple('ceil'),
  FLOOR: toMultiple('floor'),
  SQRT: {
    min: 1, max: 1, sig: (s) => ({ params: [s.want(0, 'number')], result: 'number' }),
    eval: ([x]) => (x === null || (x as Decimal).lt(0) ? null : (x as Decimal).sqrt()),
    sql: (args, rt) => rt.bind(args, ([x]) => sql`(CASE WHEN ${x} >= 0 THEN sqrt(${x}) END)`),
  },
  // Excel's MOD takes the divisor's sign: MOD(-3, 2) = 1, MOD(3, -2) = -1.
  MOD: {
    min: 2, max: 2, sig: (s) => ({ params: s.wantAll('number'), result: 'number' }),
    eval: ([a, b]) => {
      const [x, y] = [a as Decimal | null, b as Decimal | null];
      if (x === null || y === null || y.isZero()) return null;
      const m = remainder(x, y);
      return !m.isZero() && m.isNeg() !== y.isNeg() ? plus(m, y) : m;
    },
    sql: (args, rt) => rt.bind(args, ([a, b]) => sql`(CASE WHEN ${b} = 0 THEN NULL ELSE mod(mod(${a}, ${b}) + ${b}, ${b}) END)`),
  },
  POWER: {
    min: 2, max: 2, sig: (s) => ({ params: s.wantAll('number'), result: 'number' }),
    eval: ([a, b]) => (a === null || b === null ? null : powerOf(a as Decimal, b as Decimal)),
    sql: ([a, b], rt) => powerSql(a, b, rt),
  },
  // VALUE("¥1,234.50") = 1234.5: grouping commas, currency signs and spaces are dropped; anything else → empty.
  VALUE: {
    min: 1, max: 1, sig: (s) => ({ params: [s.want(0, 'text')], result: 'number' }),
    eval: ([x]) => (x === null ? null : parseNumberText(x as string)),
    sql: (args, rt) => rt.bind(args, ([x]) => {
      const clean = sql`regexp_replace(${x}, '[,¥￥ \\t\\n\\r\u3000]', '', 'g')`;
      return sql`(CASE WHEN ${clean} ~ '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)$' THEN (${clean})::numeric END)`;
    }),
  },
};
