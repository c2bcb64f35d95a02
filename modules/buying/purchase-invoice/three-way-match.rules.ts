import { AppError, Decimal } from '@mosaic/kernel';
import { kept, type OrderLineFigures } from '../chain/order-figures.ts';

/** How far an invoice may stray: fractions (0.02 = 2 %) of the received quantity and of the order's unit price. */
export interface Tolerance {
  qty: Decimal;
  price: Decimal;
}

export interface InvoiceLineToMatch {
  index: number;
  orderLine: string | null;
  item: string;
  qty: Decimal;
  /** The invoice's unit price without VAT. */
  netUnit: Decimal;
}

export interface Mismatch {
  field: string;
  kind: 'order_line' | 'item' | 'qty_received' | 'qty_ordered' | 'price';
  message: string;
}

const pct = (d: Decimal) => `${d.times(100).toDecimalPlaces(2).toFixed()}%`;

/**
 * 三单匹配 — order, receipt and invoice agree, line by line. Pure.
 *   quantity: already invoiced + this invoice ≤ (received − returned) × (1 + qty tolerance)
 *             (stock items only: services and non-stock items are not received),
 *             and ≤ ordered × (1 + qty tolerance);
 *   price:    |invoice net unit price − order net unit price| ≤ order price × price tolerance.
 * Several invoice lines on one order line add up. Every mismatch is reported,
 * naming the line, the item and what differs.
 */
export function threeWayMatch(lines: InvoiceLineToMatch[], order: Map<string, OrderLineFigures>, tol: Tolerance): Mismatch[] {
  const out: Mismatch[] = [];
  const invoicedHere = new Map<string, Decimal>();
  for (const l of lines) {
    const at = `lines.${l.index}`;
    const f = l.orderLine ? order.get(l.orderLine) : undefined;
    if (!f) {
      out.push({ field: `${at}.order_line`, kind: 'order_line', message: `${at}: not a line of the purchase order — an invoice line must name the order line it bills` });
      continue;
    }
    const name = `${at} (${f.itemName})`;
    if (f.item !== l.item) {
      out.push({ field: `${at}.item`, kind: 'item', message: `${name}: the item differs from order line ${f.idx + 1}` });
      continue;
    }
    const total = (invoicedHere.get(f.id) ?? new Decimal(0)).plus(l.qty);
    invoicedHere.set(f.id, total);
    const invoiced = f.invoiced.plus(total);
    const receivedCap = kept(f).times(tol.qty.plus(1));
    // A service or non-stock item is never received: its invoice is matched to the order alone (two-way).
    if (f.stocked && invoiced.gt(receivedCap)) {
      out.push({ field: `${at}.qty`, kind: 'qty_received', message:
        `${name}: invoiced quantity ${invoiced.toFixed()} (this invoice ${total.toFixed()}, before ${f.invoiced.toFixed()}) exceeds the received quantity ${kept(f).toFixed()} (tolerance ${pct(tol.qty)})` });
    } else if (invoiced.gt(f.ordered.times(tol.qty.plus(1)))) {
      out.push({ field: `${at}.qty`, kind: 'qty_ordered', message: `${name}: invoiced quantity ${invoiced.toFixed()} exceeds the ordered quantity ${f.ordered.toFixed()} (tolerance ${pct(tol.qty)})` });
    }
    const diff = l.netUnit.minus(f.netUnit).abs();
    // Rates are kept to 6 places: a price per 箱 and per 个 may differ in the last one.
    const allowed = f.netUnit.times(tol.price).plus('0.000001');
    if (diff.gt(allowed)) {
      const rel = f.netUnit.isZero() ? '' : ` (${pct(diff.div(f.netUnit))})`;
      out.push({ field: `${at}.rate`, kind: 'price', message:
        `${name}: unit price ${l.netUnit.toFixed()} (net of VAT) differs from the order's ${f.netUnit.toFixed()} by ${diff.toFixed()}${rel}, more than the tolerance ${pct(tol.price)}` });
    }
  }
  return out;
}

/** Refuses posting with a 422 naming the first mismatch; all of them are in details. */
export function assertMatched(mismatches: Mismatch[]): void {
  if (!mismatches.length) return;
  const more = mismatches.length > 1 ? ` (and ${mismatches.length - 1} more)` : '';
  throw new AppError('VALIDATION_FAILED', `Three-way match failed: ${mismatches[0].message}${more}`, { field: mismatches[0].field, details: { mismatches } });
}
