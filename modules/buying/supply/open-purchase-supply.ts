import { sql, type Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import type { IncomingSupply } from '@mosaic/stock';
import { LIVE, tableOf } from '../shared/buying-sql.ts';
import { factorSql } from '../shared/stock-units.ts';

/**
 * Open purchase order lines as incoming supply for available-to-promise and
 * MRP: ordered − received on submitted receipts, per line, due on the
 * supplier's confirmed date, else the date the order asked for. Quantities in
 * stock units (an order in 箱, receipts in 个 or 箱).
 *
 *   SELECT po.id, l.item, po.warehouse, l.qty − Σ receipt lines, coalesce(confirmed_date, schedule_date) …
 */
export async function openPurchaseSupply(tx: Tx, objects: Map<string, ObjectMeta>, filter: { item?: string; warehouse?: string }): Promise<IncomingSupply[]> {
  const po = tableOf(objects, 'purchase_order');
  const pol = tableOf(objects, 'purchase_order_line');
  const pr = tableOf(objects, 'purchase_receipt');
  const prl = tableOf(objects, 'purchase_receipt_line');
  const c = (t: { col(f: string): string }, f: string) => sql.ref(t.col(f));
  const conv = tableOf(objects, 'item_uom');
  const ordered = sql`l.${c(pol, 'qty')} * ${factorSql(pol, conv)}`;
  const rows = await sql<{ id: string; item: string; warehouse: string | null; qty: string; date: string | null }>`
    SELECT p.id, l.${c(pol, 'item')} AS item, p.${c(po, 'warehouse')} AS warehouse,
      (${ordered} - COALESCE(r.qty, 0))::text AS qty,
      COALESCE(p.${c(po, 'confirmed_date')}, p.${c(po, 'schedule_date')})::text AS date
    FROM ${sql.id(pol.name)} l
    JOIN ${sql.id(po.name)} p ON p.id = l.parent_id
    LEFT JOIN (
      SELECT rl.${c(prl, 'order_line')} AS line, sum(rl.${c(prl, 'qty')} * ${factorSql(prl, conv, 'rl')}) AS qty
      FROM ${sql.id(prl.name)} rl JOIN ${sql.id(pr.name)} r ON r.id = rl.parent_id
      WHERE r.status = ANY(${LIVE}) GROUP BY 1
    ) r ON r.line = l.id::text
    WHERE p.status = ANY(${LIVE}) AND ${ordered} - COALESCE(r.qty, 0) > 0
      ${filter.item ? sql`AND l.${c(pol, 'item')} = ${filter.item}` : sql``}
      ${filter.warehouse ? sql`AND p.${c(po, 'warehouse')} = ${filter.warehouse}` : sql``}`.execute(tx);
  return rows.rows.map((r) => ({ source: 'purchase_order' as const, ...r }));
}
