import { sql, type RawBuilder } from 'kysely';
import { AppError, isAppError } from '@mosaic/kernel';
import type { FieldMeta } from '../meta.types.ts';
import type { EvalContext, QueryScope } from '../query-scope.ts';
import { kindOf, OPERATORS_BY_KIND, PARAM_TYPE, type Kind } from './filter-kinds.ts';
import { fieldPathOrThrow, filterInvalid, isRelativeObject, isVarObject } from './filter-shape.ts';
import { boundOf, MISSING, resolveVariables, scalarParam, type Bound } from './filter-values.ts';
import { isOperator, type FilterCondition, type FilterNode, type Operator } from './filter.types.ts';
import { operatorUnknown } from './normalise-filter.ts';
import { isRelativeDate } from './relative-dates.ts';
import { rangeKeyOf, type RangeKey } from './range-keys.ts';
import { gramGateOf, type GramGate } from './search-grams.ts';

type Condition = RawBuilder<boolean>;
type ValueKind = Exclude<Kind, 'none'>;

/**
 * Filter tree → a parameterised PostgreSQL condition. Field paths become SQL
 * only through `scope.ref` (which adds joins and checks read rights); every
 * value is a parameter with a constant cast. For example, with `t` the root row
 * and `j1` the joined customer:
 *
 *   { "amount": { "gte": 100 } }                      → "t"."c_amount" >= $1::numeric            ['100']
 *   { "customer.region": "华南" }                      → "j1"."c_region" = $1::text               ['华南']
 *   { "field": "name", "op": "contains", "value": "50%" } → "t"."c_name" ILIKE $1                  ['%50\%%']
 *   { "field": "stage", "op": "nin", "value": ["lost"] } → ("t"."c_stage" IS NULL OR "t"."c_stage" <> ALL($1::text[]))
 *   { "close_date": "this_month" }                     → "t"."c_close_date" BETWEEN $1::date AND $2::date  ['2026-11-01', '2026-11-30']
 *   { "not": { "active": true } }                      → NOT COALESCE("t"."c_active" = $1::boolean, FALSE)
 *
 * `not` treats an unknown (NULL) comparison as false first, so "not X" is
 * exactly the rows "X" leaves out.
 */
export function compileFilter(node: FilterNode, scope: QueryScope, ctx: EvalContext): RawBuilder<boolean> {
  if ('and' in node) return group(node.and, 'AND', scope, ctx);
  if ('or' in node) return group(node.or, 'OR', scope, ctx);
  if ('not' in node) return sql<boolean>`NOT COALESCE(${compileFilter(node.not, scope, ctx)}, FALSE)`;
  return compileCondition(node, scope, ctx);
}

function group(nodes: FilterNode[], op: 'AND' | 'OR', scope: QueryScope, ctx: EvalContext): Condition {
  if (!Array.isArray(nodes)) throw filterInvalid(`"${op.toLowerCase()}" takes a list of conditions`);
  if (!nodes.length) return op === 'AND' ? sql<boolean>`TRUE` : sql<boolean>`FALSE`;
  const parts = op === 'OR' ? orParts(nodes, scope, ctx) : nodes.map((n) => compileFilter(n, scope, ctx));
  return sql<boolean>`(${sql.join(parts, op === 'AND' ? sql` AND ` : sql` OR `)})`;
}

/**
 * The terms of an OR. `contains` on several searchable fields of one row with one text (the quick
 * search and the global search: name OR code OR number contains q) share one search_gram gate,
 * written once in front of their ILIKEs: `(id IN <candidates> AND (a ILIKE … OR b ILIKE …))`. An
 * OR of separate gates would be an OR of subplans, which PostgreSQL answers with a scan.
 */
function orParts(nodes: FilterNode[], scope: QueryScope, ctx: EvalContext): Condition[] {
  const gated = new Map<string, { gate: GramGate; exact: Condition[] }>();
  const terms: (Condition | string)[] = [];
  for (const n of nodes) {
    if ('and' in n || 'or' in n || 'not' in n) {
      terms.push(compileFilter(n, scope, ctx));
      continue;
    }
    const p = conditionParts(n, scope, ctx);
    if (!p.gate) {
      terms.push(p.exact);
    } else if (gated.has(p.gate.key)) {
      gated.get(p.gate.key)!.exact.push(p.exact);
    } else {
      gated.set(p.gate.key, { gate: p.gate, exact: [p.exact] });
      terms.push(p.gate.key);
    }
  }
  return terms.map((t) => {
    if (typeof t !== 'string') return t;
    const g = gated.get(t)!;
    return sql<boolean>`(${g.gate.sql} AND ${g.exact.length === 1 ? g.exact[0] : sql`(${sql.join(g.exact, sql` OR `)})`})`;
  });
}

function compileCondition(c: FilterCondition, scope: QueryScope, ctx: EvalContext): Condition {
  const p = conditionParts(c, scope, ctx);
  return p.gate ? sql<boolean>`(${p.gate.sql} AND ${p.exact})` : p.exact;
}

/** A condition's SQL, and — for a `contains` search_gram can serve — the gate to put in front of it. */
function conditionParts(c: FilterCondition, scope: QueryScope, ctx: EvalContext): { exact: Condition; gate?: GramGate } {
  // Nodes built in code skip parseFilter; check what the rest relies on.
  const path = fieldPathOrThrow(c.field);
  if (!isOperator(c.op)) throw operatorUnknown(path, c.op);
  const { col, field } = refOf(scope, path);
  const kind = kindOf(field);
  if (!OPERATORS_BY_KIND[kind].includes(c.op)) {
    throw new AppError('OPERATOR_UNKNOWN', `filter: ${path}: ${c.op} does not apply to a ${field.type} field; use one of ${OPERATORS_BY_KIND[kind].join(', ')}`, { field: path });
  }
  if (c.op === 'isNull') return { exact: isNull(col, kind, field, c.value === undefined ? true : c.value, path) };
  // Past this point the kind is not 'none': OPERATORS_BY_KIND.none holds only isNull.
  const value = resolveVariables(c.value, path, ctx);
  if (value === MISSING) return { exact: sql<boolean>`FALSE` };
  const fromVariable = isVarObject(c.value);
  const exact = operatorSql(col, c.op, value, fromVariable, { kind: kind as ValueKind, field, path, ctx });
  // Numbers: a leakproof range condition in front, so an index can serve the filter under RLS.
  const key = kind === 'number' && !fromVariable && scope.ref(path).field === field ? rangeKeyOf(scope, path, field, col) : null;
  const range = key ? rangeSql(key, c.op, value, { kind: 'number', field, path, ctx }) : null;
  if (range) return { exact: sql<boolean>`(${range} AND ${exact})` };
  // Text contains on a searchable field (not a lookup's: its row is another's): the n-gram gate.
  const gate = c.op === 'contains' && typeof value === 'string' && scope.ref(path).field === field ? gramGateOf(scope, path, field, value) : null;
  return gate ? { exact, gate } : { exact };
}

/** The range-key condition implied by a number comparison (range-keys.ts), or null when none helps. */
function rangeSql(key: RangeKey, op: Operator, value: unknown, t: Target): Condition | null {
  const point = (x: unknown) => boundOf(x, t.kind, t.field, t.path, t.ctx).lo;
  switch (op) {
    case 'eq':
      if (value === null || Array.isArray(value) || !key.fits(value)) return null;
      return sql<boolean>`${key.col} BETWEEN ${key.lower(point(value))} AND ${key.upper(point(value))}`;
    case 'gt':
    case 'gte':
      return !Array.isArray(value) && key.fits(value) ? sql<boolean>`${key.col} >= ${key.lower(point(value))}` : null;
    case 'lt':
    case 'lte':
      return !Array.isArray(value) && key.fits(value) ? sql<boolean>`${key.col} <= ${key.upper(point(value))}` : null;
    case 'between':
      if (!Array.isArray(value) || value.length !== 2 || !key.fits(value[0]) || !key.fits(value[1])) return null;
      return sql<boolean>`${key.col} BETWEEN ${key.lower(point(value[0]))} AND ${key.upper(point(value[1]))}`;
    default:
      return null; // ne has no range; in/nin keep their exact list
  }
}

interface Target {
  kind: ValueKind;
  field: FieldMeta;
  path: string;
  ctx: EvalContext;
}

function operatorSql(col: RawBuilder<unknown>, op: Operator, value: unknown, fromVariable: boolean, t: Target): Condition {
  const bound = (x: unknown) => boundOf(x, t.kind, t.field, t.path, t.ctx);
  switch (op) {
    case 'eq':
    case 'ne':
      // {"var": "$departmentTree"} is a list: eq means "one of them".
      if (fromVariable && Array.isArray(value)) return inList(col, op === 'eq' ? 'in' : 'nin', value, t);
      if (value === null) return op === 'eq' ? sql<boolean>`${col} IS NULL` : sql<boolean>`${col} IS NOT NULL`;
      if (Array.isArray(value)) throw filterInvalid(`${op} takes one value; use ${op === 'eq' ? 'in' : 'nin'} for a list`, t.path);
      return compare(col, op, bound(value));
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      if (Array.isArray(value)) throw filterInvalid(`${op} takes one value, not a list`, t.path);
      return compare(col, op, bound(value));
    case 'between': {
      if (!Array.isArray(value) || value.length !== 2) throw filterInvalid('between takes a list of two values, [from, to]', t.path);
      return within(col, bound(value[0]).lo, bound(value[1]));
    }
    case 'in':
    case 'nin':
      return inList(col, op, listOf(value, fromVariable, op, t.path), t);
    case 'contains':
    case 'notContains':
    case 'startsWith':
    case 'endsWith':
      return like(col, op, scalarParam(value, 'text', t.field, t.path) as string);
    case 'hasAny':
    case 'hasAll': {
      const options = listOf(value, fromVariable, op, t.path).map((x) => scalarParam(x, 'multi', t.field, t.path));
      return op === 'hasAny' ? sql<boolean>`${col} && ${options}::text[]` : sql<boolean>`${col} @> ${options}::text[]`;
    }
    case 'isNull':
      throw new Error('isNull is compiled before operatorSql');
  }
}

/** eq/ne/gt/… against a point or, for relative dates, a range of days (eq → within it, gt → after it). */
function compare(col: RawBuilder<unknown>, op: 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte', b: Bound): Condition {
  const after = b.hiExclusive ? sql`>=` : sql`>`;
  const upTo = b.hiExclusive ? sql`<` : sql`<=`;
  switch (op) {
    case 'eq': return b.point ? sql<boolean>`${col} = ${b.lo}` : within(col, b.lo, b);
    case 'ne': return b.point ? sql<boolean>`${col} IS DISTINCT FROM ${b.lo}` : sql<boolean>`(${col} IS NULL OR ${col} < ${b.lo} OR ${col} ${after} ${b.hi})`;
    case 'gt': return sql<boolean>`${col} ${after} ${b.hi}`;
    case 'gte': return sql<boolean>`${col} >= ${b.lo}`;
    case 'lt': return sql<boolean>`${col} < ${b.lo}`;
    case 'lte': return sql<boolean>`${col} ${upTo} ${b.hi}`;
  }
}

function within(col: RawBuilder<unknown>, lo: RawBuilder<unknown>, upper: Bound): Condition {
  return upper.hiExclusive ? sql<boolean>`(${col} >= ${lo} AND ${col} < ${upper.hi})` : sql<boolean>`${col} BETWEEN ${lo} AND ${upper.hi}`;
}

/** One array parameter however long the list: `= ANY($1::uuid[])`. */
function inList(col: RawBuilder<unknown>, op: 'in' | 'nin', items: unknown[], t: Target): Condition {
  const params = items.map((x) => {
    if (t.kind === 'date' && (isRelativeObject(x) || isRelativeDate(x))) throw filterInvalid(`${op} takes plain dates; compare with a relative date using eq or between`, t.path);
    return scalarParam(x, t.kind, t.field, t.path);
  });
  const list = sql`${params}::${sql.raw(PARAM_TYPE[t.kind])}[]`;
  return op === 'in' ? sql<boolean>`${col} = ANY(${list})` : sql<boolean>`(${col} IS NULL OR ${col} <> ALL(${list}))`;
}

function listOf(value: unknown, fromVariable: boolean, op: Operator, path: string): unknown[] {
  if (Array.isArray(value)) return value;
  if (fromVariable) return [value]; // {"var": "$user"} with in: a list of one
  throw filterInvalid(`${op} takes a list of values, like ["a", "b"]`, path);
}

// LIKE's default escape character is the backslash; likeEscape makes the user's % _ \ literal.
function like(col: RawBuilder<unknown>, op: 'contains' | 'notContains' | 'startsWith' | 'endsWith', text: string): Condition {
  const s = likeEscape(text);
  switch (op) {
    case 'contains': return sql<boolean>`${col} ILIKE ${`%${s}%`}`;
    case 'notContains': return sql<boolean>`(${col} IS NULL OR ${col} NOT ILIKE ${`%${s}%`})`;
    case 'startsWith': return caseless(text) ? sql<boolean>`${col} ^@ ${text}` : sql<boolean>`${col} ILIKE ${`${s}%`}`;
    case 'endsWith': return sql<boolean>`${col} ILIKE ${`%${s}`}`;
  }
}

/**
 * Text with no cased letter (digits, 汉字, punctuation: 1122, 深圳, 138-0013): ILIKE 'x%' and the
 * starts-with operator ^@ match the same rows, and ^@ is leakproof — under row-level security
 * PostgreSQL gives an index only leakproof operators, so `code ^@ '1122'` is an index range where
 * `code ILIKE '1122%'` scans every row of the tenant (docs/adr/0009).
 */
function caseless(text: string): boolean {
  return !/[\p{Lu}\p{Ll}\p{Lt}]/u.test(text) && text.toLowerCase() === text && text.toUpperCase() === text;
}

/** `%`, `_` and `\` in a user's search text are literal characters, not wildcards. */
export function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function isNull(col: RawBuilder<unknown>, kind: Kind, field: FieldMeta, value: unknown, path: string): Condition {
  if (typeof value !== 'boolean') throw filterInvalid('isNull takes true or false', path);
  // An empty multi-select or attachment list counts as empty, as the UI shows it.
  if (kind === 'multi' || field.type === 'attachment') {
    return value ? sql<boolean>`(${col} IS NULL OR cardinality(${col}) = 0)` : sql<boolean>`cardinality(${col}) > 0`;
  }
  return value ? sql<boolean>`${col} IS NULL` : sql<boolean>`${col} IS NOT NULL`;
}

/**
 * `scope.ref`, seeing through lookups: a lookup shows another record's field,
 * so it is filtered as that field (its type, options, operators).
 */
function refOf(scope: QueryScope, path: string): { col: RawBuilder<unknown>; field: FieldMeta } {
  const { sql: col, field } = scope.ref(path);
  let target = field;
  let targetPath = path;
  try {
    for (let hop = 0; target.type === 'lookup' && target.config.lookup && hop < 4; hop++) {
      const base = targetPath.slice(0, targetPath.lastIndexOf('.') + 1);
      targetPath = `${base}${target.config.lookup.link}.${target.config.lookup.field}`;
      target = scope.ref(targetPath).field;
    }
  } catch (e) {
    if (isAppError(e)) throw new AppError(e.code, `filter: ${path}: ${e.message}`, { field: path, cause: e });
    throw e;
  }
  return { col, field: target };
}
