import { sql, type Tx } from '@mosaic/db';
import { Decimal } from '@mosaic/kernel';
import type { ObjectMeta } from '@mosaic/meta';
import { LIVE, tableOf } from '../shared/buying-sql.ts';
import { factorSql } from '../shared/stock-units.ts';

/**
 * Where one purchase order line stands: what was ordered, received, returned and
 * invoiced (submitted documents only). Quantities are in the item's stock unit
 * and prices per stock unit, whatever unit each document's line is written in.
 */
export interface OrderLineFigures {
  id: string;
  idx: number;
  item: string;
  itemName: string;
  /**
   * A stock item (received into a warehouse); services and non-stock items are never received, only invoiced.
   * Decided by the item's type when the order was submitted (the line's item_type), not by the item today.
   */
  stocked: boolean;
  ordered: Decimal;
  rate: Decimal;
  /** The order line's own unit (null: the stock unit) and how many stock units one of it holds. */
  uom: string | null;
  factor: Decimal;
  taxRate: Decimal;
  priceIncludesTax: boolean;
  /** The order's unit price without VAT: what receipts value the stock at. */
  netUnit: Decimal;
  received: Decimal;
  /** Σ qty × rate of the receipts, for the average received rate. */
  receivedValue: Decimal;
  returned: Decimal;
  invoiced: Decimal;
}

/** A price without VAT, per unit (6 decimals, like stock rates). */
export function netUnitPrice(rate: Decimal, taxRate: Decimal, includesTax: boolean): Decimal {
  return (includesTax ? rate.div(taxRate.plus(1)) : rate).toDecimalPlaces(6, Decimal.ROUND_HALF_UP);
}

/** The average rate the line's goods were received at (the order's net price before anything was received). */
export function receivedRate(f: OrderLineFigures): Decimal {
  return f.received.gt(0) ? f.receivedValue.div(f.received).toDecimalPlaces(6, Decimal.ROUND_HALF_UP) : f.netUnit;
}

/** Received and kept: received − returned. */
export const kept = (f: OrderLineFigures) => f.received.minus(f.returned);

/**
 * The figures of every line of a purchase order, in line order. `excludeInvoice`
 * leaves an invoice out of "invoiced" (the one being matched).
 */
export async function orderFigures(tx: Tx, objects: Map<string, ObjectMeta>, orderId: string, excludeInvoice?: string): Promise<Map<string, OrderLineFigures>> {
  const pol = tableOf(objects, 'purchase_order_line');
  const it = tableOf(objects, 'item');
  const factor = factorSql(pol, tableOf(objects, 'item_uom'));
  const lines = await sql<Record<string, any>>`SELECT l.id, l.idx, l.${sql.ref(pol.col('item'))} AS item, i.${sql.ref(it.col('name'))} AS item_name,
      -- The type stamped when the order was submitted; the item's own only for orders submitted before lines kept it.
      COALESCE(l.${sql.ref(pol.col('item_type'))}, i.${sql.ref(it.col('item_type'))}, 'stock') = 'stock' AS stocked,
      l.${sql.ref(pol.col('uom'))} AS uom, ${factor}::text AS factor,
      l.${sql.ref(pol.col('qty'))}::text AS qty, l.${sql.ref(pol.col('rate'))}::text AS rate, COALESCE(l.${sql.ref(pol.col('tax_rate'))}, 0)::text AS tax_rate,
      COALESCE(l.${sql.ref(pol.col('price_includes_tax'))}, false) AS incl
    FROM ${sql.id(pol.name)} l LEFT JOIN ${sql.id(it.name)} i ON i.id = l.${sql.ref(pol.col('item'))}
    WHERE l.parent_id = ${orderId} ORDER BY l.idx`.execute(tx);
  const received = await sums(tx, objects, 'purchase_receipt', orderId);
  const returned = await sums(tx, objects, 'purchase_return', orderId);
  const invoiced = await sums(tx, objects, 'purchase_invoice', orderId, excludeInvoice);
  const zero = new Decimal(0);
  const out = new Map<string, OrderLineFigures>();
  for (const r of lines.rows) {
    const factor = new Decimal(r.factor);
    const rate = new Decimal(r.rate).div(factor);
    const taxRate = new Decimal(r.tax_rate);
    out.set(r.id, {
      id: r.id, idx: r.idx, item: r.item, itemName: r.item_name ?? r.item, stocked: r.stocked !== false, ordered: new Decimal(r.qty).times(factor), rate, uom: r.uom ?? null, factor, taxRate, priceIncludesTax: r.incl,
      netUnit: netUnitPrice(rate, taxRate, r.incl),
      received: received.get(r.id)?.qty ?? zero, receivedValue: received.get(r.id)?.value ?? zero,
      returned: returned.get(r.id)?.qty ?? zero, invoiced: invoiced.get(r.id)?.qty ?? zero,
    });
  }
  return out;
}

/** Σ qty in stock units (and Σ qty × rate where the lines have a rate) per order line over one kind of submitted document of the order. */
async function sums(tx: Tx, objects: Map<string, ObjectMeta>, docApi: string, orderId: string, exclude?: string): Promise<Map<string, { qty: Decimal; value: Decimal }>> {
  const d = tableOf(objects, docApi);
  const l = tableOf(objects, `${docApi}_line`);
  const rateCol = docApi === 'purchase_invoice' ? sql`0` : sql`COALESCE(l.${sql.ref(l.col('rate'))}, 0)`;
  // qty × rate is the same in any unit; the quantity goes to stock units.
  const rows = await sql<{ line: string; qty: string; value: string }>`SELECT l.${sql.ref(l.col('order_line'))} AS line,
      sum(l.${sql.ref(l.col('qty'))} * ${factorSql(l, tableOf(objects, 'item_uom'))})::text AS qty, sum(l.${sql.ref(l.col('qty'))} * ${rateCol})::text AS value
    FROM ${sql.id(l.name)} l JOIN ${sql.id(d.name)} d ON d.id = l.parent_id
    WHERE d.${sql.ref(d.col('purchase_order'))} = ${orderId} AND d.status = ANY(${LIVE}) ${exclude ? sql`AND d.id <> ${exclude}` : sql``}
      AND l.${sql.ref(l.col('order_line'))} IS NOT NULL
    GROUP BY 1`.execute(tx);
  return new Map(rows.rows.map((r) => [r.line, { qty: new Decimal(r.qty), value: new Decimal(r.value) }]));
}

/** Received % and invoiced % of an order, as fractions (percent fields hold 0.4 for 40 %). */
export function chainStatus(figures: Iterable<OrderLineFigures>): { received: Decimal; invoiced: Decimal } {
  let ordered = new Decimal(0);
  let received = new Decimal(0);
  let invoiced = new Decimal(0);
  for (const f of figures) {
    ordered = ordered.plus(f.ordered);
    // A service or non-stock line is never received: once invoiced it counts as delivered.
    received = received.plus(Decimal.min(Decimal.max(f.stocked ? kept(f) : f.invoiced, 0), f.ordered));
    invoiced = invoiced.plus(Decimal.min(f.invoiced, f.ordered));
  }
  if (ordered.isZero()) return { received: new Decimal(0), invoiced: new Decimal(0) };
  return { received: received.div(ordered).toDecimalPlaces(4, Decimal.ROUND_DOWN), invoiced: invoiced.div(ordered).toDecimalPlaces(4, Decimal.ROUND_DOWN) };
}
