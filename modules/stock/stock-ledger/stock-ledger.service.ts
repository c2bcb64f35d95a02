import { sql, type RawBuilder } from 'kysely';
import { AppError, Decimal, newId } from '@mosaic/kernel';
import type { Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import { issue, receive, type Layer, type StockState, type ValuationMethod } from './valuation.rules.ts';
import { revalueForward } from './revaluation.service.ts';
import { queueRevaluations } from './stock-posting.events.ts';
import { checkReorder, reorderWatchSql } from '../replenishment/replenishment.service.ts';

/** One movement: positive qty comes in (at `rate`), negative goes out (at the valuation rate). */
export interface StockMove {
  item: string;
  warehouse: string;
  qty: Decimal;
  rate?: Decimal;
  /** For issues: go out at this rate instead of the valuation rate (reversing a receipt). */
  forceRate?: boolean;
  /** Keep this move's value when history is re-valued (it carried value elsewhere: a transfer out). */
  keepRate?: boolean;
  /** For receipts: the exact value coming in (a transfer's arrival = what left), instead of qty × rate. */
  value?: Decimal;
  batch?: string | null;
  serialNo?: string | null;
  /**
   * For issues against a reservation (a delivery of a sales order): release this
   * much of the item × warehouse's reserved quantity (never below zero) under the
   * same lock and in the same balance update as the issue.
   */
  releaseReserved?: Decimal;
}

export interface Voucher {
  type: string;
  id: string;
  postingDate: string;
}

/** What finance needs from a posting: the stock value each move changed (signed). */
export interface PostedMove extends StockMove {
  rate: Decimal;
  valueChange: Decimal;
  qtyAfter: Decimal;
  valueAfter: Decimal;
  /** On a re-valuation move (qty 0): the voucher whose entry it corrects. */
  revalues?: { type: string; id: string; postingDate: string };
}

export type Cols = Record<string, string>;

/**
 * Posts stock moves of one voucher: the ledger gets one append-only entry per
 * move and the item × warehouse balance changes in the same transaction.
 *
 * Concurrency (DESIGN.md, Documents and ledgers): the balance rows are locked
 * with SELECT … FOR UPDATE in a stable (item, warehouse) order, so two vouchers
 * touching the same items queue instead of deadlocking, and availability is
 * decided under the lock — two orders never take the same last unit.
 */
export async function postStockMoves(tx: Tx, objects: Map<string, ObjectMeta>, tenantId: string, voucher: Voucher, moves: StockMove[]): Promise<PostedMove[]> {
  if (!moves.length) return [];
  const ledger = objects.get('stock_ledger_entry')!;
  const balance = objects.get('stock_balance')!;
  const L = columns(ledger);
  const B = columns(balance);
  const keys = [...new Set(moves.map((m) => `${m.item}|${m.warehouse}`))].sort();
  // The posting flag goes on in lockBalances' first statement, which also reads the items' and warehouses' settings.
  const { states, items, warehouses, watched } = await lockBalances(tx, objects, balance, B, tenantId, keys);
  const posted: PostedMove[] = [];
  for (const m of moves) {
    const item = items.get(m.item);
    if (!item) throw new AppError('LINK_NOT_FOUND', `item: ${m.item} does not exist`, { field: 'item' });
    if (item.type !== 'stock') continue; // services and non-stock items have no stock
    if (!warehouses.has(m.warehouse)) throw new AppError('LINK_NOT_FOUND', `warehouse: ${m.warehouse} does not exist`, { field: 'warehouse' });
    const key = `${m.item}|${m.warehouse}`;
    const before = states.get(key)!;
    if (item.batch && !m.batch) throw new AppError('FIELD_REQUIRED', `batch: ${item.name} (${item.code}) is batch-tracked; name the batch`, { field: 'batch' });
    if (m.qty.lt(0) && m.batch) await checkBatch(tx, ledger, L, m, item);
    if (m.serialNo && !m.forceRate) await checkSerials(tx, ledger, L, m, item);
    const result = m.qty.gt(0)
      ? receiveMove(before.state, m, item.method)
      : issue(before.state, m.qty.neg(), item.method, before.lastRate, m.forceRate ? m.rate : undefined);
    if (result.state.qty.lt(0) && !item.allowNegative && !warehouses.get(m.warehouse)) {
      const short = result.state.qty.neg();
      throw new AppError('STOCK_SHORTAGE', `${item.name} (${item.code}): ${short.toFixed()} short in this warehouse — ${before.state.qty.toFixed()} on hand, ${m.qty.neg().toFixed()} asked`, {
        field: 'qty', details: { item: m.item, warehouse: m.warehouse, onHand: before.state.qty.toFixed(), requested: m.qty.neg().toFixed(), short: short.toFixed() },
      });
    }
    const release = m.releaseReserved ? before.release.plus(m.releaseReserved) : before.release;
    states.set(key, { ...before, state: result.state, lastRate: result.rate, dirty: true, issued: before.issued || m.qty.lt(0), release });
    posted.push({ ...m, rate: result.rate, valueChange: result.valueChange, qtyAfter: result.state.qty, valueAfter: result.state.value });
  }
  // Back-dated: the re-valuation reads the ledger, this voucher's entries included — written first, on their own.
  // Otherwise (the usual case) the entries and the balance rows are one statement (below).
  const backDated = [...states.values()].some((s) => s.dirty && s.lastDate && s.lastDate > voucher.postingDate);
  if (backDated) await insertLedgerSql(ledger, L, tenantId, voucher, posted)?.execute(tx);
  // Back-dated: later entries of the same item × warehouse were valued without this move.
  // Re-value them forward in one pass (only this key, only from this date) and correct by difference.
  const revaluations: PostedMove[] = [];
  for (const [key, s] of states) {
    if (!s.dirty || !s.lastDate || s.lastDate <= voucher.postingDate) continue;
    const [itemId, whId] = key.split('|');
    const r = await revalueForward(tx, ledger, L, tenantId, voucher, itemId, whId, items.get(itemId)!.method);
    s.state = r.state;
    revaluations.push(...r.moves);
  }
  const dirty = [...states.values()].filter((x) => x.dirty);
  if (dirty.length) {
    // One statement for every changed balance row (already locked, in key order).
    const values = dirty.map((x) => sql`(${x.id}::uuid, ${x.state.qty.toFixed()}::numeric, ${x.state.value.toFixed()}::numeric,
      ${JSON.stringify(x.state.layers.map((l) => [l.qty.toFixed(), l.rate.toFixed()]))}, ${!x.lastDate || x.lastDate < voucher.postingDate ? voucher.postingDate : x.lastDate}::date, ${!!x.issued}::boolean,
      ${x.release.toFixed()}::numeric)`);
    await flagOffAfter(tx, sql`UPDATE ${sql.id(balance.tableName)} b SET ${sql.id(B.on_hand)} = v.qty, ${sql.id(B.value)} = v.value, ${sql.id(B.fifo_layers)} = v.layers,
      ${sql.id(B.reserved)} = GREATEST(COALESCE(b.${sql.ref(B.reserved)}, 0) - v.release, 0),
      ${sql.id(B.last_posting_date)} = v.last,
      ${sql.id(B.last_issue_date)} = CASE WHEN v.issued THEN GREATEST(b.${sql.ref(B.last_issue_date)}, ${voucher.postingDate}::date) ELSE b.${sql.ref(B.last_issue_date)} END,
      version = b.version + 1, updated_at = now()
      FROM (VALUES ${sql.join(values)}) AS v(id, qty, value, layers, last, issued, release) WHERE b.id = v.id`, backDated ? undefined : insertLedgerSql(ledger, L, tenantId, voucher, posted));
  } else {
    await sql`SELECT set_config('mosaic.stock_posting', 'off', true)`.execute(tx);
  }
  if (revaluations.length) queueRevaluations(tx, voucher, revaluations);
  await checkReorder(tx, objects, tenantId, watched);
  return posted;
}

/** A receipt: at `value` when the move says exactly what came in, else qty × rate. */
function receiveMove(state: StockState, m: StockMove, method: ValuationMethod) {
  if (!m.value) return receive(state, m.qty, m.rate ?? new Decimal(0), method);
  const r = receive(state, m.qty, m.value.div(m.qty), method);
  if (method === 'fifo') return r;
  return { ...r, valueChange: m.value, state: { ...r.state, value: state.value.plus(m.value) } };
}

/**
 * Serial numbers are units: one can come into a warehouse only if it is not
 * already there, and leave only if it is (Σ of the ledger's signs per number).
 */
async function checkSerials(tx: Tx, ledger: ObjectMeta, L: Cols, m: StockMove, item: ItemSettings): Promise<void> {
  const serials = m.serialNo!.split(',');
  const rows = await sql<{ s: string; n: number }>`SELECT s, sum(sign(e.${sql.ref(L.qty)}))::int AS n
    FROM ${sql.id(ledger.tableName)} e, unnest(string_to_array(e.${sql.ref(L.serial_no)}, ',')) AS s
    WHERE e.${sql.ref(L.item)} = ${m.item} AND e.${sql.ref(L.warehouse)} = ${m.warehouse} AND e.${sql.ref(L.serial_no)} IS NOT NULL AND s = ANY(${serials}::text[])
    GROUP BY s`.execute(tx);
  const held = new Map(rows.rows.map((r) => [r.s, r.n]));
  const wrong = serials.filter((s) => (m.qty.gt(0) ? (held.get(s) ?? 0) > 0 : (held.get(s) ?? 0) < 1));
  if (!wrong.length) return;
  throw m.qty.gt(0)
    ? new AppError('FIELD_INVALID', `serial_no: ${item.name} (${item.code}) ${wrong.join(', ')} already in this warehouse`, { field: 'serial_no', details: { serials: wrong } })
    : new AppError('STOCK_SHORTAGE', `${item.name} (${item.code}): serial ${wrong.join(', ')} not in this warehouse`, { field: 'serial_no', details: { serials: wrong } });
}

/** A batch can't give more than it holds in this warehouse (checked under the balance lock). */
async function checkBatch(tx: Tx, ledger: ObjectMeta, L: Cols, m: StockMove, item: ItemSettings): Promise<void> {
  const r = await sql<{ qty: string }>`SELECT COALESCE(sum(${sql.ref(L.qty)}), 0)::text AS qty FROM ${sql.id(ledger.tableName)}
    WHERE ${sql.ref(L.item)} = ${m.item} AND ${sql.ref(L.warehouse)} = ${m.warehouse} AND ${sql.ref(L.batch)} = ${m.batch}`.execute(tx);
  const held = new Decimal(r.rows[0].qty);
  if (held.lt(m.qty.neg()) && !item.allowNegative) {
    throw new AppError('STOCK_SHORTAGE', `${item.name} (${item.code}) batch ${m.batch}: ${held.toFixed()} in this warehouse, ${m.qty.neg().toFixed()} asked`, {
      field: 'batch', details: { item: m.item, warehouse: m.warehouse, batch: m.batch, onHand: held.toFixed(), requested: m.qty.neg().toFixed() },
    });
  }
}

interface Locked {
  id: string;
  state: StockState;
  lastRate: Decimal;
  dirty: boolean;
  /** The latest posting date on this key before this voucher: a voucher dated earlier is back-dated. */
  lastDate: string | null;
  issued?: boolean;
  /** Reserved quantity this posting releases (deliveries of an order). */
  release: Decimal;
}

/**
 * Locks the balance rows of `keys` (in key order) and reads, in the same statement, the items' and
 * warehouses' settings the posting needs (LEFT JOINs: a missing item or warehouse is refused by the caller).
 */
async function lockBalances(tx: Tx, objects: Map<string, ObjectMeta>, balance: ObjectMeta, B: Cols, tenantId: string, keys: string[]) {
  const item = objects.get('item')!;
  const wh = objects.get('warehouse')!;
  const I = columns(item);
  const W = columns(wh);
  const rows = await lockOrCreateBalances<Record<string, any>>(tx, balance, B, tenantId, keys.map((k) => k.split('|')), sql`b.id, b.${sql.ref(B.item)} AS item, b.${sql.ref(B.warehouse)} AS warehouse,
      b.${sql.ref(B.on_hand)} AS on_hand, b.${sql.ref(B.value)} AS value, b.${sql.ref(B.fifo_layers)} AS layers, b.${sql.ref(B.last_posting_date)}::text AS last_date,
      i.id AS item_id, i.${sql.ref(I.code)} AS code, i.${sql.ref(I.name)} AS name, i.${sql.ref(I.item_type)} AS type, i.${sql.ref(I.valuation_method)} AS method,
      i.${sql.ref(I.allow_negative)} AS item_negative, i.${sql.ref(I.batch_tracked)} AS batch, w.id AS wh_id, w.${sql.ref(W.allow_negative)} AS wh_negative,
      ${reorderWatchSql(objects)} AS reorder_watch`,
    sql`LEFT JOIN ${sql.id(item.tableName)} i ON i.id = b.${sql.ref(B.item)} LEFT JOIN ${sql.id(wh.tableName)} w ON w.id = b.${sql.ref(B.warehouse)}`);
  const states = new Map<string, Locked>();
  const watched = rows.filter((r) => r.reorder_watch).map((r) => `${r.item}|${r.warehouse}`);
  const items = new Map<string, ItemSettings>();
  const warehouses = new Map<string, boolean>();
  for (const r of rows) {
    const layers: Layer[] = r.layers ? (JSON.parse(r.layers) as [string, string][]).map(([q, rt]) => ({ qty: new Decimal(q), rate: new Decimal(rt) })) : [];
    const qty = new Decimal(r.on_hand ?? 0);
    const value = new Decimal(r.value ?? 0);
    const lastRate = qty.gt(0) ? value.div(qty) : layers.length ? layers[layers.length - 1].rate : new Decimal(0);
    states.set(`${r.item}|${r.warehouse}`, { id: r.id, state: { qty, value, layers }, lastRate, dirty: false, lastDate: r.last_date ?? null, release: new Decimal(0) });
    if (r.item_id) items.set(r.item, { code: r.code, name: r.name, type: r.type ?? 'stock', method: r.method ?? 'moving_average', allowNegative: !!r.item_negative, batch: !!r.batch });
    if (r.wh_id) warehouses.set(r.warehouse, !!r.wh_negative);
  }
  return { states, items, warehouses, watched };
}

/**
 * The balance rows of `pairs` (item, warehouse — sorted by the caller), locked FOR UPDATE in key
 * order, with the posting flag turned on (a one-time filter over a MATERIALIZED CTE: set before any
 * row is read, even when none is found). `columns` is the select list over `b` and the tables
 * `joins` adds.
 *
 * Every key is taken in key order, whether its row exists or is created here — else two postings
 * of the same keys can each hold one and wait for the other (a deadlock): a posting that locked
 * its existing rows first and then inserted a missing row of a lower key waits on that key behind
 * a posting that holds it and waits for one of the rows locked first. So:
 *   - usually every row exists: one statement locks them all, in order — but only when the count
 *     of existing keys says all exist (a one-time filter: otherwise it locks nothing);
 *   - a first move of an item into a warehouse: createOrLockBalances inserts the missing rows and
 *     locks the existing ones in one pass over the keys in order (waiting, per key, on whoever
 *     holds it or is inserting it), then the rows, all held now, are read.
 */
export async function lockOrCreateBalances<R extends Record<string, any>>(tx: Tx, balance: ObjectMeta, B: Cols, tenantId: string, pairs: string[][],
  columns: RawBuilder<unknown>, joins: RawBuilder<unknown>): Promise<R[]> {
  const keys = sql.join(pairs.map(([i, w]) => sql`(${i}::uuid, ${w}::uuid)`));
  const table = sql.id(balance.tableName);
  const read = (allThere: RawBuilder<unknown>) => sql<R>`WITH flag AS MATERIALIZED (SELECT set_config('mosaic.stock_posting', 'on', true) AS f)
    SELECT ${columns} FROM ${table} b ${joins}
    WHERE (SELECT f FROM flag) IS NOT NULL AND ${allThere} AND (b.${sql.ref(B.item)}, b.${sql.ref(B.warehouse)}) IN (${keys})
    ORDER BY b.${sql.ref(B.item)}, b.${sql.ref(B.warehouse)} FOR UPDATE OF b`.execute(tx);
  const rows = (await read(sql`(SELECT count(*) FROM ${table} x WHERE (x.${sql.ref(B.item)}, x.${sql.ref(B.warehouse)}) IN (${keys})) = ${pairs.length}`)).rows;
  if (rows.length === pairs.length) return rows;
  await createOrLockBalances(tx, balance, B, tenantId, pairs);
  return (await read(sql`true`)).rows;
}

/**
 * Inserts the balance rows missing for `pairs` and locks those already there, key by key in
 * (item, warehouse) order, in one statement: INSERT … ON CONFLICT DO UPDATE … WHERE false locks a
 * conflicting row (as FOR UPDATE would) without writing it, and waits for a concurrent insert of
 * the same key to commit first. The posting flag goes on in a MATERIALIZED CTE joined into the
 * INSERT, so it is set before any row reaches the guard trigger (the pattern of the document
 * status flag).
 */
async function createOrLockBalances(tx: Tx, balance: ObjectMeta, B: Cols, tenantId: string, pairs: string[][]): Promise<void> {
  await sql`WITH flag AS MATERIALIZED (SELECT set_config('mosaic.stock_posting', 'on', true) AS f)
    INSERT INTO ${sql.id(balance.tableName)} AS b (tenant_id, id, ${sql.id(B.item)}, ${sql.id(B.warehouse)}, ${sql.id(B.on_hand)}, ${sql.id(B.reserved)}, ${sql.id(B.value)})
    SELECT v.* FROM (VALUES ${sql.join(pairs.map(([i, w]) => sql`(${tenantId}::uuid, ${newId()}::uuid, ${i}::uuid, ${w}::uuid, 0, 0, 0)`))}) AS v(t, id, item, warehouse, q, r, val), flag
    ORDER BY v.item, v.warehouse
    ON CONFLICT (tenant_id, ${sql.id(B.item)}, ${sql.id(B.warehouse)}) DO UPDATE SET ${sql.id(B.item)} = EXCLUDED.${sql.id(B.item)} WHERE false`.execute(tx);
}

const LEDGER_FIELDS = ['item', 'warehouse', 'posting_date', 'qty', 'rate', 'value_change', 'qty_after', 'value_after', 'voucher_type', 'voucher_id', 'batch', 'serial_no', 'rate_fixed'];

/** The ledger entries' INSERT (none to write: undefined). */
function insertLedgerSql(ledger: ObjectMeta, L: Cols, tenantId: string, voucher: Voucher, posted: PostedMove[]): RawBuilder<unknown> | undefined {
  if (!posted.length) return undefined;
  const rows = posted.map((p) => sql`(${tenantId}, ${newId()}, ${p.item}, ${p.warehouse}, ${voucher.postingDate}::date, ${p.qty.toFixed()}, ${p.rate.toFixed(6)},
    ${p.valueChange.toFixed(6)}, ${p.qtyAfter.toFixed()}, ${p.valueAfter.toFixed(6)}, ${voucher.type}, ${voucher.id},
    ${p.batch ?? null}, ${p.serialNo ?? null}, ${!!(p.forceRate || p.keepRate)}, mosaic_user())`);
  return sql`INSERT INTO ${sql.id(ledger.tableName)} (tenant_id, id, ${sql.join(LEDGER_FIELDS.map((f) => sql.id(L[f])))}, created_by)
    VALUES ${sql.join(rows)}`;
}

interface ItemSettings {
  code: string;
  name: string;
  type: string;
  method: ValuationMethod;
  allowNegative: boolean;
  batch: boolean;
}

/**
 * Runs a balance write and turns the posting flag off in the same statement (issue 8: one round trip
 * less per posting). The flag must stay on for every row the write touches — the guard is a row
 * trigger — so it goes off in the outer SELECT, over an aggregate of the write's rows, which
 * PostgreSQL evaluates only after the data-modifying CTE has written all of them.
 */
export async function flagOffAfter(tx: Tx, write: RawBuilder<unknown>, alsoFirst?: RawBuilder<unknown>): Promise<void> {
  // alsoFirst: another write under the flag in the same statement (a posting's ledger entries), counted too.
  await sql`WITH ${alsoFirst ? sql`e AS (${alsoFirst} RETURNING 1), ` : sql``}w AS (${write} RETURNING 1)
    SELECT set_config('mosaic.stock_posting', 'off', true) FROM (SELECT count(*) FROM w) AS n${alsoFirst ? sql`, (SELECT count(*) FROM e) AS m` : sql``}`.execute(tx);
}

/** field API name → physical column, for the stock objects the service writes directly. */
export function columns(obj: ObjectMeta): Cols {
  // Built once per metadata snapshot of the object (several times per document before: the item has dozens of fields).
  const hit = columnMaps.get(obj);
  if (hit && hit.fields === obj.fields.length) return hit.cols;
  const cols: Cols = Object.fromEntries(obj.fields.filter((f) => f.columnName).map((f) => [f.apiName, f.columnName!]));
  columnMaps.set(obj, { fields: obj.fields.length, cols });
  return cols;
}

const columnMaps = new WeakMap<ObjectMeta, { fields: number; cols: Cols }>();

/** The moves that undo a voucher: each entry reversed at the rate it was posted with. */
export async function reversalMoves(tx: Tx, objects: Map<string, ObjectMeta>, voucher: Pick<Voucher, 'type' | 'id'>): Promise<StockMove[]> {
  const ledger = objects.get('stock_ledger_entry')!;
  const L = columns(ledger);
  // The value an entry carries now = its own + the re-valuations written against it since.
  const rows = await sql<Record<string, any>>`SELECT e.${sql.ref(L.item)} AS item, e.${sql.ref(L.warehouse)} AS warehouse, e.${sql.ref(L.qty)} AS qty,
      e.${sql.ref(L.value_change)} + COALESCE((SELECT sum(r.${sql.ref(L.value_change)}) FROM ${sql.id(ledger.tableName)} r WHERE r.${sql.ref(L.revalues_entry)} = e.id::text), 0) AS value,
      e.${sql.ref(L.batch)} AS batch, e.${sql.ref(L.serial_no)} AS serial_no
    FROM ${sql.id(ledger.tableName)} e WHERE e.${sql.ref(L.voucher_type)} = ${voucher.type} AND e.${sql.ref(L.voucher_id)} = ${voucher.id} AND e.${sql.ref(L.qty)} <> 0
    ORDER BY e.created_at, e.id`.execute(tx);
  // Reverse in the opposite order: the last move is undone first.
  return rows.rows.reverse().map((r) => {
    const qty = new Decimal(r.qty);
    const value = new Decimal(r.value);
    return { item: r.item, warehouse: r.warehouse, qty: qty.neg(), rate: value.div(qty).abs(), value: qty.lt(0) ? value.neg() : undefined, forceRate: true, batch: r.batch, serialNo: r.serial_no };
  });
}
