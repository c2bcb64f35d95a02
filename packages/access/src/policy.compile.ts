import type { FilterNode } from '@mosaic/meta';
import type { Action } from './access.types.ts';
import { ALL_OBJECTS, type FieldRule, type PermissionRow, type PolicyData, type Scope } from './policy.types.ts';

/** The permissions of a set of roles, indexed for the questions a guard asks on every field path. */
export interface CompiledPolicy {
  /** Grants of `action` on `object`, including grants on every object ('*'). */
  grants(object: string, action: Action): PermissionRow[];
  /** The field rule a role puts on a field, if any. */
  rule(roleId: string, object: string, field: string): FieldRule | undefined;
  /** The raw rows, for "a user can't grant what they don't hold". */
  readonly data: PolicyData;
}

export function compilePolicy(data: PolicyData): CompiledPolicy {
  const grants = new Map<string, PermissionRow[]>();
  for (const p of data.permissions) {
    const key = `${p.object}\u0000${p.action}`;
    (grants.get(key) ?? grants.set(key, []).get(key)!).push(p);
  }
  const rules = new Map<string, FieldRule>();
  for (const r of data.fieldRules) {
    const key = `${r.roleId}\u0000${r.object}\u0000${r.field}`;
    // Two rows can't exist for one key (primary key), but hidden is the stricter if a caller merges.
    if (rules.get(key) !== 'hidden') rules.set(key, r.rule);
  }
  return {
    data,
    grants(object, action) {
      const own = grants.get(`${object}\u0000${action}`) ?? [];
      const all = object === ALL_OBJECTS || object.startsWith('admin.') ? [] : grants.get(`${ALL_OBJECTS}\u0000${action}`) ?? [];
      return all.length ? [...own, ...all] : own;
    },
    rule: (roleId, object, field) => rules.get(`${roleId}\u0000${object}\u0000${field}`),
  };
}

/**
 * A scope as a filter-DSL node over the standard columns, or null for `all`:
 *
 *   own              {"field":"owner_id","op":"eq","value":{"var":"$user"}}
 *   department       {"field":"department_id","op":"eq","value":{"var":"$department"}}
 *   department_tree  {"field":"department_id","op":"in","value":{"var":"$departmentTree"}}
 *   company          {"field":"company_id","op":"eq","value":{"var":"$company"}}
 *   filter           the role's scope_filter as stored
 *
 * A variable with no value (a user in no department) matches nothing.
 */
export function scopeNode(scope: Scope, filter: unknown): FilterNode | null {
  switch (scope) {
    case 'all': return null;
    case 'own': return { field: 'owner_id', op: 'eq', value: { var: '$user' } };
    case 'department': return { field: 'department_id', op: 'eq', value: { var: '$department' } };
    case 'department_tree': return { field: 'department_id', op: 'in', value: { var: '$departmentTree' } };
    case 'company': return { field: 'company_id', op: 'eq', value: { var: '$company' } };
    case 'filter': return (filter ?? { or: [] }) as FilterNode;
  }
}

/**
 * The union of the scopes of several grants (rights add up across roles):
 * null when any of them is `all`, else one node or an `or` of the distinct ones.
 */
export function unionScope(rows: Pick<PermissionRow, 'scope' | 'scopeFilter'>[]): FilterNode | null {
  if (!rows.length) return { or: [] }; // nobody granted it: matches nothing
  const nodes = new Map<string, FilterNode>();
  for (const r of rows) {
    const node = scopeNode(r.scope, r.scopeFilter);
    if (node === null) return null;
    nodes.set(stableJson(node), node);
  }
  const list = [...nodes.values()];
  return list.length === 1 ? list[0] : { or: list };
}

/** Both scopes (null = unrestricted). */
export function intersectScope(a: FilterNode | null, b: FilterNode | null): FilterNode | null {
  if (a === null) return b;
  if (b === null || stableJson(a) === stableJson(b)) return a;
  return { and: [a, b] };
}

/** JSON with object keys sorted: equal filters compare equal however they were stored (jsonb reorders keys). */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
