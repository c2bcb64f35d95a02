import { sql } from 'kysely';
import { z } from 'zod';
import { isUuid } from '@mosaic/kernel';
import { inTenantTx } from '@mosaic/db';
import type { Actor } from '@mosaic/access';
import type { ApprovalDeps } from '../approval.types.ts';
import { taskNotFound } from '../runtime/instance-lock.ts';

/** GET /api/v1/approvals/tasks/{taskId}/candidates?q=王 */
export const ZCandidatesQuery = z.object({ q: z.string().trim().max(100).default('') }).strict();
export type TCandidatesQuery = z.output<typeof ZCandidatesQuery>;

const LIMIT = 20;

/**
 * Whom an approver can hand a task to (转办) or add beside it (加签): active
 * users whose name or e-mail contains the search text, leaving out those who
 * already approve at this step (the actions would refuse them). Only the
 * task's assignee, while it is pending, may ask — anyone else gets the 404 of
 * a missing task — so this is no user directory for the whole tenant.
 *
 *   SELECT u.id, u.name, u.email, d.name AS department FROM app_user u LEFT JOIN department d …
 *   WHERE u.active AND (u.name ILIKE '%王%' OR u.email ILIKE '%王%') AND NOT EXISTS (<a task of u at this step>)
 *   ORDER BY u.name, u.id LIMIT 20
 */
export async function taskCandidates(deps: ApprovalDeps, actor: Actor, taskId: string, q: TCandidatesQuery): Promise<{ data: Record<string, unknown>[] }> {
  if (!isUuid(taskId)) throw taskNotFound();
  return inTenantTx(deps.db.app, { tenantId: actor.tenantId, userId: actor.userId }, async (tx) => {
    const task = (await sql<{ step_id: string }>`SELECT step_id FROM approval_task
      WHERE id = ${taskId} AND assignee_id = ${actor.userId} AND status = 'pending'`.execute(tx)).rows[0];
    if (!task) throw taskNotFound();
    const like = `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const rows = await sql<Record<string, unknown>>`SELECT u.id, u.name, u.email, d.name AS department
      FROM app_user u LEFT JOIN department d ON d.id = u.department_id
      WHERE u.active AND (u.name ILIKE ${like} OR u.email ILIKE ${like})
        AND NOT EXISTS (SELECT 1 FROM approval_task x WHERE x.step_id = ${task.step_id} AND x.assignee_id = u.id AND x.status IN ('waiting', 'pending', 'approved'))
      ORDER BY u.name, u.id LIMIT ${LIMIT}`.execute(tx);
    return { data: rows.rows };
  }, { readOnly: true });
}
