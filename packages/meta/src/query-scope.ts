import type { RawBuilder } from 'kysely';
import type { FieldMeta, ObjectMeta, ScalarType } from './meta.types.ts';

/**
 * What the filter compiler and the formula compiler need from the query being
 * built: a way to turn a field path (`amount`, `customer.region`) into a SQL
 * expression. The records query builder implements it; it adds the joins the
 * path needs and asks the access layer whether the user may read every field
 * on the path (throwing FIELD_FORBIDDEN / FIELD_UNKNOWN) — so the compilers
 * never see a table or column name that did not come from metadata.
 */
export interface QueryScope {
  readonly root: ObjectMeta;
  /** SQL for the column behind `path`, already quoted and alias-qualified. */
  ref(path: string): { sql: RawBuilder<unknown>; field: FieldMeta };
  /** Optional: a column stored beside a field's own (`<column><suffix>`); lets filters use range keys. */
  siblingRef?(path: string, suffix: string): RawBuilder<unknown>;
  /**
   * Optional: the row that holds the field behind `path` — its id column, its table, and a key
   * naming that row in this query (the join alias). Lets `contains` use search_gram; null for
   * rows that keep no grams (system objects).
   */
  rowOf?(path: string): { id: RawBuilder<unknown>; table: string; key: string } | null;
  /**
   * Optional: whether `contains text` on a searchable field of `table` should go through
   * search_gram (true) or keep the scan (false: the query's grams are so common that reading
   * their records by id costs more than the scan). Absent: always the grams. The records layer
   * answers from a probe of the grams' frequencies (records.query.ts, gram-choice.ts).
   */
  useGrams?(table: string, text: string): boolean;
}

/**
 * What the formula type checker needs: the type of a field path, or of a
 * child-table path (`lines.amount` → a list of numbers for SUM).
 */
export interface FormulaTypeEnv {
  /** Throws AppError FIELD_UNKNOWN if the path names no field. */
  typeOf(path: string): { type: ScalarType; field: FieldMeta; many: boolean };
}

/** Context values a filter or formula can refer to: `$user`, `$department`, `$today`. */
export interface EvalContext {
  now: Date;
  timeZone: string; // IANA, e.g. "Asia/Shanghai": what "today" means
  userId?: string;
  departmentId?: string;
  departmentIds?: string[]; // the user's department and its descendants
  companyId?: string;
}

/**
 * Optional: aggregates over a child table for formulas like SUM(lines.amount).
 * A scope that can correlate to the parent row implements it; others leave it out
 * and such formulas are refused in SQL (FORMULA_TYPE).
 */
export interface ChildAggregateScope {
  /** SQL aggregating a child-table path, or null when `path` does not go through child rows. */
  childAggregate(path: string, fn: 'sum' | 'avg' | 'min' | 'max' | 'count'): RawBuilder<unknown> | null;
}
