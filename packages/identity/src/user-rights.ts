import { sql } from 'kysely';
import { AppError } from '@mosaic/kernel';
import type { Tx } from '@mosaic/db';
import { assertCanGrantOrThrow, granterOf, loadPolicyData, type AdminCtx } from '@mosaic/access';

export type Granter = Awaited<ReturnType<typeof granterOf>>;

/** A user row as the admin API shows it. */
export interface UserView {
  id: string;
  email: string;
  name: string;
  phone: string | null;
  active: boolean;
  isAdmin: boolean;
  departmentId: string | null;
  companyId: string | null;
  locale: string;
  roleIds: string[];
  createdAt: string;
}

export async function userRowOrThrow(tx: Tx, id: string, lock = false): Promise<Record<string, any>> {
  const row = (await sql<Record<string, any>>`SELECT u.*, COALESCE((SELECT array_agg(ur.role_id ORDER BY ur.role_id) FROM user_role ur WHERE ur.user_id = u.id), '{}') AS role_ids
    FROM app_user u WHERE u.id = ${id} ${lock ? sql`FOR UPDATE OF u` : sql``}`.execute(tx)).rows[0];
  if (!row) throw new AppError('NOT_FOUND', `No user with id ${id}.`);
  return row;
}

export function userView(u: Record<string, any>): UserView {
  return {
    id: u.id, email: u.email, name: u.name, phone: u.phone ?? null, active: u.active, isAdmin: u.is_admin, departmentId: u.department_id ?? null,
    companyId: u.company_id ?? null, locale: u.locale, roleIds: u.role_ids ?? [], createdAt: new Date(u.created_at).toISOString(),
  };
}

/**
 * A caller who is not an administrator may manage only users with no more
 * rights than their own: never an administrator, never someone whose roles
 * give what the caller lacks (else resetting their password would be a way up).
 */
export async function assertManageableOrThrow(ctx: AdminCtx, tx: Tx, granter: Granter, target: Record<string, any>): Promise<void> {
  if (ctx.guard.actor.isAdmin) return;
  if (target.is_admin) throw new AppError('FORBIDDEN', 'Only an administrator may manage an administrator.');
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  assertCanGrantOrThrow(granter, await loadPolicyData(tx, target.role_ids ?? []), objects, `user ${target.email}`);
}

/** Roles to give someone must exist, and the caller must hold every right they carry. */
export async function assertRolesGrantableOrThrow(ctx: AdminCtx, tx: Tx, granter: Granter, roleIds: string[]): Promise<void> {
  if (!roleIds.length) return;
  const found = (await sql<{ id: string }>`SELECT id FROM role WHERE id = ANY(${roleIds}::uuid[])`.execute(tx)).rows.map((r) => r.id);
  const missing = roleIds.find((id) => !found.includes(id));
  if (missing) throw new AppError('VALIDATION_FAILED', `roleIds: no role with id ${missing}`, { field: 'roleIds' });
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  assertCanGrantOrThrow(granter, await loadPolicyData(tx, roleIds), objects, 'these roles');
}

/** Department and company ids given for a user or department must exist in the tenant. */
export async function assertOrgExistsOrThrow(tx: Tx, ids: { departmentId?: string | null; companyId?: string | null; managerId?: string | null }): Promise<void> {
  if (ids.departmentId && !(await sql`SELECT 1 FROM department WHERE id = ${ids.departmentId} AND NOT archived`.execute(tx)).rows.length) {
    throw new AppError('VALIDATION_FAILED', 'departmentId: no such department', { field: 'departmentId' });
  }
  if (ids.companyId && !(await sql`SELECT 1 FROM company WHERE id = ${ids.companyId}`.execute(tx)).rows.length) {
    throw new AppError('VALIDATION_FAILED', 'companyId: no such company', { field: 'companyId' });
  }
  if (ids.managerId && !(await sql`SELECT 1 FROM app_user WHERE id = ${ids.managerId} AND active`.execute(tx)).rows.length) {
    throw new AppError('VALIDATION_FAILED', 'managerId: no such active user', { field: 'managerId' });
  }
}
