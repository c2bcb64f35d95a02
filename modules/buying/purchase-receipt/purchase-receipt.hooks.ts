import { sql, type Tx } from '@mosaic/db';
import { AppError, Decimal } from '@mosaic/kernel';
import { registerDocumentHooks, type DocumentHookArgs } from '@mosaic/process';
import { getRecord, type RecordsCtx } from '@mosaic/records';
import { postStockMoves, reserveStock, reversalMoves, type PostedMove } from '@mosaic/stock';
import { approvalRunning } from '@mosaic/approval';
import { LIVE, objectsOf, setSystemFields, tableOf } from '../shared/buying-sql.ts';
import { BUYING_ACCOUNTS, postBuyingVoucher, reverseBuyingVoucher } from '../shared/buying-voucher.ts';
import { tolerances } from '../shared/tolerance.ts';
import { publishOwnStockPosting } from '../shared/stock-event.ts';
import { kept, orderFigures } from '../chain/order-figures.ts';
import { refreshOrderStatus } from '../chain/chain-status.service.ts';
import { RATE_EPSILON, inStockUnits } from '../shared/stock-units.ts';

type Row = Record<string, any>;

/**
 * A purchase receipt (采购入库) brings the goods in at the order's net price:
 *   stock:   + qty into the warehouse at the line's rate (postStockMoves)
 *   voucher: Dr 1405 库存商品 / Cr 220202 暂估应付账款 (party: the supplier; no `against`, so the
 *            estimate is a per-supplier balance and never an open item to pay — finance's open
 *            items are the party lines settled against a document)
 * A receipt on quality hold (待检) is received but reserved whole — on hand,
 * not available to sell — until the quality release action frees it.
 * Cancelling reverses stock, hold and voucher, unless the goods were invoiced or returned.
 */
export function registerPurchaseReceiptHooks(): void {
  registerDocumentHooks('purchase_receipt', {
    validate: validateReceipt,
    async onSubmit({ tx, ctx, record }) {
      const objects = await objectsOf(ctx);
      const tenant = ctx.guard.actor.tenantId;
      const lines = await inStockUnits(tx, ctx, record.lines as Row[]);
      const moves = lines.map((l) => ({ item: l.item as string, warehouse: record.warehouse as string, qty: new Decimal(l.qty), rate: new Decimal(l.rate) }));
      const posted = await postStockMoves(tx, objects, tenant, voucherOf(record), moves);
      if (record.quality_hold) {
        await reserveStock(tx, objects, tenant, moves.map((m) => ({ item: m.item, warehouse: m.warehouse, qty: m.qty })));
        await setSystemFields(tx, ctx, 'purchase_receipt', record.id as string, { quality_status: 'held' });
      }
      await postReceiptVoucher(tx, ctx, record, stockValue(posted));
      await publishOwnStockPosting(tx, ctx, voucherOf(record), 'post', record);
      await refreshOrderStatus(tx, ctx, record.purchase_order as string);
    },
    async onCancel({ tx, ctx, record }) {
      const objects = await objectsOf(ctx);
      const tenant = ctx.guard.actor.tenantId;
      await lockOrder(tx, ctx, record.purchase_order as string);
      await refuseIfReturned(tx, ctx, record);
      // The receipt is cancelled already in this transaction: the figures leave it out.
      for (const f of (await orderFigures(tx, objects, record.purchase_order as string)).values()) {
        if (f.invoiced.gt(kept(f))) throw new AppError('CONFLICT', `${f.itemName}: ${f.invoiced.toFixed()} of it is invoiced; cancel the invoice before the receipt.`);
      }
      if (record.quality_status === 'held') {
        await reserveStock(tx, objects, tenant, (await inStockUnits(tx, ctx, record.lines as Row[])).map((l) => ({ item: l.item, warehouse: record.warehouse as string, qty: new Decimal(l.qty).neg() })));
      }
      await postStockMoves(tx, objects, tenant, voucherOf(record), await reversalMoves(tx, objects, voucherOf(record)));
      await reverseBuyingVoucher(tx, ctx, 'purchase_receipt', record.id as string, `采购入库 ${String(record.number)}`);
      await publishOwnStockPosting(tx, ctx, voucherOf(record), 'reverse', record);
      await refreshOrderStatus(tx, ctx, record.purchase_order as string);
    },
  });
}

const voucherOf = (record: Row) => ({ type: 'purchase_receipt', id: record.id as string, postingDate: record.posting_date as string });

/** The stock value a posting changed, to the fen (the 1405 amount equals the stock ledger's). */
export const stockValue = (posted: PostedMove[]) => posted.reduce((s, m) => s.plus(m.valueChange), new Decimal(0)).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);

async function postReceiptVoucher(tx: Tx, ctx: RecordsCtx, record: Row, value: Decimal): Promise<void> {
  const party = { type: 'supplier' as const, id: record.supplier as string };
  await postBuyingVoucher(tx, ctx, {
    voucherType: '转', sourceType: 'purchase_receipt', sourceId: record.id as string, postingDate: record.posting_date as string,
    description: `采购入库 ${String(record.number)}`,
    lines: [
      { code: BUYING_ACCOUNTS.inventory, debit: value, description: '库存商品' },
      { code: BUYING_ACCOUNTS.clearing, credit: value, description: '暂估应付', party },
    ],
  });
}

/**
 * A receipt must follow a live, approved order of the same supplier; each line
 * names its order line and item, stays within the ordered quantity and the
 * order's price (both within the company's tolerance, compared in stock units
 * whatever unit each side is written in), and is a stock item.
 */
async function validateReceipt({ tx, ctx, record }: DocumentHookArgs): Promise<void> {
  if (!((record.lines ?? []) as Row[]).length) throw new AppError('FIELD_REQUIRED', 'lines: needs at least one row', { field: 'lines' });
  const lines = await inStockUnits(tx, ctx, record.lines as Row[]);
  const order = await liveOrder(tx, ctx, record.purchase_order as string);
  if (order.supplier !== record.supplier) throw new AppError('FIELD_INVALID', 'supplier: differs from the purchase order\'s supplier', { field: 'supplier' });
  const objects = await objectsOf(ctx);
  const figures = await orderFigures(tx, objects, order.id as string);
  const tol = await tolerances(tx, objects, ctx.guard.actor.companyId);
  const here = new Map<string, Decimal>();
  lines.forEach((l, i) => {
    const f = figures.get(l.order_line);
    if (!f) throw new AppError('FIELD_INVALID', `lines.${i}.order_line: not a line of purchase order ${String(order.number)}`, { field: `lines.${i}.order_line` });
    if (f.item !== l.item) throw new AppError('FIELD_INVALID', `lines.${i}.item: differs from the order line's item (${f.itemName})`, { field: `lines.${i}.item` });
    // Stock or not as the order was placed (the order line's item_type), like every other buying figure.
    if (!f.stocked) throw new AppError('FIELD_INVALID', `lines.${i}.item: ${f.itemName} was ordered as a service or non-stock item; only stock items are received`, { field: `lines.${i}.item` });
    const total = (here.get(f.id) ?? new Decimal(0)).plus(l.qty);
    here.set(f.id, total);
    const cap = f.ordered.times(tol.qty.plus(1));
    if (kept(f).plus(total).gt(cap)) {
      throw new AppError('FIELD_INVALID', `lines.${i}.qty: ${f.itemName} — receiving ${total.toFixed()} more would exceed the ordered ${f.ordered.toFixed()} (received so far ${kept(f).toFixed()})`, { field: `lines.${i}.qty` });
    }
    const diff = new Decimal(l.rate).minus(f.netUnit).abs();
    if (diff.gt(f.netUnit.times(tol.price).plus(RATE_EPSILON))) {
      throw new AppError('FIELD_INVALID', `lines.${i}.rate: ${f.itemName} — ${new Decimal(l.rate).toFixed()} differs from the order's net price ${f.netUnit.toFixed()}`, { field: `lines.${i}.rate` });
    }
  });
}

/** The purchase order a receipt/invoice/return follows: live, and not waiting for its approval. */
export async function liveOrder(tx: Tx, ctx: RecordsCtx, orderId: string): Promise<Row> {
  const order = await getRecord(ctx, 'purchase_order', orderId, { tx });
  await lockOrder(tx, ctx, orderId);
  if (!LIVE.includes(order.status as string)) throw new AppError('CONFLICT', `purchase_order: ${String(order.number)} is ${String(order.status)}; only a submitted order can be received or invoiced`, { field: 'purchase_order' });
  if (await approvalRunning(tx, 'purchase_order', orderId)) {
    throw new AppError('CONFLICT', `purchase_order: ${String(order.number)} is waiting for its approval`, { field: 'purchase_order' });
  }
  return order;
}

/**
 * Receipts, invoices and returns of one order queue on the order's row: each
 * checks quantities (over-receipt, three-way match, over-return) under this
 * lock, so two racing invoices cannot both bill the same received goods.
 */
export async function lockOrder(tx: Tx, ctx: RecordsCtx, orderId: string): Promise<void> {
  const t = tableOf(await objectsOf(ctx), 'purchase_order');
  await sql`SELECT id FROM ${sql.id(t.name)} WHERE id = ${orderId} FOR UPDATE`.execute(tx);
}

async function refuseIfReturned(tx: Tx, ctx: RecordsCtx, record: Row): Promise<void> {
  const t = tableOf(await objectsOf(ctx), 'purchase_return');
  const r = await sql<{ number: string }>`SELECT ${sql.ref(t.col('number'))} AS number FROM ${sql.id(t.name)}
    WHERE ${sql.ref(t.col('purchase_receipt'))} = ${record.id as string} AND status = ANY(${LIVE}) LIMIT 1`.execute(tx);
  if (r.rows.length) throw new AppError('CONFLICT', `Purchase return ${r.rows[0].number} returns goods of this receipt; cancel it first.`);
}

