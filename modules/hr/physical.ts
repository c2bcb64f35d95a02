import { sql } from 'kysely';
import { AppError } from '@mosaic/kernel';
import type { ObjectMeta } from '@mosaic/meta';

/**
 * The physical table and column names of an object, from its metadata (ADR 0003:
 * names come from physical_name, never from input). For the module's own SQL:
 *
 *   const e = physical(objects, 'employee');
 *   sql`SELECT ${e.ref('name')} FROM ${e.table}`   →   SELECT "c_name" FROM "o_employee"
 */
export interface Physical {
  meta: ObjectMeta;
  table: ReturnType<typeof sql.id>;
  /** The quoted column of a field, optionally qualified by a table alias. */
  ref(field: string, alias?: string): ReturnType<typeof sql.ref>;
  column(field: string): string;
}

export function physical(objects: Map<string, ObjectMeta>, apiName: string): Physical {
  const meta = objects.get(apiName);
  if (!meta) throw new AppError('OBJECT_UNKNOWN', `No object named "${apiName}".`);
  const column = (field: string) => {
    const f = meta.fields.find((x) => x.apiName === field);
    if (!f?.columnName) throw new AppError('FIELD_UNKNOWN', `${apiName}.${field}: no such field`, { field });
    return f.columnName;
  };
  return { meta, table: sql.id(meta.tableName), column, ref: (field, alias) => sql.ref(alias ? `${alias}.${column(field)}` : column(field)) };
}
