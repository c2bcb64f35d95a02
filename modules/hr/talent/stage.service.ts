import { sql } from 'kysely';
import { inTenantTx, type Tx } from '@mosaic/db';
import { AppError } from '@mosaic/kernel';
import { getRecord, updateRecords, type RecordsCtx } from '@mosaic/records';
import { physical } from '../physical.ts';
import { assertAppraisalCompleteOrThrow, assertStageMoveOrThrow } from './stage.rules.ts';

/**
 * Moves an appraisal or a candidate to its next stage (stage.rules.ts), through
 * the records API with the caller's edit rights and the version they saw.
 * Hiring the last candidate an opening needs closes the opening.
 *
 *   POST /api/v1/hr/candidate/{id}/move  {"stage": "interview", "version": 3}
 */
export async function moveStage(ctx: RecordsCtx, object: string, id: string, body: { stage?: unknown; version?: unknown }): Promise<Record<string, unknown>> {
  if (object !== 'appraisal' && object !== 'candidate') throw new AppError('NOT_FOUND', `Only appraisals and candidates move through stages, not ${object.slice(0, 40)}.`);
  const actor = ctx.guard.actor;
  return inTenantTx(ctx.db.app, { tenantId: actor.tenantId, userId: actor.userId }, async (tx) => {
    const current = await getRecord(ctx, object, id, { tx });
    const to = assertStageMoveOrThrow(object, current.stage as string, body.stage);
    if (object === 'appraisal' && to === 'done') assertAppraisalCompleteOrThrow((current.goals as { weight: unknown; manager_score: unknown }[]) ?? []);
    // The database lets the stage change only inside this action (hr.install.ts).
    await sql`SELECT set_config('mosaic.stage_move', 'on', true)`.execute(tx);
    await updateRecords(ctx, object, [{ id, version: body.version as number, values: { stage: to } }], { tx });
    await sql`SELECT set_config('mosaic.stage_move', 'off', true)`.execute(tx);
    if (object === 'candidate' && to === 'hired') await closeFilledOpening(tx, ctx, current.job_opening as string);
    return getRecord(ctx, object, id, { tx });
  });
}

async function closeFilledOpening(tx: Tx, ctx: RecordsCtx, openingId: string): Promise<void> {
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const o = physical(objects, 'job_opening');
  const c = physical(objects, 'candidate');
  await sql`UPDATE ${o.table} SET ${o.ref('opening_status')} = 'closed', version = version + 1, updated_at = now()
    WHERE id = ${openingId} AND ${o.ref('opening_status')} <> 'closed'
      AND ${o.ref('positions')} <= (SELECT count(*) FROM ${c.table} WHERE ${c.ref('job_opening')} = ${openingId} AND ${c.ref('stage')} = 'hired')`.execute(tx);
}
