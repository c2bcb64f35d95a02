import { sql } from 'kysely';
import { AppError, parseOrThrow } from '@mosaic/kernel';
import { inTenantTx, pgCode } from '@mosaic/db';
import { inAuthChangeTx } from './session-cache.ts';
import { auditAdmin, changesOf, granterOf, idOrThrow, requireAreaOrThrow, txScopeOf, type AdminCtx } from '@mosaic/access';
import { assertPasswordAcceptable, hashPassword } from './password.ts';
import { insertUser } from './tenants.ts';
import {
  assertManageableOrThrow, assertOrgExistsOrThrow, assertRolesGrantableOrThrow, userRowOrThrow, userView, type UserView,
} from './user-rights.ts';
import { ZCreateUser, ZResetPassword, ZSetUserRoles, ZUpdateUser } from './users.schemas.ts';

/** GET /api/v1/admin/users */
export async function listUsers(ctx: AdminCtx): Promise<UserView[]> {
  requireAreaOrThrow(ctx, 'admin.users', 'read');
  const rows = await inTenantTx(ctx.db.app, txScopeOf(ctx), (tx) => sql<Record<string, any>>`SELECT u.*,
      COALESCE((SELECT array_agg(ur.role_id ORDER BY ur.role_id) FROM user_role ur WHERE ur.user_id = u.id), '{}') AS role_ids
    FROM app_user u ORDER BY u.created_at, u.id`.execute(tx));
  return rows.rows.map(userView);
}

/** POST /api/v1/admin/users {email, name, password, departmentId?, companyId?, roleIds?, isAdmin?} */
export async function createUser(ctx: AdminCtx, body: unknown): Promise<UserView> {
  requireAreaOrThrow(ctx, 'admin.users', 'create');
  const input = parseOrThrow(ZCreateUser, body);
  assertPasswordAcceptable(input.password);
  if (input.isAdmin && !ctx.guard.actor.isAdmin) throw new AppError('FORBIDDEN', 'Only an administrator may make someone an administrator.');
  const granter = await granterOf(ctx);
  const hash = await hashPassword(input.password);
  return inTenantTx(ctx.db.app, txScopeOf(ctx), async (tx) => {
    await assertOrgExistsOrThrow(tx, input);
    const roleIds = [...new Set(input.roleIds ?? [])];
    await assertRolesGrantableOrThrow(ctx, tx, granter, roleIds);
    const companyId = input.companyId ?? (input.departmentId
      ? (await sql<{ company_id: string | null }>`SELECT company_id FROM department WHERE id = ${input.departmentId}`.execute(tx)).rows[0]?.company_id
      : ctx.guard.actor.companyId) ?? null;
    let id: string;
    try {
      id = await insertUser(tx, ctx.guard.actor.tenantId, {
        email: input.email, name: input.name, phone: input.phone ?? null, passwordHash: hash, isAdmin: input.isAdmin ?? false,
        departmentId: input.departmentId ?? null, companyId, locale: input.locale,
      });
    } catch (e) {
      if (pgCode(e) === '23505') throw new AppError('CONFLICT', 'email: already in use', { field: 'email' });
      throw e;
    }
    for (const roleId of roleIds) await sql`INSERT INTO user_role (tenant_id, user_id, role_id) VALUES (${ctx.guard.actor.tenantId}, ${id}, ${roleId})`.execute(tx);
    const { password: _password, ...shown } = input;
    await auditAdmin(tx, ctx.guard.actor, 'identity.user.create', { object: 'admin.user', id }, changesOf({}, { ...shown, companyId, roleIds }));
    return userView(await userRowOrThrow(tx, id));
  });
}

/**
 * PATCH /api/v1/admin/users/{id}. Deactivating a user (active: false) bumps
 * their auth epoch and revokes every session and token: they are out on the
 * very next request. Nobody deactivates or demotes themselves.
 */
export async function updateUser(ctx: AdminCtx, id: string, body: unknown): Promise<UserView> {
  requireAreaOrThrow(ctx, 'admin.users', 'edit');
  const userId = idOrThrow(id, 'user');
  const input = parseOrThrow(ZUpdateUser, body);
  if (input.isAdmin !== undefined && !ctx.guard.actor.isAdmin) throw new AppError('FORBIDDEN', 'Only an administrator may change who is an administrator.');
  if (userId === ctx.guard.actor.userId && (input.active === false || input.isAdmin === false)) {
    throw new AppError('CONFLICT', 'You cannot deactivate yourself or take away your own administrator rights.');
  }
  const granter = await granterOf(ctx);
  return inAuthChangeTx(ctx.db.app, txScopeOf(ctx), async (tx) => {
    const u = await userRowOrThrow(tx, userId, true);
    await assertManageableOrThrow(ctx, tx, granter, u);
    await assertOrgExistsOrThrow(tx, input);
    const before = { email: u.email, name: u.name, phone: u.phone, departmentId: u.department_id, companyId: u.company_id, active: u.active, isAdmin: u.is_admin, locale: u.locale };
    const after = { ...before, ...input };
    const endSessions = (before.active && !after.active) || (before.isAdmin && !after.isAdmin);
    await sql`UPDATE app_user SET email = ${after.email}, name = ${after.name}, phone = ${after.phone}, department_id = ${after.departmentId},
      company_id = ${after.companyId}, active = ${after.active}, is_admin = ${after.isAdmin}, locale = ${after.locale}, updated_at = now(),
      auth_epoch = auth_epoch + ${endSessions ? 1 : 0} WHERE id = ${userId}`.execute(tx);
    if (after.email !== before.email) await sql`SELECT mosaic_identity_set(${after.email}, ${userId})`.execute(tx);
    if (endSessions) await sql`SELECT mosaic_session_revoke_user(${userId}, NULL)`.execute(tx);
    await auditAdmin(tx, ctx.guard.actor, after.active ? 'identity.user.update' : 'identity.user.deactivate', { object: 'admin.user', id: userId }, changesOf(before, after));
    return userView(await userRowOrThrow(tx, userId));
  }).catch((e) => {
    if (pgCode(e) === '23505') throw new AppError('CONFLICT', 'email: already in use', { field: 'email' });
    throw e;
  });
}

/** PUT /api/v1/admin/users/{id}/roles {roleIds}: only roles whose every right the caller holds. */
export async function setUserRoles(ctx: AdminCtx, id: string, body: unknown): Promise<UserView> {
  requireAreaOrThrow(ctx, 'admin.users', 'edit');
  const userId = idOrThrow(id, 'user');
  const roleIds = [...new Set(parseOrThrow(ZSetUserRoles, body).roleIds)];
  const granter = await granterOf(ctx);
  return inAuthChangeTx(ctx.db.app, txScopeOf(ctx), async (tx) => {
    const u = await userRowOrThrow(tx, userId, true);
    await assertManageableOrThrow(ctx, tx, granter, u);
    await assertRolesGrantableOrThrow(ctx, tx, granter, roleIds);
    await sql`DELETE FROM user_role WHERE user_id = ${userId}`.execute(tx);
    for (const roleId of roleIds) await sql`INSERT INTO user_role (tenant_id, user_id, role_id) VALUES (${ctx.guard.actor.tenantId}, ${userId}, ${roleId})`.execute(tx);
    await auditAdmin(tx, ctx.guard.actor, 'access.user_roles.set', { object: 'admin.user', id: userId }, changesOf({ roleIds: u.role_ids }, { roleIds: [...roleIds].sort() }));
    return userView(await userRowOrThrow(tx, userId));
  });
}

/** POST /api/v1/admin/users/{id}/password {password}: a new password set by an admin; the user's sessions end. */
export async function resetUserPassword(ctx: AdminCtx, id: string, body: unknown): Promise<void> {
  requireAreaOrThrow(ctx, 'admin.users', 'edit');
  const userId = idOrThrow(id, 'user');
  const { password } = parseOrThrow(ZResetPassword, body);
  assertPasswordAcceptable(password);
  const granter = await granterOf(ctx);
  const hash = await hashPassword(password);
  await inAuthChangeTx(ctx.db.app, txScopeOf(ctx), async (tx) => {
    const u = await userRowOrThrow(tx, userId, true);
    await assertManageableOrThrow(ctx, tx, granter, u);
    await sql`UPDATE app_user SET password_hash = ${hash}, auth_epoch = auth_epoch + 1, updated_at = now() WHERE id = ${userId}`.execute(tx);
    await sql`SELECT mosaic_session_revoke_user(${userId}, NULL)`.execute(tx);
    await auditAdmin(tx, ctx.guard.actor, 'identity.user.password_reset', { object: 'admin.user', id: userId }, null);
  });
}
