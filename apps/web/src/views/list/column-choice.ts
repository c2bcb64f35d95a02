import { userFields } from '../../api/meta.ts';
import type { FieldMeta, ObjectMeta } from '../../api/types.ts';

/** Which columns a list can show and which it opens with (no React, no i18n: unit-tested on its own). */

/** Fields a list can show as columns. */
export function columnCandidates(obj: ObjectMeta): FieldMeta[] {
  return obj.fields.filter((f) => !f.archived && f.type !== 'child_table' && f.apiName !== 'id' && f.apiName !== 'version');
}

/**
 * Columns when the object has no list defaults: the title first, a document's status, then the object's own
 * fields that read well in a cell.
 */
export function defaultColumns(obj: ObjectMeta): string[] {
  const wide = new Set(['long_text', 'rich_text', 'attachment', 'image', 'child_table']);
  const own = userFields(obj).filter((f) => !wide.has(f.type)).map((f) => f.apiName);
  const ordered = [obj.titleField, ...(obj.isDocument ? ['status'] : []), ...own.filter((n) => n !== obj.titleField)];
  return ordered.filter((n) => obj.fields.some((f) => f.apiName === n && n !== 'id' && !f.archived)).slice(0, 8);
}

/**
 * The columns a list opens with: the object's list defaults (an admin's or its module's) that the viewer
 * can see — the metadata leaves out fields they may not read —, else defaultColumns.
 */
export function listColumns(obj: ObjectMeta): string[] {
  const cols = (obj.listDefaults?.columns ?? []).filter((n) => obj.fields.some((f) => f.apiName === n && !f.archived));
  if (!cols.length) return defaultColumns(obj);
  return cols.includes(obj.titleField) || !obj.fields.some((f) => f.apiName === obj.titleField) ? cols : [obj.titleField, ...cols];
}
