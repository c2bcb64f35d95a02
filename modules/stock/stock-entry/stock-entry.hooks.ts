import { registerDocumentHooks } from '@mosaic/process';
import { postStockMoves } from '../stock-ledger/stock-ledger.service.ts';
import { toStockLines } from '../stock-ledger/stock-lines.service.ts';
import { postDocumentMoves, reverseDocumentMoves, voucherOf } from '../stock-ledger/stock-document.service.ts';
import { stockPosted } from '../stock-ledger/stock-posting.events.ts';
import { movesOf } from './stock-entry.rules.ts';

/**
 * Submitting a stock entry posts its moves (lines in any unit, converted to the
 * stock unit); cancelling posts their reversal. A transfer carries value: what
 * leaves the first warehouse arrives in the second at exactly the value it left with.
 */
export function registerStockEntryHooks(): void {
  registerDocumentHooks('stock_entry', {
    async validate({ record }) {
      movesOf(record, []);
    },
    async onSubmit({ tx, ctx, record }) {
      const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
      const lines = await toStockLines(tx, objects, record.lines as never);
      const voucher = voucherOf('stock_entry', record);
      if (record.entry_type !== 'transfer') {
        await postDocumentMoves(tx, ctx, voucher, movesOf(record, lines), record);
        return;
      }
      const out = await postStockMoves(tx, objects, ctx.guard.actor.tenantId, voucher, movesOf(record, lines));
      const arrivals = out.map((m) => ({ item: m.item, warehouse: record.to_warehouse as string, qty: m.qty.neg(), rate: m.rate, value: m.valueChange.neg(), batch: m.batch, serialNo: m.serialNo }));
      out.push(...(await postStockMoves(tx, objects, ctx.guard.actor.tenantId, voucher, arrivals)));
      await stockPosted({ tx, ctx, voucher, kind: 'post', moves: out, source: record });
    },
    async onCancel({ tx, ctx, record }) {
      await reverseDocumentMoves(tx, ctx, voucherOf('stock_entry', record), record);
    },
  });
}
