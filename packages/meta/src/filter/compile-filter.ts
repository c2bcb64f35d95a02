import { sql, type RawBuilder } from 'kysely';
import { AppError, isUuid, parseDecimal } from '@mosaic/kernel';
import type { FieldMeta } from '../meta.types.ts';
import type { EvalContext, QueryScope } from '../query-scope.ts';
import type { FilterNode, Operator } from './filter.types.ts';
import { relativeDateRange, todayIn } from './relative-dates.ts';

/**
 * Filter tree → a parameterised PostgreSQL condition. Field paths become SQL
 * only through `scope.ref` (which joins and checks read rights); every value is
 * a parameter, cast to the field's type. Examples:
 *
 *   { "field": "amount", "op": "gte", "value": 100 }        → "t"."c_amount" >= $1::numeric
 *   { "field": "name", "op": "contains", "value": "50%" }   → "t"."c_name" ILIKE $1   ($1 = '%50\%%')
 *   { "field": "close_date", "op": "eq", "value": { "relative": "this_month" } }
 *                                                           → ("t"."c_close_date" BETWEEN $1::date AND $2::date)
 */
export function compileFilter(node: FilterNode, scope: QueryScope, ctx: EvalContext): RawBuilder<boolean> {
  if ('and' in node) return node.and.length ? group(node.and.map((n) => compileFilter(n, scope, ctx)), 'AND') : sql<boolean>`TRUE`;
  if ('or' in node) return node.or.length ? group(node.or.map((n) => compileFilter(n, scope, ctx)), 'OR') : sql<boolean>`FALSE`;
  if ('not' in node) return sql<boolean>`NOT COALESCE(${compileFilter(node.not, scope, ctx)}, FALSE)`;
  const { sql: col, field } = scope.ref(node.field);
  return condition(col, field, node.field, node.op, node.value, ctx);
}

function group(parts: RawBuilder<boolean>[], op: 'AND' | 'OR'): RawBuilder<boolean> {
  return sql<boolean>`(${sql.join(parts, op === 'AND' ? sql` AND ` : sql` OR `)})`;
}

type Kind = 'number' | 'text' | 'date' | 'datetime' | 'boolean' | 'uuid' | 'select' | 'multi' | 'none';

function kindOf(field: FieldMeta): Kind {
  switch (field.type) {
    case 'integer': case 'decimal': case 'money': case 'percent': case 'rollup': return 'number';
    case 'date': return 'date';
    case 'datetime': return 'datetime';
    case 'boolean': return 'boolean';
    case 'link': case 'user': case 'department': case 'image': return 'uuid';
    case 'single_select': return 'select';
    case 'multi_select': return 'multi';
    case 'attachment': case 'address': case 'child_table': return 'none';
    case 'formula': {
      const t = field.config.resultType;
      return t === 'number' ? 'number' : t === 'date' ? 'date' : t === 'datetime' ? 'datetime' : t === 'boolean' ? 'boolean' : 'text';
    }
    default: return 'text';
  }
}

const CAST: Record<Kind, RawBuilder<unknown>> = {
  number: sql`numeric`, text: sql`text`, date: sql`date`, datetime: sql`timestamptz`, boolean: sql`boolean`, uuid: sql`uuid`, select: sql`text`, multi: sql`text`, none: sql`text`,
};

const ALLOWED: Record<Kind, Operator[]> = {
  number: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'nin', 'between', 'isNull'],
  date: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'nin', 'between', 'isNull'],
  datetime: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'between', 'isNull'],
  text: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'nin', 'contains', 'notContains', 'startsWith', 'endsWith', 'isNull'],
  select: ['eq', 'ne', 'in', 'nin', 'isNull'],
  uuid: ['eq', 'ne', 'in', 'nin', 'isNull'],
  boolean: ['eq', 'ne', 'isNull'],
  multi: ['hasAny', 'hasAll', 'isNull'],
  none: ['isNull'],
};

function condition(col: RawBuilder<unknown>, field: FieldMeta, path: string, op: Operator, value: unknown, ctx: EvalContext): RawBuilder<boolean> {
  const kind = kindOf(field);
  if (!ALLOWED[kind].includes(op)) {
    throw new AppError('OPERATOR_UNKNOWN', `${path}: operator "${op}" does not apply to a ${field.type} field; use one of ${ALLOWED[kind].join(', ')}`, { field: path });
  }
  const v = resolveVariable(value, path, ctx);
  if (op === 'isNull') {
    if (typeof v !== 'boolean') throw invalid(path, 'isNull takes true or false');
    return v ? sql<boolean>`${col} IS NULL` : sql<boolean>`${col} IS NOT NULL`;
  }
  // A relative date means a range: eq → within it, ne → outside it, gt → after it, …
  if (isRelative(v)) {
    if (kind !== 'date' && kind !== 'datetime') throw invalid(path, 'relative dates apply to date fields only');
    const r = relativeDateRange((v as { relative: string }).relative, ctx);
    return rangeCondition(col, kind, op, r.from, r.to, path, ctx);
  }
  const cast = CAST[kind];
  const one = (x: unknown) => sql`${coerce(x, kind, field, path)}::${cast}`;
  switch (op) {
    case 'eq': return v === null ? sql<boolean>`${col} IS NULL` : sql<boolean>`${col} = ${one(v)}`;
    case 'ne': return v === null ? sql<boolean>`${col} IS NOT NULL` : sql<boolean>`${col} IS DISTINCT FROM ${one(v)}`;
    case 'gt': return sql<boolean>`${col} > ${one(v)}`;
    case 'gte': return sql<boolean>`${col} >= ${one(v)}`;
    case 'lt': return sql<boolean>`${col} < ${one(v)}`;
    case 'lte': return sql<boolean>`${col} <= ${one(v)}`;
    case 'in':
    case 'nin': {
      const list = asList(v, path).map((x) => coerce(x, kind, field, path));
      const arr = sql`${list}::${cast}[]`;
      return op === 'in' ? sql<boolean>`${col} = ANY(${arr})` : sql<boolean>`(NOT (${col} = ANY(${arr})) OR ${col} IS NULL)`;
    }
    case 'between': {
      if (!Array.isArray(v) || v.length !== 2) throw invalid(path, 'between takes [from, to]');
      return sql<boolean>`${col} BETWEEN ${one(v[0])} AND ${one(v[1])}`;
    }
    case 'contains': return sql<boolean>`${col} ILIKE ${`%${likeEscape(text(v, path))}%`}`;
    case 'notContains': return sql<boolean>`(${col} IS NULL OR ${col} NOT ILIKE ${`%${likeEscape(text(v, path))}%`})`;
    case 'startsWith': return sql<boolean>`${col} ILIKE ${`${likeEscape(text(v, path))}%`}`;
    case 'endsWith': return sql<boolean>`${col} ILIKE ${`%${likeEscape(text(v, path))}`}`;
    case 'hasAny':
    case 'hasAll': {
      const list = asList(v, path).map((x) => coerce(x, 'select', field, path));
      return op === 'hasAny' ? sql<boolean>`${col} && ${list}::text[]` : sql<boolean>`${col} @> ${list}::text[]`;
    }
  }
}

function rangeCondition(col: RawBuilder<unknown>, kind: Kind, op: Operator, from: string, to: string, path: string, ctx: EvalContext): RawBuilder<boolean> {
  // For date-times the range is [from 00:00, to+1 00:00) in the tenant's time zone.
  const lo = kind === 'date' ? sql`${from}::date` : sql`(${from}::date::timestamp AT TIME ZONE ${ctx.timeZone})`;
  const hiExcl = kind === 'date' ? sql`(${to}::date + 1)` : sql`((${to}::date + 1)::timestamp AT TIME ZONE ${ctx.timeZone})`;
  switch (op) {
    case 'eq': case 'between': return sql<boolean>`(${col} >= ${lo} AND ${col} < ${hiExcl})`;
    case 'ne': return sql<boolean>`(${col} < ${lo} OR ${col} >= ${hiExcl})`;
    case 'gt': return sql<boolean>`${col} >= ${hiExcl}`;
    case 'gte': return sql<boolean>`${col} >= ${lo}`;
    case 'lt': return sql<boolean>`${col} < ${lo}`;
    case 'lte': return sql<boolean>`${col} < ${hiExcl}`;
    default: throw invalid(path, `operator "${op}" cannot take a relative date`);
  }
}

/** `{ "var": "$user" }` → the value from the request's context. */
function resolveVariable(value: unknown, path: string, ctx: EvalContext): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value) || !('var' in value)) return value;
  const name = (value as { var: unknown }).var;
  switch (name) {
    case '$user': return ctx.userId ?? null;
    case '$department': return ctx.departmentId ?? null;
    case '$departmentTree': return ctx.departmentIds ?? [];
    case '$company': return ctx.companyId ?? null;
    case '$today': return todayIn(ctx);
    default: throw invalid(path, `unknown variable "${String(name).slice(0, 30)}"; use $user, $department, $departmentTree, $company or $today`);
  }
}

function coerce(x: unknown, kind: Kind, field: FieldMeta, path: string): unknown {
  if (x === null || x === undefined) throw invalid(path, 'null is only allowed with eq, ne and isNull');
  switch (kind) {
    case 'number': {
      const d = parseDecimal(x);
      if (!d) throw invalid(path, `"${String(x).slice(0, 40)}" is not a number`);
      return d.toFixed();
    }
    case 'date':
      if (typeof x !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(x) || Number.isNaN(Date.parse(`${x}T00:00:00Z`))) throw invalid(path, `"${String(x).slice(0, 40)}" is not a date (YYYY-MM-DD)`);
      return x;
    case 'datetime':
      if (typeof x !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(x) || Number.isNaN(Date.parse(x))) throw invalid(path, `"${String(x).slice(0, 40)}" is not a date-time (ISO 8601)`);
      return new Date(x).toISOString();
    case 'boolean':
      if (typeof x !== 'boolean') throw invalid(path, 'must be true or false');
      return x;
    case 'uuid':
      if (!isUuid(x)) throw invalid(path, `"${String(x).slice(0, 40)}" is not an id (UUID)`);
      return (x as string).toLowerCase();
    case 'select':
    case 'multi': {
      if (typeof x !== 'string') throw invalid(path, 'must be one of the options');
      const options = field.config.options ?? [];
      if (!options.some((o) => o.value === x)) throw invalid(path, `"${x.slice(0, 40)}" is not one of the options`);
      return x;
    }
    default:
      if (typeof x !== 'string' && typeof x !== 'number') throw invalid(path, 'must be text');
      return String(x);
  }
}

function asList(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) throw invalid(path, 'takes a list of values');
  return v;
}

function text(v: unknown, path: string): string {
  if (typeof v !== 'string' && typeof v !== 'number') throw invalid(path, 'takes text');
  return String(v);
}

/** `%`, `_` and `\` in a user's search text are literal characters, not wildcards. */
export function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function isRelative(v: unknown): boolean {
  return !!v && typeof v === 'object' && !Array.isArray(v) && 'relative' in (v as object);
}

// A bad value in a filter is a bad request (400), named by its field path.
function invalid(path: string, reason: string): AppError {
  return new AppError('FILTER_INVALID', `${path}: ${reason}`, { field: path });
}

/** Every field path a filter names (the access layer checks each). */
export function filterFieldPaths(node: FilterNode): string[] {
  if ('and' in node) return node.and.flatMap(filterFieldPaths);
  if ('or' in node) return node.or.flatMap(filterFieldPaths);
  if ('not' in node) return filterFieldPaths(node.not);
  return [node.field];
}
