import { sql, type RawBuilder } from 'kysely';
import { Decimal } from '@mosaic/kernel';
import type { ScalarType } from '../meta.types.ts';
import { SQL_TYPE } from './formula-types.ts';

export type Sql = RawBuilder<unknown>;

/** What the SQL compiler's functions need from the evaluation context — always as parameters. */
export interface SqlRuntime {
  /** The tenant's time zone, as a fresh `$n::text` parameter. */
  tz(): Sql;
  /** TODAY() / $today: the calendar day of `now` in the time zone, as `$n::date`. */
  today(): Sql;
  /** NOW() / $now, as `$n::timestamptz`. */
  now(): Sql;
  /**
   * Uses each of `xs` as often as `body` likes while evaluating it once: plain
   * parameters and columns are repeated as they are, anything bigger is bound
   * in a one-row subquery — so nesting guards like POWER's cannot make the SQL
   * grow exponentially.
   *   (SELECT CASE WHEN "_f1"."v0" >= 0 THEN sqrt("_f1"."v0") END FROM (SELECT (a + b) AS "v0") AS "_f1")
   */
  bind(xs: Sql[], body: (refs: Sql[]) => Sql): Sql;
}

const SIMPLE = new WeakSet<Sql>();

/** Marks a parameter or a column reference: cheap to repeat. */
export function simple(x: Sql): Sql {
  SIMPLE.add(x);
  return x;
}

const NUMBER_LITERALS = new WeakMap<Sql, string>();

/** A number written in the formula, as `$n::numeric`; whole-number arguments fold it at compile time. */
export function numberLiteral(value: string): Sql {
  const x = simple(sql`${value}::numeric`);
  NUMBER_LITERALS.set(x, value);
  return x;
}

/** Marks `out` cheap to repeat when it wraps only cheap `parts`, each once (a cast, a sum) — and is parenthesised. */
export function simpleIf(parts: Sql[], out: Sql): Sql {
  return parts.every((p) => SIMPLE.has(p)) ? simple(out) : out;
}

export function sqlRuntime(tz: string, today: string, now: Date): SqlRuntime {
  let binds = 0;
  return {
    tz: () => simple(sql`${tz}::text`),
    today: () => simple(sql`${today}::date`),
    now: () => simple(sql`${now.toISOString()}::timestamptz`),
    bind(xs, body) {
      const bound = xs.map((x, i) => (SIMPLE.has(x) ? -1 : i)).filter((i) => i >= 0);
      if (!bound.length) return body(xs);
      const alias = `_f${++binds}`;
      const refs = xs.map((x, i) => (SIMPLE.has(x) ? x : sql.ref(`${alias}.v${i}`)));
      return sql`(SELECT ${body(refs)} FROM (SELECT ${sql.join(bound.map((i) => sql`${xs[i]} AS ${sql.id(`v${i}`)}`))}) AS ${sql.id(alias)})`;
    },
  };
}

/**
 * The SQL twin of values.ts coerceTo(): converts an expression of static type
 * `from` to `to`. Numbers print like trim_scale(x)::text (no trailing zeros),
 * dates as YYYY-MM-DD, date-times in the tenant's time zone, booleans as
 * TRUE/FALSE — exactly what the interpreter prints.
 */
export function convertSql(x: Sql, from: ScalarType, to: ScalarType, rt: SqlRuntime): Sql {
  if (from === to || to === 'any' || to === 'null' || to === 'list') return x;
  if (from === 'null') return simple(sql`(NULL)::${sql.raw(SQL_TYPE[to])}`);
  switch (to) {
    case 'text':
      if (from === 'number') return sql`(trim_scale(${x}))::text`;
      if (from === 'date') return sql`to_char(${x}, 'YYYY-MM-DD')`;
      if (from === 'datetime') return sql`to_char((${x}) AT TIME ZONE ${rt.tz()}, 'YYYY-MM-DD HH24:MI:SS')`;
      if (from === 'boolean') return sql`(CASE ${x} WHEN TRUE THEN 'TRUE' WHEN FALSE THEN 'FALSE' END)`;
      return sql`(${x})::text`;
    case 'date':
      if (from === 'datetime') return sql`((${x}) AT TIME ZONE ${rt.tz()})::date`;
      return sql`(${x})::date`;
    case 'datetime':
      if (from === 'date' || from === 'text') return sql`((${x})::timestamp AT TIME ZONE ${rt.tz()})`;
      return sql`(${x})::timestamptz`;
    default: {
      const cast = sql`(${x})::${sql.raw(SQL_TYPE[to])}`;
      return SIMPLE.has(x) ? simple(cast) : cast;
    }
  }
}

/**
 * A whole-number argument (digits, lengths, positions, days) truncated like
 * Excel and clamped to a safe int range; empty stays empty (LEAST/GREATEST
 * alone would turn NULL into the bound).
 */
export function intSql(x: Sql, rt: SqlRuntime, limit = 1_000_000_000): Sql {
  const literal = NUMBER_LITERALS.get(x);
  if (literal !== undefined) return simple(sql`${Math.max(-limit, Math.min(limit, new Decimal(literal).trunc().toNumber()))}::int`);
  return rt.bind([x], ([v]) => simpleIf([v], sql`(${clamp(sql`trunc(${v})`, v, limit)})::int`));
}

/** A number clamped to ±limit; empty stays empty. */
export function clampSql(x: Sql, rt: SqlRuntime, limit: number): Sql {
  return rt.bind([x], ([v]) => simpleIf([v], sql`(${clamp(v, v, limit)})`));
}

const clamp = (value: Sql, v: Sql, limit: number) =>
  sql`CASE WHEN ${v} IS NOT NULL THEN LEAST(GREATEST(${value}, ${sql.raw(String(-limit))}), ${sql.raw(String(limit))}) END`;

/** NULL for dates outside years 1–9999, which the interpreter does not represent either. */
export function dateRangeSql(x: Sql, rt: SqlRuntime): Sql {
  return rt.bind([x], ([d]) => sql`(CASE WHEN (${d}) BETWEEN '0001-01-01'::date AND '9999-12-31'::date THEN (${d})::date END)`);
}

/** The clamps that keep date arithmetic inside PostgreSQL's date range (interpreter: the same numbers). */
export const MAX_DAYS = 3_000_000;
export const MAX_MONTHS = 120_000;

export type CompareOp = '=' | '<>' | '<' | '<=' | '>' | '>=';

/**
 * A comparison that is never NULL: with an empty operand it is FALSE, as in
 * the interpreter. Text orders by code point (COLLATE "C") whatever the
 * database's locale; fields of unknown type compare as text.
 */
export function compareSql(op: CompareOp, l: Sql, r: Sql, as: ScalarType): Sql {
  const [a, b] = as === 'any' ? [sql`(${l})::text`, sql`(${r})::text`] : [sql`(${l})`, sql`(${r})`];
  const collate = (as === 'text' || as === 'any') && op !== '=' && op !== '<>' ? sql` COLLATE "C"` : sql``;
  return sql`COALESCE(${a}${collate} ${sql.raw(op)} ${b}, FALSE)`;
}
