import { AppError } from '@mosaic/kernel';
import type { FieldMeta, ObjectMeta, ResolvedPath } from './meta.types.ts';
import { fieldOf } from './meta.store.ts';
import { scalarOf } from './field-types/index.ts';
import type { FormulaTypeEnv } from './query-scope.ts';
import { SYSTEM_OBJECTS } from './system-objects.ts';

export const MAX_PATH_DEPTH = 4;

/**
 * Walks a dotted path (`customer.region`, `customer.owner_id.name`,
 * `lines.amount`) through link, user, department and child-table fields.
 * Throws FIELD_UNKNOWN naming the path for anything that does not resolve.
 */
export function resolvePath(objects: Map<string, ObjectMeta>, root: ObjectMeta, path: string): ResolvedPath & { many: boolean } {
  if (typeof path !== 'string' || path.length === 0 || path.length > 200) throw unknown(String(path).slice(0, 200), root);
  const parts = path.split('.');
  if (parts.length > MAX_PATH_DEPTH + 1) throw new AppError('FIELD_UNKNOWN', `${path}: paths may go through at most ${MAX_PATH_DEPTH} links`, { field: path });
  let obj = root;
  let many = false;
  const links: ResolvedPath['links'] = [];
  for (let i = 0; i < parts.length; i++) {
    const field = fieldOf(obj, parts[i]);
    if (!field) throw unknown(path, obj);
    if (i === parts.length - 1) return { path, links, field, object: obj, many };
    const target = linkTarget(objects, field);
    if (!target) throw new AppError('FIELD_UNKNOWN', `${path}: "${parts[i]}" is not a link, so "${parts[i + 1]}" cannot follow it`, { field: path });
    if (field.type === 'child_table') many = true;
    links.push({ field, target });
    obj = target;
  }
  throw unknown(path, root);
}

/** The object a link-like field points at (links, users, departments, child tables). */
export function linkTarget(objects: Map<string, ObjectMeta>, field: FieldMeta): ObjectMeta | undefined {
  if (field.type === 'user') return SYSTEM_OBJECTS.user;
  if (field.type === 'department') return SYSTEM_OBJECTS.department;
  if (field.type !== 'link' && field.type !== 'child_table') return undefined;
  const target = field.config.target;
  if (!target) return undefined;
  if (target in SYSTEM_OBJECTS) return SYSTEM_OBJECTS[target as keyof typeof SYSTEM_OBJECTS];
  const obj = objects.get(target);
  return obj && !obj.archived ? obj : undefined;
}

function unknown(path: string, obj: ObjectMeta): AppError {
  return new AppError('FIELD_UNKNOWN', `${obj.apiName} has no field "${path}"`, { field: path });
}

/** The type environment formulas are checked against. */
export function formulaEnvFor(objects: Map<string, ObjectMeta>, root: ObjectMeta): FormulaTypeEnv {
  return {
    typeOf(path: string) {
      const r = resolvePath(objects, root, path);
      return { type: scalarOf(r.field), field: r.field, many: r.many };
    },
  };
}
