import { sql } from 'kysely';
import { AppError, Decimal, isUuid } from '@mosaic/kernel';
import type { Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import { registerDocumentHooks } from '@mosaic/process';
import { isGiven as given, lineFieldMissing as missing, plainObject as asRow, registerValueDefaults, type RecordsCtx } from '@mosaic/records';
import { columns, postDocumentMoves, reverseDocumentMoves, reversalMoves, toStockLines, voucherOf } from '@mosaic/stock';
import { postReceivableVoucher } from '../sales-invoice/sales-invoice.hooks.ts';
import { stampFromDelivery } from '../order-chain/order-owner.hooks.ts';
import { orderTerms, rateInUnit, unitFactors } from '../order-chain/order-terms.ts';
import { salesTaxRates } from '../pricing/price-list.service.ts';

/**
 * 销售退货: goods come back into stock at the rate they left with on the
 * original delivery (its ledger entries, including any re-valuation since),
 * never at today's average — so the cost of goods sold comes back exactly
 * (Dr 1405, Cr 5401 through the stock → ledger flow). A priced return also
 * books the credit note (红字: receivable, revenue, output VAT reduced). No
 * item may come back more than was delivered less what already came back.
 */
export function registerSalesReturnHooks(): void {
  registerReturnLineDefaults();
  registerDocumentHooks('sales_return', {
    async validate({ tx, ctx, record }) {
      // Checks the delivery and takes its owner (the order's rep) in one statement (order-owner.hooks.ts).
      const dn = await stampFromDelivery(tx, ctx, record);
      if (dn.status !== 'submitted') throw new AppError('CONFLICT', `delivery_note: ${String(dn.number)} is ${String(dn.status)}; only a submitted delivery can be returned`, { field: 'delivery_note' });
      if (dn.customer !== record.customer) throw new AppError('FIELD_INVALID', 'customer: differs from the delivery note\'s customer', { field: 'customer' });
    },
    async onSubmit(args) {
      const { tx, ctx, record } = args;
      const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
      const lines = await toStockLines(tx, objects, record.lines as never);
      const left = await rateAndLeft(tx, objects, record.delivery_note as string, record.id as string);
      const moves = lines.map((l, i) => {
        const d = left.get(l.item);
        if (!d) throw new AppError('FIELD_INVALID', `lines.${i}.item: not on the delivery note`, { field: `lines.${i}.item` });
        if (l.qty.gt(d.left)) throw new AppError('FIELD_INVALID', `lines.${i}.qty: only ${Decimal.max(d.left, 0).toFixed()} can still come back, ${l.qty.toFixed()} given`, { field: `lines.${i}.qty` });
        d.left = d.left.minus(l.qty);
        return { item: l.item, warehouse: record.warehouse as string, qty: l.qty, rate: d.rate, value: l.qty.times(d.rate).toDecimalPlaces(6, Decimal.ROUND_HALF_UP), batch: l.batch, serialNo: l.serialNo };
      });
      await postDocumentMoves(tx, ctx, voucherOf('sales_return', record), moves, record);
      await postReceivableVoucher(args, -1, '销售退货');
    },
    async onCancel(args) {
      await reverseDocumentMoves(args.tx, args.ctx, voucherOf('sales_return', args.record), args.record);
      await postReceivableVoucher(args, 1, '冲销销售退货');
    },
  });
}

/**
 * Per item of the delivery: the unit cost it left with, and how much may still
 * come back (delivered − other submitted returns of it; this one is excluded).
 */
async function rateAndLeft(tx: Tx, objects: Map<string, ObjectMeta>, dnId: string, selfId: string): Promise<Map<string, { rate: Decimal; left: Decimal }>> {
  const out = new Map<string, { rate: Decimal; left: Decimal; value: Decimal }>();
  // reversalMoves gives each of the delivery's entries back, with the value it carries now.
  for (const m of await reversalMoves(tx, objects, { type: 'delivery_note', id: dnId })) {
    const x = out.get(m.item) ?? { rate: new Decimal(0), left: new Decimal(0), value: new Decimal(0) };
    x.left = x.left.plus(m.qty);
    x.value = x.value.plus(m.value ?? m.qty.times(m.rate ?? 0));
    out.set(m.item, x);
  }
  for (const x of out.values()) x.rate = x.left.isZero() ? new Decimal(0) : x.value.div(x.left);
  const sr = objects.get('sales_return')!;
  const line = objects.get('sales_return_line')!;
  const L = columns(line);
  const back = await sql<{ item: string; qty: string; uom: string | null }>`SELECT l.${sql.ref(L.item)} AS item, l.${sql.ref(L.qty)}::text AS qty, l.${sql.ref(L.uom)} AS uom
    FROM ${sql.id(line.tableName)} l JOIN ${sql.id(sr.tableName)} r ON r.id = l.parent_id
    WHERE r.status = 'submitted' AND r.${sql.ref(columns(sr).delivery_note)} = ${dnId} AND r.id <> ${selfId}`.execute(tx);
  for (const l of await toStockLines(tx, objects, back.rows, 'lines', { tracking: false })) {
    const x = out.get(l.item);
    if (x) x.left = x.left.minus(l.qty);
  }
  return out;
}

/**
 * A return line gives back what was sold: without a VAT rate or a price it
 * takes the rate, price (in its own unit) and price_includes_tax of the order
 * line of its item behind the delivery it returns (orderTerms); an item the
 * order does not have (a delivery without an order) takes the item's output
 * VAT rate, else the company's (salesTaxRates), and stays unpriced. What the
 * line gives is kept. On create and update, through every write path.
 */
async function defaultReturnLines(ctx: RecordsCtx, tx: Tx, objects: Map<string, ObjectMeta>, values: Record<string, unknown>, id: string | null): Promise<Record<string, unknown>> {
  if (!Array.isArray(values.lines)) return values; // the records layer says what is wrong with it
  const lines = values.lines as unknown[];
  const wanting = lines.flatMap((raw, at) => {
    const l = asRow(raw);
    return l && isUuid(l.item) && (missing(l, 'tax_rate') || missing(l, 'rate')) ? [{ at, line: { ...l }, item: l.item }] : [];
  });
  if (!wanting.length) return values;
  const terms = await orderTerms(tx, objects, await orderOfReturn(tx, objects, values, id));
  // Priced from the order, in the line's own unit.
  const priced = wanting.filter((w) => terms.has(w.item) && missing(w.line, 'rate'));
  const factors = await unitFactors(tx, objects, priced.map((w) => ({ at: w.at, item: w.item, uom: isUuid(w.line.uom) ? w.line.uom : null })));
  priced.forEach((w, k) => {
    const t = terms.get(w.item)!;
    w.line.rate = rateInUnit(t, factors[k]);
    if (!given(w.line.price_includes_tax)) w.line.price_includes_tax = t.priceIncludesTax;
  });
  // The VAT rate the order charged, else the item's (the company's) output rate.
  const untaxed = wanting.filter((w) => missing(w.line, 'tax_rate') && !terms.get(w.item)?.taxRate);
  const rates = untaxed.length ? await salesTaxRates(tx, objects, untaxed.map((w) => w.item), ctx.guard.actor.companyId) : new Map<string | null, Decimal>();
  for (const w of wanting) {
    if (!missing(w.line, 'tax_rate')) continue;
    const rate = terms.get(w.item)?.taxRate ?? rates.get(w.item)?.toFixed();
    if (rate) w.line.tax_rate = rate;
  }
  const out = [...lines];
  for (const w of wanting) out[w.at] = w.line;
  return { ...values, lines: out };
}

/** The sales order behind the delivery a return names (an update that leaves it out: the stored one); null without. */
async function orderOfReturn(tx: Tx, objects: Map<string, ObjectMeta>, values: Record<string, unknown>, id: string | null): Promise<string | null> {
  const ret = objects.get('sales_return')!;
  const dn = objects.get('delivery_note')!;
  const delivery = 'delivery_note' in values
    ? (isUuid(values.delivery_note) ? values.delivery_note : null)
    : isUuid(id) ? (await sql<{ dn: string | null }>`SELECT ${sql.ref(columns(ret).delivery_note)} AS dn FROM ${sql.id(ret.tableName)} WHERE id = ${id}`.execute(tx)).rows[0]?.dn ?? null : null;
  if (!delivery) return null;
  return (await sql<{ so: string | null }>`SELECT ${sql.ref(columns(dn).sales_order)} AS so FROM ${sql.id(dn.tableName)} WHERE id = ${delivery}`.execute(tx)).rows[0]?.so ?? null;
}

let registered = false;
function registerReturnLineDefaults(): void {
  if (registered) return;
  registered = true;
  registerValueDefaults('sales_return', ({ ctx, tx, objects, values, id }) => defaultReturnLines(ctx, tx, objects, values, id));
}
