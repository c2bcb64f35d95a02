import { sql, type RawBuilder } from 'kysely';
import { newId } from '@mosaic/kernel';
import type { Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import { addNotifications, recordLink } from '@mosaic/automation';
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
  // One statement (issue 8): the shortage clearing rides along as a data-modifying CTE. It touches only
  // suggestions of keys WITHOUT a reorder level, the SELECT only those of keys with one, so the SELECT
  // not seeing the CTE's writes (one snapshot per statement) changes nothing.
  const levels = await sql<Record<string, any>>`WITH cleared AS (${clearCoveredShortages(objects, keys)})
    SELECT r.parent_id AS item, r.${sql.ref(R.warehouse)} AS warehouse, r.${sql.ref(R.min_qty)}::text AS min_qty,
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

/**
 * Whether a posting must run checkReorder on a key, as a column of its balance-lock statement (alias
 * `b`): the key has a reorder level, or less is available than promised before the posting (an open
 * shortage suggestion — raised only below zero — may be cleared by it). Neither: checkReorder could
 * neither raise nor clear anything there, and its statement is skipped. (A shortage suggestion left
 * open after its level was deleted while stock was already back is cleared by the key's next posting
 * that starts below zero.)
 */
export function reorderWatchSql(objects: Map<string, ObjectMeta>): RawBuilder<boolean> {
  const reorder = objects.get('item_reorder');
  const balance = objects.get('stock_balance')!;
  const B = columns(balance);
  const below = sql<boolean>`COALESCE(b.${sql.ref(B.on_hand)}, 0) - COALESCE(b.${sql.ref(B.reserved)}, 0) < 0`;
  if (!reorder || !objects.get('replenishment_suggestion')) return sql<boolean>`false`;
  return sql<boolean>`(${below} OR EXISTS (SELECT 1 FROM ${sql.id(reorder.tableName)} r WHERE r.parent_id = b.${sql.ref(B.item)} AND r.${sql.ref(columns(reorder).warehouse)} = b.${sql.ref(B.warehouse)}))`;
}

/**
 * A backorder's shortfall on an item × warehouse with no reorder level still
 * needs buying: one open suggestion for it (added to an open one of the same
 * key), owned by — and notified to — the item's owner. Keys with a reorder
 * level are left to checkReorder, which sees the same negative availability.
 */
export async function raiseShortages(tx: Tx, objects: Map<string, ObjectMeta>, tenantId: string, shortages: { item: string; warehouse: string; short: string }[]): Promise<void> {
  const reorder = objects.get('item_reorder');
  const sug = objects.get('replenishment_suggestion');
  if (!reorder || !sug || !shortages.length) return;
  const item = objects.get('item')!;
  const R = columns(reorder);
  const S = columns(sug);
  const I = columns(item);
  for (const sh of shortages) {
    const level = await sql`SELECT 1 FROM ${sql.id(reorder.tableName)} WHERE parent_id = ${sh.item} AND ${sql.ref(R.warehouse)} = ${sh.warehouse}`.execute(tx);
    if (level.rows.length) continue;
    const it = (await sql<Record<string, any>>`SELECT owner_id, company_id, ${sql.ref(I.name)} AS name, ${sql.ref(I.code)} AS code FROM ${sql.id(item.tableName)} WHERE id = ${sh.item}`.execute(tx)).rows[0];
    const id = newId();
    const r = await sql<{ id: string }>`INSERT INTO ${sql.id(sug.tableName)} AS s (tenant_id, id, company_id, owner_id, ${sql.join(['item', 'warehouse', 'available', 'min_qty', 'suggested_qty', 'state', 'raised_at'].map((f) => sql.id(S[f])))})
      VALUES (${tenantId}, ${id}, ${it.company_id}, ${it.owner_id}, ${sh.item}, ${sh.warehouse}, ${`-${sh.short}`}, 0, ${sh.short}, 'open', now())
      ON CONFLICT (tenant_id, ${sql.id(S.item)}, ${sql.id(S.warehouse)}) WHERE ${sql.id(S.state)} = 'open'
      DO UPDATE SET ${sql.id(S.suggested_qty)} = s.${sql.ref(S.suggested_qty)} + EXCLUDED.${sql.ref(S.suggested_qty)}, version = s.version + 1, updated_at = now()
      RETURNING id`.execute(tx);
    if (r.rows[0]?.id !== id || !it.owner_id) continue; // added to an open suggestion: its buyer was told already
    await addNotifications(tx, tenantId, [{
      userId: it.owner_id, kind: 'rule', object: 'replenishment_suggestion', recordId: id, link: recordLink('replenishment_suggestion', id),
      title: `缺货补货建议：${it.name} (${it.code}) 缺 ${Number(sh.short)}（欠货订单）`, body: `建议补货 ${Number(sh.short)}`,
    }]);
  }
}

/** Open suggestions of keys without a reorder level (raised by shortages) are cleared once stock covers what is promised. */
function clearCoveredShortages(objects: Map<string, ObjectMeta>, keys: string[]): RawBuilder<unknown> {
  const reorder = objects.get('item_reorder')!;
  const sug = objects.get('replenishment_suggestion')!;
  const balance = objects.get('stock_balance')!;
  const R = columns(reorder);
  const S = columns(sug);
  const B = columns(balance);
  const pairs = keys.map((k) => k.split('|'));
  return sql`UPDATE ${sql.id(sug.tableName)} s SET ${sql.id(S.state)} = 'cleared', ${sql.id(S.cleared_at)} = now(),
      ${sql.id(S.available)} = b.${sql.ref(B.on_hand)} - b.${sql.ref(B.reserved)}, version = s.version + 1, updated_at = now()
    FROM ${sql.id(balance.tableName)} b
    WHERE s.${sql.ref(S.state)} = 'open' AND b.${sql.ref(B.item)} = s.${sql.ref(S.item)} AND b.${sql.ref(B.warehouse)} = s.${sql.ref(S.warehouse)}
      AND (s.${sql.ref(S.item)}, s.${sql.ref(S.warehouse)}) IN (${sql.join(pairs.map(([i, w]) => sql`(${i}::uuid, ${w}::uuid)`))})
      AND b.${sql.ref(B.on_hand)} - b.${sql.ref(B.reserved)} >= 0
      AND NOT EXISTS (SELECT 1 FROM ${sql.id(reorder.tableName)} r WHERE r.parent_id = s.${sql.ref(S.item)} AND r.${sql.ref(R.warehouse)} = s.${sql.ref(S.warehouse)})`;
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
    userId: l.buyer, kind: 'rule', object: 'replenishment_suggestion', recordId: id, link: recordLink('replenishment_suggestion', id),
    title: `补货建议：${l.name} (${l.code}) 可用量 ${Number(l.available)} 低于最低库存 ${Number(l.min_qty)}`,
    body: `建议补货 ${suggested}`,
  }]);
}
