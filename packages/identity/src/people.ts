import { sql, type Tx } from '@mosaic/db';

/**
 * The active people of a pool, in a stable order: named users in the given
 * order, or the users of a department and every department below it (the
 * department tree, department.path) by join date — optionally without the
 * department's manager (who oversees the team rather than takes its work).
 * Runs under the caller's tenant (row-level security). Users are identity's,
 * so this lives here; approval (approvers), automation (assign_owner, and the
 * CRM's team assignment through it) and reporting (alert recipients) ask it.
 */
export async function activeUsers(tx: Tx, pool: { userIds?: string[]; departmentId?: string; exceptManager?: boolean }): Promise<string[]> {
  if (pool.userIds) {
    if (!pool.userIds.length) return [];
    const active = new Set((await sql<{ id: string }>`SELECT id FROM app_user WHERE id = ANY(${pool.userIds}::uuid[]) AND active`.execute(tx)).rows.map((r) => r.id));
    return pool.userIds.filter((id) => active.has(id));
  }
  if (!pool.departmentId) return [];
  const manager = pool.exceptManager ? sql`AND u.id IS DISTINCT FROM (SELECT manager_id FROM department WHERE id = ${pool.departmentId})` : sql``;
  return (await sql<{ id: string }>`SELECT u.id FROM app_user u JOIN department d ON d.tenant_id = u.tenant_id AND d.id = u.department_id
    WHERE u.active AND d.path @> ARRAY[${pool.departmentId}]::uuid[] ${manager} ORDER BY u.created_at, u.id`.execute(tx)).rows.map((r) => r.id);
}

/**
 * The tenant's active administrators, oldest first: who decides when nobody else does (approval),
 * who owns what an install makes (the first), who is told of a broken setting (the SLA check).
 *
 *   SELECT id FROM app_user WHERE is_admin AND active ORDER BY created_at, id
 */
export async function tenantAdmins(tx: Tx): Promise<string[]> {
  return (await sql<{ id: string }>`SELECT id FROM app_user WHERE is_admin AND active ORDER BY created_at, id`.execute(tx)).rows.map((r) => r.id);
}
