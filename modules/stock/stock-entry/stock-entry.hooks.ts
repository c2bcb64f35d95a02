import { registerDocumentHooks } from '@mosaic/process';
import { postStockMoves, reversalMoves } from '../stock-ledger/stock-ledger.service.ts';
import { movesOf } from './stock-entry.rules.ts';
import { stockPosted } from '../stock-ledger/stock-posting.events.ts';

/**
 * Submitting a stock entry posts its moves; cancelling posts their reversal.
 * A transfer carries value: what leaves the first warehouse arrives in the
 * second at the same rate.
 */
export function registerStockEntryHooks(): void {
  registerDocumentHooks('stock_entry', {
    async validate({ record }) {
      movesOf(record);
    },
    async onSubmit({ tx, ctx, record }) {
      const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
      const voucher = { type: 'stock_entry', id: record.id as string, postingDate: record.posting_date as string };
      const out = await postStockMoves(tx, objects, ctx.guard.actor.tenantId, voucher, movesOf(record));
      if (record.entry_type === 'transfer') {
        const arrivals = out.map((m) => ({ item: m.item, warehouse: record.to_warehouse as string, qty: m.qty.neg(), rate: m.rate }));
        out.push(...(await postStockMoves(tx, objects, ctx.guard.actor.tenantId, voucher, arrivals)));
      }
      await stockPosted({ tx, ctx, voucher, kind: 'post', moves: out, source: record });
    },
    async onCancel({ tx, ctx, record }) {
      const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
      const voucher = { type: 'stock_entry', id: record.id as string, postingDate: record.posting_date as string };
      const moves = await postStockMoves(tx, objects, ctx.guard.actor.tenantId, voucher, await reversalMoves(tx, objects, voucher));
      await stockPosted({ tx, ctx, voucher, kind: 'reverse', moves, source: record });
    },
  });
}
