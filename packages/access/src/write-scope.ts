import type { FieldMeta, ObjectMeta } from '@mosaic/meta';
import type { AccessGuard } from './access.types.ts';

/**
 * The write scope of an object whose owner or department comes from one of its
 * fields (`config.scopeLink`: a sales target's `rep` and `team`). A write there
 * can move the record: setting a target for another team's rep makes it that
 * rep's. So, besides the usual rule that only records inside the edit scope are
 * reached, the written row itself — after its links are copied into owner_id /
 * department_id — must lie inside the writer's scope for the action: the
 * role's create (or edit) scope, intersected with its read scope as every
 * non-read scope is (policy.guard.ts). A sales manager (create and edit:
 * department_tree) sets targets inside their department tree; an unrestricted
 * role or an administrator anywhere.
 *
 * Null when there is nothing to check: no links, or an unrestricted scope.
 * `links` are ordered owner first: the field a refusal names.
 */
export function writeScope(guard: AccessGuard, obj: ObjectMeta, action: 'create' | 'edit'): { scope: unknown; links: FieldMeta[] } | null {
  const links = scopeLinks(obj);
  if (!links.length) return null;
  const scope = guard.recordScope(obj, action);
  return scope === null ? null : { scope, links };
}

/** The fields that decide the owner (first) and the department of an object's records. */
export function scopeLinks(obj: ObjectMeta): FieldMeta[] {
  if (obj.isChild) return [];
  const of = (kind: 'owner' | 'department') => obj.fields.find((f) => !f.archived && f.columnName && f.config.scopeLink === kind);
  return [of('owner'), of('department')].filter((f): f is FieldMeta => !!f);
}
