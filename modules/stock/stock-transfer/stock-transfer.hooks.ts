import { AppError } from '@mosaic/kernel';
import { registerDocumentHooks } from '@mosaic/process';
import { postStockMoves } from '../stock-ledger/stock-ledger.service.ts';
import { toStockLines } from '../stock-ledger/stock-lines.service.ts';
import { reverseDocumentMoves, voucherOf } from '../stock-ledger/stock-document.service.ts';
import { stockPosted } from '../stock-ledger/stock-posting.events.ts';

/**
 * 调拨: goods leave `from_warehouse` at its valuation rate and arrive in
 * `to_warehouse` at exactly the value they left with (transfers carry value).
 * Finance gets one posting with both legs: nothing to book when both
 * warehouses keep stock on the same account, Dr to / Cr from otherwise.
 */
export function registerStockTransferHooks(): void {
  registerDocumentHooks('stock_transfer', {
    async validate({ record }) {
      if (record.from_warehouse === record.to_warehouse) {
        throw new AppError('FIELD_INVALID', 'to_warehouse: a transfer needs a different warehouse to go to', { field: 'to_warehouse' });
      }
    },
    async onSubmit({ tx, ctx, record }) {
      const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
      const tenant = ctx.guard.actor.tenantId;
      const voucher = voucherOf('stock_transfer', record);
      const lines = await toStockLines(tx, objects, record.lines as never);
      const out = await postStockMoves(tx, objects, tenant, voucher, lines.map((l) => ({
        item: l.item, warehouse: record.from_warehouse as string, qty: l.qty.neg(), keepRate: true, batch: l.batch, serialNo: l.serialNo,
      })));
      const arrivals = out.map((m) => ({ item: m.item, warehouse: record.to_warehouse as string, qty: m.qty.neg(), rate: m.rate, value: m.valueChange.neg(), batch: m.batch, serialNo: m.serialNo }));
      out.push(...(await postStockMoves(tx, objects, tenant, voucher, arrivals)));
      await stockPosted({ tx, ctx, voucher, kind: 'post', moves: out, source: record });
    },
    async onCancel({ tx, ctx, record }) {
      await reverseDocumentMoves(tx, ctx, voucherOf('stock_transfer', record), record);
    },
  });
}
