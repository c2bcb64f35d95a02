import { inTenantTx, sql, type Database, type Tx } from '@mosaic/db';
import { newId } from '@mosaic/kernel';
import { auditAdmin } from './audit.ts';
import { DEFAULT_ROLES, type DefaultRole } from './default-roles.data.ts';
import { invalidatePolicies } from './policy.cache.ts';
import { ALL_OBJECTS } from './policy.types.ts';

/**
 * Installs the built-in roles into a tenant and applies their default
 * permissions for the objects that exist. Idempotent and re-applicable: a
 * role's defaults for an object are applied once (role_default_applied), so
 * running it again after a module installs adds that module's objects and
 * never re-grants what an admin removed. Called from installModules.
 */
export async function installDefaultRoles(db: Database, tenantId: string, roles: DefaultRole[] = DEFAULT_ROLES, opts: { attempts?: number } = {}): Promise<{ roles: number; applied: string[] }> {
  const result = await inTenantTx(db.app, { tenantId }, async (tx) => {
    const meta = (await sql<{ api_name: string; parent_object: string | null; is_child: boolean }>`SELECT api_name, parent_object, is_child FROM meta_object WHERE NOT archived`.execute(tx)).rows;
    const objects = new Set(meta.filter((o) => !o.is_child).map((o) => o.api_name));
    const childrenOf = (object: string) => meta.filter((o) => o.is_child && o.parent_object === object).map((o) => o.api_name);
    const applied: string[] = [];
    for (const role of roles) {
      const roleId = await ensureRole(tx, tenantId, role);
      const done = new Set((await sql<{ object: string }>`SELECT object FROM role_default_applied WHERE role_id = ${roleId}`.execute(tx)).rows.map((r) => r.object));
      for (const [object, grants] of Object.entries(role.permissions)) {
        const exists = object === ALL_OBJECTS || object.startsWith('admin.') || objects.has(object);
        if (done.has(object) || !exists) continue;
        await applyObjectDefaults(tx, tenantId, roleId, role, object, grants, childrenOf(object));
        applied.push(`${role.code}:${object}`);
      }
    }
    if (applied.length) await auditAdmin(tx, { tenantId, userId: null }, 'access.defaults_applied', { object: 'admin.role', id: null }, null, { applied });
    return { roles: roles.length, applied };
  }, { attempts: opts.attempts });
  if (result.applied.length) invalidatePolicies(tenantId);
  return result;
}

async function ensureRole(tx: Tx, tenantId: string, role: DefaultRole): Promise<string> {
  const inserted = await sql<{ id: string }>`INSERT INTO role (tenant_id, id, code, label, description, module)
    VALUES (${tenantId}, ${newId()}, ${role.code}, ${JSON.stringify(role.label)}::jsonb, ${role.description}, 'core')
    ON CONFLICT (tenant_id, code) DO NOTHING RETURNING id`.execute(tx);
  if (inserted.rows.length) return inserted.rows[0].id;
  return (await sql<{ id: string }>`SELECT id FROM role WHERE code = ${role.code}`.execute(tx)).rows[0].id;
}

async function applyObjectDefaults(
  tx: Tx, tenantId: string, roleId: string, role: DefaultRole, object: string, grants: DefaultRole['permissions'][string], children: string[],
): Promise<void> {
  for (const [action, scope] of Object.entries(grants)) {
    await sql`INSERT INTO role_permission (tenant_id, role_id, object, action, scope) VALUES (${tenantId}, ${roleId}, ${object}, ${action}, ${scope})
      ON CONFLICT DO NOTHING`.execute(tx);
  }
  // The field rules of the object and of its child tables come with its permissions.
  for (const [ruleObject, fields] of Object.entries(role.fieldRules ?? {})) {
    if (ruleObject !== object && !children.includes(ruleObject)) continue;
    for (const [field, rule] of Object.entries(fields)) {
      await sql`INSERT INTO role_field_rule (tenant_id, role_id, object, field, rule) VALUES (${tenantId}, ${roleId}, ${object}, ${field}, ${rule})
        ON CONFLICT DO NOTHING`.execute(tx);
    }
  }
  await sql`INSERT INTO role_default_applied (tenant_id, role_id, object) VALUES (${tenantId}, ${roleId}, ${object}) ON CONFLICT DO NOTHING`.execute(tx);
}
