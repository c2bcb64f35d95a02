import { AppError, Decimal } from '@mosaic/kernel';
import { registerDocumentHooks } from '@mosaic/process';
import { postDocumentMoves, reserveStock, reverseDocumentMoves, toStockLines, voucherOf } from '@mosaic/stock';
import { itemProgress } from '../order-chain/order-chain.service.ts';
import { orderWaiting } from '../sales-order/order-approval.ts';
import { stampFromOrder } from '../order-chain/order-owner.hooks.ts';

/**
 * Delivering takes the stock out (valued by the stock ledger; lines in any
 * unit, the ledger in the stock unit; batch and serial numbers recorded) and
 * releases the order's reservation for what was delivered; the cost of goods
 * sold follows through the stock → ledger flow. A delivery against an order
 * may not exceed what is left to deliver (partial deliveries add up to the
 * order). Cancelling reverses both.
 */
export function registerDeliveryNoteHooks(): void {
  registerDocumentHooks('delivery_note', {
    async validate({ tx, ctx, record }) {
      if (!record.sales_order) return;
      // Checks the order and takes its owner and delivery date in one statement (order-owner.hooks.ts).
      const so = await stampFromOrder(tx, ctx, 'delivery_note', record);
      if (so.status !== 'submitted' && so.status !== 'approved') throw new AppError('CONFLICT', `sales_order: ${so.number} is ${so.status}; only a submitted order can be delivered`, { field: 'sales_order' });
      if (so.customer !== record.customer) throw new AppError('FIELD_INVALID', 'customer: differs from the sales order\'s customer', { field: 'customer' });
      if (so.waiting) throw orderWaiting(so.number);
    },
    async onSubmit({ tx, ctx, record }) {
      const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
      const warehouse = record.warehouse as string;
      const lines = await toStockLines(tx, objects, record.lines as never);
      if (record.sales_order) await checkRemaining(tx, objects, record.sales_order as string, lines);
      // Against an order, the issue releases the order's reservation in the same locked balance update.
      const moves = lines.map((l) => ({ item: l.item, warehouse, qty: l.qty.neg(), batch: l.batch, serialNo: l.serialNo, ...(record.sales_order ? { releaseReserved: l.qty } : {}) }));
      await postDocumentMoves(tx, ctx, voucherOf('delivery_note', record), moves, record);
    },
    async onCancel({ tx, ctx, record }) {
      const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
      await reverseDocumentMoves(tx, ctx, voucherOf('delivery_note', record), record);
      if (record.sales_order) {
        const lines = await toStockLines(tx, objects, record.lines as never, 'lines', { tracking: false });
        await reserveStock(tx, objects, ctx.guard.actor.tenantId, lines.map((l) => ({ item: l.item, warehouse: record.warehouse as string, qty: l.qty })));
      }
    },
  });
}

/**
 * This delivery (already counted among the submitted ones, as the hook runs
 * after the status change) must not take an item past what was ordered.
 */
async function checkRemaining(tx: Parameters<typeof itemProgress>[0], objects: Parameters<typeof itemProgress>[1], soId: string, lines: { item: string; qty: Decimal }[]): Promise<void> {
  const progress = await itemProgress(tx, objects, soId);
  for (const [i, l] of lines.entries()) {
    const p = progress.get(l.item);
    if (!p) throw new AppError('FIELD_INVALID', `lines.${i}.item: not on the sales order`, { field: `lines.${i}.item` });
    const net = p.delivered.minus(p.returned);
    if (net.gt(p.ordered)) {
      const left = p.ordered.minus(net.minus(l.qty));
      throw new AppError('FIELD_INVALID', `lines.${i}.qty: only ${Decimal.max(left, 0).toFixed()} left to deliver on the order, ${l.qty.toFixed()} given`, { field: `lines.${i}.qty` });
    }
  }
}
