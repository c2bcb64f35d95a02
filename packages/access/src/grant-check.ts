import { AppError } from '@mosaic/kernel';
import type { ObjectMeta } from '@mosaic/meta';
import type { AccessGuard } from './access.types.ts';
import { stableJson, type CompiledPolicy } from './policy.compile.ts';
import { ALL_OBJECTS, type PermissionRow, type PolicyData, type Scope } from './policy.types.ts';

// Scopes as a ladder for "is this at most what I hold". `filter` is covered only
// by `all` or by the very same filter: a filter's extent cannot be compared.
const RANK: Record<Exclude<Scope, 'filter'>, number> = { own: 1, department: 2, department_tree: 3, company: 4, all: 5 };

function covers(held: Pick<PermissionRow, 'scope' | 'scopeFilter'>, wanted: Pick<PermissionRow, 'scope' | 'scopeFilter'>): boolean {
  if (held.scope === 'all') return true;
  if (held.scope === 'filter' || wanted.scope === 'filter') {
    return held.scope === wanted.scope && stableJson(held.scopeFilter) === stableJson(wanted.scopeFilter);
  }
  return RANK[held.scope] >= RANK[wanted.scope];
}

/**
 * The first right in `role` that the granter does not hold, described for an
 * error message, or null when the granter holds all of it. "Holding" means, for
 * every permission, a grant of the same action on the same object (or on every
 * object, for object-level grants) with a scope at least as wide; and for every
 * object the role lets its members read or write, every field hidden from (or
 * read-only for) the granter stays hidden (read-only) in the role.
 */
export function rightNotHeld(granter: CompiledPolicy, granterGuard: AccessGuard, role: PolicyData, objects: Map<string, ObjectMeta>): string | null {
  for (const p of role.permissions) {
    if (!granter.grants(p.object, p.action).some((held) => covers(held, p))) return `${p.action} on ${p.object} (${p.scope})`;
  }
  const ruleOf = (object: string, field: string) => role.fieldRules.find((r) => r.object === object && r.field === field)?.rule;
  const granted = (obj: ObjectMeta, action: PermissionRow['action']) => {
    const governing = obj.isChild && obj.parentObject ? obj.parentObject : obj.apiName;
    return role.permissions.some((p) => p.action === action && (p.object === governing || p.object === ALL_OBJECTS));
  };
  for (const obj of objects.values()) {
    if (obj.archived) continue;
    const reads = granted(obj, 'read');
    const writes = granted(obj, 'create') || granted(obj, 'edit');
    for (const f of obj.fields) {
      if (f.archived) continue;
      if (reads && !granterGuard.canReadField(obj, f) && ruleOf(obj.apiName, f.apiName) !== 'hidden') return `reading ${obj.apiName}.${f.apiName}`;
      if (writes && !f.system && !f.readOnly && !granterGuard.canWriteField(obj, f) && !ruleOf(obj.apiName, f.apiName)) return `changing ${obj.apiName}.${f.apiName}`;
    }
  }
  return null;
}

/** Refuses (403) when the granter does not hold every right of `role`; administrators hold everything. */
export function assertCanGrantOrThrow(
  granter: { guard: AccessGuard; policy: CompiledPolicy | null }, role: PolicyData, objects: Map<string, ObjectMeta>, what: string,
): void {
  if (granter.guard.actor.isAdmin || !granter.policy) return;
  const missing = rightNotHeld(granter.policy, granter.guard, role, objects);
  if (missing) throw new AppError('FORBIDDEN', `${what}: it gives ${missing}, which you do not have yourself.`);
}
