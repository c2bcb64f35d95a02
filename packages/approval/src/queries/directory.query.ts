import { sql } from 'kysely';
import { inTenantTx } from '@mosaic/db';
import type { Actor } from '@mosaic/access';
import type { ApprovalDeps } from '../approval.types.ts';

/**
 * Who a flow can name, for the designer's pickers: active users (with their
 * department) and roles by code.
 *
 *   GET /api/v1/approval-flows/directory → { users: [{ id, name, email, department }], roles: [{ code, label }] }
 */
export async function flowDirectory(deps: ApprovalDeps, actor: Actor): Promise<{ users: Record<string, unknown>[]; roles: Record<string, unknown>[] }> {
  return inTenantTx(deps.db.app, { tenantId: actor.tenantId, userId: actor.userId }, async (tx) => {
    const users = await sql<Record<string, unknown>>`SELECT u.id, u.name, u.email, d.name AS department FROM app_user u
      LEFT JOIN department d ON d.id = u.department_id WHERE u.active ORDER BY u.name, u.id LIMIT 2000`.execute(tx);
    const roles = await sql<Record<string, unknown>>`SELECT code, label FROM role ORDER BY code`.execute(tx);
    return { users: users.rows, roles: roles.rows };
  });
}
