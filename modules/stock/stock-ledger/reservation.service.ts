import { sql } from 'kysely';
import { AppError, Decimal } from '@mosaic/kernel';
import type { Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import { columns, flagOffAfter, lockOrCreateBalances } from './stock-ledger.service.ts';
import { checkReorder, reorderWatchSql } from '../replenishment/replenishment.service.ts';

export interface Reservation {
  item: string;
  warehouse: string;
  qty: Decimal;
}

/** What a backorder reserved beyond the stock available when it was placed. */
export interface Shortage {
  item: string;
  warehouse: string;
  available: string;
  requested: string;
  short: string;
}

/**
 * Reserves stock for an order so two orders never promise the same unit:
 * under the balance row's lock (taken in item × warehouse order, like
 * postings), reserved may grow only while on hand − reserved covers it —
 * unless the item or warehouse allows negative stock. Negative quantities
 * release a reservation (never below zero).
 *
 * A backorder (`opts.backorder`, an order the customer accepts to wait for)
 * reserves its whole quantity even beyond what is available: the shortfall is
 * then available − reserved < 0, which later orders see (they cannot take the
 * incoming goods), ATP shows, and the reorder check turns into a purchase
 * suggestion; the receipt that brings the goods in finds them promised. The
 * shortfalls are returned.
 */
export async function reserveStock(tx: Tx, objects: Map<string, ObjectMeta>, tenantId: string, lines: Reservation[], opts: { backorder?: boolean } = {}): Promise<Shortage[]> {
  const balance = objects.get('stock_balance')!;
  const item = objects.get('item')!;
  const wh = objects.get('warehouse')!;
  const B = columns(balance);
  const I = columns(item);
  const W = columns(wh);
  const merged = new Map<string, Decimal>();
  for (const l of lines) merged.set(`${l.item}|${l.warehouse}`, (merged.get(`${l.item}|${l.warehouse}`) ?? new Decimal(0)).plus(l.qty));
  const keys = [...merged.keys()].sort();
  if (!keys.length) return [];
  const pairs = keys.map((k) => k.split('|'));
  // Every row locked in key order, with the posting flag turned on, and the item's settings read — one statement when the rows exist.
  const rows = await lockOrCreateBalances<Record<string, any>>(tx, balance, B, tenantId, pairs, sql`b.id, b.${sql.ref(B.item)} AS item, b.${sql.ref(B.warehouse)} AS warehouse,
      b.${sql.ref(B.on_hand)} AS on_hand, b.${sql.ref(B.reserved)} AS reserved,
      i.${sql.ref(I.name)} AS name, i.${sql.ref(I.code)} AS code, i.${sql.ref(I.item_type)} AS type,
      COALESCE(i.${sql.ref(I.allow_negative)}, false) OR COALESCE(w.${sql.ref(W.allow_negative)}, false) AS negative_ok, ${reorderWatchSql(objects)} AS reorder_watch`,
    sql`JOIN ${sql.id(item.tableName)} i ON i.id = b.${sql.ref(B.item)} JOIN ${sql.id(wh.tableName)} w ON w.id = b.${sql.ref(B.warehouse)}`);
  const byKey = new Map(rows.map((r) => [`${r.item}|${r.warehouse}`, r]));
  const updates: { id: string; reserved: string }[] = [];
  const shortages: Shortage[] = [];
  for (const key of keys) {
    const row = byKey.get(key);
    if (!row) throw new AppError('LINK_NOT_FOUND', `item or warehouse ${key} does not exist`);
    if (row.type !== 'stock') continue;
    const qty = merged.get(key)!;
    const reserved = new Decimal(row.reserved ?? 0);
    const available = new Decimal(row.on_hand ?? 0).minus(reserved);
    if (qty.gt(0) && available.lt(qty) && !row.negative_ok && opts.backorder) {
      shortages.push({ item: row.item, warehouse: row.warehouse, available: Decimal.max(available, 0).toFixed(), requested: qty.toFixed(), short: qty.minus(Decimal.max(available, 0)).toFixed() });
    } else if (qty.gt(0) && available.lt(qty) && !row.negative_ok) {
      throw new AppError('STOCK_SHORTAGE', `${row.name} (${row.code}): only ${Decimal.max(available, 0).toFixed()} available, ${qty.toFixed()} asked`, {
        field: 'lines', details: { item: row.item, warehouse: row.warehouse, available: available.toFixed(), requested: qty.toFixed() },
      });
    }
    updates.push({ id: row.id, reserved: Decimal.max(reserved.plus(qty), 0).toFixed() });
  }
  if (updates.length) {
    await flagOffAfter(tx, sql`UPDATE ${sql.id(balance.tableName)} b SET ${sql.id(B.reserved)} = v.reserved, version = b.version + 1, updated_at = now()
      FROM (VALUES ${sql.join(updates.map((u) => sql`(${u.id}::uuid, ${u.reserved}::numeric)`))}) AS v(id, reserved) WHERE b.id = v.id`);
  } else {
    await sql`SELECT set_config('mosaic.stock_posting', 'off', true)`.execute(tx);
  }
  // Only keys with a reorder level or a shortage before this change (reorderWatchSql); a backorder's new
  // shortfall has its suggestion raised by the caller (raiseShortages).
  await checkReorder(tx, objects, tenantId, rows.filter((r) => r.reorder_watch).map((r) => `${r.item}|${r.warehouse}`));
  return shortages;
}
