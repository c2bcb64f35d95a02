import type { Tx } from '@mosaic/db';
import { addDays, AppError, Decimal, todayIn } from '@mosaic/kernel';
import { createRecords, getRecord, type RecordsCtx } from '@mosaic/records';
import { LIVE, bodyOf, objectsOf, userTx } from '../shared/buying-sql.ts';
import { liveOrder } from '../purchase-receipt/purchase-receipt.hooks.ts';
import { kept, netUnitPrice, orderFigures, type OrderLineFigures } from './order-figures.ts';
import { inStockUnits } from '../shared/stock-units.ts';
import { orderedByRequisitionLine } from './chain-status.service.ts';

type Row = Record<string, any>;

/**
 * "Make the next document" actions (下推): each creates the next document of
 * the chain as a draft from the previous one in one call, linked back to it
 * and prefilled with what is still open. All run with the caller's rights —
 * they must be able to read the source and create the target.
 */

/** POST /purchase_requisition/{id}/rfqs {suppliers: [id…], quote_by?} — one RFQ per supplier, same lines. */
export async function rfqsFromRequisition(ctx: RecordsCtx, requisitionId: string, raw: unknown): Promise<{ data: Row[] }> {
  const body = bodyOf(raw);
  const suppliers = body.suppliers;
  if (!Array.isArray(suppliers) || !suppliers.length || suppliers.length > 50 || !suppliers.every((s) => typeof s === 'string')) {
    throw new AppError('FIELD_INVALID', 'suppliers: a list of 1 to 50 supplier ids', { field: 'suppliers' });
  }
  if (new Set(suppliers).size !== suppliers.length) throw new AppError('FIELD_INVALID', 'suppliers: a supplier is listed twice', { field: 'suppliers' });
  return userTx(ctx, async (tx) => {
    const pr = await liveSource(tx, ctx, 'purchase_requisition', requisitionId);
    const created = await createRecords(ctx, 'rfq', suppliers.map((supplier) => ({
      supplier, purchase_requisition: pr.id, quote_by: body.quote_by ?? null,
      lines: (pr.lines as Row[]).map((l) => ({ item: l.item, qty: l.qty })),
    })), { tx });
    return { data: await Promise.all(created.map((c) => getRecord(ctx, 'rfq', c.id, { tx }))) };
  });
}

/** POST /supplier_quotation/{id}/purchase_order {warehouse?} — the chosen quotation becomes the order. */
export async function orderFromQuotation(ctx: RecordsCtx, quotationId: string, raw: unknown): Promise<Row> {
  const body = bodyOf(raw);
  return userTx(ctx, async (tx) => {
    const sq = await liveSource(tx, ctx, 'supplier_quotation', quotationId);
    const pr = sq.purchase_requisition ? await getRecord(ctx, 'purchase_requisition', sq.purchase_requisition as string, { tx }) : null;
    const warehouse = body.warehouse ?? pr?.warehouse;
    if (!warehouse) throw new AppError('FIELD_REQUIRED', 'warehouse: which warehouse receives the goods', { field: 'warehouse' });
    const prLines = (pr?.lines ?? []) as Row[];
    const leadDays = Math.max(0, ...(sq.lines as Row[]).map((l) => Number(l.lead_time_days ?? 0)));
    const [{ id }] = await createRecords(ctx, 'purchase_order', [{
      supplier: sq.supplier, supplier_quotation: sq.id, purchase_requisition: pr?.id ?? null, warehouse,
      schedule_date: leadDays ? addDays(todayIn(ctx.guard.actor.timeZone), leadDays) : null,
      lines: (sq.lines as Row[]).map((l) => ({
        item: l.item, qty: l.qty, rate: l.rate, tax_rate: l.tax_rate, price_includes_tax: l.price_includes_tax,
        requisition_line: prLines.find((p) => p.item === l.item)?.id ?? null,
      })),
    }], { tx });
    return getRecord(ctx, 'purchase_order', id, { tx });
  });
}

/**
 * POST /purchase_requisition/{id}/purchase_order {supplier, warehouse?, lines?: [{requisition_line, qty}]}
 * — straight to an order without asking for quotes: what is not yet ordered, priced at each
 * item's standard price (the draft's rates can be changed before submitting).
 */
export async function orderFromRequisition(ctx: RecordsCtx, requisitionId: string, raw: unknown): Promise<Row> {
  const body = bodyOf(raw);
  if (typeof body.supplier !== 'string') throw new AppError('FIELD_REQUIRED', 'supplier: which supplier to order from', { field: 'supplier' });
  return userTx(ctx, async (tx) => {
    const pr = await liveSource(tx, ctx, 'purchase_requisition', requisitionId);
    const ordered = await orderedByRequisitionLine(tx, ctx, requisitionId);
    const lines = pr.lines as Row[];
    const wanted = pickLines(body.lines, lines.map((l) => ({ key: l.id as string, open: new Decimal(l.qty).minus(ordered.get(l.id) ?? 0) })), 'requisition_line');
    if (!wanted.length) throw new AppError('CONFLICT', `${String(pr.number)} is fully ordered.`);
    const prices = await standardPrices(ctx, tx, wanted.map((w) => lines.find((l) => l.id === w.key)!.item as string));
    const [{ id }] = await createRecords(ctx, 'purchase_order', [{
      supplier: body.supplier, purchase_requisition: pr.id, warehouse: body.warehouse ?? pr.warehouse, schedule_date: pr.required_date ?? null,
      lines: wanted.map(({ key, qty }) => {
        const l = lines.find((x) => x.id === key)!;
        return { item: l.item, qty: qty.toFixed(), rate: prices.get(l.item) ?? '0', requisition_line: key };
      }),
    }], { tx });
    return getRecord(ctx, 'purchase_order', id, { tx });
  });
}

async function standardPrices(ctx: RecordsCtx, tx: Tx, items: string[]): Promise<Map<string, string>> {
  const prices = new Map<string, string>();
  for (const id of new Set(items)) {
    const item = await getRecord(ctx, 'item', id, { tx, fields: ['standard_price'] });
    const p = item.standard_price as { amount?: string } | null;
    if (p?.amount) prices.set(id, p.amount);
  }
  return prices;
}

/** POST /purchase_order/{id}/purchase_receipt {lines?: [{order_line, qty}], quality_hold?, posting_date?} — what is still to come, at the order's net price. */
export async function receiptFromOrder(ctx: RecordsCtx, orderId: string, raw: unknown): Promise<Row> {
  const body = bodyOf(raw);
  return userTx(ctx, async (tx) => {
    const order = await liveOrder(tx, ctx, orderId);
    const figures = await orderFigures(tx, await objectsOf(ctx), orderId);
    // Only stock items are received; services and non-stock items go straight to the invoice.
    const stocked = [...figures.values()].filter((f) => f.stocked);
    if (!stocked.length) {
      throw new AppError('FIELD_INVALID', `purchase_order: ${String(order.number)} has only service or non-stock lines — there is nothing to receive; invoice it directly (it counts as received once invoiced)`, { field: 'purchase_order' });
    }
    const wanted = pickLines(body.lines, stocked.map((f) => ({ key: f.id, open: f.ordered.minus(kept(f)) })));
    if (!wanted.length) throw new AppError('CONFLICT', `${String(order.number)} is fully received.`);
    const [{ id }] = await createRecords(ctx, 'purchase_receipt', [{
      supplier: order.supplier, purchase_order: order.id, warehouse: order.warehouse, quality_hold: body.quality_hold === true,
      ...(body.posting_date ? { posting_date: body.posting_date } : {}),
      lines: wanted.map(({ key, qty }) => {
        const f = figures.get(key)!;
        return { item: f.item, ...inOrderUnit(f, qty, (u) => netUnitPrice(f.rate.times(u), f.taxRate, f.priceIncludesTax)), order_line: f.id };
      }),
    }], { tx });
    return getRecord(ctx, 'purchase_receipt', id, { tx });
  });
}

/**
 * POST /purchase_order/{id}/purchase_invoice or /purchase_receipt/{id}/purchase_invoice
 * {invoice_no?, bill_date?} — what was received and not yet invoiced (of that receipt), at the order's prices;
 * from the order, also its services and non-stock items not yet invoiced.
 */
export async function invoiceFrom(ctx: RecordsCtx, source: 'purchase_order' | 'purchase_receipt', sourceId: string, raw: unknown): Promise<Row> {
  const body = bodyOf(raw);
  return userTx(ctx, async (tx) => {
    const receipt = source === 'purchase_receipt' ? await liveSource(tx, ctx, 'purchase_receipt', sourceId) : null;
    const order = await liveOrder(tx, ctx, receipt ? (receipt.purchase_order as string) : sourceId);
    const figures = await orderFigures(tx, await objectsOf(ctx), order.id as string);
    const receiptLines = receipt ? await inStockUnits(tx, ctx, receipt.lines as Row[]) : [];
    const open = [...figures.values()].filter((f) => f.stocked || !receipt).map((f) => {
      // A service or non-stock line is billed against what was ordered: nothing of it is ever received.
      const uninvoiced = (f.stocked ? kept(f) : f.ordered).minus(f.invoiced);
      const ofReceipt = receipt ? receiptLines.filter((l) => l.order_line === f.id).reduce<Decimal>((s, l) => s.plus(l.qty), new Decimal(0)) : uninvoiced;
      return { key: f.id, open: Decimal.min(uninvoiced, ofReceipt) };
    });
    const wanted = pickLines(undefined, open);
    if (!wanted.length) throw new AppError('CONFLICT', 'Nothing received is left to invoice.');
    const [{ id }] = await createRecords(ctx, 'purchase_invoice', [{
      supplier: order.supplier, purchase_order: order.id, purchase_receipt: receipt?.id ?? null,
      invoice_no: body.invoice_no ?? null, bill_date: body.bill_date ?? null,
      lines: wanted.map(({ key, qty }) => {
        const f = figures.get(key)!;
        return { item: f.item, ...inOrderUnit(f, qty, (u) => f.rate.times(u)), tax_rate: f.taxRate.toFixed(), price_includes_tax: f.priceIncludesTax, order_line: f.id };
      }),
    }], { tx });
    return getRecord(ctx, 'purchase_invoice', id, { tx });
  });
}

/** POST /purchase_receipt/{id}/purchase_return {lines?: [{order_line, qty}], reason?} — back at the received rate. */
export async function returnFromReceipt(ctx: RecordsCtx, receiptId: string, raw: unknown): Promise<Row> {
  const body = bodyOf(raw);
  return userTx(ctx, async (tx) => {
    const receipt = await liveSource(tx, ctx, 'purchase_receipt', receiptId);
    const figures = await orderFigures(tx, await objectsOf(ctx), receipt.purchase_order as string);
    const lines = await inStockUnits(tx, ctx, receipt.lines as Row[]);
    const wanted = pickLines(body.lines, lines.map((l) => ({ key: l.order_line as string, open: Decimal.min(new Decimal(l.qty), kept(figures.get(l.order_line)!)) })));
    if (!wanted.length) throw new AppError('CONFLICT', 'Nothing of this receipt is left to return.');
    const [{ id }] = await createRecords(ctx, 'purchase_return', [{
      supplier: receipt.supplier, purchase_receipt: receipt.id, purchase_order: receipt.purchase_order, warehouse: receipt.warehouse, reason: body.reason ?? null,
      lines: wanted.map(({ key, qty }) => {
        const l = lines.find((x) => x.order_line === key)!;
        return { item: l.item, qty: qty.toFixed(), rate: l.rate, order_line: key };
      }),
    }], { tx });
    return getRecord(ctx, 'purchase_return', id, { tx });
  });
}

/** A source document the caller can read, submitted (or approved). */
async function liveSource(tx: Tx, ctx: RecordsCtx, object: string, id: string): Promise<Row> {
  const r = await getRecord(ctx, object, id, { tx });
  if (!LIVE.includes(r.status as string)) throw new AppError('CONFLICT', `${String(r.number)} is ${String(r.status)}; only a submitted document is taken further.`);
  return r;
}

/**
 * The lines to take over: all open quantities, or the ones asked for
 * ([{order_line | requisition_line, qty}]), each at most what is open.
 */
function pickLines(asked: unknown, open: { key: string; open: Decimal }[], keyField = 'order_line'): { key: string; qty: Decimal }[] {
  if (asked === undefined || asked === null) return open.filter((o) => o.open.gt(0)).map((o) => ({ key: o.key, qty: o.open }));
  if (!Array.isArray(asked) || !asked.length) throw new AppError('FIELD_INVALID', `lines: a list of {${keyField}, qty}`, { field: 'lines' });
  return asked.map((a, i) => {
    const row = (a ?? {}) as Row;
    const o = open.find((x) => x.key === row[keyField]);
    if (!o) throw new AppError('FIELD_INVALID', `lines.${i}.${keyField}: not an open line of the source document`, { field: `lines.${i}.${keyField}` });
    let qty: Decimal;
    try {
      qty = new Decimal(row.qty);
    } catch {
      throw new AppError('FIELD_INVALID', `lines.${i}.qty: a positive number`, { field: `lines.${i}.qty` });
    }
    if (!qty.isFinite() || qty.lte(0)) throw new AppError('FIELD_INVALID', `lines.${i}.qty: a positive number`, { field: `lines.${i}.qty` });
    if (qty.gt(o.open)) throw new AppError('FIELD_INVALID', `lines.${i}.qty: only ${o.open.toFixed()} is open`, { field: `lines.${i}.qty` });
    return { key: o.key, qty };
  });
}


/**
 * A draft line in the order line's unit (箱) when the open quantity is a whole
 * number of it, else in the stock unit: `rateFor(units)` is the price of that
 * many stock units (1 or the factor).
 */
function inOrderUnit(f: OrderLineFigures, stockQty: Decimal, rateFor: (units: Decimal) => Decimal): { qty: string; rate: string; uom?: string } {
  const round = (d: Decimal) => d.toDecimalPlaces(6, Decimal.ROUND_HALF_UP).toFixed();
  if (f.uom && !f.factor.eq(1) && stockQty.mod(f.factor).isZero()) return { qty: stockQty.div(f.factor).toFixed(), rate: round(rateFor(f.factor)), uom: f.uom };
  return { qty: stockQty.toFixed(), rate: round(rateFor(new Decimal(1))) };
}
