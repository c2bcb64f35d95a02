import { type Tx } from '@mosaic/db';
import { AppError, Decimal } from '@mosaic/kernel';
import { registerDocumentHooks, type DocumentHookArgs } from '@mosaic/process';
import { getRecord, type RecordsCtx } from '@mosaic/records';
import { LIVE, objectsOf } from '../shared/buying-sql.ts';
import { BUYING_ACCOUNTS, postBuyingVoucher, reverseBuyingVoucher } from '../shared/buying-voucher.ts';
import { tolerances } from '../shared/tolerance.ts';
import { netUnitPrice, orderFigures, receivedRate } from '../chain/order-figures.ts';
import { refreshOrderStatus } from '../chain/chain-status.service.ts';
import { liveOrder } from '../purchase-receipt/purchase-receipt.hooks.ts';
import { assertMatched, threeWayMatch } from './three-way-match.rules.ts';
import { inStockUnits } from '../shared/stock-units.ts';

type Row = Record<string, any>;

/**
 * A supplier invoice (采购发票) books the payable and clears the estimate the receipts posted:
 *   Dr 220202 暂估应付账款  what the invoiced goods were received at (qty × received rate, per line)
 *   Dr 5401   主营业务成本  the price difference of stock lines, their net − cleared (either sign)
 *   Dr 5602   管理费用      services and non-stock items (never received, so never estimated), at their net —
 *                           the account internal stock issues are expensed to (flows/stock-to-ledger)
 *   Dr 22210101 进项税额    the invoice's VAT
 *   Cr 2202   应付账款      the gross, party: the supplier, against: this invoice
 * Why 5401 and not 1405: the stock ledger already valued (and may have issued)
 * the goods at the receipt rate; putting the difference on 1405 would make the
 * books' inventory differ from the stock ledger's value. Differences are small
 * by construction — beyond the price tolerance the three-way match refuses the invoice.
 * Submitting runs the three-way match first; cancelling posts the red-ink reversal.
 */
export function registerPurchaseInvoiceHooks(): void {
  registerDocumentHooks('purchase_invoice', {
    validate: validateInvoice,
    async onSubmit({ tx, ctx, record }) {
      await postInvoiceVoucher(tx, ctx, record);
      await refreshOrderStatus(tx, ctx, record.purchase_order as string);
    },
    async onCancel({ tx, ctx, record }) {
      await reverseBuyingVoucher(tx, ctx, 'purchase_invoice', record.id as string, `采购发票 ${String(record.number)}`);
      await refreshOrderStatus(tx, ctx, record.purchase_order as string);
    },
  });
}

async function validateInvoice({ tx, ctx, record }: DocumentHookArgs): Promise<void> {
  if (!((record.lines ?? []) as Row[]).length) throw new AppError('FIELD_REQUIRED', 'lines: needs at least one row', { field: 'lines' });
  const lines = await inStockUnits(tx, ctx, record.lines as Row[]);
  const order = await liveOrder(tx, ctx, record.purchase_order as string);
  if (order.supplier !== record.supplier) throw new AppError('FIELD_INVALID', 'supplier: differs from the purchase order\'s supplier', { field: 'supplier' });
  if (record.purchase_receipt) {
    const receipt = await getRecord(ctx, 'purchase_receipt', record.purchase_receipt as string, { tx });
    if (!LIVE.includes(receipt.status as string) || receipt.purchase_order !== order.id) {
      throw new AppError('FIELD_INVALID', 'purchase_receipt: must be a submitted receipt of the same purchase order', { field: 'purchase_receipt' });
    }
  }
  const objects = await objectsOf(ctx);
  const figures = await orderFigures(tx, objects, order.id as string, record.id as string);
  const tol = await tolerances(tx, objects, ctx.guard.actor.companyId);
  assertMatched(threeWayMatch(lines.map((l, index) => ({
    index, orderLine: (l.order_line as string | null) ?? null, item: l.item as string, qty: new Decimal(l.qty),
    netUnit: netUnitPrice(new Decimal(l.rate), new Decimal(l.tax_rate ?? 0), !!l.price_includes_tax),
  })), figures, tol));
}

async function postInvoiceVoucher(tx: Tx, ctx: RecordsCtx, record: Row): Promise<void> {
  const figures = await orderFigures(tx, await objectsOf(ctx), record.purchase_order as string);
  const lines = await inStockUnits(tx, ctx, record.lines as Row[]);
  const stocked = lines.filter((l) => figures.get(l.order_line)!.stocked);
  // The estimate cleared: each stock line's quantity at the rate its goods were received at.
  const cleared = stocked.reduce<Decimal>((s, l) => s.plus(new Decimal(l.qty).times(receivedRate(figures.get(l.order_line)!)).toDecimalPlaces(2, Decimal.ROUND_HALF_UP)), new Decimal(0));
  // Services and non-stock items were never received, so nothing was estimated: their net is spent now.
  const spent = lines.filter((l) => !figures.get(l.order_line)!.stocked).reduce<Decimal>((s, l) => s.plus(new Decimal(l.net as string)), new Decimal(0));
  const net = new Decimal(record.net_total as string);
  const party = { type: 'supplier' as const, id: record.supplier as string };
  await postBuyingVoucher(tx, ctx, {
    voucherType: '记', sourceType: 'purchase_invoice', sourceId: record.id as string, postingDate: record.posting_date as string,
    description: `采购发票 ${String(record.number)}`,
    lines: [
      { code: BUYING_ACCOUNTS.clearing, debit: cleared, description: '冲销暂估应付', party },
      { code: BUYING_ACCOUNTS.priceDifference, debit: net.minus(cleared).minus(spent), description: '采购价差' },
      { code: BUYING_ACCOUNTS.nonStockExpense, debit: spent, description: '服务及非库存采购' },
      { code: BUYING_ACCOUNTS.inputVat, debit: new Decimal(record.tax_total as string), description: '进项税额' },
      { code: BUYING_ACCOUNTS.payable, credit: new Decimal(record.grand_total as string), description: '应付账款', party, against: { type: 'purchase_invoice', id: record.id as string } },
    ],
  });
}
