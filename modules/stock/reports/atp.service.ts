import { incomingSupply } from '../supply/incoming-supply.ts';
import { sql } from 'kysely';
import { Decimal } from '@mosaic/kernel';
import type { Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import { columns } from '../stock-ledger/stock-ledger.service.ts';

export interface Incoming {
  date: string | null;
  qty: string;
  source: string;
  id: string;
}

export interface Atp {
  item: string;
  qty: string;
  available: string;
  /** The first date the quantity can ship; null when stock and incoming together don't cover it. */
  canShipOn: string | null;
  shortBy: string;
  incoming: Incoming[];
}

/**
 * Available to promise (可承诺量): on hand − reserved now (in one warehouse or
 * all), then incoming purchase orders in date order. Purchasing is another
 * module: its purchase_order is read at run time if installed — submitted or
 * approved orders' lines of the item, less what their receipts already brought
 * in when the line has a received quantity — else stock alone answers.
 */
export async function availableToPromise(tx: Tx, objects: Map<string, ObjectMeta>, q: { item: string; qty: Decimal; warehouse?: string; today: string }): Promise<Atp> {
  const balance = objects.get('stock_balance')!;
  const B = columns(balance);
  const r = await sql<{ available: string }>`SELECT COALESCE(sum(${sql.ref(B.on_hand)} - ${sql.ref(B.reserved)}), 0)::text AS available FROM ${sql.id(balance.tableName)}
    WHERE ${sql.ref(B.item)} = ${q.item} AND (${q.warehouse ?? null}::uuid IS NULL OR ${sql.ref(B.warehouse)} = ${q.warehouse ?? null}::uuid)`.execute(tx);
  const available = Decimal.max(new Decimal(r.rows[0].available), 0);
  const incoming = await incomingPurchases(tx, objects, q.item, q.warehouse);
  let cover = available;
  let canShipOn: string | null = available.gte(q.qty) ? q.today : null;
  for (const i of incoming) {
    if (canShipOn) break;
    cover = cover.plus(i.qty);
    if (cover.gte(q.qty)) canShipOn = i.date && i.date > q.today ? i.date : q.today;
  }
  return { item: q.item, qty: q.qty.toFixed(), available: available.toFixed(), canShipOn, shortBy: Decimal.max(q.qty.minus(cover), 0).toFixed(), incoming };
}

/** Open supply from the modules that register it (buying's purchase orders), for this item and warehouse. */
async function incomingPurchases(tx: Tx, objects: Map<string, ObjectMeta>, item: string, warehouse?: string): Promise<Incoming[]> {
  return (await incomingSupply(tx, objects, { item, warehouse })).map((x) => ({ date: x.date, qty: x.qty, source: x.source, id: x.id }));
}
