import { sql } from 'kysely';
import { Decimal } from '@mosaic/kernel';
import type { Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import { columns, toStockLines } from '@mosaic/stock';
import { itemTaxRates } from '@mosaic/finance';

export interface PriceQuery {
  item: string;
  qty: Decimal;
  uom?: string | null;
  customer?: string | null;
  date: string;
  listType?: 'selling' | 'buying';
  /** Only this price list (the order names one). */
  priceList?: string | null;
  /**
   * The customer's default list (the CRM's customer.price_list, e.g. a shared
   * 经销商价): it applies whatever customer group it is for, and comes first.
   */
  preferList?: string | null;
  /** The document's currency: only lists in it price the line. */
  currency: string;
  /** The company's currency (identity's companyCurrency): a list with no currency of its own is in it. */
  companyCurrency: string;
}

export interface Price {
  rate: Decimal;
  priceIncludesTax: boolean;
  priceList: string;
}

/**
 * The price of an item from the price lists (价目表): active lists of the type,
 * valid on the date, for the customer's group or for everyone, with a quantity
 * break at or below the quantity (compared in stock units). The most specific
 * wins: the customer's group over everyone, then the highest break, then the
 * latest valid_from. A price written per stock unit is converted to the
 * line's unit (箱 = 12 个: 12 × the price of one 个).
 *
 * A list has a currency (selling's price_list.currency: a list in another
 * currency never prices the line) and may be one customer's 专价
 * (price_list.customer: never another customer's line, and the most specific
 * of all but the customer's default list, `preferList`, which comes first).
 * The first row of the whole ranking is the price: one query, whichever list.
 */
export async function priceFor(tx: Tx, objects: Map<string, ObjectMeta>, q: PriceQuery): Promise<Price | null> {
  const pl = objects.get('price_list')!;
  const ip = objects.get('item_price')!;
  const P = columns(pl);
  const IP = columns(ip);
  const group = q.customer ? await customerGroup(tx, objects, q.customer) : null;
  const prefer = q.preferList ?? null;
  const [line] = await toStockLines(tx, objects, [{ item: q.item, qty: q.qty.toFixed(), uom: q.uom }], 'lines', { tracking: false });
  const rows = await sql<Record<string, any>>`SELECT l.id AS list, p.${sql.ref(IP.rate)}::text AS rate, p.${sql.ref(IP.uom)} AS uom, COALESCE(l.${sql.ref(P.price_includes_tax)}, false) AS incl,
      COALESCE(p.${sql.ref(IP.min_qty)}, 0)::text AS min_qty
    FROM ${sql.id(ip.tableName)} p JOIN ${sql.id(pl.tableName)} l ON l.id = p.parent_id
    WHERE p.${sql.ref(IP.item)} = ${q.item} AND l.${sql.ref(P.list_type)} = ${q.listType ?? 'selling'} AND COALESCE(l.${sql.ref(P.is_active)}, true)
      AND (l.${sql.ref(P.valid_from)} IS NULL OR l.${sql.ref(P.valid_from)} <= ${q.date}::date)
      AND (l.${sql.ref(P.valid_to)} IS NULL OR l.${sql.ref(P.valid_to)} >= ${q.date}::date)
      AND (l.${sql.ref(P.customer_group)} IS NULL OR l.${sql.ref(P.customer_group)} = ${group} OR l.id = ${prefer}::uuid)
      AND (${q.priceList ?? null}::uuid IS NULL OR l.id = ${q.priceList ?? null}::uuid)
      AND (l.${sql.ref(P.customer)} IS NULL OR l.${sql.ref(P.customer)} = ${q.customer ?? null}::uuid)
      AND COALESCE(l.${sql.ref(P.currency)}, ${q.companyCurrency}) = ${q.currency}
    ORDER BY (l.id = ${prefer}::uuid) DESC NULLS LAST, (l.${sql.ref(P.customer)} IS NOT NULL) DESC, (l.${sql.ref(P.customer_group)} IS NOT NULL) DESC,
      p.${sql.ref(IP.min_qty)} DESC NULLS LAST, l.${sql.ref(P.valid_from)} DESC NULLS LAST, l.created_at, l.id`.execute(tx);
  for (const r of rows.rows) {
    // A break is in the price row's unit (stock unit when it names none).
    const [breakAt] = await toStockLines(tx, objects, [{ item: q.item, qty: r.min_qty, uom: r.uom }], 'lines', { tracking: false });
    if (breakAt.qty.gt(line.qty)) continue;
    const [priceUnit] = await toStockLines(tx, objects, [{ item: q.item, qty: '1', uom: r.uom }], 'lines', { tracking: false });
    // rate per stock unit × stock units in one line unit
    const rate = new Decimal(r.rate).div(priceUnit.qty).times(line.factor);
    return { rate: rate.toDecimalPlaces(6, Decimal.ROUND_HALF_UP), priceIncludesTax: !!r.incl, priceList: r.list };
  }
  return null;
}

/** The customer's group: its `customer_group` field when the CRM has one, else its tier (A/B/C). */
async function customerGroup(tx: Tx, objects: Map<string, ObjectMeta>, customer: string): Promise<string | null> {
  const c = objects.get('customer');
  if (!c) return null;
  const C = columns(c);
  const colName = C.customer_group ?? C.tier;
  if (!colName) return null;
  const r = await sql<{ g: string | null }>`SELECT ${sql.ref(colName)} AS g FROM ${sql.id(c.tableName)} WHERE id = ${customer}`.execute(tx);
  return r.rows[0]?.g ?? null;
}

/**
 * The output VAT rate of a sales line for the item: the item's own tax_rate
 * (finance's 税率 records), else the company's standard rate — its highest
 * non-exempt output rate (13 % with the shipped VAT rates). Null when the
 * company has no tax rates at all.
 */
export async function salesTaxRate(tx: Tx, objects: Map<string, ObjectMeta>, item: string | null, companyId: string | null): Promise<Decimal | null> {
  return (await salesTaxRates(tx, objects, [item], companyId)).get(item) ?? null;
}

/** salesTaxRate for several items in one statement (a document's lines); a null item gets the company's rate. */
export async function salesTaxRates(tx: Tx, objects: Map<string, ObjectMeta>, items: (string | null)[], companyId: string | null): Promise<Map<string | null, Decimal>> {
  return itemTaxRates(tx, objects, items, companyId, 'output', 'tax_rate');
}
