import { AppError, newId, parseOrThrow } from '@mosaic/kernel';
import { inTenantTx, pgCode, sql, type Tx } from '@mosaic/db';
import { granterOf, idOrThrow, requireAreaOrThrow, txScopeOf, type AdminCtx } from './admin-ctx.ts';
import { auditAdmin, changesOf } from './audit.ts';
import { assertCanGrantOrThrow } from './grant-check.ts';
import { afterAccessChange } from './policy.cache.ts';
import { loadPolicyData } from './policy.load.ts';
import type { PolicyData } from './policy.types.ts';
import { ZCreateRole, ZUpdateRole } from './roles.schemas.ts';

/** A role as the admin API shows it: its permissions and field rules included. */
export interface RoleView {
  id: string;
  code: string;
  label: { zh: string; en?: string };
  description: string | null;
  builtIn: boolean;
  userCount: number;
  permissions: { object: string; action: string; scope: string; filter?: unknown }[];
  fieldRules: { object: string; field: string; rule: string }[];
}

/** GET /api/v1/admin/roles */
export async function listRoles(ctx: AdminCtx): Promise<RoleView[]> {
  requireAreaOrThrow(ctx, 'admin.roles', 'read');
  return inTenantTx(ctx.db.app, txScopeOf(ctx), async (tx) => {
    const roles = await sql<Record<string, any>>`SELECT r.*, (SELECT count(*) FROM user_role ur WHERE ur.role_id = r.id)::int AS user_count
      FROM role r ORDER BY r.module = 'custom', r.created_at, r.code`.execute(tx);
    const data = await loadPolicyData(tx, roles.rows.map((r) => r.id));
    return roles.rows.map((r) => viewOf(r, data));
  });
}

export async function getRoleOrThrow(ctx: AdminCtx, id: string): Promise<RoleView> {
  requireAreaOrThrow(ctx, 'admin.roles', 'read');
  return inTenantTx(ctx.db.app, txScopeOf(ctx), (tx) => roleViewOrThrow(tx, idOrThrow(id, 'role')));
}

/** POST /api/v1/admin/roles {code, label, description?}: a role with no rights yet. */
export async function createRole(ctx: AdminCtx, body: unknown): Promise<RoleView> {
  requireAreaOrThrow(ctx, 'admin.roles', 'create');
  const input = parseOrThrow(ZCreateRole, body);
  const id = newId();
  return inTenantTx(ctx.db.app, txScopeOf(ctx), async (tx) => {
    try {
      await sql`INSERT INTO role (tenant_id, id, code, label, description) VALUES (${ctx.guard.actor.tenantId}, ${id}, ${input.code},
        ${JSON.stringify(input.label)}::jsonb, ${input.description ?? null})`.execute(tx);
    } catch (e) {
      if (pgCode(e) === '23505') throw new AppError('CONFLICT', `code: a role with code "${input.code}" already exists`, { field: 'code' });
      throw e;
    }
    await auditAdmin(tx, ctx.guard.actor, 'access.role.create', { object: 'admin.role', id }, changesOf({}, input));
    return roleViewOrThrow(tx, id);
  });
}

/** PATCH /api/v1/admin/roles/{id} {label?, description?} */
export async function updateRole(ctx: AdminCtx, id: string, body: unknown): Promise<RoleView> {
  requireAreaOrThrow(ctx, 'admin.roles', 'edit');
  const input = parseOrThrow(ZUpdateRole, body);
  return withRole(ctx, id, async (tx, role) => {
    const after = { label: input.label ?? role.label, description: input.description === undefined ? role.description : input.description };
    await sql`UPDATE role SET label = ${JSON.stringify(after.label)}::jsonb, description = ${after.description}, updated_at = now() WHERE id = ${role.id}`.execute(tx);
    await auditAdmin(tx, ctx.guard.actor, 'access.role.update', { object: 'admin.role', id: role.id }, changesOf({ label: role.label, description: role.description }, after));
    return roleViewOrThrow(tx, role.id);
  });
}

/** DELETE /api/v1/admin/roles/{id}: custom roles only; its members lose its rights at once. */
export async function deleteRole(ctx: AdminCtx, id: string): Promise<void> {
  requireAreaOrThrow(ctx, 'admin.roles', 'delete');
  await withRole(ctx, id, async (tx, role) => {
    if (role.builtIn) throw new AppError('CONFLICT', `${role.code} is a built-in role; take its permissions away instead of deleting it.`);
    await sql`DELETE FROM role WHERE id = ${role.id}`.execute(tx);
    await auditAdmin(tx, ctx.guard.actor, 'access.role.delete', { object: 'admin.role', id: role.id }, null, { code: role.code, permissions: role.permissions, fieldRules: role.fieldRules });
  });
  await afterAccessChange(ctx.db.app, ctx.guard.actor.tenantId);
}

/**
 * Runs `fn` on a role locked for the change. A caller who is not an
 * administrator may only touch roles whose every right they hold themselves.
 */
export async function withRole<T>(ctx: AdminCtx, id: string, fn: (tx: Tx, role: RoleView) => Promise<T>): Promise<T> {
  const roleId = idOrThrow(id, 'role');
  const granter = await granterOf(ctx);
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  return inTenantTx(ctx.db.app, txScopeOf(ctx), async (tx) => {
    await sql`SELECT 1 FROM role WHERE id = ${roleId} FOR UPDATE`.execute(tx);
    const role = await roleViewOrThrow(tx, roleId);
    assertCanGrantOrThrow(granter, await loadPolicyData(tx, [roleId]), objects, `role ${role.code}`);
    return fn(tx, role);
  });
}

export async function roleViewOrThrow(tx: Tx, id: string): Promise<RoleView> {
  const r = (await sql<Record<string, any>>`SELECT r.*, (SELECT count(*) FROM user_role ur WHERE ur.role_id = r.id)::int AS user_count
    FROM role r WHERE id = ${id}`.execute(tx)).rows[0];
  if (!r) throw new AppError('NOT_FOUND', `No role with id ${id}.`);
  return viewOf(r, await loadPolicyData(tx, [id]));
}

function viewOf(r: Record<string, any>, data: PolicyData): RoleView {
  return {
    id: r.id, code: r.code, label: r.label, description: r.description ?? null, builtIn: r.module !== 'custom', userCount: r.user_count ?? 0,
    permissions: data.permissions.filter((p) => p.roleId === r.id)
      .map((p) => ({ object: p.object, action: p.action, scope: p.scope, ...(p.scopeFilter ? { filter: p.scopeFilter } : {}) })),
    fieldRules: data.fieldRules.filter((f) => f.roleId === r.id).map((f) => ({ object: f.object, field: f.field, rule: f.rule })),
  };
}
