import { sql } from 'kysely';
import { AppError, isAppError, isUuid } from '@mosaic/kernel';
import { inTenantTx } from '@mosaic/db';
import { getRecord, type RecordsCtx } from '@mosaic/records';
import { instanceView, type InstanceView } from './instance-view.ts';

/**
 * The approval history of a record, newest approval first: every task and
 * every step (who, when, decision, comment). Readable by whoever may read the
 * record, and by everyone the approvals involved (approvers, CC recipients),
 * who may see what they were asked to decide even outside their record scope.
 *
 *   GET /api/v1/records/{object}/{id}/approvals
 */
export async function recordApprovals(ctx: RecordsCtx, object: string, recordId: string): Promise<{ data: InstanceView[] }> {
  const actor = ctx.guard.actor;
  if (!isUuid(recordId)) throw new AppError('RECORD_NOT_FOUND', `No ${object.slice(0, 64)} with id ${String(recordId).slice(0, 40)}.`);
  let readable = true;
  try {
    await getRecord(ctx, object, recordId, { fields: ['id'] });
  } catch (e) {
    if (!isAppError(e) || (e.code !== 'RECORD_NOT_FOUND' && e.code !== 'OBJECT_UNKNOWN')) throw e;
    readable = false;
  }
  return inTenantTx(ctx.db.app, { tenantId: actor.tenantId, userId: actor.userId }, async (tx) => {
    const ids = (await sql<{ id: string }>`SELECT id FROM approval_instance WHERE object = ${object} AND record_id = ${recordId}::uuid
      ORDER BY started_at DESC, id DESC`.execute(tx)).rows.map((r) => r.id);
    if (!readable) {
      const involved = ids.length && (await sql`SELECT 1 FROM approval_task WHERE instance_id = ANY(${ids}::uuid[]) AND assignee_id = ${actor.userId}
        UNION ALL SELECT 1 FROM approval_event WHERE instance_id = ANY(${ids}::uuid[]) AND target_user_id = ${actor.userId} LIMIT 1`.execute(tx)).rows.length;
      if (!involved) throw new AppError('RECORD_NOT_FOUND', `No ${object.slice(0, 64)} with id ${recordId.slice(0, 40)}.`);
    }
    const data: InstanceView[] = [];
    for (const id of ids) data.push(await instanceView(tx, id));
    return { data };
  });
}
