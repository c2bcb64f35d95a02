import { sql, type Tx } from '@mosaic/db';
import { AppError, Decimal } from '@mosaic/kernel';
import { registerDocumentHooks, type DocumentHookArgs } from '@mosaic/process';
import { getRecord, type RecordsCtx } from '@mosaic/records';
import { postStockMoves, reserveStock, reversalMoves } from '@mosaic/stock';
import { LIVE, objectsOf, tableOf } from '../shared/buying-sql.ts';
import { BUYING_ACCOUNTS, postBuyingVoucher, reverseBuyingVoucher } from '../shared/buying-voucher.ts';
import { orderFigures } from '../chain/order-figures.ts';
import { publishOwnStockPosting } from '../shared/stock-event.ts';
import { refreshOrderStatus } from '../chain/chain-status.service.ts';
import { lockOrder, stockValue } from '../purchase-receipt/purchase-receipt.hooks.ts';
import { factorSql, inStockUnits } from '../shared/stock-units.ts';

type Row = Record<string, any>;

/**
 * A purchase return (采购退货) sends goods of one receipt back at the rate they
 * were received at (not today's average), so the stock value leaves exactly as it came:
 *   Cr 1405 库存商品        the stock value returned
 *   Dr 220202 暂估应付账款  for the part not invoiced yet (the estimate shrinks)
 *   Dr 2202 应付账款        for the part already invoiced: net + VAT (party: the supplier,
 *                           against: this return — a debit note to set off the invoice)
 *   Cr 22210101 进项税额    that part's VAT (进项税额转出)
 * Returning goods still on quality hold releases their hold.
 */
export function registerPurchaseReturnHooks(): void {
  registerDocumentHooks('purchase_return', {
    validate: validateReturn,
    async onSubmit({ tx, ctx, record }) {
      const objects = await objectsOf(ctx);
      const tenant = ctx.guard.actor.tenantId;
      const receipt = await getRecord(ctx, 'purchase_receipt', record.purchase_receipt as string, { tx });
      const rates = receiptRates(await inStockUnits(tx, ctx, receipt.lines as Row[]));
      const lines = await inStockUnits(tx, ctx, record.lines as Row[]);
      if (receipt.quality_status === 'held') {
        await reserveStock(tx, objects, tenant, lines.map((l) => ({ item: l.item, warehouse: record.warehouse as string, qty: new Decimal(l.qty).neg() })));
      }
      const moves = lines.map((l) => ({ item: l.item as string, warehouse: record.warehouse as string, qty: new Decimal(l.qty).neg(), rate: rates.get(l.order_line)!, forceRate: true }));
      const posted = await postStockMoves(tx, objects, tenant, voucherOf(record), moves);
      await postReturnVoucher(tx, ctx, { ...record, lines }, rates, stockValue(posted).neg());
      await publishOwnStockPosting(tx, ctx, voucherOf(record), 'post', record);
      await refreshOrderStatus(tx, ctx, record.purchase_order as string);
    },
    async onCancel({ tx, ctx, record }) {
      const objects = await objectsOf(ctx);
      await postStockMoves(tx, objects, ctx.guard.actor.tenantId, voucherOf(record), await reversalMoves(tx, objects, voucherOf(record)));
      await reverseBuyingVoucher(tx, ctx, 'purchase_return', record.id as string, `采购退货 ${String(record.number)}`);
      await publishOwnStockPosting(tx, ctx, voucherOf(record), 'reverse', record);
      await refreshOrderStatus(tx, ctx, record.purchase_order as string);
    },
  });
}

const voucherOf = (record: Row) => ({ type: 'purchase_return', id: record.id as string, postingDate: record.posting_date as string });

/** order line → the rate (per stock unit) the receipt took it in at (quantity-weighted if it has several rows of one order line). */
function receiptRates(receiptLines: Row[]): Map<string, Decimal> {
  const acc = new Map<string, { qty: Decimal; value: Decimal }>();
  for (const l of receiptLines) {
    const a = acc.get(l.order_line) ?? { qty: new Decimal(0), value: new Decimal(0) };
    acc.set(l.order_line, { qty: a.qty.plus(l.qty), value: a.value.plus(new Decimal(l.qty).times(l.rate)) });
  }
  return new Map([...acc].map(([k, a]) => [k, a.value.div(a.qty).toDecimalPlaces(6, Decimal.ROUND_HALF_UP)]));
}

async function postReturnVoucher(tx: Tx, ctx: RecordsCtx, record: Row, rates: Map<string, Decimal>, value: Decimal): Promise<void> {
  // This return is submitted already: "returned" includes it, so take it out to see what was invoiced beyond the rest.
  const figures = await orderFigures(tx, await objectsOf(ctx), record.purchase_order as string);
  const here = new Map<string, Decimal>();
  for (const l of record.lines as Row[]) here.set(l.order_line, (here.get(l.order_line) ?? new Decimal(0)).plus(l.qty));
  let invoicedNet = new Decimal(0);
  let invoicedTax = new Decimal(0);
  for (const [orderLine, qty] of here) {
    const f = figures.get(orderLine)!;
    const notInvoiced = Decimal.max(f.received.minus(f.returned.minus(qty)).minus(f.invoiced), 0);
    const billed = Decimal.max(qty.minus(notInvoiced), 0);
    const net = billed.times(rates.get(orderLine)!).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
    invoicedNet = invoicedNet.plus(net);
    invoicedTax = invoicedTax.plus(net.times(f.taxRate).toDecimalPlaces(2, Decimal.ROUND_HALF_UP));
  }
  const party = { type: 'supplier' as const, id: record.supplier as string };
  await postBuyingVoucher(tx, ctx, {
    voucherType: '转', sourceType: 'purchase_return', sourceId: record.id as string, postingDate: record.posting_date as string,
    description: `采购退货 ${String(record.number)}`,
    lines: [
      { code: BUYING_ACCOUNTS.clearing, debit: value.minus(invoicedNet), description: '冲减暂估应付', party },
      { code: BUYING_ACCOUNTS.payable, debit: invoicedNet.plus(invoicedTax), description: '退货冲减应付', party, against: { type: 'purchase_return', id: record.id as string } },
      { code: BUYING_ACCOUNTS.inventory, credit: value, description: '库存商品' },
      { code: BUYING_ACCOUNTS.inputVat, credit: invoicedTax, description: '进项税额转出' },
    ],
  });
}

/** A return follows a live receipt of the same order, supplier and warehouse, and returns no more than it received. */
async function validateReturn({ tx, ctx, record }: DocumentHookArgs): Promise<void> {
  if (!((record.lines ?? []) as Row[]).length) throw new AppError('FIELD_REQUIRED', 'lines: needs at least one row', { field: 'lines' });
  const lines = await inStockUnits(tx, ctx, record.lines as Row[]);
  const fetched = await getRecord(ctx, 'purchase_receipt', record.purchase_receipt as string, { tx });
  const receipt: Row = { ...fetched, lines: await inStockUnits(tx, ctx, fetched.lines as Row[]) };
  if (!LIVE.includes(receipt.status as string)) throw new AppError('CONFLICT', `purchase_receipt: ${String(receipt.number)} is ${String(receipt.status)}; only a submitted receipt can be returned`, { field: 'purchase_receipt' });
  for (const f of ['purchase_order', 'supplier', 'warehouse'] as const) {
    if (receipt[f] !== record[f]) throw new AppError('FIELD_INVALID', `${f}: differs from the receipt's`, { field: f });
  }
  await lockOrder(tx, ctx, receipt.purchase_order as string);
  const rates = receiptRates(receipt.lines);
  const received = new Map<string, Decimal>();
  for (const l of receipt.lines as Row[]) received.set(l.order_line, (received.get(l.order_line) ?? new Decimal(0)).plus(l.qty));
  const before = await returnedBefore(tx, ctx, receipt.id as string, record.id as string);
  const here = new Map<string, Decimal>();
  lines.forEach((l, i) => {
    const rate = rates.get(l.order_line);
    const receiptLine = (receipt.lines as Row[]).find((r) => r.order_line === l.order_line);
    if (!rate || !receiptLine) throw new AppError('FIELD_INVALID', `lines.${i}.order_line: not a line of receipt ${String(receipt.number)}`, { field: `lines.${i}.order_line` });
    if (receiptLine.item !== l.item) throw new AppError('FIELD_INVALID', `lines.${i}.item: differs from the receipt line's item`, { field: `lines.${i}.item` });
    if (l.rate !== null && l.rate !== undefined && new Decimal(l.rate).minus(rate).abs().gt('0.000001')) {
      throw new AppError('FIELD_INVALID', `lines.${i}.rate: goods go back at the rate they were received at, ${rate.toFixed()}`, { field: `lines.${i}.rate` });
    }
    const total = (here.get(l.order_line) ?? new Decimal(0)).plus(l.qty);
    here.set(l.order_line, total);
    const left = received.get(l.order_line)!.minus(before.get(l.order_line) ?? 0);
    if (total.gt(left)) throw new AppError('FIELD_INVALID', `lines.${i}.qty: only ${left.toFixed()} of this receipt line is left to return`, { field: `lines.${i}.qty` });
  });
}

/** What live returns of a receipt sent back, per order line (leaving out `exclude`). */
export async function returnedBefore(tx: Tx, ctx: RecordsCtx, receiptId: string, exclude: string): Promise<Map<string, Decimal>> {
  const objects = await objectsOf(ctx);
  const d = tableOf(objects, 'purchase_return');
  const l = tableOf(objects, 'purchase_return_line');
  const rows = await sql<{ line: string; qty: string }>`SELECT l.${sql.ref(l.col('order_line'))} AS line, sum(l.${sql.ref(l.col('qty'))} * ${factorSql(l, tableOf(objects, 'item_uom'))})::text AS qty
    FROM ${sql.id(l.name)} l JOIN ${sql.id(d.name)} d ON d.id = l.parent_id
    WHERE d.${sql.ref(d.col('purchase_receipt'))} = ${receiptId} AND d.status = ANY(${LIVE}) AND d.id <> ${exclude} GROUP BY 1`.execute(tx);
  return new Map(rows.rows.map((r) => [r.line, new Decimal(r.qty)]));
}
