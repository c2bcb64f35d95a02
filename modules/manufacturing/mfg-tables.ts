import { sql, type RawBuilder } from 'kysely';
import { AppError } from '@mosaic/kernel';
import type { ObjectMeta } from '@mosaic/meta';

/**
 * Physical names of an object's table and columns, for the module's set-based
 * reads (BOM trees, MRP inputs) where the generic records service would cost
 * a query per row. Names come from metadata, never from input (ADR 0003).
 */
export interface Table {
  obj: ObjectMeta;
  /** `"o_bom"` */
  t: RawBuilder<unknown>;
  /** Column of a field: `c('item')` → `"c_item"`. */
  c(field: string): RawBuilder<unknown>;
  col(field: string): string;
}

export function tableOf(objects: Map<string, ObjectMeta>, apiName: string): Table {
  const obj = objects.get(apiName);
  if (!obj) throw new AppError('CONFLICT', `${apiName} is not installed in this tenant.`);
  const cols = new Map(obj.fields.filter((f) => f.columnName).map((f) => [f.apiName, f.columnName!]));
  const col = (field: string) => {
    const c = cols.get(field);
    if (!c) throw new Error(`${apiName}.${field} has no column`);
    return c;
  };
  return { obj, t: sql.id(obj.tableName), c: (field) => sql.ref(col(field)), col };
}

/** The object if the tenant has it (purchase_order comes with the buying module, maybe not installed). */
export function optionalTable(objects: Map<string, ObjectMeta>, apiName: string, fields: string[]): Table | null {
  const obj = objects.get(apiName);
  if (!obj || !fields.every((f) => obj.fields.some((x) => x.apiName === f && x.columnName))) return null;
  return tableOf(objects, apiName);
}
