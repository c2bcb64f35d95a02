import { sql } from 'kysely';
import { AppError, Decimal, newId } from '@mosaic/kernel';
import type { Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import { issue, receive, type Layer, type StockState, type ValuationMethod } from './valuation.rules.ts';

/** One movement: positive qty comes in (at `rate`), negative goes out (at the valuation rate). */
export interface StockMove {
  item: string;
  warehouse: string;
  qty: Decimal;
  rate?: Decimal;
  /** For issues: go out at this rate instead of the valuation rate (reversing a receipt). */
  forceRate?: boolean;
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
}

type Cols = Record<string, string>;

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
  const items = await itemSettings(tx, objects, [...new Set(moves.map((m) => m.item))]);
  const warehouses = await warehouseSettings(tx, objects, [...new Set(moves.map((m) => m.warehouse))]);
  await sql`SELECT set_config('mosaic.stock_posting', 'on', true)`.execute(tx);

  const keys = [...new Set(moves.map((m) => `${m.item}|${m.warehouse}`))].sort();
  const states = await lockBalances(tx, balance, B, tenantId, keys);
  const posted: PostedMove[] = [];
  for (const m of moves) {
    const item = items.get(m.item);
    if (!item) throw new AppError('LINK_NOT_FOUND', `item: ${m.item} does not exist`, { field: 'item' });
    if (item.type !== 'stock') continue; // services and non-stock items have no stock
    if (!warehouses.has(m.warehouse)) throw new AppError('LINK_NOT_FOUND', `warehouse: ${m.warehouse} does not exist`, { field: 'warehouse' });
    const key = `${m.item}|${m.warehouse}`;
    const before = states.get(key)!;
    const result = m.qty.gt(0)
      ? receive(before.state, m.qty, m.rate ?? new Decimal(0), item.method)
      : issue(before.state, m.qty.neg(), item.method, before.lastRate, m.forceRate ? m.rate : undefined);
    if (result.state.qty.lt(0) && !item.allowNegative && !warehouses.get(m.warehouse)) {
      const short = result.state.qty.neg();
      throw new AppError('STOCK_SHORTAGE', `${item.name} (${item.code}): ${short.toFixed()} short in this warehouse — ${before.state.qty.toFixed()} on hand, ${m.qty.neg().toFixed()} asked`, {
        field: 'qty', details: { item: m.item, warehouse: m.warehouse, onHand: before.state.qty.toFixed(), requested: m.qty.neg().toFixed(), short: short.toFixed() },
      });
    }
    states.set(key, { ...before, state: result.state, lastRate: result.rate, dirty: true });
    posted.push({ ...m, rate: result.rate, valueChange: result.valueChange, qtyAfter: result.state.qty, valueAfter: result.state.value });
  }
  await insertLedger(tx, ledger, L, tenantId, voucher, posted);
  for (const [, s] of states) {
    if (!s.dirty) continue;
    await sql`UPDATE ${sql.id(balance.tableName)} SET ${sql.id(B.on_hand)} = ${s.state.qty.toFixed()}, ${sql.id(B.value)} = ${s.state.value.toFixed()},
      ${sql.id(B.fifo_layers)} = ${JSON.stringify(s.state.layers.map((l) => [l.qty.toFixed(), l.rate.toFixed()]))}, version = version + 1, updated_at = now()
      WHERE id = ${s.id}`.execute(tx);
  }
  await sql`SELECT set_config('mosaic.stock_posting', 'off', true)`.execute(tx);
  return posted;
}

interface Locked {
  id: string;
  state: StockState;
  lastRate: Decimal;
  dirty: boolean;
}

async function lockBalances(tx: Tx, balance: ObjectMeta, B: Cols, tenantId: string, keys: string[]): Promise<Map<string, Locked>> {
  const pairs = keys.map((k) => k.split('|'));
  // Missing rows first (a concurrent insert of the same key just loses the race quietly).
  for (const [item, wh] of pairs) {
    await sql`INSERT INTO ${sql.id(balance.tableName)} (tenant_id, id, ${sql.id(B.item)}, ${sql.id(B.warehouse)}, ${sql.id(B.on_hand)}, ${sql.id(B.reserved)}, ${sql.id(B.value)})
      VALUES (${tenantId}, ${newId()}, ${item}, ${wh}, 0, 0, 0) ON CONFLICT DO NOTHING`.execute(tx);
  }
  const rows = await sql<Record<string, any>>`SELECT id, ${sql.ref(B.item)} AS item, ${sql.ref(B.warehouse)} AS warehouse, ${sql.ref(B.on_hand)} AS on_hand,
      ${sql.ref(B.value)} AS value, ${sql.ref(B.fifo_layers)} AS layers
    FROM ${sql.id(balance.tableName)}
    WHERE (${sql.ref(B.item)}, ${sql.ref(B.warehouse)}) IN (${sql.join(pairs.map(([i, w]) => sql`(${i}::uuid, ${w}::uuid)`))})
    ORDER BY ${sql.ref(B.item)}, ${sql.ref(B.warehouse)} FOR UPDATE`.execute(tx);
  const out = new Map<string, Locked>();
  for (const r of rows.rows) {
    const layers: Layer[] = r.layers ? (JSON.parse(r.layers) as [string, string][]).map(([q, rt]) => ({ qty: new Decimal(q), rate: new Decimal(rt) })) : [];
    const qty = new Decimal(r.on_hand ?? 0);
    const value = new Decimal(r.value ?? 0);
    const lastRate = qty.gt(0) ? value.div(qty) : layers.length ? layers[layers.length - 1].rate : new Decimal(0);
    out.set(`${r.item}|${r.warehouse}`, { id: r.id, state: { qty, value, layers }, lastRate, dirty: false });
  }
  return out;
}

async function insertLedger(tx: Tx, ledger: ObjectMeta, L: Cols, tenantId: string, voucher: Voucher, posted: PostedMove[]): Promise<void> {
  if (!posted.length) return;
  const rows = posted.map((p) => sql`(${tenantId}, ${newId()}, ${p.item}, ${p.warehouse}, ${voucher.postingDate}::date, ${p.qty.toFixed()}, ${p.rate.toFixed(6)},
    ${p.valueChange.toFixed(6)}, ${p.qtyAfter.toFixed()}, ${p.valueAfter.toFixed(6)}, ${voucher.type}, ${voucher.id}, mosaic_user())`);
  await sql`INSERT INTO ${sql.id(ledger.tableName)} (tenant_id, id, ${sql.join(['item', 'warehouse', 'posting_date', 'qty', 'rate', 'value_change', 'qty_after', 'value_after', 'voucher_type', 'voucher_id'].map((f) => sql.id(L[f])))}, created_by)
    VALUES ${sql.join(rows)}`.execute(tx);
}

interface ItemSettings {
  code: string;
  name: string;
  type: string;
  method: ValuationMethod;
  allowNegative: boolean;
}

async function itemSettings(tx: Tx, objects: Map<string, ObjectMeta>, ids: string[]): Promise<Map<string, ItemSettings>> {
  const item = objects.get('item')!;
  const I = columns(item);
  const rows = await sql<Record<string, any>>`SELECT id, ${sql.ref(I.code)} AS code, ${sql.ref(I.name)} AS name, ${sql.ref(I.item_type)} AS type,
    ${sql.ref(I.valuation_method)} AS method, ${sql.ref(I.allow_negative)} AS allow_negative FROM ${sql.id(item.tableName)} WHERE id = ANY(${ids}::uuid[])`.execute(tx);
  return new Map(rows.rows.map((r) => [r.id, { code: r.code, name: r.name, type: r.type ?? 'stock', method: r.method ?? 'moving_average', allowNegative: !!r.allow_negative }]));
}

/** warehouse id → whether it allows negative stock. */
async function warehouseSettings(tx: Tx, objects: Map<string, ObjectMeta>, ids: string[]): Promise<Map<string, boolean>> {
  const wh = objects.get('warehouse')!;
  const W = columns(wh);
  const rows = await sql<Record<string, any>>`SELECT id, ${sql.ref(W.allow_negative)} AS allow_negative FROM ${sql.id(wh.tableName)} WHERE id = ANY(${ids}::uuid[])`.execute(tx);
  return new Map(rows.rows.map((r) => [r.id, !!r.allow_negative]));
}

/** field API name → physical column, for the stock objects the service writes directly. */
export function columns(obj: ObjectMeta): Cols {
  return Object.fromEntries(obj.fields.filter((f) => f.columnName).map((f) => [f.apiName, f.columnName!]));
}

/** The moves that undo a voucher: each entry reversed at the rate it was posted with. */
export async function reversalMoves(tx: Tx, objects: Map<string, ObjectMeta>, voucher: Pick<Voucher, 'type' | 'id'>): Promise<StockMove[]> {
  const ledger = objects.get('stock_ledger_entry')!;
  const L = columns(ledger);
  const rows = await sql<Record<string, any>>`SELECT ${sql.ref(L.item)} AS item, ${sql.ref(L.warehouse)} AS warehouse, ${sql.ref(L.qty)} AS qty, ${sql.ref(L.rate)} AS rate
    FROM ${sql.id(ledger.tableName)} WHERE ${sql.ref(L.voucher_type)} = ${voucher.type} AND ${sql.ref(L.voucher_id)} = ${voucher.id} ORDER BY created_at, id`.execute(tx);
  // Reverse in the opposite order: the last move is undone first.
  return rows.rows.reverse().map((r) => ({ item: r.item, warehouse: r.warehouse, qty: new Decimal(r.qty).neg(), rate: new Decimal(r.rate), forceRate: true }));
}
