import { sql } from 'kysely';
import type { FnDef } from './functions.ts';
import { compareType, type SigInput } from './formula-types.ts';
import { compareSql } from './sql-convert.ts';
import { compareValues, isDecimal, isPlainNumber } from './values.ts';

const PLAIN_NUMBER_SQL = sql`'^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)$'`;

/** The type a value is compared in against each of `others` (SWITCH cases, IN lists). */
function commonCompareType(input: SigInput, first: number, others: number[]): ReturnType<typeof compareType> {
  let t = input.types[first];
  for (const i of others) t = compareType(t, input.types[i], input.args[first], input.args[i], input.args[i].pos);
  return t;
}

/**
 * Conditions and choices. Booleans are two-valued: an empty condition counts
 * as FALSE (IF takes the else branch, AND is FALSE, NOT is TRUE), so a
 * validation rule or an IF never hinges on SQL's UNKNOWN.
 */
export const LOGIC_FUNCTIONS: Record<string, FnDef> = {
  IF: {
    min: 2, max: 3,
    sig(s) {
      s.want(0, 'boolean');
      const t = s.unify(s.types.map((_, i) => i).slice(1));
      return { params: ['boolean', t, t], result: t };
    },
    eval: ([c, a, b]) => (c === true ? a : (b ?? null)),
    sql: ([c, a, b]) => sql`(CASE WHEN ${c} THEN ${a} ELSE ${b ?? sql`NULL`} END)`,
  },
  IFS: {
    min: 2, max: 254,
    sig(s) {
      if (s.types.length % 2) s.fail(null, 'IFS takes pairs of condition, value');
      const t = s.unify(s.types.map((_, i) => i).filter((i) => i % 2 === 1));
      return { params: s.types.map((_, i) => (i % 2 ? t : s.want(i, 'boolean'))), result: t };
    },
    eval: (args) => {
      for (let i = 0; i < args.length; i += 2) if (args[i] === true) return args[i + 1];
      return null;
    },
    sql: (args) => sql`(CASE ${sql.join(pairs(args).map(([c, v]) => sql`WHEN ${c} THEN ${v}`), sql` `)} END)`,
  },
  SWITCH: {
    min: 3, max: 255,
    sig(s) {
      const n = s.types.length;
      const cases = Array.from({ length: Math.floor((n - 1) / 2) }, (_, k) => 1 + 2 * k);
      const results = [...cases.map((i) => i + 1), ...(n % 2 === 0 ? [n - 1] : [])];
      const c = commonCompareType(s, 0, cases);
      const t = s.unify(results);
      return { params: s.types.map((_, i) => (i === 0 || cases.includes(i) ? c : t)), result: t, option: c };
    },
    eval: ([x, ...rest], rt, sig) => {
      for (let i = 0; i + 1 < rest.length; i += 2) if (compareValues(x, rest[i], sig.option as 'text', rt) === 0) return rest[i + 1];
      return rest.length % 2 ? rest[rest.length - 1] : null;
    },
    sql: ([value, ...rest], rt, sig) => rt.bind([value], ([x]) => {
      const whens = pairs(rest).map(([v, r]) => sql`WHEN ${compareSql('=', x, v, sig.option as 'text')} THEN ${r}`);
      return sql`(CASE ${sql.join(whens, sql` `)} ELSE ${rest.length % 2 ? rest[rest.length - 1] : sql`NULL`} END)`;
    }),
  },
  AND: {
    min: 1, max: 255, sig: (s) => ({ params: s.wantAll('boolean'), result: 'boolean' }),
    eval: (xs) => xs.every((x) => x === true),
    sql: (xs) => sql`(${sql.join(xs.map((x) => sql`COALESCE(${x}, FALSE)`), sql` AND `)})`,
  },
  OR: {
    min: 1, max: 255, sig: (s) => ({ params: s.wantAll('boolean'), result: 'boolean' }),
    eval: (xs) => xs.some((x) => x === true),
    sql: (xs) => sql`(${sql.join(xs.map((x) => sql`COALESCE(${x}, FALSE)`), sql` OR `)})`,
  },
  NOT: {
    min: 1, max: 1, sig: (s) => ({ params: [s.want(0, 'boolean')], result: 'boolean' }),
    eval: ([x]) => x !== true,
    sql: ([x]) => sql`(NOT COALESCE(${x}, FALSE))`,
  },
  // Empty: no value, empty text, or an empty list.
  ISBLANK: {
    min: 1, max: 1, sig: (s) => ({ params: ['any'], result: 'boolean', option: s.types[0] }),
    eval: ([x]) => x === null || x === '' || (Array.isArray(x) && x.length === 0),
    sql: (args, rt, sig) => rt.bind(args, ([x]) =>
      sig.option === 'text' ? sql`(${x} IS NULL OR ${x} = '')`
        : sig.option === 'list' ? sql`(${x} IS NULL OR cardinality(${x}) = 0)`
          : sig.option === 'any' ? sql`(${x} IS NULL OR (${x})::text = '')`
            : sql`(${x} IS NULL)`),
  },
  // As in Excel, text is not a number (ISNUMBER("5") is FALSE); a field of unknown type is judged by its text.
  ISNUMBER: {
    min: 1, max: 1, sig: (s) => ({ params: ['any'], result: 'boolean', option: s.types[0] }),
    eval: ([x], _rt, sig) => (sig.option === 'number' ? x !== null : sig.option === 'any' ? isDecimal(x) || (typeof x === 'string' && isPlainNumber(x)) : false),
    sql: ([x], _rt, sig) => (sig.option === 'number' ? sql`(${x} IS NOT NULL)` : sig.option === 'any' ? sql`COALESCE((${x})::text ~ ${PLAIN_NUMBER_SQL}, FALSE)` : sql`FALSE`),
  },
  COALESCE: {
    min: 1, max: 255,
    sig(s) {
      const t = s.unify(s.types.map((_, i) => i));
      return { params: s.types.map(() => t), result: t };
    },
    eval: (xs) => xs.find((x) => x !== null) ?? null,
    sql: (xs) => sql`COALESCE(${sql.join(xs)})`,
  },
  // IN(x, a, b, …): x equals one of the values. Empty x → FALSE.
  IN: {
    min: 2, max: 255,
    sig(s) {
      const c = commonCompareType(s, 0, s.types.map((_, i) => i).slice(1));
      return { params: s.types.map(() => c), result: 'boolean', option: c };
    },
    eval: ([x, ...xs], rt, sig) => xs.some((y) => compareValues(x, y, sig.option as 'text', rt) === 0),
    sql: ([x, ...xs], _rt, sig) => (sig.option === 'any' ? sql`COALESCE((${x})::text IN (${sql.join(xs.map((y) => sql`(${y})::text`))}), FALSE)` : sql`COALESCE(${x} IN (${sql.join(xs)}), FALSE)`),
  },
};

export function pairs<T>(xs: T[]): [T, T][] {
  const out: [T, T][] = [];
  for (let i = 0; i + 1 < xs.length; i += 2) out.push([xs[i], xs[i + 1]]);
  return out;
}
