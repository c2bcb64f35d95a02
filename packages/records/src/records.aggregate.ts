import { sql, type RawBuilder } from 'kysely';
import { AppError } from '@mosaic/kernel';
import { inTenantTx, type Tx } from '@mosaic/db';
import { scalarOf, type FieldMeta } from '@mosaic/meta';
import { JoinScope } from './join-scope.ts';
import { evalContextOf, type RecordsCtx } from './records.context.ts';
import { readableObject, whereSql } from './records.query.ts';

export interface AggregateRequest {
  filter?: unknown;
  /** Field paths to group by (≤ 5), e.g. ["region", "customer.region"]. */
  groupBy?: string[];
  /**
   * "count", or "<fn>:<path>" with fn sum | avg | min | max | count; default ["count"]. "sum:<money>@currency"
   * answers the sum per currency, { CNY: "100000.00", USD: "20000.00" }: "sum:<money>" adds the amounts as
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
  const plain = measureNames.filter((m) => !m.endsWith(BY_CURRENCY)).map((m) => ({ name: m, expr: measureSql(scope, m) }));
  const split = measureNames.filter((m) => m.endsWith(BY_CURRENCY)).map((m) => currencyMeasure(scope, m));
  const where = whereSql(ctx, scope, obj, req.filter, 'read');
  const columns = [...groups.map((g) => sql`${g.expr} AS ${sql.id(g.path)}`), ...plain.map((m) => sql`${m.expr} AS ${sql.id(m.name)}`)];
  const positions = groups.map((_, i) => i + 1);
  const from = sql`FROM ${sql.id(obj.tableName)} AS t ${scope.joinSql()} WHERE ${where}`;
  const statement = split.length
    ? byCurrencySql(columns, split, positions, from, groups.map((g) => g.path))
    : sql<Record<string, unknown>>`SELECT ${sql.join(columns)} ${from} ${positions.length ? sql.raw(`GROUP BY ${positions.join(', ')} ORDER BY ${positions.map((p) => `${p} NULLS LAST`).join(', ')}`) : sql``} LIMIT ${MAX_GROUPS + 1}`;
  // In the caller's transaction when given (a page reading several figures at once), else a read-only one of its own.
  const run = (tx: Tx) => statement.execute(tx);
  const { rows } = opts.tx ? await run(opts.tx) : await inTenantTx(ctx.db.app, { tenantId: ctx.guard.actor.tenantId, userId: ctx.guard.actor.userId }, run, { readOnly: true });
  const answers = split.length ? foldCurrencies(rows, split, measureNames) : rows;
  const data = answers.slice(0, MAX_GROUPS).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v ?? null])));
  return { data, truncated: answers.length > MAX_GROUPS };
}

/** A money sum per currency: "sum:<money field>@currency". */
interface CurrencyMeasure { name: string; amount: RawBuilder<unknown>; currency: RawBuilder<unknown> }

function currencyMeasure(scope: JoinScope, spec: string): CurrencyMeasure {
  const path = /^sum:(.+)@currency$/.exec(spec)?.[1];
  if (!path) throw new AppError('BAD_REQUEST', `measures: "${spec.slice(0, 60)}": ${BY_CURRENCY} applies to sum:<money field> only`, { field: 'measures' });
  const { sql: amount, field } = scope.ref(path);
  if (field.type !== 'money' || !field.columnName) throw new AppError('BAD_REQUEST', `measures: ${spec} needs a stored money field; ${path} is ${field.type}`, { field: 'measures' });
  return { name: spec, amount, currency: scope.siblingRef(path, '_ccy') };
}

/**
 * The same aggregate with, for each "sum:<money>@currency", one more grouping set
 * by that field's currency column — still one statement over the same rows:
 *
 *   SELECT * FROM (SELECT x.*, dense_rank() OVER (ORDER BY x."stage" NULLS LAST) AS "$rank" FROM (
 *     SELECT "t"."c_stage" AS "stage", count(*) AS "count",
 *            "t"."c_amount_ccy" AS "$c0", GROUPING("t"."c_amount_ccy") AS "$g0", sum(("t"."c_amount")::numeric)::text AS "$s0"
 *     FROM … WHERE … GROUP BY GROUPING SETS ((1), (1, 3))) AS x) AS y
 *   WHERE "$rank" <= 1001 ORDER BY "$rank"
 *
 * A group's row (every "$g" 1) and its rows by currency share a rank, so the
 * limit counts groups, as without currencies.
 */
function byCurrencySql(columns: RawBuilder<unknown>[], split: CurrencyMeasure[], positions: number[], from: RawBuilder<unknown>, groupPaths: string[]) {
  const hidden = split.flatMap((s, i) => [
    sql`${s.currency} AS ${sql.id(`$c${i}`)}`, sql`GROUPING(${s.currency}) AS ${sql.id(`$g${i}`)}`, sql`sum((${s.amount})::numeric)::text AS ${sql.id(`$s${i}`)}`,
  ]);
  const sets = [positions, ...split.map((_, i) => [...positions, columns.length + 3 * i + 1])].map((set) => `(${set.join(', ')})`);
  const order = groupPaths.length ? sql`ORDER BY ${sql.join(groupPaths.map((p) => sql`${sql.id('x', p)} NULLS LAST`))}` : sql``;
  return sql<Record<string, unknown>>`SELECT * FROM (SELECT x.*, dense_rank() OVER (${order}) AS "$rank" FROM (
      SELECT ${sql.join([...columns, ...hidden])} ${from} GROUP BY GROUPING SETS (${sql.raw(sets.join(', '))})) AS x) AS y
    WHERE "$rank" <= ${MAX_GROUPS + 1} ORDER BY "$rank"`;
}

/** Each group's row with its sums by currency folded in, { CNY: "100000.00", USD: "20000.00" } (no currency stored: ""), keys in the order asked. */
function foldCurrencies(rows: Record<string, unknown>[], split: CurrencyMeasure[], order: string[]): Record<string, unknown>[] {
  const hidden = (k: string) => k.startsWith('$');
  const out = new Map<string, { row: Record<string, unknown>; sums: Record<string, string>[] }>();
  for (const r of rows) {
    const rank = String(r.$rank);
    const g = out.get(rank) ?? { row: {}, sums: split.map((): Record<string, string> => ({})) };
    out.set(rank, g);
    const i = split.findIndex((_, j) => Number(r[`$g${j}`]) === 0);
    if (i < 0) g.row = Object.fromEntries(Object.entries(r).filter(([k]) => !hidden(k)));
    else if (r[`$s${i}`] !== null) g.sums[i][(r[`$c${i}`] as string | null)?.trim() ?? ''] = r[`$s${i}`] as string;
  }
  return [...out.values()].map(({ row, sums }) => {
    const bySpec = new Map(split.map((s, i) => [s.name, Object.fromEntries(Object.entries(sums[i]).sort(([a], [b]) => (a < b ? -1 : 1)))]));
    const measures = Object.fromEntries(order.map((m) => [m, bySpec.get(m) ?? row[m]]));
    return { ...Object.fromEntries(Object.entries(row).filter(([k]) => !(k in measures))), ...measures };
  });
}

function groupColumn(scope: JoinScope, path: string): { path: string; expr: RawBuilder<unknown> } {
  const { sql: expr, field } = scope.ref(path);
  if (UNGROUPABLE.has(field.type)) throw new AppError('BAD_REQUEST', `groupBy: ${path} (${field.type}) cannot be grouped by`, { field: 'groupBy' });
  return { path, expr };
}

function measureSql(scope: JoinScope, spec: string): RawBuilder<unknown> {
  if (spec === 'count') return sql`count(*)`;
  const m = /^([a-z]+):(.+)$/.exec(spec);
  const fn = m?.[1] as (typeof FNS)[number] | undefined;
  if (!m || !fn || !FNS.includes(fn)) {
    throw new AppError('BAD_REQUEST', `measures: "${spec.slice(0, 60)}" is not "count" or <fn>:<field> with fn one of ${FNS.join(', ')}`, { field: 'measures' });
  }
  const { sql: expr, field } = scope.ref(m[2]);
  const kind = kindOf(field);
  if ((fn === 'sum' || fn === 'avg') && kind !== 'number') throw new AppError('BAD_REQUEST', `measures: ${fn} needs a number field; ${m[2]} is ${field.type}`, { field: 'measures' });
  if ((fn === 'min' || fn === 'max') && kind === 'other') throw new AppError('BAD_REQUEST', `measures: ${fn} does not apply to ${m[2]} (${field.type})`, { field: 'measures' });
  switch (fn) {
    case 'count': return sql`count(${expr})`;
    case 'sum': return sql`COALESCE(sum((${expr})::numeric), 0)::text`;
    case 'avg': return sql`avg((${expr})::numeric)::text`;
    case 'min': return kind === 'number' ? sql`min((${expr})::numeric)::text` : sql`min(${expr})`;
    case 'max': return kind === 'number' ? sql`max((${expr})::numeric)::text` : sql`max(${expr})`;
  }
}

function kindOf(field: FieldMeta): 'number' | 'ordered' | 'other' {
  const scalar = scalarOf(field);
  if (scalar === 'number') return 'number';
  if ((scalar === 'date' || scalar === 'datetime' || scalar === 'text') && !UNGROUPABLE.has(field.type)) return 'ordered';
  return 'other';
}
