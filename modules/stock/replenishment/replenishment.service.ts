import { sql } from 'kysely';
import { newId } from '@mosaic/kernel';
import type { Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import { addNotifications } from '@mosaic/automation';
import { columns } from '../stock-ledger/stock-ledger.service.ts';

/**
 * After stock or reservations change, compares available (on hand − reserved)
 * with the item × warehouse minimum (item_reorder):
 *   below the minimum and no open suggestion → raise one (once: a partial
 *     unique index on open suggestions makes a second insert a no-op) and
 *     notify the buyer (or the item's owner) through the notification service;
 *   back at or above the minimum → clear the open suggestion.
 * Runs in the posting's transaction, under the balance rows' locks.
 */
export async function checkReorder(tx: Tx, objects: Map<string, ObjectMeta>, tenantId: string, keys: string[]): Promise<void> {
  const reorder = objects.get('item_reorder');
  const sug = objects.get('replenishment_suggestion');
  if (!reorder || !sug || !keys.length) return;
  const balance = objects.get('stock_balance')!;
  const item = objects.get('item')!;
  const R = columns(reorder);
  const B = columns(balance);
  const S = columns(sug);
  const I = columns(item);
  const pairs = keys.map((k) => k.split('|'));
  const levels = await sql<Record<string, any>>`SELECT r.parent_id AS item, r.${sql.ref(R.warehouse)} AS warehouse, r.${sql.ref(R.min_qty)}::text AS min_qty,
      COALESCE(r.${sql.ref(R.reorder_qty)}, 0)::text AS reorder_qty, r.${sql.ref(R.max_qty)}::text AS max_qty, COALESCE(r.${sql.ref(R.buyer)}, i.owner_id) AS buyer,
      i.${sql.ref(I.name)} AS name, i.${sql.ref(I.code)} AS code, i.company_id,
      (COALESCE(b.${sql.ref(B.on_hand)}, 0) - COALESCE(b.${sql.ref(B.reserved)}, 0))::text AS available,
      s.id AS open_id
    FROM ${sql.id(reorder.tableName)} r
    JOIN ${sql.id(item.tableName)} i ON i.id = r.parent_id
    LEFT JOIN ${sql.id(balance.tableName)} b ON b.${sql.ref(B.item)} = r.parent_id AND b.${sql.ref(B.warehouse)} = r.${sql.ref(R.warehouse)}
    LEFT JOIN ${sql.id(sug.tableName)} s ON s.${sql.ref(S.item)} = r.parent_id AND s.${sql.ref(S.warehouse)} = r.${sql.ref(R.warehouse)} AND s.${sql.ref(S.state)} = 'open'
    WHERE (r.parent_id, r.${sql.ref(R.warehouse)}) IN (${sql.join(pairs.map(([i, w]) => sql`(${i}::uuid, ${w}::uuid)`))})`.execute(tx);
  for (const l of levels.rows) {
    const below = Number(l.available) < Number(l.min_qty);
    if (below && !l.open_id) await raise(tx, tenantId, sug, S, l);
    else if (!below && l.open_id) {
      await sql`UPDATE ${sql.id(sug.tableName)} SET ${sql.id(S.state)} = 'cleared', ${sql.id(S.cleared_at)} = now(), ${sql.id(S.available)} = ${l.available},
        version = version + 1, updated_at = now() WHERE id = ${l.open_id}`.execute(tx);
    }
  }
}

async function raise(tx: Tx, tenantId: string, sug: ObjectMeta, S: Record<string, string>, l: Record<string, any>): Promise<void> {
  // Up to the maximum if one is set, else the reorder quantity, else back to the minimum.
  const target = l.max_qty !== null ? Number(l.max_qty) : null;
  const suggested = target !== null ? target - Number(l.available) : Math.max(Number(l.reorder_qty), Number(l.min_qty) - Number(l.available));
  const id = newId();
  const inserted = await sql`INSERT INTO ${sql.id(sug.tableName)} (tenant_id, id, company_id, owner_id, ${sql.join(['item', 'warehouse', 'available', 'min_qty', 'suggested_qty', 'state', 'raised_at'].map((f) => sql.id(S[f])))})
    VALUES (${tenantId}, ${id}, ${l.company_id}, ${l.buyer}, ${l.item}, ${l.warehouse}, ${l.available}, ${l.min_qty}, ${String(suggested)}, 'open', now())
    ON CONFLICT DO NOTHING`.execute(tx);
  if (!Number(inserted.numAffectedRows ?? 0) || !l.buyer) return;
  await addNotifications(tx, tenantId, [{
    userId: l.buyer, kind: 'rule', object: 'replenishment_suggestion', recordId: id, link: `/records/replenishment_suggestion/${id}`,
    title: `补货建议：${l.name} (${l.code}) 可用量 ${Number(l.available)} 低于最低库存 ${Number(l.min_qty)}`,
    body: `建议补货 ${suggested}`,
  }]);
}
