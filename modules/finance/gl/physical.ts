import { sql, type RawBuilder } from 'kysely';
import type { ObjectMeta } from '@mosaic/meta';

/**
 * An object's physical names for hand-written SQL: `t` is its table, `c('debit')`
 * a field's column. Names always come from metadata, never from input (ADR 0003).
 *
 *   const g = physical(objects, 'gl_entry');
 *   sql`SELECT sum(${g.c('debit')}) FROM ${g.t}`   →   SELECT sum("c_debit") FROM "o_gl_entry"
 */
export interface Physical {
  t: RawBuilder<unknown>;
  table: string;
  col(field: string): string;
  c(field: string): RawBuilder<unknown>;
  /** A field qualified by a table alias: `g.c_debit`. */
  a(alias: string, field: string): RawBuilder<unknown>;
}

export function physical(objects: Map<string, ObjectMeta>, apiName: string): Physical {
  const o = objects.get(apiName);
  if (!o) throw new Error(`object ${apiName} is not installed`);
  const col = (f: string) => {
    const field = o.fields.find((x) => x.apiName === f);
    if (!field?.columnName) throw new Error(`${apiName}.${f} has no column`);
    return field.columnName;
  };
  return {
    t: sql.id(o.tableName) as unknown as RawBuilder<unknown>,
    table: o.tableName,
    col,
    c: (f) => sql.id(col(f)) as unknown as RawBuilder<unknown>,
    a: (alias, f) => sql.id(alias, col(f)) as unknown as RawBuilder<unknown>,
  };
}
