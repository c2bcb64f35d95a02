import { Decimal } from '@mosaic/kernel';
import { registerDocumentHooks } from '@mosaic/process';
import { reserveStock } from '@mosaic/stock';

/**
 * A submitted sales order reserves its lines' stock in its warehouse (a
 * shortage refuses the submit with a 409 naming the item); cancelling it
 * releases what is still reserved.
 */
export function registerSalesOrderHooks(): void {
  registerDocumentHooks('sales_order', {
    async onSubmit({ tx, ctx, record }) {
      const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
      await reserveStock(tx, objects, ctx.guard.actor.tenantId, lines(record, 1));
    },
    async onCancel({ tx, ctx, record }) {
      const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
      await reserveStock(tx, objects, ctx.guard.actor.tenantId, lines(record, -1));
    },
  });
}

function lines(record: Record<string, unknown>, sign: 1 | -1) {
  return (record.lines as Record<string, any>[]).map((l) => ({ item: l.item, warehouse: record.warehouse as string, qty: new Decimal(l.qty).times(sign) }));
}
