import { sql } from 'kysely';
import type { Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import { tableOf } from '../mfg-tables.ts';
import type { Bom, ItemInfo } from './bom.types.ts';

/**
 * Every BOM of the tenant with its child rows, in four queries (not one per
 * node): trees, where-used, cost roll-ups and MRP all walk the same in-memory
 * graph. `onlyActive` leaves out BOMs switched off.
 */
export async function loadBoms(tx: Tx, objects: Map<string, ObjectMeta>, onlyActive = true): Promise<Map<string, Bom>> {
  const B = tableOf(objects, 'bom');
  const L = tableOf(objects, 'bom_line');
  const P = tableOf(objects, 'bom_by_product');
  const S = tableOf(objects, 'bom_substitute');
  const heads = await sql<Record<string, any>>`SELECT id, ${B.c('code')} AS code, ${B.c('item')} AS item, ${B.c('revision')} AS version,
      ${B.c('is_default')} AS is_default, ${B.c('is_active')} AS is_active, ${B.c('effective_from')}::text AS eff_from, ${B.c('effective_to')}::text AS eff_to,
      ${B.c('quantity')}::text AS quantity, ${B.c('routing')} AS routing, coalesce(${B.c('overhead_pct')}, 0)::text AS overhead_pct
    FROM ${B.t} ${onlyActive ? sql`WHERE ${B.c('is_active')} IS NOT FALSE` : sql``}`.execute(tx);
  const boms = new Map<string, Bom>();
  for (const r of heads.rows) {
    boms.set(r.id, {
      id: r.id, code: r.code, item: r.item, version: r.version, isDefault: !!r.is_default, isActive: r.is_active !== false,
      effectiveFrom: r.eff_from, effectiveTo: r.eff_to, quantity: r.quantity, routing: r.routing, overheadPct: r.overhead_pct,
      lines: [], byProducts: [], substitutes: [],
    });
  }
  const lines = await sql<Record<string, any>>`SELECT parent_id, ${L.c('item')} AS item, ${L.c('qty')}::text AS qty, coalesce(${L.c('scrap_pct')}, 0)::text AS scrap,
      ${L.c('is_phantom')} AS phantom, ${L.c('operation_seq')} AS op FROM ${L.t} ORDER BY parent_id, idx`.execute(tx);
  for (const r of lines.rows) boms.get(r.parent_id)?.lines.push({ item: r.item, qty: r.qty, scrapPct: r.scrap, phantom: !!r.phantom, operationSeq: r.op });
  const byProducts = await sql<Record<string, any>>`SELECT parent_id, ${P.c('item')} AS item, ${P.c('qty')}::text AS qty FROM ${P.t} ORDER BY parent_id, idx`.execute(tx);
  for (const r of byProducts.rows) boms.get(r.parent_id)?.byProducts.push({ item: r.item, qty: r.qty });
  const subs = await sql<Record<string, any>>`SELECT parent_id, ${S.c('item')} AS item, ${S.c('substitute')} AS substitute, ${S.c('ratio')}::text AS ratio,
      coalesce(${S.c('priority')}, 1) AS priority FROM ${S.t} ORDER BY parent_id, idx`.execute(tx);
  for (const r of subs.rows) boms.get(r.parent_id)?.substitutes.push({ item: r.item, substitute: r.substitute, ratio: r.ratio, priority: Number(r.priority) });
  return boms;
}

/** Codes and names of items, for showing trees. */
export async function loadItemInfo(tx: Tx, objects: Map<string, ObjectMeta>, ids: string[]): Promise<Map<string, ItemInfo>> {
  if (!ids.length) return new Map();
  const I = tableOf(objects, 'item');
  const rows = await sql<ItemInfo>`SELECT id, ${I.c('code')} AS code, ${I.c('name')} AS name FROM ${I.t} WHERE id = ANY(${ids}::uuid[])`.execute(tx);
  return new Map(rows.rows.map((r) => [r.id, r]));
}

/**
 * Current valuation rate per item: the stock value over the quantity on hand,
 * across warehouses (移动加权/先进先出 as each item is valued), falling back to the
 * item's standard price when nothing is in stock.
 */
export async function loadValuationRates(tx: Tx, objects: Map<string, ObjectMeta>): Promise<Map<string, string>> {
  const I = tableOf(objects, 'item');
  const S = tableOf(objects, 'stock_balance');
  const rows = await sql<{ id: string; rate: string | null }>`SELECT i.id,
      coalesce(CASE WHEN sum(b.${S.c('on_hand')}) > 0 THEN round(sum(b.${S.c('value')}) / sum(b.${S.c('on_hand')}), 6) END, i.${I.c('standard_price')})::text AS rate
    FROM ${I.t} i LEFT JOIN ${S.t} b ON b.${S.c('item')} = i.id GROUP BY i.id, i.${I.c('standard_price')}`.execute(tx);
  return new Map(rows.rows.filter((r) => r.rate !== null).map((r) => [r.id, r.rate!]));
}
