import { Decimal } from '@mosaic/kernel';
import { registerDocumentHooks, type DocumentHookArgs } from '@mosaic/process';
import { raiseShortages, reserveStock, toStockLines } from '@mosaic/stock';
import { checkCreditLimit } from './credit-limit.service.ts';
import { itemProgress } from '../order-chain/order-chain.service.ts';

/**
 * Submitting a sales order checks the customer's credit limit, then reserves
 * its lines' stock (in stock units) in its warehouse (a shortage refuses the
 * submit with a 409 naming the item — unless the order is a backorder
 * (allow_backorder): then it reserves the whole quantity and the shortfall
 * shows as negative availability, which the reorder check turns into a
 * purchase suggestion for the item's buyer — the reorder level's buyer, or
 * the item's owner when it has no level); cancelling it releases what is still
 * reserved (ordered − delivered); so does a rejected discount approval, which
 * returns it to draft.
 */
export function registerSalesOrderHooks(): void {
  registerDocumentHooks('sales_order', {
    async validate({ tx, ctx, record }) {
      await checkCreditLimit(tx, ctx, record);
    },
    async onSubmit({ tx, ctx, record }) {
      const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
      const lines = await toStockLines(tx, objects, record.lines as never, 'lines', { tracking: false });
      const shortages = await reserveStock(tx, objects, ctx.guard.actor.tenantId, lines.map((l) => ({ item: l.item, warehouse: record.warehouse as string, qty: l.qty })), {
        backorder: record.allow_backorder === true,
      });
      await raiseShortages(tx, objects, ctx.guard.actor.tenantId, shortages);
    },
    onCancel: releaseOpenReservation,
    // A rejected (or withdrawn) discount approval: the order is a draft again and holds no stock.
    onReturnToDraft: releaseOpenReservation,
  });
}

async function releaseOpenReservation({ tx, ctx, record }: DocumentHookArgs): Promise<void> {
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const progress = await itemProgress(tx, objects, record.id as string);
  const open = [...progress.values()].map((p) => ({ item: p.item, warehouse: record.warehouse as string, qty: Decimal.max(p.ordered.minus(p.delivered.minus(p.returned)), 0).neg() }));
  await reserveStock(tx, objects, ctx.guard.actor.tenantId, open);
}
