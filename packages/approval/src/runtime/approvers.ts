import { sql } from 'kysely';
import type { Tx } from '@mosaic/db';
import { activeUsers as activeUsersOf } from '@mosaic/identity';
import type { Run } from '../approval.types.ts';
import type { TApprovers } from '../definition/flow-definition.schema.ts';

/**
 * Who approves a node, as groups in order: one group for users, a role or a
 * field; one group per level for a chain of managers (逐级审批). Only active
 * users; each person once.
 */
export async function resolveApprovers(run: Run, spec: TApprovers): Promise<string[][]> {
  const submitter = run.instance.submitted_by;
  switch (spec.kind) {
    case 'users':
      return group(await activeUsers(run.tx, spec.userIds));
    case 'role':
      return group(await roleMembers(run.tx, spec.role));
    case 'manager':
      return group(await managersAbove(run.tx, submitter, 1));
    case 'manager_chain':
      return (await managersAbove(run.tx, submitter, spec.levels)).map((id) => [id]);
    case 'field':
      return group(await userInField(run, spec.field));
  }
}

const group = (ids: string[]): string[][] => (ids.length ? [ids] : []);

/** Of these ids, the active users, each once, in the order the flow names them (identity's activeUsers). */
export const activeUsers = (tx: Tx, ids: string[]): Promise<string[]> => activeUsersOf(tx, { userIds: [...new Set(ids)] });

export async function roleMembers(tx: Tx, roleCode: string): Promise<string[]> {
  const rows = await sql<{ id: string }>`SELECT u.id FROM role r JOIN user_role ur ON ur.role_id = r.id JOIN app_user u ON u.id = ur.user_id
    WHERE r.code = ${roleCode} AND u.active ORDER BY u.name, u.id`.execute(tx);
  return rows.rows.map((r) => r.id);
}

/**
 * The first `levels` managers above a user: their department's manager, then
 * the parent department's, up to the root (department.path lists the
 * ancestors, root first). Departments without a manager, and the user
 * themself (a manager submitting), are skipped; each manager counts once.
 */
export async function managersAbove(tx: Tx, userId: string, levels: number): Promise<string[]> {
  const rows = await sql<{ manager_id: string | null; depth: number }>`
    SELECT d.manager_id, array_position(me.path, d.id) AS depth
    FROM app_user u JOIN department me ON me.id = u.department_id
    JOIN department d ON d.id = ANY(me.path)
    JOIN app_user m ON m.id = d.manager_id AND m.active
    WHERE u.id = ${userId}
    ORDER BY depth DESC`.execute(tx);
  const out: string[] = [];
  for (const r of rows.rows) {
    if (!r.manager_id || r.manager_id === userId || out.includes(r.manager_id)) continue;
    out.push(r.manager_id);
    if (out.length >= levels) break;
  }
  return out;
}


/** The user a user field of the record names (read from the row: the submitted values). */
async function userInField(run: Run, field: string): Promise<string[]> {
  const objects = await run.deps.store.objects(run.actor.tenantId);
  const f = objects.get(run.instance.object)?.fields.find((x) => x.apiName === field && x.type === 'user' && !x.archived);
  if (!f?.columnName) return [];
  const table = objects.get(run.instance.object)!.tableName;
  const r = await sql<{ v: string | null }>`SELECT ${sql.ref(`t.${f.columnName}`)} AS v FROM ${sql.id(table)} AS t WHERE t.id = ${run.instance.record_id}`.execute(run.tx);
  return r.rows[0]?.v ? activeUsers(run.tx, [r.rows[0].v]) : [];
}
