import { sql, type Tx } from '@mosaic/db';
import { Decimal } from '@mosaic/kernel';
import { getRecord, type RecordsCtx } from '@mosaic/records';
import { LIVE, objectsOf, setSystemFields, tableOf, userTx } from '../shared/buying-sql.ts';
import { chainStatus, kept, orderFigures, receivedRate } from './order-figures.ts';

/** Recomputes an order's received % and invoiced % after a receipt, invoice or return posts or is cancelled. */
export async function refreshOrderStatus(tx: Tx, ctx: RecordsCtx, orderId: string): Promise<void> {
  const figures = await orderFigures(tx, await objectsOf(ctx), orderId);
  const s = chainStatus(figures.values());
  await setSystemFields(tx, ctx, 'purchase_order', orderId, { per_received: s.received.toFixed(6), per_invoiced: s.invoiced.toFixed(6) });
}

/** A requisition's ordered %: its lines' quantities on live purchase orders. */
export async function refreshRequisitionStatus(tx: Tx, ctx: RecordsCtx, requisitionId: string): Promise<void> {
  const objects = await objectsOf(ctx);
  const prl = tableOf(objects, 'purchase_requisition_line');
  const po = tableOf(objects, 'purchase_order');
  const pol = tableOf(objects, 'purchase_order_line');
  const r = (await sql<{ wanted: string; ordered: string }>`SELECT COALESCE(sum(r.${sql.ref(prl.col('qty'))}), 0)::text AS wanted,
      COALESCE(sum(LEAST(r.${sql.ref(prl.col('qty'))}, (SELECT COALESCE(sum(l.${sql.ref(pol.col('qty'))}), 0) FROM ${sql.id(pol.name)} l JOIN ${sql.id(po.name)} o ON o.id = l.parent_id
        WHERE l.${sql.ref(pol.col('requisition_line'))} = r.id::text AND o.status = ANY(${LIVE})))), 0)::text AS ordered
    FROM ${sql.id(prl.name)} r WHERE r.parent_id = ${requisitionId}`.execute(tx)).rows[0];
  const wanted = new Decimal(r.wanted);
  const per = wanted.isZero() ? new Decimal(0) : new Decimal(r.ordered).div(wanted).toDecimalPlaces(4, Decimal.ROUND_DOWN);
  await setSystemFields(tx, ctx, 'purchase_requisition', requisitionId, { per_ordered: per.toFixed(6) });
}

/** Per requisition line: the quantity already on live purchase orders. */
export async function orderedByRequisitionLine(tx: Tx, ctx: RecordsCtx, requisitionId: string): Promise<Map<string, Decimal>> {
  const objects = await objectsOf(ctx);
  const prl = tableOf(objects, 'purchase_requisition_line');
  const po = tableOf(objects, 'purchase_order');
  const pol = tableOf(objects, 'purchase_order_line');
  const rows = await sql<{ line: string; qty: string }>`SELECT r.id AS line, COALESCE(sum(l.${sql.ref(pol.col('qty'))}), 0)::text AS qty
    FROM ${sql.id(prl.name)} r
    LEFT JOIN ${sql.id(pol.name)} l ON l.${sql.ref(pol.col('requisition_line'))} = r.id::text
      AND EXISTS (SELECT 1 FROM ${sql.id(po.name)} o WHERE o.id = l.parent_id AND o.status = ANY(${LIVE}))
    WHERE r.parent_id = ${requisitionId} GROUP BY r.id`.execute(tx);
  return new Map(rows.rows.map((r) => [r.line, new Decimal(r.qty)]));
}

/**
 * GET /api/v1/buying/purchase_order/{id}/chain — the order's chain: per line
 * ordered / received / returned / invoiced and the rate received at, the
 * received % and invoiced %, and the documents made from it. Read with the
 * caller's rights: an order they may not read is a 404.
 */
export async function orderChain(ctx: RecordsCtx, orderId: string): Promise<Record<string, unknown>> {
  const order = await getRecord(ctx, 'purchase_order', orderId);
  return userTx(ctx, async (tx) => {
    const objects = await objectsOf(ctx);
    const figures = [...(await orderFigures(tx, objects, orderId)).values()];
    const s = chainStatus(figures);
    const documents: Record<string, unknown[]> = {};
    for (const api of ['purchase_receipt', 'purchase_invoice', 'purchase_return'] as const) {
      const t = tableOf(objects, api);
      documents[api] = (await sql<Record<string, unknown>>`SELECT id, ${sql.ref(t.col('number'))} AS number, status FROM ${sql.id(t.name)}
        WHERE ${sql.ref(t.col('purchase_order'))} = ${orderId} ORDER BY created_at`.execute(tx)).rows;
    }
    return {
      id: order.id, number: order.number, status: order.status, supplier: order.supplier,
      per_received: s.received.toFixed(4), per_invoiced: s.invoiced.toFixed(4),
      lines: figures.map((f) => ({
        order_line: f.id, item: f.item, item_name: f.itemName, ordered: f.ordered.toFixed(), received: f.received.toFixed(), returned: f.returned.toFixed(),
        kept: kept(f).toFixed(), invoiced: f.invoiced.toFixed(), rate: f.rate.toFixed(), received_rate: receivedRate(f).toFixed(),
      })),
      documents,
    };
  });
}
