import { sql, type RawBuilder } from 'kysely';
import { AppError } from '@mosaic/kernel';
import { inTenantTx, type Tx } from '@mosaic/db';
import { fieldBehind, moneyBehind, scalarOf, type FieldMeta } from '@mosaic/meta';
import { JoinScope } from './join-scope.ts';
import { evalContextOf, type RecordsCtx } from './records.context.ts';
import { readableObject, whereSql } from './records.query.ts';

export interface AggregateRequest {
  filter?: unknown;
  /** Field paths to group by (≤ 5), e.g. ["region", "customer.region"]. */
  groupBy?: string[];
  /**
   * "count", or "<fn>:<path>" with fn sum | avg | min | max | count; default ["count"]. "sum:<money>@currency"
   * (a money field, or a lookup of one) answers the sum per currency, { CNY: "100000.00", USD: "20000.00" }: "sum:<money>" adds the amounts as
   * they are, whatever their currencies (right only when they share one).
   */
  measures?: string[];
}

export const MAX_GROUPS = 1000;
const FNS = ['sum', 'avg', 'min', 'max', 'count'] as const;
const BY_CURRENCY = '@currency';
const UNGROUPABLE = new Set(['multi_select', 'attachment', 'address', 'long_text', 'rich_text']);

/**
 * GET /api/v1/records/{object}/aggregate?groupBy=region&measures=sum:amount,count&filter=…
 * Built through the same JoinScope and record scope as a list, so grouping or
 * measuring a field the user may not read is FIELD_FORBIDDEN (400) and only the
 * records they may read are counted:
 *
 *   SELECT "t"."c_region" AS "region", sum("t"."c_amount") AS "sum:amount", count(*) AS "count"
 *   FROM "o_order" AS "t" LEFT JOIN … WHERE <filter> AND <read scope>
 *   GROUP BY 1 ORDER BY 1 NULLS LAST LIMIT 1001
 */
export async function aggregateRecords(ctx: RecordsCtx, objectApiName: string, req: AggregateRequest, opts: { tx?: Tx } = {}): Promise<{ data: Record<string, unknown>[]; truncated: boolean }> {
  const { objects, obj } = await readableObject(ctx, objectApiName, 'read');
  const scope = new JoinScope(objects, obj, ctx.guard, evalContextOf(ctx));
  if ((req.groupBy ?? []).length > 5) throw new AppError('BAD_REQUEST', 'groupBy: at most 5 fields', { field: 'groupBy' });
  const groups = [...new Set(req.groupBy ?? [])].map((path) => groupColumn(scope, path));
  const measureNames = req.measures?.length ? [...new Set(req.measures)] : ['count'];
  if (measureNames.length > 20) throw new AppError('BAD_REQUEST', 'measures: at most 20', { field: 'measures' });
  const measures = measureNames.map((m) => (m.endsWith(BY_CURRENCY) ? currencyMeasure(scope, m) : measureSql(scope, m)));
  const where = whereSql(ctx, scope, obj, req.filter, 'read');
  const from = sql`FROM ${sql.id(obj.tableName)} AS t ${scope.joinSql()} WHERE ${where}`;
  const plain = measures.every((m): m is Measure => !('currency' in m));
  const columns = plain && [...groups.map((g) => sql`${g.expr} AS ${sql.id(g.path)}`), ...measures.map((m) => sql`${m.expr} AS ${sql.id(m.name)}`)];
  const statement = columns ? sql<Record<string, unknown>>`SELECT ${sql.join(columns)} ${from} ${groupedSql(groups.length)} LIMIT ${MAX_GROUPS + 1}` : byCurrencySql(groups, measures, from);
  // In the caller's transaction when given (a page reading several figures at once), else a read-only one of its own.
  const run = (tx: Tx) => statement.execute(tx);
  const { rows } = opts.tx ? await run(opts.tx) : await inTenantTx(ctx.db.app, { tenantId: ctx.guard.actor.tenantId, userId: ctx.guard.actor.userId }, run, { readOnly: true });
  const data = rows.slice(0, MAX_GROUPS).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v ?? null])));
  return { data, truncated: rows.length > MAX_GROUPS };
}

/** GROUP BY and ORDER BY the first `n` columns (the groups), or nothing without groups. */
function groupedSql(n: number): RawBuilder<unknown> {
  const positions = Array.from({ length: n }, (_, i) => i + 1);
  return n ? sql.raw(`GROUP BY ${positions.join(', ')} ORDER BY ${positions.map((p) => `${p} NULLS LAST`).join(', ')}`) : sql``;
}

/**
 * A measure over the rows (`expr`), and the same in two steps for an answer with sums by currency: what each
 * (group, currency) row holds (`parts`), and how those rows' parts combine into the group's figure.
 */
interface Measure {
  name: string;
  expr: RawBuilder<unknown>;
  parts: RawBuilder<unknown>[];
  combine: (parts: RawBuilder<unknown>[]) => RawBuilder<unknown>;
}

/** A money sum per currency: "sum:<money field or a lookup of one>@currency". */
interface CurrencyMeasure { name: string; amount: RawBuilder<unknown>; currency: RawBuilder<unknown> }

function currencyMeasure(scope: JoinScope, spec: string): CurrencyMeasure {
  const path = /^sum:(.+)@currency$/.exec(spec)?.[1];
  if (!path) throw new AppError('BAD_REQUEST', `measures: "${spec.slice(0, 60)}": ${BY_CURRENCY} applies to sum:<money field> only`, { field: 'measures' });
  // The guard first (the field, its links, and for a lookup what it reads): a forbidden path is refused as such.
  const { sql: amount, field } = scope.ref(path);
  if (!moneyBehind(scope.objects, scope.root, path)) {
    throw new AppError('BAD_REQUEST', `measures: ${spec} needs a stored money field or a lookup of one; ${path} is ${field.type}`, { field: 'measures' });
  }
  return { name: spec, amount, currency: scope.currencyRef(path) }; // a lookup's currency through the same hops as its amount
}

/**
 * The aggregate with sums by currency, still one statement over the same rows: grouped by the groups and the
 * currency columns first (a hash over a few more keys), then by the groups alone, each sum by currency an
 * object of decimal strings built from its group's rows ({} when none):
 *
 *   SELECT x."stage" AS "stage", COALESCE(sum(x."$p0_0"), 0)::bigint AS "count",
 *          COALESCE((SELECT jsonb_object_agg(c, s) FROM (SELECT COALESCE(c, '') AS c, sum(s)::text AS s
 *            FROM unnest(array_agg(x."$c1"::text), array_agg(x."$s1")) AS v(c, s) WHERE s IS NOT NULL GROUP BY 1) AS u), '{}') AS "sum:amount@currency"
 *   FROM (SELECT "t"."c_stage" AS "stage", "t"."c_amount_ccy" AS "$c1", sum(("t"."c_amount")::numeric) AS "$s1", count(*) AS "$p0_0"
 *         FROM … WHERE … GROUP BY 1, 2) AS x
 *   GROUP BY 1 ORDER BY 1 NULLS LAST LIMIT 1001
 */
function byCurrencySql(groups: { path: string; expr: RawBuilder<unknown> }[], measures: (Measure | CurrencyMeasure)[], from: RawBuilder<unknown>): RawBuilder<Record<string, unknown>> {
  const x = (name: string) => sql`${sql.id('x', name)}`;
  const split = measures.flatMap((m, j) => ('currency' in m ? [{ m, c: `$c${j}`, s: `$s${j}` }] : []));
  const inner = [
    ...groups.map((g) => sql`${g.expr} AS ${sql.id(g.path)}`),
    ...split.map(({ m, c }) => sql`${m.currency} AS ${sql.id(c)}`),
    ...split.map(({ m, s }) => sql`sum((${m.amount})::numeric) AS ${sql.id(s)}`),
    ...measures.flatMap((m, j) => ('parts' in m ? m.parts.map((p, q) => sql`${p} AS ${sql.id(`$p${j}_${q}`)}`) : [])),
  ];
  const outer = [
    ...groups.map((g) => sql`${x(g.path)} AS ${sql.id(g.path)}`),
    ...measures.map((m, j) => ('parts' in m
      ? sql`${m.combine(m.parts.map((_, q) => x(`$p${j}_${q}`)))} AS ${sql.id(m.name)}`
      : sql`COALESCE((SELECT jsonb_object_agg(c, s) FROM (SELECT COALESCE(c, '') AS c, sum(s)::text AS s
          FROM unnest(array_agg(${x(`$c${j}`)}::text), array_agg(${x(`$s${j}`)})) AS v(c, s) WHERE s IS NOT NULL GROUP BY 1) AS u), '{}') AS ${sql.id(m.name)}`)),
  ];
  const keys = Array.from({ length: groups.length + split.length }, (_, i) => i + 1).join(', ');
  return sql<Record<string, unknown>>`SELECT ${sql.join(outer)} FROM (SELECT ${sql.join(inner)} ${from} GROUP BY ${sql.raw(keys)}) AS x
    ${groupedSql(groups.length)} LIMIT ${MAX_GROUPS + 1}`;
}

function groupColumn(scope: JoinScope, path: string): { path: string; expr: RawBuilder<unknown> } {
  const { sql: expr, field } = scope.ref(path);
  if (UNGROUPABLE.has(field.type)) throw new AppError('BAD_REQUEST', `groupBy: ${path} (${field.type}) cannot be grouped by`, { field: 'groupBy' });
  return { path, expr };
}

function measureSql(scope: JoinScope, spec: string): Measure {
  const sumOf = ([p]: RawBuilder<unknown>[]) => sql`COALESCE(sum(${p}), 0)::bigint`;
  if (spec === 'count') return { name: spec, expr: sql`count(*)`, parts: [sql`count(*)`], combine: sumOf };
  const m = /^([a-z]+):(.+)$/.exec(spec);
  const fn = m?.[1] as (typeof FNS)[number] | undefined;
  if (!m || !fn || !FNS.includes(fn)) {
    throw new AppError('BAD_REQUEST', `measures: "${spec.slice(0, 60)}" is not "count" or <fn>:<field> with fn one of ${FNS.join(', ')}`, { field: 'measures' });
  }
  const { sql: expr, field } = scope.ref(m[2]);
  // A lookup is what it reads: a lookup of a number (or money) is summed as that number.
  const behind = field.type === 'lookup' ? fieldBehind(scope.objects, scope.root, m[2]) : field;
  const kind = behind ? kindOf(behind) : 'other';
  const type = behind && behind !== field ? `a lookup of ${behind.type}` : field.type;
  if ((fn === 'sum' || fn === 'avg') && kind !== 'number') throw new AppError('BAD_REQUEST', `measures: ${fn} needs a number field; ${m[2]} is ${type}`, { field: 'measures' });
  if ((fn === 'min' || fn === 'max') && kind === 'other') throw new AppError('BAD_REQUEST', `measures: ${fn} does not apply to ${m[2]} (${type})`, { field: 'measures' });
  const num = sql`(${expr})::numeric`;
  switch (fn) {
    case 'count': return { name: spec, expr: sql`count(${expr})`, parts: [sql`count(${expr})`], combine: sumOf };
    case 'sum': return { name: spec, expr: sql`COALESCE(sum(${num}), 0)::text`, parts: [sql`sum(${num})`], combine: ([p]) => sql`COALESCE(sum(${p}), 0)::text` };
    // avg(numeric) is its sum divided by its count (numeric_avg): the same digits in one step or two.
    case 'avg': return { name: spec, expr: sql`avg(${num})::text`, parts: [sql`sum(${num})`, sql`count(${expr})`], combine: ([s, c]) => sql`(sum(${s}) / NULLIF(sum(${c}), 0))::text` };
    case 'min': case 'max': {
      const f = sql.raw(fn);
      return kind === 'number'
        ? { name: spec, expr: sql`${f}(${num})::text`, parts: [sql`${f}(${num})`], combine: ([p]) => sql`${f}(${p})::text` }
        : { name: spec, expr: sql`${f}(${expr})`, parts: [sql`${f}(${expr})`], combine: ([p]) => sql`${f}(${p})` };
    }
  }
}

function kindOf(field: FieldMeta): 'number' | 'ordered' | 'other' {
  const scalar = scalarOf(field);
  if (scalar === 'number') return 'number';
  if ((scalar === 'date' || scalar === 'datetime' || scalar === 'text') && !UNGROUPABLE.has(field.type)) return 'ordered';
  return 'other';
}
