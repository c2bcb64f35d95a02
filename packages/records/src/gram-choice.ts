import { sql } from 'kysely';
import { inTenantTx, type Tx } from '@mosaic/db';
import { registerProcessCache } from '@mosaic/kernel';

/**
 * search_gram or the scan, per query (issue 2; ADR 0009, "Update: choosing per query").
 *
 * `contains` on a searchable field reads the records that have the query's rarest gram by id,
 * then rechecks the ILIKE. When even the rarest gram is common — `cus` in 100,000 `customer-…`
 * names, `订单` in a table of 订单-N — those candidates are most of the table, and reading them
 * one by one through the primary key costs more than the scan it replaces. So before the list
 * statement one probe statement counts, as the gate would choose it, the leading gram's records
 * (each gram counted up to 500 through the gram index, then the leader up to the threshold):
 * under the threshold the list goes through search_gram, at or over it the list keeps the plain
 * ILIKE. The probe reads at most 500 index entries per gram plus the threshold — bounded, and
 * far less than either path. Only lists with a gram-served `contains` pay it (one round trip), and
 * a text probed in the last 30 seconds not again (below).
 *
 * The threshold: GRAM_SCAN_FRACTION of the table's rows (pg_class.reltuples — all tenants' rows,
 * so an over-estimate of the tenant's: it errs towards the grams, the behaviour before this
 * choice), and at least GRAM_SCAN_MIN.
 */
export const GRAM_SCAN_MIN = 1000;
export const GRAM_SCAN_FRACTION = 0.05;

/** `always`: no probe, search_gram whenever it can serve (tests and benchmarks compare the two paths with it). */
export type GramMode = 'auto' | 'always';

export const gramQueryKey = (table: string, text: string): string => `${table}\u0000${text}`;

/** What a compiled list asked the scope (`useGrams`), and its answers: the grams unless the key is in `scan`. */
export class GramChoice {
  readonly asked = new Map<string, { table: string; text: string }>();

  constructor(private readonly scan: ReadonlySet<string> = new Set()) {}

  useGrams(table: string, text: string): boolean {
    const key = gramQueryKey(table, text);
    this.asked.set(key, { table, text });
    return !this.scan.has(key);
  }
}

/**
 * Answers already probed, per tenant, table and text, for DECISION_TTL_MS: paging through a quick
 * filter's results, re-sorting them or the same search again costs no probe. Either answer gives
 * the same rows (the ILIKE decides), so a stale one costs time, never correctness.
 */
const DECISION_TTL_MS = 30_000;
const DECISIONS_KEPT = 1000;
const decided = new Map<string, { scan: boolean; at: number }>();
registerProcessCache(() => decided.clear());

function remember(key: string, scan: boolean): void {
  decided.delete(key);
  decided.set(key, { scan, at: Date.now() });
  if (decided.size > DECISIONS_KEPT) decided.delete(decided.keys().next().value!);
}

/** The keys (gramQueryKey) of the asked queries whose grams are too common to beat the scan. At most one statement, in the caller's tenant transaction. */
export async function tooCommonForGrams(tx: Tx, tenantId: string, asked: { table: string; text: string }[]): Promise<Set<string>> {
  const scan = new Set<string>();
  const unknown: { table: string; text: string }[] = [];
  for (const a of asked) {
    const known = decided.get(`${tenantId}\u0000${gramQueryKey(a.table, a.text)}`);
    if (known && Date.now() - known.at < DECISION_TTL_MS) {
      if (known.scan) scan.add(gramQueryKey(a.table, a.text));
    } else {
      unknown.push(a);
    }
  }
  for (const key of await probe(tx, unknown)) scan.add(key);
  for (const a of unknown) remember(`${tenantId}\u0000${gramQueryKey(a.table, a.text)}`, scan.has(gramQueryKey(a.table, a.text)));
  return scan;
}

async function probe(tx: Tx, asked: { table: string; text: string }[]): Promise<Set<string>> {
  if (!asked.length) return new Set();
  const rows = (await sql<{ k: string; scan: boolean }>`
    SELECT q.k::text AS k, coalesce((
        SELECT CASE WHEN l.n < 500 THEN l.n
               ELSE (SELECT count(*) FROM (SELECT 1 FROM search_gram AS x WHERE x.object = q.tbl AND x.gram = l.g LIMIT q.cap) AS y) END
          FROM (SELECT u.g, (SELECT count(*) FROM (SELECT 1 FROM search_gram AS x WHERE x.object = q.tbl AND x.gram = u.g LIMIT 500) AS y) AS n
                  FROM unnest(mosaic_search_grams(q.txt)) AS u(g) ORDER BY 2, char_length(u.g) DESC, u.g LIMIT 1) AS l), 0) >= q.cap AS scan
      FROM (SELECT a.k, a.tbl, a.txt,
                   greatest(${GRAM_SCAN_MIN}::int, (coalesce((SELECT c.reltuples FROM pg_class AS c WHERE c.oid = to_regclass(a.tbl)), 0) * ${GRAM_SCAN_FRACTION}::float8)::int) AS cap
              FROM unnest(${asked.map((a) => a.table)}::text[], ${asked.map((a) => a.text)}::text[]) WITH ORDINALITY AS a(tbl, txt, k)) AS q`.execute(tx)).rows;
  return new Set(rows.filter((r) => r.scan).map((r) => gramQueryKey(asked[Number(r.k) - 1].table, asked[Number(r.k) - 1].text)));
}

/**
 * The global search asks every readable object the same text: one probe for all of them first
 * (one read-only transaction), so each object's list finds its answer remembered instead of
 * probing on its own.
 */
export async function probeGramChoices(db: Parameters<typeof inTenantTx>[0], tenantId: string, asked: { table: string; text: string }[]): Promise<void> {
  const fresh = asked.filter((a) => {
    const known = decided.get(`${tenantId}\u0000${gramQueryKey(a.table, a.text)}`);
    return !known || Date.now() - known.at >= DECISION_TTL_MS;
  });
  if (fresh.length) await inTenantTx(db, { tenantId }, (tx) => tooCommonForGrams(tx, tenantId, fresh), { readOnly: true });
}
