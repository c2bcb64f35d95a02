import { AppError } from '@mosaic/kernel';
import type { Action } from '@mosaic/access';
import type { ObjectMeta } from '@mosaic/meta';
import type { RecordsCtx } from './records.context.ts';

/**
 * A module endpoint's check of one right: a 403 naming the object and the
 * action (details { object, action }) unless the guard lets the caller do
 * `action` on the object (an ObjectMeta: `guard.can`, child objects by their
 * parent; a name: `guard.canDo`). Unlike the records API — where an object the
 * user may not read looks like one that does not exist —, the endpoint itself
 * is public knowledge, and "post the VAT transfer" refused for want of creating
 * journal entries should say so, not answer 404.
 */
export function requireRight(ctx: RecordsCtx, object: ObjectMeta | string, action: Action): void {
  const name = typeof object === 'string' ? object : object.apiName;
  const may = typeof object === 'string' ? ctx.guard.canDo(object, action) : ctx.guard.can(object, action);
  if (!may) throw new AppError('FORBIDDEN', `${name}: this needs the right to ${action} ${name}, which you do not have`, { details: { object: name, action } });
}

/**
 * The guard's answer for each (object, action) an endpoint needs, each
 * action with read (it reads what it acts on): the first missing right is a
 * 403 as `requireRight`'s; an object not installed in the tenant is a 409.
 * Returns the tenant's objects.
 */
export async function requireRights(ctx: RecordsCtx, needs: [string, Action][]): Promise<Map<string, ObjectMeta>> {
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  for (const [object, action] of needs) {
    const obj = objects.get(object);
    if (!obj || obj.archived) throw new AppError('CONFLICT', `${object} is not installed in this tenant.`);
    for (const right of action === 'read' ? ['read' as const] : ['read' as const, action]) requireRight(ctx, obj, right);
  }
  return objects;
}
