import { sql } from 'kysely';
import { AppError, Decimal, isUuid } from '@mosaic/kernel';
import type { Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import { columns, toStockLines } from '@mosaic/stock';

/** What an order line sold an item at: the price per stock unit, its VAT rate and whether the price included it. */
export interface OrderTerms {
  perStockUnit: Decimal;
  taxRate: string | null;
  priceIncludesTax: boolean;
}

/**
 * The terms each item was sold at on a sales order — its first line of the
 * item, in line order — for the documents that follow the order (an invoice
 * of a delivery, a return): the price per stock unit (the line's rate ÷ its
 * unit's factor), so a follower in another unit is priced the same.
 */
export async function orderTerms(tx: Tx, objects: Map<string, ObjectMeta>, orderId: string | null | undefined): Promise<Map<string, OrderTerms>> {
  const out = new Map<string, OrderTerms>();
  const line = objects.get('sales_order_line');
  if (!line || !isUuid(orderId)) return out;
  const L = columns(line);
  const rows = (await sql<{ item: string; qty: string; uom: string | null; rate: string | null; tax_rate: string | null; incl: boolean | null }>`
    SELECT ${sql.ref(L.item)} AS item, ${sql.ref(L.qty)}::text AS qty, ${sql.ref(L.uom)} AS uom, ${sql.ref(L.rate)}::text AS rate,
      ${sql.ref(L.tax_rate)}::text AS tax_rate, ${sql.ref(L.price_includes_tax)} AS incl
    FROM ${sql.id(line.tableName)} WHERE parent_id = ${orderId} ORDER BY idx, id`.execute(tx)).rows;
  const stock = await toStockLines(tx, objects, rows as never, 'lines', { tracking: false });
  stock.forEach((l, i) => {
    if (out.has(l.item) || l.rate === undefined) return;
    out.set(l.item, { perStockUnit: l.rate, taxRate: rows[i].tax_rate, priceIncludesTax: rows[i].incl === true });
  });
  return out;
}

/** The order's price per stock unit in a unit of `factor` stock units, to the 6 places rates are kept. */
export const rateInUnit = (terms: OrderTerms, factor: Decimal): string => terms.perStockUnit.times(factor).toDecimalPlaces(6, Decimal.ROUND_HALF_UP).toFixed();

/**
 * The stock units in one unit of each line (`at`: the line's index in its
 * document, so an unknown unit is a 422 naming `lines.<at>.uom`).
 */
export async function unitFactors(tx: Tx, objects: Map<string, ObjectMeta>, lines: { at: number; item: string; uom: string | null }[]): Promise<Decimal[]> {
  try {
    return (await toStockLines(tx, objects, lines.map((l) => ({ item: l.item, qty: '1', uom: l.uom })) as never, 'lines', { tracking: false })).map((l) => l.factor);
  } catch (e) {
    const m = e instanceof AppError && e.field ? /^lines\.(\d+)\.(.+)$/.exec(e.field) : null;
    if (!m) throw e;
    const err = e as AppError;
    const field = `lines.${lines[Number(m[1])].at}.${m[2]}`;
    throw new AppError(err.code, err.message.replace(err.field!, field), { field });
  }
}
