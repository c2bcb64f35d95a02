import { sql } from 'kysely';
import { AppError } from '@mosaic/kernel';
import type { Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import { scopeLinks, writeScope } from '@mosaic/access';
import { JoinScope } from './join-scope.ts';
import { evalContextOf, type RecordsCtx } from './records.context.ts';
import { whereSql } from './records.query.ts';
import type { ReplyRows } from './reply-rows.ts';

/**
 * For objects whose owner or department comes from a field (`config.scopeLink`,
 * e.g. sales_target.rep / .team), after the rows are written in this
 * transaction:
 *
 * 1. the links are copied into the standard columns — owner_id = the owner
 *    link, department_id = the department link, else the owner's department
 *    (only rows where that changes anything are written);
 * 2. the rows must lie inside the writer's create / edit record scope
 *    (@mosaic/access writeScope: the role's scope for the action within its
 *    read scope), compiled exactly as a list's scope is. A row outside is a
 *    403 naming the link that put it there: the owner link when it is set,
 *    else the department link.
 *
 *   UPDATE o_sales_target AS t SET owner_id = COALESCE(t.c_rep, t.owner_id), department_id = COALESCE(t.c_team, (SELECT u.department_id …), t.department_id)
 *    WHERE t.id = ANY($1) AND (t.owner_id, t.department_id) IS DISTINCT FROM (…)
 *   SELECT t.id, t.c_rep AS rep, t.c_team AS team FROM o_sales_target AS t WHERE t.id = ANY($1) AND NOT COALESCE((<scope>)::boolean, false) LIMIT 1
 */
export async function enforceWriteScope(
  ctx: RecordsCtx, tx: Tx, objects: Map<string, ObjectMeta>, obj: ObjectMeta, ids: string[], action: 'create' | 'edit',
  opts: { reply?: ReplyRows; at?: (id: string) => string } = {},
): Promise<void> {
  const links = scopeLinks(obj);
  if (!links.length || !ids.length) return;
  const col = (kind: 'owner' | 'department') => {
    const f = links.find((x) => x.config.scopeLink === kind);
    return f ? sql.ref(`t.${f.columnName}`) : null;
  };
  const owner = col('owner');
  const dept = col('department');
  const newOwner = owner ? sql`COALESCE(${owner}, t.owner_id)` : sql`t.owner_id`;
  const ownersDept = owner ? sql`(SELECT u.department_id FROM app_user u WHERE u.tenant_id = t.tenant_id AND u.id = ${owner})` : sql`NULL::uuid`;
  const newDept = sql`COALESCE(${dept ?? sql`NULL::uuid`}, ${ownersDept}, t.department_id)`;
  const moved = await sql`UPDATE ${sql.id(obj.tableName)} AS t SET owner_id = ${newOwner}, department_id = ${newDept}
    WHERE t.id = ANY(${ids}::uuid[]) AND (t.owner_id, t.department_id) IS DISTINCT FROM (${newOwner}, ${newDept})`.execute(tx);
  if (Number(moved.numAffectedRows ?? 0)) opts.reply?.invalidate();

  if (!writeScope(ctx.guard, obj, action)) return;
  const scope = new JoinScope(objects, obj, ctx.guard, evalContextOf(ctx));
  const inScope = whereSql(ctx, scope, obj, undefined, action);
  const cols = links.map((f) => sql`${sql.ref(`t.${f.columnName}`)} AS ${sql.id(f.apiName)}`);
  const outside = (await sql<Record<string, unknown>>`SELECT t.id, ${sql.join(cols)} FROM ${sql.id(obj.tableName)} AS t ${scope.joinSql()}
    WHERE t.id = ANY(${ids}::uuid[]) AND NOT COALESCE((${inScope})::boolean, false) LIMIT 1`.execute(tx)).rows[0];
  if (!outside) return;
  const field = `${opts.at?.(outside.id as string) ?? ''}${(links.find((f) => outside[f.apiName] !== null) ?? links[0]).apiName}`;
  throw new AppError('FORBIDDEN', `${field}: points outside the records you may ${action} — your role may ${action} ${obj.apiName} only within its record scope (e.g. your department tree)`, { field });
}
