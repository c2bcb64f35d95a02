import { sql, type RawBuilder } from 'kysely';
import { AppError } from '@mosaic/kernel';
import { linkTarget, scalarOf, type FieldMeta, type ObjectMeta } from '@mosaic/meta';
import type { JoinScope } from '@mosaic/records';
import type { Shift } from './report.period.ts';
import { dimensionKey, type Bucket, type TDimension } from './report.schema.ts';

/** A group-by column of a report, compiled: its value per record and, for links, the linked record's title. */
export interface DimPlan {
  key: string;
  role: 'row' | 'column';
  path: string;
  field: FieldMeta;
  bucket?: Bucket;
  /** Per-record value (inner select). */
  value: RawBuilder<unknown>;
  /** The linked record's title, grouped with the value, when the user may read it. */
  title?: RawBuilder<unknown>;
}

const NOT_GROUPABLE = new Set(['multi_select', 'attachment', 'address', 'child_table', 'long_text', 'rich_text']);

/**
 * One dimension. Date buckets truncate in the tenant's time zone, weeks start on
 * Monday (date_trunc('week') is ISO):
 *
 *   date field:      date_trunc($1, ("t"."c_order_date")::timestamp)::date        ($1 = 'month')
 *   datetime field:  date_trunc($1, ("t"."created_at" AT TIME ZONE $2))::date    ($2 = 'Asia/Shanghai')
 *
 * With a period comparison, records of the previous window are moved forward by
 * the shift first, so "March last year" lands in the bucket of March this year:
 *
 *   CASE WHEN <in current window> THEN x ELSE x + make_interval(months => $m, days => $d) END
 */
export function compileDimension(
  scope: JoinScope, objects: Map<string, ObjectMeta>, d: TDimension, role: 'row' | 'column', timeZone: string,
  align?: { field: string; current: RawBuilder<unknown>; shift: Shift },
): DimPlan {
  const key = dimensionKey(d);
  const { sql: col, field } = scope.ref(d.field);
  if (NOT_GROUPABLE.has(field.type)) throw new AppError('BAD_REQUEST', `${d.field}: a ${field.type} field cannot be grouped by`, { field: d.field });
  if (!d.bucket) return { key, role, path: d.field, field, value: col, title: titleOf(scope, objects, d.field, field) };
  const scalar = scalarOf(field);
  if (scalar !== 'date' && scalar !== 'datetime') throw new AppError('BAD_REQUEST', `${d.field}: date buckets need a date or date-time field`, { field: d.field });
  let local = scalar === 'date' ? sql`(${col})::timestamp` : sql`(${col} AT TIME ZONE ${timeZone})`;
  if (align && align.field === d.field) {
    local = sql`(CASE WHEN ${align.current} THEN ${local} ELSE ${local} + make_interval(months => ${align.shift.months}, days => ${align.shift.days}) END)`;
  }
  const value = d.bucket === 'day' ? sql`(${local})::date` : sql`date_trunc(${d.bucket}, ${local})::date`;
  return { key, role, path: d.field, field, bucket: d.bucket, value };
}

// Grouping by a customer shows its name beside its id. A title the user may not
// read is simply left out (the id still groups).
function titleOf(scope: JoinScope, objects: Map<string, ObjectMeta>, path: string, field: FieldMeta): RawBuilder<unknown> | undefined {
  if (field.type !== 'link' && field.type !== 'user' && field.type !== 'department') return undefined;
  if (field.apiName === 'id') return undefined;
  const target = linkTarget(objects, field);
  if (!target || !target.titleField) return undefined;
  try {
    return sql`(${scope.ref(`${path}.${target.titleField}`).sql})::text`;
  } catch (e) {
    if (e instanceof AppError) return undefined;
    throw e;
  }
}
