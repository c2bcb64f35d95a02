import { AppError, isUuid } from '@mosaic/kernel';
import { inTenantTx, type Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import type { RecordsCtx } from '@mosaic/records';
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

/**
 * The guard's answer for each (object, action) a module endpoint needs: a
 * missing right is a 403 naming the object and the action (details
 * { object, action }). Unlike the records API — where an object the user may
 * not read looks like one that does not exist —, the endpoint itself is
 * public knowledge, and "can we take this order?" refused for want of reading
 * routings should say so, not answer 404.
 */
export async function requireRights(ctx: RecordsCtx, needs: [string, Action][]): Promise<Map<string, ObjectMeta>> {
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  for (const [object, action] of needs) {
    const obj = objects.get(object);
    if (!obj || obj.archived) throw new AppError('CONFLICT', `${object} is not installed in this tenant.`);
    for (const right of action === 'read' ? ['read' as const] : ['read' as const, action]) {
      if (!ctx.guard.can(obj, right)) throw new AppError('FORBIDDEN', `${object}: this needs the right to ${right} ${object}, which you do not have`, { details: { object, action: right } });
    }
  }
  return objects;
}

export function uuidOrThrow(value: unknown, field: string): string {
  if (typeof value !== 'string' || !isUuid(value)) throw new AppError('FIELD_INVALID', `${field}: not a record id`, { field });
  return value;
}

/** Today in the actor's time zone, YYYY-MM-DD. */
export function todayFor(ctx: RecordsCtx): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: ctx.guard.actor.timeZone }).format(new Date());
}
