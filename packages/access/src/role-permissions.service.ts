import { AppError, isAppError, parseOrThrow } from '@mosaic/kernel';
import { sql, type Tx } from '@mosaic/db';
import { compileFilter, correlatedScope, parseFilter, type EvalContext, type ObjectMeta } from '@mosaic/meta';
import { granterOf, requireAreaOrThrow, type AdminCtx } from './admin-ctx.ts';
import { auditAdmin } from './audit.ts';
import { assertCanGrantOrThrow } from './grant-check.ts';
import { afterAccessChange } from './policy.cache.ts';
import { stableJson } from './policy.compile.ts';
import { loadPolicyData } from './policy.load.ts';
import { ALL_OBJECTS, type PolicyData } from './policy.types.ts';
import { roleViewOrThrow, withRole, type RoleView } from './roles.service.ts';
import { ZSetFieldRules, ZSetPermissions, type TFieldRule, type TPermission } from './roles.schemas.ts';

/**
 * PUT /api/v1/admin/roles/{id}/permissions {permissions: [{object, action, scope, filter?}]}
 * Replaces the role's permissions. Refused (403) when the caller does not
 * hold every right the role has before or would have after; audited with the
 * rows added and removed; every process drops its cached policies.
 */
export async function setPermissions(ctx: AdminCtx, id: string, body: unknown): Promise<RoleView> {
  requireAreaOrThrow(ctx, 'admin.roles', 'edit');
  const input = parseOrThrow(ZSetPermissions, body).permissions;
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  input.forEach((p, i) => checkPermission(p, i, objects));
  return replaceRights(ctx, id, 'access.permissions.set', async (tx, roleId) => {
    await sql`DELETE FROM role_permission WHERE role_id = ${roleId}`.execute(tx);
    for (const p of dedupe(input, (x) => `${x.object}:${x.action}`)) {
      await sql`INSERT INTO role_permission (tenant_id, role_id, object, action, scope, scope_filter)
        VALUES (${ctx.guard.actor.tenantId}, ${roleId}, ${p.object}, ${p.action}, ${p.scope}, ${p.scope === 'filter' ? JSON.stringify(p.filter) : null}::jsonb)`.execute(tx);
    }
  }, (d) => d.permissions.map((p) => `${p.object}:${p.action}:${p.scope}${p.scopeFilter ? `:${stableJson(p.scopeFilter)}` : ''}`));
}

/** PUT /api/v1/admin/roles/{id}/field-rules {rules: [{object, field, rule: "hidden" | "read_only"}]} */
export async function setFieldRules(ctx: AdminCtx, id: string, body: unknown): Promise<RoleView> {
  requireAreaOrThrow(ctx, 'admin.roles', 'edit');
  const input = parseOrThrow(ZSetFieldRules, body).rules;
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  input.forEach((r, i) => checkFieldRule(r, i, objects));
  return replaceRights(ctx, id, 'access.field_rules.set', async (tx, roleId) => {
    await sql`DELETE FROM role_field_rule WHERE role_id = ${roleId}`.execute(tx);
    for (const r of dedupe(input, (x) => `${x.object}:${x.field}`)) {
      await sql`INSERT INTO role_field_rule (tenant_id, role_id, object, field, rule) VALUES (${ctx.guard.actor.tenantId}, ${roleId}, ${r.object}, ${r.field}, ${r.rule})`.execute(tx);
    }
  }, (d) => d.fieldRules.map((r) => `${r.object}.${r.field}:${r.rule}`));
}

async function replaceRights(
  ctx: AdminCtx, id: string, kind: string, write: (tx: Tx, roleId: string) => Promise<void>, keys: (d: PolicyData) => string[],
): Promise<RoleView> {
  const granter = await granterOf(ctx);
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const view = await withRole(ctx, id, async (tx, role) => {
    const before = keys(await loadPolicyData(tx, [role.id]));
    await write(tx, role.id);
    const afterData = await loadPolicyData(tx, [role.id]);
    assertCanGrantOrThrow(granter, afterData, objects, `role ${role.code}`);
    const after = keys(afterData);
    const added = after.filter((k) => !before.includes(k));
    const removed = before.filter((k) => !after.includes(k));
    await auditAdmin(tx, ctx.guard.actor, kind, { object: 'admin.role', id: role.id }, null, { code: role.code, added, removed });
    return roleViewOrThrow(tx, role.id);
  });
  await afterAccessChange(ctx.db.app, ctx.guard.actor.tenantId);
  return view;
}

function checkPermission(p: TPermission, i: number, objects: Map<string, ObjectMeta>): void {
  const at = `permissions.${i}`;
  const obj = objects.get(p.object);
  if (p.object !== ALL_OBJECTS && !p.object.startsWith('admin.') && (!obj || obj.archived || obj.isChild)) {
    throw new AppError('VALIDATION_FAILED', `${at}.object: no object named "${p.object}" (child tables follow their parent)`, { field: `${at}.object` });
  }
  if (p.object.startsWith('admin.') && p.scope !== 'all') throw new AppError('VALIDATION_FAILED', `${at}.scope: admin areas take scope "all"`, { field: `${at}.scope` });
  if (p.scope !== 'filter') {
    if (p.filter !== undefined) throw new AppError('VALIDATION_FAILED', `${at}.filter: only with scope "filter"`, { field: `${at}.filter` });
    return;
  }
  if (p.filter === undefined || p.filter === null) throw new AppError('VALIDATION_FAILED', `${at}.filter: scope "filter" needs a filter`, { field: `${at}.filter` });
  try {
    const node = parseFilter(p.filter);
    p.filter = node; // stored canonical (shorthand expanded), as the guard will read it
    // Compiled once against the object (when it is one) so a misspelt field is refused now, not at every read.
    if (obj) compileFilter(node, correlatedScope(objects, obj), CHECK_CONTEXT);
  } catch (e) {
    if (isAppError(e) && e.status < 500) throw new AppError(e.code, `${at}.filter: ${e.message}`, { field: `${at}.filter` });
    throw e;
  }
}

// Every variable has a value while checking, so none makes a condition vanish unchecked.
const CHECK_CONTEXT: EvalContext = {
  now: new Date(0), timeZone: 'Asia/Shanghai', userId: '00000000-0000-7000-8000-000000000000', departmentId: '00000000-0000-7000-8000-000000000000',
  departmentIds: ['00000000-0000-7000-8000-000000000000'], companyId: '00000000-0000-7000-8000-000000000000',
};

function checkFieldRule(r: TFieldRule, i: number, objects: Map<string, ObjectMeta>): void {
  const obj = objects.get(r.object);
  if (!obj || obj.archived) throw new AppError('VALIDATION_FAILED', `rules.${i}.object: no object named "${r.object}"`, { field: `rules.${i}.object` });
  if (!obj.fields.some((f) => f.apiName === r.field && !f.archived)) {
    throw new AppError('VALIDATION_FAILED', `rules.${i}.field: ${r.object} has no field "${r.field}"`, { field: `rules.${i}.field` });
  }
  if (r.field === 'id') throw new AppError('VALIDATION_FAILED', `rules.${i}.field: id cannot be hidden`, { field: `rules.${i}.field` });
}

function dedupe<T>(list: T[], key: (x: T) => string): T[] {
  return [...new Map(list.map((x) => [key(x), x])).values()];
}
