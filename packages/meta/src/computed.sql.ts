import { sql, type RawBuilder } from 'kysely';
import { AppError, clock } from '@mosaic/kernel';
import { compileFormulaToSql, parseFormula } from './formula/index.ts';
import { rollupSource } from './field-def.rules.ts';
import type { FieldMeta, ObjectMeta, ResolvedPath } from './meta.types.ts';
import { resolvePath } from './paths.ts';
import type { ChildAggregateScope, EvalContext, QueryScope } from './query-scope.ts';
import { DEFAULT_TIME_ZONE } from './filter/relative-dates.ts';

/**
 * SQL for computed fields, used to backfill and to recompute in bulk:
 *
 *   rollup over child rows:  (SELECT sum(c."c_amount") FROM "o_order_line" c
 *                              WHERE c.tenant_id = t.tenant_id AND c.parent_id = t.id)
 *   link path in a formula:  (SELECT j."c_region" FROM "o_customer" j
 *                              WHERE j.tenant_id = t.tenant_id AND j.id = t."c_customer")
 *
 * `timeZone` is the tenant's (tenant.time_zone): what TODAY() and a datetime's
 * date mean in the stored value.
 */
export function recomputeColumnSql(objects: Map<string, ObjectMeta>, obj: ObjectMeta, field: FieldMeta, alias: string, timeZone: string): RawBuilder<unknown> | null {
  if (field.type === 'rollup') return rollupSql(objects, obj, field, alias);
  if (field.type === 'formula') {
    const ctx: EvalContext = { now: clock.now(), timeZone };
    return compileFormulaToSql(parseFormula(field.config.formula!), correlatedScope(objects, obj, alias, 0, timeZone), ctx);
  }
  return null;
}

export function rollupSql(objects: Map<string, ObjectMeta>, obj: ObjectMeta, field: FieldMeta, alias = 't'): RawBuilder<unknown> {
  const r = field.config.rollup!;
  const source = rollupSource(objects, obj, r.relation)!;
  const childCol = r.field ? source.object.fields.find((f) => f.apiName === r.field)!.columnName! : null;
  const agg =
    r.fn === 'count' ? sql`count(*)` : sql`${sql.raw(r.fn)}(c.${sql.id(childCol!)})`;
  const zero = r.fn === 'count' || r.fn === 'sum' ? sql`0` : sql`NULL`;
  return sql`COALESCE((SELECT ${agg} FROM ${sql.id(source.object.tableName)} c
    WHERE c.tenant_id = ${sql.ref(`${alias}.tenant_id`)} AND c.${sql.id(source.keyColumn)} = ${sql.ref(`${alias}.id`)}), ${zero})`;
}

/**
 * A QueryScope for UPDATE/correlated use: every link hop is a scalar subquery, no joins needed.
 * `timeZone` (the tenant's) is what a virtual formula reached through it compiles with.
 */
export function correlatedScope(objects: Map<string, ObjectMeta>, root: ObjectMeta, alias = 't', depth = 0, timeZone = DEFAULT_TIME_ZONE): QueryScope & ChildAggregateScope {
  return {
    root,
    childAggregate: (path, fn) => childAggregateSql(objects, root, alias, path, fn, depth, timeZone),
    ref(path: string) {
      if (depth > 3) throw new AppError('FORMULA_TYPE', `${path}: formulas nest too deeply`);
      const r = resolvePath(objects, root, path);
      if (r.many) throw new AppError('FORMULA_TYPE', `${path}: child rows are only allowed inside SUM/COUNT/MIN/MAX/AVG`, { field: path });
      return { sql: hopsSql(r, alias, depth, (end) => columnOrComputed(objects, r.object, r.field, end, depth, timeZone)), field: r.field };
    },
  };
}

/**
 * The currency of the money value at `path` (a money field, or a lookup ending on one — see
 * moneyBehind), read as correlatedScope reads its amount: the same hops, the `_ccy` column beside it.
 *
 *   (SELECT x0_0."c_credit_limit_ccy" FROM "o_customer" AS x0_0 WHERE x0_0.tenant_id = t.tenant_id AND x0_0.id = t."c_customer")
 */
export function correlatedCurrencySql(objects: Map<string, ObjectMeta>, root: ObjectMeta, alias: string, path: string, depth = 0): RawBuilder<unknown> {
  if (depth > 3) throw new AppError('FORMULA_TYPE', `${path}: lookups nest too deeply`, { field: path });
  const r = resolvePath(objects, root, path);
  const lk = r.field.type === 'lookup' ? r.field.config.lookup! : null;
  return hopsSql(r, alias, depth, (end) => (lk ? correlatedCurrencySql(objects, r.object, end, `${lk.link}.${lk.field}`, depth + 1) : sql.ref(`${end}.${r.field.columnName}_ccy`)));
}

/** One scalar subquery per link hop of `r`, the innermost reading `end(alias of the last row)`. */
function hopsSql(r: ResolvedPath, alias: string, depth: number, end: (alias: string) => RawBuilder<unknown>): RawBuilder<unknown> {
  const aliasAt = (i: number) => (i === 0 ? alias : `x${depth}_${i - 1}`);
  const build = (i: number): RawBuilder<unknown> => {
    if (i === r.links.length) return end(aliasAt(i));
    const link = r.links[i];
    const inner = aliasAt(i + 1);
    return sql`(SELECT ${build(i + 1)} FROM ${sql.id(link.target.tableName)} AS ${sql.id(inner)}
      WHERE ${sql.ref(`${inner}.tenant_id`)} = ${sql.ref(`${aliasAt(i)}.tenant_id`)} AND ${sql.ref(`${inner}.id`)} = ${sql.ref(`${aliasAt(i)}.${link.field.columnName}`)})`;
  };
  return build(0);
}

/**
 * SUM(lines.amount) and friends over a child table, correlated to the parent row:
 *   COALESCE((SELECT sum(c."c_amount") FROM "o_order_line" c WHERE c.tenant_id = t.tenant_id AND c.parent_id = t.id), 0)
 * Returns null when the path does not start with a child-table field.
 */
export function childAggregateSql(objects: Map<string, ObjectMeta>, root: ObjectMeta, alias: string, path: string, fn: 'sum' | 'avg' | 'min' | 'max' | 'count', depth = 0, timeZone = DEFAULT_TIME_ZONE): RawBuilder<unknown> | null {
  const r = resolvePath(objects, root, path);
  if (!r.many || r.links.length !== 1 || r.links[0].field.type !== 'child_table') {
    if (r.many) throw new AppError('FORMULA_TYPE', `${path}: only fields directly on a child table can be aggregated`, { field: path });
    return null;
  }
  const child = r.links[0].target;
  const c = `c${depth}`;
  const value = columnOrComputed(objects, child, r.field, c, depth, timeZone);
  const agg = fn === 'count' ? sql`count(${value})` : sql`${sql.raw(fn)}((${value})::numeric)`;
  const zero = fn === 'count' || fn === 'sum' ? sql`0` : sql`NULL`;
  return sql`COALESCE((SELECT ${agg} FROM ${sql.id(child.tableName)} AS ${sql.id(c)}
    WHERE ${sql.ref(`${c}.tenant_id`)} = ${sql.ref(`${alias}.tenant_id`)} AND ${sql.ref(`${c}.parent_id`)} = ${sql.ref(`${alias}.id`)}), ${zero})`;
}

// The end column is built against a placeholder alias and re-aliased per hop.
function columnOrComputed(objects: Map<string, ObjectMeta>, obj: ObjectMeta, field: FieldMeta, alias: string, depth: number, timeZone: string): RawBuilder<unknown> {
  if (field.columnName) return sql.ref(`${alias}.${field.columnName}`);
  if (field.type === 'formula') {
    const ctx: EvalContext = { now: clock.now(), timeZone };
    return compileFormulaToSql(parseFormula(field.config.formula!), correlatedScope(objects, obj, alias, depth + 1, timeZone), ctx);
  }
  if (field.type === 'lookup') {
    const lk = field.config.lookup!;
    return correlatedScope(objects, obj, alias, depth + 1, timeZone).ref(`${lk.link}.${lk.field}`).sql;
  }
  throw new AppError('FIELD_UNKNOWN', `${field.apiName} cannot be used here`, { field: field.apiName });
}
