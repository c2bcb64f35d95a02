import type { FieldMeta, FilterNode, ObjectMeta } from '@mosaic/meta';
import type { AccessGuard, Action, Actor } from './access.types.ts';
import { intersectScope, unionScope, type CompiledPolicy } from './policy.compile.ts';
import type { PermissionRow } from './policy.types.ts';

/**
 * The guard of a user who is not an administrator: answers from the compiled
 * permissions of their roles. Rules (docs/adr/0004-access-policy.md):
 *
 * - Rights add up across roles: an action is allowed when any role grants it;
 *   its record scope is the union (`or`) of the granting roles' scopes, and
 *   `all` wins.
 * - Any action other than read is also limited to what the user may read: the
 *   edit scope of a user who reads own records and edits all is "own".
 * - Child tables (order lines) follow their parent object: its rights, its
 *   scope (applied through the parent); field rules are per child object.
 * - A field is hidden when every role granting read on the object hides it; it
 *   is writable when some role granting create or edit neither hides it nor
 *   makes it read-only. A hidden field is never writable.
 */
export function policyGuard(actor: Actor, policy: CompiledPolicy): AccessGuard {
  const governing = (obj: ObjectMeta) => (obj.isChild && obj.parentObject ? obj.parentObject : obj.apiName);
  const grantsOf = (obj: ObjectMeta, action: Action) => policy.grants(governing(obj), action);

  const scopeOf = (object: string, action: Action): FilterNode | null => {
    const own = unionScope(policy.grants(object, action));
    return action === 'read' ? own : intersectScope(own, unionScope(policy.grants(object, 'read')));
  };

  const hiddenByRule = (obj: ObjectMeta, apiName: string, readers: PermissionRow[]): boolean =>
    readers.every((g) => policy.rule(g.roleId, obj.apiName, apiName) === 'hidden');
  // A stored lookup key (config.keyOf: phone_key of phone) holds what its field holds: hiding 电话 hides its keys too,
  // else the key would be an oracle (filter phone_key = '139…' on a role that may not see phones).
  const hidden = (obj: ObjectMeta, field: FieldMeta, readers: PermissionRow[]): boolean =>
    hiddenByRule(obj, field.apiName, readers) || (!!field.config.keyOf && hiddenByRule(obj, field.config.keyOf, readers));

  return {
    actor,
    can: (obj, action) => grantsOf(obj, action).length > 0,
    canDo: (object, action) => policy.grants(object, action).length > 0,
    recordScope(obj, action) {
      if (obj.isChild) return null; // child rows are reached only through their parent, inside its scope
      return scopeOf(obj.apiName, action);
    },
    canReadField(obj, field) {
      const readers = grantsOf(obj, 'read');
      return readers.length > 0 && !hidden(obj, field, readers);
    },
    canWriteField(obj, field) {
      const readers = grantsOf(obj, 'read');
      if (!readers.length || hidden(obj, field, readers)) return false;
      const writers = [...grantsOf(obj, 'create'), ...grantsOf(obj, 'edit')];
      return writers.some((g) => policy.rule(g.roleId, obj.apiName, field.apiName) === undefined);
    },
  };
}
