import { sql, type RawBuilder } from 'kysely';
import type { FieldMeta } from '../meta.types.ts';
import type { QueryScope } from '../query-scope.ts';

/**
 * `contains` through the n-gram token table (migration 0065, ADR 0009). Under row-level
 * security `col ILIKE '%q%'` scans the tenant's whole table: ILIKE is not leakproof, so no
 * index serves it. search_gram holds each record's grams of its searchable fields, and
 * equality on text is leakproof, so a btree serves it. The gate below is the records having
 * ALL the query's grams; the caller ANDs the exact ILIKE, which decides.
 *
 * The grams of the query are computed in SQL by the same function the trigger uses
 * (mosaic_search_grams: the same lower()), so a query's grams are always grams of every text
 * containing it. Which gram leads: the one with the fewest records, counted up to 500 each
 * through the index (a few hundred index entries per gram at most) — `订单-4321` is led by
 * `432`, not by `订`, which every order has; the record's other grams are then checked one by
 * one on the primary key.
 */
export interface GramGate {
  /** Gates of the same row and text are the same condition (an OR of fields shares one). */
  key: string;
  sql: RawBuilder<boolean>;
}

/** The characters mosaic_search_grams treats as CJK (one-character and two-character grams). */
const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]/u;

/**
 * Whether the text has at least one gram: any CJK character, else three characters (every
 * window of a text with no CJK character is a trigram). Counted on code points, as the SQL
 * splits them; lower-casing does not change how many there are.
 */
export function hasSearchGrams(text: string): boolean {
  const chars = [...text];
  return chars.some((c) => CJK.test(c)) || chars.length >= 3;
}

/** The gate for `path contains text`, or null when the field is not searchable, the scope cannot name its row, or the text has no gram. */
export function gramGateOf(scope: QueryScope, path: string, field: FieldMeta, text: string): GramGate | null {
  if (!field.config.searchable || !scope.rowOf || !hasSearchGrams(text)) return null;
  const row = scope.rowOf(path);
  if (!row || (scope.useGrams && !scope.useGrams(row.table, text))) return null;
  return { key: `${row.key}\u0000${row.table}\u0000${text}`, sql: gramCandidates(row.id, row.table, text) };
}

function gramCandidates(id: RawBuilder<unknown>, table: string, text: string): RawBuilder<boolean> {
  const grams = sql`mosaic_search_grams(${text}::text)`;
  // = ANY(ARRAY(…)): the candidates are computed once, first (an InitPlan), and the rows are then read by
  // id through the primary key. As `IN (subquery)` the planner may start from the table instead — ILIKE's
  // selectivity guess is tiny — and scan it.
  return sql<boolean>`${id} = ANY(ARRAY(SELECT s.record_id FROM search_gram AS s
    WHERE s.object = ${table} AND s.gram = (SELECT u.g FROM unnest(${grams}) AS u(g)
        ORDER BY (SELECT count(*) FROM (SELECT 1 FROM search_gram AS x WHERE x.object = ${table} AND x.gram = u.g LIMIT 500) AS y), char_length(u.g) DESC, u.g
        LIMIT 1)
      AND NOT EXISTS (SELECT 1 FROM unnest(${grams}) AS v(g)
        WHERE NOT EXISTS (SELECT 1 FROM search_gram AS z WHERE z.object = ${table} AND z.record_id = s.record_id AND z.gram = v.g))))`;
}
