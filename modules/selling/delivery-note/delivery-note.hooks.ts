import { AppError, Decimal } from '@mosaic/kernel';
import { registerDocumentHooks } from '@mosaic/process';
import { getRecord } from '@mosaic/records';
import { postStockMoves, reserveStock, reversalMoves, stockPostedEvent } from '@mosaic/stock';

/**
 * Delivering takes the stock out (valued by the stock ledger) and releases the
 * order's reservation for what was delivered; the cost of goods sold follows
 * through the stock → ledger flow. Cancelling reverses both.
 */
export function registerDeliveryNoteHooks(): void {
  registerDocumentHooks('delivery_note', {
    async validate({ tx, ctx, record }) {
      if (!record.sales_order) return;
      const so = await getRecord(ctx, 'sales_order', record.sales_order as string, { tx });
      if (so.status !== 'submitted' && so.status !== 'approved') throw new AppError('CONFLICT', `sales_order: ${so.number} is ${so.status}; only a submitted order can be delivered`, { field: 'sales_order' });
      if (so.customer !== record.customer) throw new AppError('FIELD_INVALID', 'customer: differs from the sales order\'s customer', { field: 'customer' });
    },
    async onSubmit({ tx, ctx, record }) {
      const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
      const voucher = { type: 'delivery_note', id: record.id as string, postingDate: record.posting_date as string };
      const moves = (record.lines as Record<string, any>[]).map((l) => ({ item: l.item, warehouse: record.warehouse as string, qty: new Decimal(l.qty).neg() }));
      if (record.sales_order) await reserveStock(tx, objects, ctx.guard.actor.tenantId, moves.map((m) => ({ ...m })));
      const posted = await postStockMoves(tx, objects, ctx.guard.actor.tenantId, voucher, moves);
      await stockPostedEvent({ tx, ctx, voucher, kind: 'post', moves: posted, source: record });
    },
    async onCancel({ tx, ctx, record }) {
      const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
      const voucher = { type: 'delivery_note', id: record.id as string, postingDate: record.posting_date as string };
      const posted = await postStockMoves(tx, objects, ctx.guard.actor.tenantId, voucher, await reversalMoves(tx, objects, voucher));
      if (record.sales_order) {
        await reserveStock(tx, objects, ctx.guard.actor.tenantId, (record.lines as Record<string, any>[]).map((l) => ({ item: l.item, warehouse: record.warehouse as string, qty: new Decimal(l.qty) })));
      }
      await stockPostedEvent({ tx, ctx, voucher, kind: 'reverse', moves: posted, source: record });
    },
  });
}
