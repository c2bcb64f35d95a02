import type { FieldMeta, ObjectMeta } from '../api/types.ts';

/**
 * For link-like fields, the path of the linked record's name (`supplier.name`,
 * `owner_id.name`): lists and the detail page ask for it in `fields=` so a
 * link shows a name, not a UUID.
 */
export function titlePath(f: FieldMeta, objects: ObjectMeta[]): string | null {
  if (f.type === 'user' || f.type === 'department') return `${f.apiName}.name`;
  if (f.type !== 'link' || f.apiName === 'id') return null;
  if (f.config.target === 'company') return `${f.apiName}.name`;
  const target = objects.find((o) => o.apiName === f.config.target);
  return target ? `${f.apiName}.${target.titleField}` : null;
}

/** The `fields=` list for these fields: themselves (child tables excluded) plus their link titles. */
export function fieldPaths(fields: FieldMeta[], objects: ObjectMeta[]): string[] {
  const out = new Set<string>();
  for (const f of fields) {
    if (f.type === 'child_table') continue;
    out.add(f.apiName);
    const t = titlePath(f, objects);
    if (t) out.add(t);
  }
  return [...out];
}
