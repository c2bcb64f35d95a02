import { sql } from 'kysely';
import { Decimal } from '@mosaic/kernel';
import type { FnDef } from './functions.ts';
import { intSql, simple, type Sql } from './sql-convert.ts';
import { formatSql, formatValue, parseTextFormat, TEXT_FORMAT_NAMES, type TextFormat } from './text-format.ts';
import { toNumber, toText, type Value } from './values.ts';

/**
 * Text. Lengths and positions count characters (code points: "深圳" has 2),
 * as char_length/strpos do. An empty argument makes the result empty, except
 * that CONCATENATE and & treat it as "". UPPER/LOWER change ASCII letters only
 * (SQL: COLLATE "C"), so both engines agree whatever the database locale.
 */
const chars = (v: Value) => [...(v as string)];
const int = (v: Value) => Math.max(-1e9, Math.min(1e9, (toNumber(v) as Decimal).trunc().toNumber()));
const texts = (n: number) => Array.from({ length: n }, () => 'text' as const);

const text1 = (fn: (s: string) => Value, toSql: (x: Sql) => Sql, result: 'text' | 'number' = 'text'): FnDef => ({
  min: 1, max: 1, sig: (s) => ({ params: [s.want(0, 'text')], result }),
  eval: ([x]) => (x === null ? null : fn(x as string)),
  sql: ([x]) => toSql(x),
});

/** LEFT/RIGHT(text, [count = 1]); a negative count gives empty. */
function side(which: 'left' | 'right'): FnDef {
  return {
    min: 1, max: 2, sig: (s) => ({ params: [s.want(0, 'text'), ...(s.types.length > 1 ? [s.want(1, 'number')] : [])], result: 'text' }),
    eval: ([x, n]) => {
      if (x === null || n === null) return null;
      const k = n === undefined ? 1 : int(n);
      if (k < 0) return null;
      const c = chars(x);
      return (which === 'left' ? c.slice(0, k) : c.slice(Math.max(0, c.length - k))).join('');
    },
    sql: ([x, n], rt) => rt.bind([n ? intSql(n, rt) : simple(sql`1`)], ([k]) => sql`(CASE WHEN ${k} >= 0 THEN ${sql.raw(which)}(${x}, ${k}) END)`),
  };
}

const concat: FnDef = {
  min: 1, max: 255, sig: (s) => ({ params: s.wantAll('text'), result: 'text' }),
  eval: (xs) => xs.map((x) => (x ?? '') as string).join(''),
  sql: (xs) => sql`concat(${sql.join(xs)})`,
};

export const TEXT_FUNCTIONS: Record<string, FnDef> = {
  CONCATENATE: concat,
  LEFT: side('left'),
  RIGHT: side('right'),
  // MID(text, start, count): start counts from 1; start < 1 or count < 0 gives empty.
  MID: {
    min: 3, max: 3, sig: (s) => ({ params: [s.want(0, 'text'), s.want(1, 'number'), s.want(2, 'number')], result: 'text' }),
    eval: ([x, a, n]) => {
      if (x === null || a === null || n === null) return null;
      const [start, count] = [int(a), int(n)];
      return start < 1 || count < 0 ? null : chars(x).slice(start - 1, start - 1 + count).join('');
    },
    sql: ([x, a, n], rt) => rt.bind([intSql(a, rt), intSql(n, rt)], ([s, k]) => sql`(CASE WHEN ${s} >= 1 AND ${k} >= 0 THEN substr(${x}, ${s}, ${k}) END)`),
  },
  LEN: text1((s) => new Decimal([...s].length), (x) => sql`(char_length(${x}))::numeric`, 'number'),
  UPPER: text1((s) => s.replace(/[a-z]+/g, (m) => m.toUpperCase()), (x) => sql`upper((${x}) COLLATE "C")`),
  LOWER: text1((s) => s.replace(/[A-Z]+/g, (m) => m.toLowerCase()), (x) => sql`lower((${x}) COLLATE "C")`),
  // Excel's TRIM: spaces off both ends, runs of spaces inside become one.
  TRIM: text1((s) => s.replace(/^ +| +$/g, '').replace(/ {2,}/g, ' '), (x) => sql`regexp_replace(btrim(${x}, ' '), ' {2,}', ' ', 'g')`),
  // SUBSTITUTE(text, old, new): every occurrence; an empty old text changes nothing.
  SUBSTITUTE: {
    min: 3, max: 3, sig: (s) => ({ params: s.wantAll('text'), result: 'text' }),
    eval: ([x, a, b]) => (x === null ? null : !a ? x : (x as string).split(a as string).join((b ?? '') as string)),
    sql: ([x, a, b]) => sql`replace(${x}, COALESCE(${a}, ''), COALESCE(${b}, ''))`,
  },
  // FIND(needle, text): 1-based position, case-sensitive; not found → empty.
  FIND: {
    min: 2, max: 2, sig: (s) => ({ params: s.wantAll('text'), result: 'number' }),
    eval: ([needle, hay]) => {
      if (needle === null || hay === null) return null;
      const i = (hay as string).indexOf(needle as string);
      return i < 0 ? null : new Decimal([...(hay as string).slice(0, i)].length + 1);
    },
    sql: ([needle, hay]) => sql`(NULLIF(strpos(${hay}, ${needle}), 0))::numeric`,
  },
  // CONTAINS(text, part), or CONTAINS(multi_select, option). Empty → FALSE.
  CONTAINS: {
    min: 2, max: 2,
    sig: (s) => (s.types[0] === 'list' ? { params: ['list', s.want(1, 'text')], result: 'boolean', option: 'list' } : { params: texts(2).map((t, i) => s.want(i, t)), result: 'boolean' }),
    eval: ([hay, needle], rt, sig) => {
      if (hay === null || needle === null) return false;
      if (sig.option === 'list') return (hay as Value[]).some((x) => toText(x, rt.timeZone) === needle);
      return (hay as string).includes(needle as string);
    },
    sql: ([hay, needle], _rt, sig) => (sig.option === 'list' ? sql`COALESCE(${needle} = ANY((${hay})::text[]), FALSE)` : sql`COALESCE(strpos(${hay}, ${needle}) > 0, FALSE)`),
  },
  TEXT: {
    min: 2, max: 2,
    sig(s) {
      const a = s.args[1];
      const f = a.kind === 'text' ? parseTextFormat(a.value) : null;
      if (!f) return s.fail(1, `TEXT's format must be written in quotes, e.g. ${TEXT_FORMAT_NAMES.map((x) => `"${x}"`).join(', ')}`);
      const from = f.kind === 'number' ? 'number' : s.types[0] === 'date' || s.args[0].kind === 'text' ? 'date' : 'datetime';
      return { params: [s.want(0, from), 'text'], result: 'text', option: f };
    },
    eval: ([v], rt, sig) => formatValue(v, sig.option as TextFormat, rt),
    sql: ([v], rt, sig) => formatSql(v, sig.option as TextFormat, sig.params[0] === 'date', rt),
  },
};
