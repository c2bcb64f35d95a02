import { sql, type RawBuilder } from 'kysely';
import { Decimal } from '@mosaic/kernel';
import type { FieldMeta } from '../meta.types.ts';
import type { QueryScope } from '../query-scope.ts';

/**
 * Number filters under row-level security (docs/adr/0009, 0011). PostgreSQL lets an
 * index serve a condition only if its operator is LEAKPROOF, and no `numeric` operator
 * is — nor the int8-vs-numeric comparison a `$1::numeric` parameter makes of a bigint
 * column. So `amount > 500` scanned every row of the tenant, index or not.
 *
 * The fix keeps the exact condition and ANDs a *range key* condition in front of it,
 * on a type whose comparisons are leakproof, that every matching row satisfies:
 *   - integer fields (bigint): the column itself against int8 bounds — floor(lo), ceil(hi);
 *   - indexed decimal / money / percent fields: a stored float8 copy of the column
 *     (`<column>__k`, GENERATED ALWAYS AS (column::float8), indexed (tenant_id, key),
 *     made by syncIndexes) against `$n::numeric::float8` — the very conversion the
 *     generated column applies, and rounding to float8 never reverses an order, so
 *     `x >= v` implies `key(x) >= key(v)`.
 * The index finds the candidate range; the exact numeric condition then decides.
 */
export interface RangeKey {
  col: RawBuilder<unknown>;
  lower(v: RawBuilder<unknown>): RawBuilder<unknown>;
  upper(v: RawBuilder<unknown>): RawBuilder<unknown>;
  /** Whether a filter value is small enough to convert without an out-of-range error. */
  fits(value: unknown): boolean;
}

const KEYED_TYPES = new Set(['decimal', 'money', 'percent']);

/** The stored float8 key column of a decimal/money/percent field, when its field is indexed. */
export function rangeKeyColumn(field: Pick<FieldMeta, 'type' | 'indexed' | 'columnName'>): string | null {
  return field.indexed && field.columnName && KEYED_TYPES.has(field.type) ? `${field.columnName}__k` : null;
}

/** Values whose magnitude is 0 or in [1 / limit, limit): numeric → float8 raises an error beyond both ends. */
const within = (limit: number) => (value: unknown) => {
  try {
    const d = new Decimal(String(value));
    return d.isFinite() && d.abs().lt(limit) && (d.isZero() || d.abs().gt(1 / limit));
  } catch {
    return false;
  }
};

/**
 * The range key for filtering `path` (a field of the row or through links, not a lookup),
 * or null. Only scopes that can name a field's sibling column (the records JoinScope) get keys.
 */
export function rangeKeyOf(scope: QueryScope, path: string, field: FieldMeta, col: RawBuilder<unknown>): RangeKey | null {
  if (!scope.siblingRef || !field.columnName) return null;
  if (field.type === 'integer') {
    return { col, lower: (v) => sql`floor(${v})::int8`, upper: (v) => sql`ceil(${v})::int8`, fits: within(9e18) };
  }
  const key = rangeKeyColumn(field);
  if (!key) return null;
  return { col: scope.siblingRef(path, '__k'), lower: (v) => sql`(${v})::float8`, upper: (v) => sql`(${v})::float8`, fits: within(1e300) };
}
