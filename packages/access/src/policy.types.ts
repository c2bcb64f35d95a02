import type { Action } from './access.types.ts';

/**
 * Record scopes a role can be granted an action with (DESIGN.md, Access), from
 * narrowest to widest, plus `filter` (a filter-DSL tree with variables):
 *
 *   own              owner_id = the user
 *   department       department_id = the user's department
 *   department_tree  department_id in the user's department and every one below it
 *   company          company_id = the user's company (a legal entity: 公司之间数据隔离)
 *   all              every record of the tenant
 */
export const SCOPES = ['own', 'department', 'department_tree', 'company', 'all', 'filter'] as const;
export type Scope = (typeof SCOPES)[number];

/** A grant on every object, present and future (系统管理员, read-all for 总经理). */
export const ALL_OBJECTS = '*';

/**
 * Rights that are not about records: who may manage roles and permissions,
 * users, and the organisation (departments, companies). Permissions name them
 * like objects; no object API name can contain a dot, so they never collide.
 */
export const ADMIN_AREAS = ['admin.roles', 'admin.users', 'admin.org'] as const;
export type AdminArea = (typeof ADMIN_AREAS)[number];

export const FIELD_RULES = ['hidden', 'read_only'] as const;
export type FieldRule = (typeof FIELD_RULES)[number];

/** One row of role_permission. */
export interface PermissionRow {
  roleId: string;
  object: string;
  action: Action;
  scope: Scope;
  scopeFilter: unknown | null;
}

/** One row of role_field_rule. */
export interface FieldRuleRow {
  roleId: string;
  object: string;
  field: string;
  rule: FieldRule;
}

/** What a set of roles grants, as loaded from the database. */
export interface PolicyData {
  permissions: PermissionRow[];
  fieldRules: FieldRuleRow[];
}
