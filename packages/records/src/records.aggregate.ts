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
  /** "count", or "<fn>:<path>" with fn sum | avg | min | max | count; default ["count"]. */
  measures?: string[];
}

export const MAX_GROUPS = 1000;
const FNS = ['sum', 'avg', 'min', 'max', 'count'] as const;
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
  const measures = measureNames.map((m) => ({ name: m, expr: measureSql(scope, m) }));
  const where = whereSql(ctx, scope, obj, req.filter, 'read');
  const columns = [...groups.map((g) => sql`${g.expr} AS ${sql.id(g.path)}`), ...measures.map((m) => sql`${m.expr} AS ${sql.id(m.name)}`)];
  const positions = groups.map((_, i) => sql.raw(String(i + 1)));
  const groupBy = groups.length ? sql`GROUP BY ${sql.join(positions)} ORDER BY ${sql.join(positions.map((p) => sql`${p} NULLS LAST`))}` : sql``;
  const run = (tx: Tx) => sql<Record<string, unknown>>`SELECT ${sql.join(columns)} FROM ${sql.id(obj.tableName)} AS t ${scope.joinSql()}
      WHERE ${where} ${groupBy} LIMIT ${MAX_GROUPS + 1}`.execute(tx);
  // In the caller's transaction when given (a page reading several figures at once), else a read-only one of its own.
  const rows = opts.tx ? await run(opts.tx) : await inTenantTx(ctx.db.app, { tenantId: ctx.guard.actor.tenantId, userId: ctx.guard.actor.userId }, run, { readOnly: true });
  const data = rows.rows.slice(0, MAX_GROUPS).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v ?? null])));
  return { data, truncated: rows.rows.length > MAX_GROUPS };
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
