import { AppError } from '@mosaic/kernel';
import type { Database } from '@mosaic/db';
import type { MetaStore } from '@mosaic/meta';
import type { AccessGuard, Action } from './access.types.ts';
import { policyOf } from './guard-for.ts';
import type { CompiledPolicy } from './policy.compile.ts';
import type { AdminArea } from './policy.types.ts';

/** What the admin services need: the database, metadata, and who is asking (same shape as RecordsCtx). */
export interface AdminCtx {
  db: Database;
  store: MetaStore;
  guard: AccessGuard;
}

/** Administrators, or holders of the admin area's right (系统管理员 has all three). */
export function requireAreaOrThrow(ctx: AdminCtx, area: AdminArea, action: Action): void {
  if (!ctx.guard.canDo(area, action)) throw new AppError('FORBIDDEN', `You may not ${action} ${area.replace('admin.', '')}.`);
}

/** The caller's own rights, for "a user can't grant what they don't hold" (null: an administrator). */
export async function granterOf(ctx: AdminCtx): Promise<{ guard: AccessGuard; policy: CompiledPolicy | null }> {
  const a = ctx.guard.actor;
  return { guard: ctx.guard, policy: a.isAdmin ? null : await policyOf(ctx.db, a.tenantId, a.roleIds) };
}

export const txScopeOf = (ctx: AdminCtx) => ({ tenantId: ctx.guard.actor.tenantId, userId: ctx.guard.actor.userId });

/** A UUID path parameter, or the 404 of something that does not exist. */
export function idOrThrow(id: unknown, what: string): string {
  if (typeof id !== 'string' || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) {
    throw new AppError('NOT_FOUND', `No ${what} with id ${String(id).slice(0, 40)}.`);
  }
  return id.toLowerCase();
}
