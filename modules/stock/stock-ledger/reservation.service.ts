import { sql } from 'kysely';
import { AppError, Decimal, newId } from '@mosaic/kernel';
import type { Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import { columns } from './stock-ledger.service.ts';
import { checkReorder } from '../replenishment/replenishment.service.ts';

export interface Reservation {
  item: string;
  warehouse: string;
  qty: Decimal;
}

/**
 * Reserves stock for an order so two orders never promise the same unit:
 * under the balance row's lock (taken in item × warehouse order, like
 * postings), reserved may grow only while on hand − reserved covers it —
 * unless the item or warehouse allows negative stock. Negative quantities
 * release a reservation (never below zero).
 */
export async function reserveStock(tx: Tx, objects: Map<string, ObjectMeta>, tenantId: string, lines: Reservation[]): Promise<void> {
  const balance = objects.get('stock_balance')!;
  const item = objects.get('item')!;
  const wh = objects.get('warehouse')!;
  const B = columns(balance);
  const I = columns(item);
  const W = columns(wh);
  const merged = new Map<string, Decimal>();
  for (const l of lines) merged.set(`${l.item}|${l.warehouse}`, (merged.get(`${l.item}|${l.warehouse}`) ?? new Decimal(0)).plus(l.qty));
  await sql`SELECT set_config('mosaic.stock_posting', 'on', true)`.execute(tx);
  for (const key of [...merged.keys()].sort()) {
    const [itemId, whId] = key.split('|');
    const qty = merged.get(key)!;
    await sql`INSERT INTO ${sql.id(balance.tableName)} (tenant_id, id, ${sql.id(B.item)}, ${sql.id(B.warehouse)}, ${sql.id(B.on_hand)}, ${sql.id(B.reserved)}, ${sql.id(B.value)})
      VALUES (${tenantId}, ${newId()}, ${itemId}, ${whId}, 0, 0, 0) ON CONFLICT DO NOTHING`.execute(tx);
    const row = (await sql<Record<string, any>>`SELECT b.id, b.${sql.ref(B.on_hand)} AS on_hand, b.${sql.ref(B.reserved)} AS reserved,
        i.${sql.ref(I.name)} AS name, i.${sql.ref(I.code)} AS code, i.${sql.ref(I.item_type)} AS type,
        COALESCE(i.${sql.ref(I.allow_negative)}, false) OR COALESCE(w.${sql.ref(W.allow_negative)}, false) AS negative_ok
      FROM ${sql.id(balance.tableName)} b JOIN ${sql.id(item.tableName)} i ON i.id = b.${sql.ref(B.item)} JOIN ${sql.id(wh.tableName)} w ON w.id = b.${sql.ref(B.warehouse)}
      WHERE b.${sql.ref(B.item)} = ${itemId} AND b.${sql.ref(B.warehouse)} = ${whId} FOR UPDATE OF b`.execute(tx)).rows[0];
    if (!row) throw new AppError('LINK_NOT_FOUND', `item or warehouse ${key} does not exist`);
    if (row.type !== 'stock') continue;
    const reserved = new Decimal(row.reserved ?? 0);
    const available = new Decimal(row.on_hand ?? 0).minus(reserved);
    if (qty.gt(0) && available.lt(qty) && !row.negative_ok) {
      throw new AppError('STOCK_SHORTAGE', `${row.name} (${row.code}): only ${Decimal.max(available, 0).toFixed()} available, ${qty.toFixed()} asked`, {
        field: 'lines', details: { item: itemId, warehouse: whId, available: available.toFixed(), requested: qty.toFixed() },
      });
    }
    const next = Decimal.max(reserved.plus(qty), 0);
    await sql`UPDATE ${sql.id(balance.tableName)} SET ${sql.id(B.reserved)} = ${next.toFixed()}, version = version + 1, updated_at = now() WHERE id = ${row.id}`.execute(tx);
  }
  await sql`SELECT set_config('mosaic.stock_posting', 'off', true)`.execute(tx);
  await checkReorder(tx, objects, tenantId, [...merged.keys()]);
}
