import { sql, type Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import type { IncomingSupply } from '@mosaic/stock';
import { LIVE, tableOf } from '../shared/buying-sql.ts';

/**
 * Open purchase requisition lines as *requested* supply (MRP counts it, ATP
 * does not): line qty − what live purchase orders already order against the
 * line (that part is purchase-order supply from then on), due on the
 * line's required date, else the requisition's. Drafts count: firming MRP purchase suggestions
 * makes draft requisitions, and the next run must not suggest the goods again;
 * cancelled ones do not.
 */
export async function openRequisitionSupply(tx: Tx, objects: Map<string, ObjectMeta>, filter: { item?: string; warehouse?: string }): Promise<IncomingSupply[]> {
  const pr = tableOf(objects, 'purchase_requisition');
  const prl = tableOf(objects, 'purchase_requisition_line');
  const po = tableOf(objects, 'purchase_order');
  const pol = tableOf(objects, 'purchase_order_line');
  const c = (t: { col(f: string): string }, f: string) => sql.ref(t.col(f));
  const rows = await sql<{ id: string; item: string; warehouse: string | null; qty: string; date: string | null }>`
    SELECT p.id, l.${c(prl, 'item')} AS item, p.${c(pr, 'warehouse')} AS warehouse,
      (l.${c(prl, 'qty')} - COALESCE(o.qty, 0))::text AS qty,
      COALESCE(l.${c(prl, 'required_date')}, p.${c(pr, 'required_date')}, p.${c(pr, 'request_date')})::text AS date
    FROM ${sql.id(prl.name)} l
    JOIN ${sql.id(pr.name)} p ON p.id = l.parent_id
    LEFT JOIN (
      SELECT ol.${c(pol, 'requisition_line')} AS line, sum(ol.${c(pol, 'qty')}) AS qty
      FROM ${sql.id(pol.name)} ol JOIN ${sql.id(po.name)} o ON o.id = ol.parent_id
      WHERE o.status = ANY(${LIVE}) AND ol.${c(pol, 'requisition_line')} IS NOT NULL GROUP BY 1
    ) o ON o.line = l.id::text
    WHERE p.status IN ('draft', 'submitted', 'approved') AND l.${c(prl, 'qty')} - COALESCE(o.qty, 0) > 0
      ${filter.item ? sql`AND l.${c(prl, 'item')} = ${filter.item}` : sql``}
      ${filter.warehouse ? sql`AND p.${c(pr, 'warehouse')} = ${filter.warehouse}` : sql``}`.execute(tx);
  return rows.rows.map((r) => ({ source: 'purchase_requisition' as const, ...r }));
}
