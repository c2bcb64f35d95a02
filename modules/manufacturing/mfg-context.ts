import { AppError, isUuid } from '@mosaic/kernel';
import { inTenantTx, type Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import { requireRights, type RecordsCtx } from '@mosaic/records';
import type { Action } from '@mosaic/access';

/**
 * A transaction of the caller's tenant, after the guard has said the caller may
 * do `action` on each object named — the module's set-based reads and writes
 * go through the same access decision as the records API, object by object.
 * `needs` lists every object the work reads or writes, not only its main one.
 */
export async function mfgTx<T>(ctx: RecordsCtx, needs: [string, Action][], fn: (tx: Tx, objects: Map<string, ObjectMeta>) => Promise<T>): Promise<T> {
  const objects = await requireRights(ctx, needs);
  return inTenantTx(ctx.db.app, { tenantId: ctx.guard.actor.tenantId, userId: ctx.guard.actor.userId }, (tx) => fn(tx, objects));
}

export function uuidOrThrow(value: unknown, field: string): string {
  if (typeof value !== 'string' || !isUuid(value)) throw new AppError('FIELD_INVALID', `${field}: not a record id`, { field });
  return value;
}

/** Today in the actor's time zone, by the kernel clock (the module's files take it from here). */
export { todayFor } from '@mosaic/records';
