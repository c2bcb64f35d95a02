import { DEFAULT_ROLES, type Action, type Scope } from '@mosaic/access';
import type { FieldMeta, ObjectMeta } from '@mosaic/meta';
import type { Person, RecordFacts } from './access-world.ts';

/**
 * What the policy data (DEFAULT_ROLES) says, worked out independently of the
 * guard and the SQL it builds: the expected answer of every matrix case.
 * Semantics (docs/adr/0004-access-policy.md): an action needs read on the
 * object too; its scope is the union of its grants, within the read scope.
 */
export function scopesOf(role: string, object: string, action: Action): Scope[] {
  const r = DEFAULT_ROLES.find((x) => x.code === role)!;
  return [r.permissions[object]?.[action], r.permissions['*']?.[action]].filter((s): s is Scope => !!s);
}

/** May the role's user do `action` on the object at all (the gate before any record is looked at)? */
export function mayAct(role: string, object: string, action: Action): boolean {
  return scopesOf(role, object, 'read').length > 0 && scopesOf(role, object, action).length > 0;
}

function inScope(scope: Scope, user: Person, rec: RecordFacts, tree: (d: string) => string[]): boolean {
  switch (scope) {
    case 'all': return true;
    case 'own': return rec.ownerId === user.id;
    case 'department': return rec.departmentId === user.departmentId;
    case 'department_tree': return tree(user.departmentId).includes(rec.departmentId);
    case 'company': return rec.companyId === user.companyId;
    case 'filter': throw new Error('the default roles use no filter scopes');
  }
}

/** May the user do `action` on this very record? Another tenant's record never. */
export function mayActOn(role: string, object: string, action: Action, user: Person, rec: RecordFacts, tree: (d: string) => string[]): boolean {
  if (rec.tenantId !== user.tenantId || !mayAct(role, object, action)) return false;
  const within = (a: Action) => scopesOf(role, object, a).some((s) => inScope(s, user, rec, tree));
  return within(action) && within('read');
}

/** Is the field shown to the role's user (their only role)? */
export function fieldShown(role: string, obj: ObjectMeta, field: FieldMeta): boolean {
  const r = DEFAULT_ROLES.find((x) => x.code === role)!;
  const governing = obj.isChild && obj.parentObject ? obj.parentObject : obj.apiName;
  const rules = r.fieldRules?.[obj.apiName] as Record<string, string> | undefined;
  // A stored key (config.keyOf) is hidden with the field it is the key of.
  return mayAct(role, governing, 'read') && rules?.[field.apiName] !== 'hidden' && !(field.config.keyOf && rules?.[field.config.keyOf] === 'hidden');
}
