import { sql, type Tx } from '@mosaic/db';
import type { PolicyData } from './policy.types.ts';

/** The permissions and field rules of some roles (inside a transaction with the tenant set). */
export async function loadPolicyData(tx: Tx, roleIds: string[]): Promise<PolicyData> {
  if (!roleIds.length) return { permissions: [], fieldRules: [] };
  const permissions = await sql<Record<string, any>>`SELECT role_id, object, action, scope, scope_filter FROM role_permission
    WHERE role_id = ANY(${roleIds}::uuid[]) ORDER BY object, action, role_id`.execute(tx);
  const rules = await sql<Record<string, any>>`SELECT role_id, object, field, rule FROM role_field_rule
    WHERE role_id = ANY(${roleIds}::uuid[]) ORDER BY object, field, role_id`.execute(tx);
  return {
    permissions: permissions.rows.map((r) => ({ roleId: r.role_id, object: r.object, action: r.action, scope: r.scope, scopeFilter: r.scope_filter ?? null })),
    fieldRules: rules.rows.map((r) => ({ roleId: r.role_id, object: r.object, field: r.field, rule: r.rule })),
  };
}
