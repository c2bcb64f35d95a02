import { sql, type Tx } from '@mosaic/db';
import { AppError } from '@mosaic/kernel';
import { registerDocumentHooks } from '@mosaic/process';
import { getRecord, logChanges, type RecordsCtx } from '@mosaic/records';
import { LIVE, objectsOf, setSystemFields, tableOf } from '../shared/buying-sql.ts';
import { refreshRequisitionStatus } from '../chain/chain-status.service.ts';

type Row = Record<string, any>;

/**
 * A purchase order names its supplier's quotation (if any) and keeps its
 * requisition's ordered % current. Approval by amount is the approval engine's
 * business: a flow on purchase_order (e.g. entry condition grand_total > 50000)
 * holds a submitted order until approved, and receipts and invoices refuse an
 * order still waiting (liveOrder). An order cannot be cancelled once goods or
 * invoices are booked against it.
 */
export function registerPurchaseOrderHooks(): void {
  registerDocumentHooks('purchase_order', {
    async validate({ tx, ctx, record }) {
      if (!((record.lines ?? []) as Row[]).length) throw new AppError('FIELD_REQUIRED', 'lines: needs at least one row', { field: 'lines' });
      if (record.supplier_quotation) {
        const sq = await getRecord(ctx, 'supplier_quotation', record.supplier_quotation as string, { tx });
        if (sq.supplier !== record.supplier) throw new AppError('FIELD_INVALID', 'supplier: differs from the supplier quotation\'s supplier', { field: 'supplier' });
      }
      await stampItemTypes(tx, ctx, record.id as string);
    },
    async onSubmit({ tx, ctx, record }) {
      await setSystemFields(tx, ctx, 'purchase_order', record.id as string, { per_received: '0.000000', per_invoiced: '0.000000', shipping_status: 'not_shipped' });
      if (record.purchase_requisition) await refreshRequisitionStatus(tx, ctx, record.purchase_requisition as string);
    },
    async onCancel({ tx, ctx, record }) {
      const objects = await objectsOf(ctx);
      for (const api of ['purchase_receipt', 'purchase_invoice'] as const) {
        const t = tableOf(objects, api);
        const r = await sql<{ number: string }>`SELECT ${sql.ref(t.col('number'))} AS number FROM ${sql.id(t.name)}
          WHERE ${sql.ref(t.col('purchase_order'))} = ${record.id as string} AND status = ANY(${LIVE}) LIMIT 1`.execute(tx);
        if (r.rows.length) throw new AppError('CONFLICT', `${r.rows[0].number} is booked against this order; cancel it first.`);
      }
      if (record.purchase_requisition) await refreshRequisitionStatus(tx, ctx, record.purchase_requisition as string);
    },
  });

  registerDocumentHooks('supplier_quotation', {
    async validate({ tx, ctx, record }) {
      if (!((record.lines ?? []) as Row[]).length) throw new AppError('FIELD_REQUIRED', 'lines: needs at least one row', { field: 'lines' });
      if (record.rfq) {
        const rfq = await getRecord(ctx, 'rfq', record.rfq as string, { tx });
        if (rfq.supplier !== record.supplier) throw new AppError('FIELD_INVALID', 'supplier: differs from the RFQ\'s supplier', { field: 'supplier' });
      }
    },
  });
}

/**
 * Each line keeps its item's type as it is when the order is submitted: whether a
 * line is received (stock) or only invoiced (service, non-stock) is decided by that,
 * so editing the item later does not change orders already placed. Runs in the
 * validate step, while the order is still a draft; the field is the module's own
 * (mosaic_buying_guard refuses it from anyone else). Audited on the order, in the
 * shape the records API logs changed lines: `lines: [null, [{ id, item_type }]]`.
 */
async function stampItemTypes(tx: Tx, ctx: RecordsCtx, orderId: string): Promise<void> {
  const objects = await objectsOf(ctx);
  const line = tableOf(objects, 'purchase_order_line');
  const item = tableOf(objects, 'item');
  await sql`SELECT set_config('mosaic.buying_posting', 'on', true)`.execute(tx);
  const stamped = await sql<{ id: string; item_type: string }>`UPDATE ${sql.id(line.name)} l SET ${sql.id(line.col('item_type'))} = COALESCE(i.${sql.ref(item.col('item_type'))}, 'stock')
    FROM ${sql.id(item.name)} i WHERE l.parent_id = ${orderId} AND i.id = l.${sql.ref(line.col('item'))}
      AND l.${sql.ref(line.col('item_type'))} IS DISTINCT FROM COALESCE(i.${sql.ref(item.col('item_type'))}, 'stock')
    RETURNING l.id, l.${sql.ref(line.col('item_type'))} AS item_type`.execute(tx);
  await sql`SELECT set_config('mosaic.buying_posting', 'off', true)`.execute(tx);
  if (stamped.rows.length) {
    await logChanges(tx, ctx.guard.actor, [{ object: 'purchase_order', recordId: orderId, op: 'update', changes: { lines: [null, stamped.rows.map((r) => ({ id: r.id, item_type: r.item_type }))] } }]);
  }
}
