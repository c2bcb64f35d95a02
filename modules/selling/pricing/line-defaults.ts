import { sql } from 'kysely';
import { AppError, Decimal, dateOrThrow, isUuid, todayIn } from '@mosaic/kernel';
import type { Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import { companyCurrency } from '@mosaic/identity';
import { isGiven as given, lineFieldMissing as missing, plainObject as asLine, registerValueDefaults, type RecordsCtx, type ValueDefaultsArgs } from '@mosaic/records';
import { priceFor, salesTaxRates } from './price-list.service.ts';

/**
 * How one kind of sales document writes its lines, for the line defaults:
 * which head field dates the price, which line field holds the price, and
 * whether the line says itself if its price includes VAT.
 */
export interface SalesLineShape {
  /** The head's date the price must be valid on (order_date, posting_date, quote_date). */
  dateField: string;
  /** The line's price field: `rate` on orders and invoices, `list_price` on quotes. */
  priceField: string;
  /**
   * The line has `price_includes_tax`: it takes the list's when not given (a
   * different one given turns the list price at the line's VAT rate). Without
   * it (quotes) a tax-inclusive list price is turned net.
   */
  inclusiveFlag: boolean;
  /** A line field that keeps the list price beside the price (the order's `list_rate`, for discounts). */
  listField?: string;
}

/** What prices the lines of one document. */
export interface SalesHead {
  customer: string | null;
  date: string;
  /** The list the document names: only it applies. */
  priceList: string | null;
  currency: string;
  /** The company's currency (identity's companyCurrency): a list without a currency is in it. */
  companyCurrency: string;
  /** The customer's default list when already read (one read per document); undefined: read it. */
  defaultList?: string | null;
}

export interface LinePrice {
  /** In the line's terms: net unless `priceIncludesTax`. */
  rate: Decimal;
  priceIncludesTax: boolean;
  priceList: string;
}

export const SALES_LINE_SHAPES = {
  sales_order: { dateField: 'order_date', priceField: 'rate', inclusiveFlag: true, listField: 'list_rate' },
  sales_invoice: { dateField: 'posting_date', priceField: 'rate', inclusiveFlag: true },
  quote: { dateField: 'quote_date', priceField: 'list_price', inclusiveFlag: false },
} satisfies Record<string, SalesLineShape>;

const idOf = (v: unknown): string | null => (v && typeof v === 'object' ? ((v as { id?: string }).id ?? null) : ((v as string | null) ?? null));

function decimalAt(v: unknown, field: string): Decimal {
  try {
    if (typeof v !== 'string' && typeof v !== 'number') throw new Error('not a number');
    return new Decimal(v);
  } catch {
    throw new AppError('FIELD_INVALID', `${field}: not a number`, { field });
  }
}

function uuidAt(v: unknown, field: string): string {
  const id = idOf(v);
  if (!isUuid(id)) throw new AppError('FIELD_INVALID', `${field}: not a record id`, { field });
  return id;
}

/**
 * The price one sales line gets: selling's priceFor, once — the list the
 * document names (only it), else the customer's default list first (the CRM's
 * customer.price_list), then their 专价, their group's lists, lists for
 * everyone; in the document's currency, valid on its date, at the quantity's
 * break, in the line's unit.
 */
export async function salesLinePrice(tx: Tx, objects: Map<string, ObjectMeta>, head: SalesHead, line: { item: string; qty: Decimal; uom?: string | null }): Promise<LinePrice | null> {
  const preferList = head.priceList ? null : head.defaultList !== undefined ? head.defaultList : await defaultListOf(tx, objects, head.customer);
  const p = await priceFor(tx, objects, { ...line, customer: head.customer, date: head.date, priceList: head.priceList, preferList, currency: head.currency, companyCurrency: head.companyCurrency });
  return p ? { rate: p.rate, priceIncludesTax: p.priceIncludesTax, priceList: p.priceList } : null;
}

/** The customer's default price list (customer.price_list, the CRM's field; none without it). */
async function defaultListOf(tx: Tx, objects: Map<string, ObjectMeta>, customer: string | null): Promise<string | null> {
  const c = objects.get('customer');
  const column = c?.fields.find((f) => f.apiName === 'price_list')?.columnName;
  if (!customer || !c || !column) return null;
  return (await sql<{ list: string | null }>`SELECT ${sql.ref(column)} AS list FROM ${sql.id(c.tableName)} WHERE id = ${customer}`.execute(tx)).rows[0]?.list ?? null;
}

/** A price turned to the line's terms: net ↔ gross at the line's VAT rate. */
function inTerms(rate: Decimal, fromIncl: boolean, toIncl: boolean, taxRate: Decimal): Decimal {
  if (fromIncl === toIncl) return rate;
  const factor = new Decimal(1).plus(taxRate);
  return (fromIncl ? rate.div(factor) : rate.times(factor)).toDecimalPlaces(6, Decimal.ROUND_HALF_UP);
}

/**
 * The line defaults of a sales document (quote, sales order, sales invoice):
 * a line with an item and no VAT rate takes the item's output rate, else the
 * company's standard one (salesTaxRates); a line with no price takes the price
 * list's (salesLinePrice) and records which `price_list` priced it. A price or
 * rate given on the line is kept. A line no list prices is refused, naming
 * its price field. `at` prefixes error fields (`0.` in a bulk create).
 */
export async function defaultSalesLines(ctx: RecordsCtx, tx: Tx, objects: Map<string, ObjectMeta>, head: SalesHead, lines: unknown[], shape: SalesLineShape, at = ''): Promise<unknown[]> {
  const field = (i: number, f: string) => `${at}lines.${i}.${f}`;
  const items = lines.map((raw, i) => {
    const l = asLine(raw);
    return l && given(l.item) ? uuidAt(l.item, field(i, 'item')) : null;
  });
  // A line without an item (a quote's text line) takes the company's standard rate.
  const untaxed = items.filter((_, i) => asLine(lines[i]) && missing(asLine(lines[i])!, 'tax_rate'));
  const taxRates = untaxed.length ? await salesTaxRates(tx, objects, untaxed, ctx.guard.actor.companyId) : new Map<string | null, Decimal>();
  const out: unknown[] = [];
  // The customer's default list, read once for the document's lines that need a price.
  if (!head.priceList && head.defaultList === undefined && lines.some((raw, i) => items[i] && missing(asLine(raw)!, shape.priceField))) {
    head = { ...head, defaultList: await defaultListOf(tx, objects, head.customer) };
  }
  for (const [i, raw] of lines.entries()) {
    if (!asLine(raw)) {
      out.push(raw); // the records layer says what is wrong with it
      continue;
    }
    const item = items[i];
    const l = { ...asLine(raw)! };
    if (missing(l, 'tax_rate') && taxRates.has(item)) l.tax_rate = taxRates.get(item)!.toFixed();
    if (!item) {
      out.push(l);
      continue;
    }
    if (pricedHere(l, shape)) await priceLine(tx, objects, head, l, shape, (f) => field(i, f), item);
    out.push(l);
  }
  return out;
}

/** Whether defaultSalesLines prices this line (priceLine): no price given, or a discount off the list price. */
const pricedHere = (l: Record<string, unknown>, shape: SalesLineShape): boolean => !!(shape.listField && given(l.discount)) || missing(l, shape.priceField);

/**
 * Prices one line: a list price given (an order's list_rate) is the price, else
 * the price list's, in the line's terms. A `discount` (0.15 for 15 %, on shapes
 * with a list price field: orders) comes off that list price, which is kept
 * beside the price — the same on the records API, imports, the form and
 * POST /api/v1/selling/sales-orders; a discount with a price given is refused.
 */
async function priceLine(tx: Tx, objects: Map<string, ObjectMeta>, head: SalesHead, l: Record<string, unknown>, shape: SalesLineShape, field: (f: string) => string, item: string): Promise<void> {
  const discount = shape.listField && given(l.discount) ? discountAt(l, shape, field) : null;
  delete l.discount; // the stored discount is the formula's (list price against price)
  const off = (rate: Decimal) => (discount ? rate.times(new Decimal(1).minus(discount)).toDecimalPlaces(6, Decimal.ROUND_HALF_UP) : rate).toFixed();
  if (shape.listField && given(l[shape.listField])) {
    const list = decimalAt(l[shape.listField], field(shape.listField));
    l[shape.listField] = list.toFixed();
    l[shape.priceField] = off(list);
    return;
  }
  const qty = given(l.qty) ? decimalAt(l.qty, field('qty')) : new Decimal(1);
  const uom = given(l.uom) ? uuidAt(l.uom, field('uom')) : null;
  const price = await salesLinePrice(tx, objects, head, { item, qty, uom });
  if (!price) {
    // A discount needs a list price to come off: name where to give it.
    const at = discount ? field(shape.listField!) : field(shape.priceField);
    throw new AppError('FIELD_REQUIRED', `${at}: no price list in ${head.currency} prices this item for this customer on ${head.date}; give the ${discount ? 'list price to discount from' : 'price'}`, { field: at });
  }
  const taxRate = given(l.tax_rate) ? decimalAt(l.tax_rate, field('tax_rate')) : new Decimal(0);
  const incl = shape.inclusiveFlag ? (given(l.price_includes_tax) ? l.price_includes_tax === true || l.price_includes_tax === 'true' : price.priceIncludesTax) : false;
  const rate = inTerms(price.rate, price.priceIncludesTax, incl, taxRate);
  l[shape.priceField] = off(rate);
  if (shape.listField) l[shape.listField] = rate.toFixed();
  if (shape.inclusiveFlag) l.price_includes_tax = incl;
  l.price_list = price.priceList;
}

/** A line's discount: a fraction from 0 up to (not including) 1, and only without a price given. */
function discountAt(l: Record<string, unknown>, shape: SalesLineShape, field: (f: string) => string): Decimal {
  const d = decimalAt(l.discount, field('discount'));
  if (d.lt(0) || d.gte(1)) throw new AppError('FIELD_INVALID', `${field('discount')}: a fraction from 0 up to (not including) 1, e.g. 0.15 for 15 %`, { field: field('discount') });
  if (given(l[shape.priceField])) throw new AppError('FIELD_INVALID', `${field('discount')}: give either the ${shape.priceField} or a discount off the list price, not both`, { field: field('discount') });
  return d;
}

/**
 * The head that prices a document's lines, from the values given, else (an update) the stored record; a
 * document without a currency (an invoice's blank) is in the company's (`companyCcy`).
 */
function headOf(ctx: RecordsCtx, shape: SalesLineShape, values: Record<string, unknown>, stored: Record<string, unknown> | null, at: string, companyCcy: string): SalesHead {
  const pick = (f: string) => (f in values ? values[f] : stored?.[f]);
  const date = pick(shape.dateField);
  const currency = pick('currency');
  const customer = pick('customer');
  const list = pick('price_list');
  return {
    customer: given(customer) ? uuidAt(customer, `${at}customer`) : null,
    date: given(date) ? dateOrThrow(date, `${at}${shape.dateField}`) : todayIn(ctx.guard.actor.timeZone),
    priceList: given(list) ? uuidAt(list, `${at}price_list`) : null,
    currency: typeof currency === 'string' && /^[A-Z]{3}$/.test(currency) ? currency : companyCcy,
    companyCurrency: companyCcy,
  };
}

/** The stored head fields of a document being updated (those the object has). */
async function storedHead(tx: Tx, obj: ObjectMeta, id: string, shape: SalesLineShape): Promise<Record<string, unknown> | null> {
  if (!isUuid(id)) return null;
  const cols = ['customer', shape.dateField, 'price_list', 'currency']
    .map((f) => [f, obj.fields.find((x) => x.apiName === f)?.columnName] as const)
    .filter((c): c is readonly [string, string] => !!c[1]);
  if (!cols.length) return null;
  const r = await sql<Record<string, unknown>>`SELECT ${sql.join(cols.map(([f, c]) => sql`${sql.ref(c)}${f === shape.dateField ? sql`::text` : sql``} AS ${sql.id(f)}`))}
    FROM ${sql.id(obj.tableName)} WHERE id = ${id}`.execute(tx);
  return r.rows[0] ?? null;
}

async function defaultInput({ ctx, tx, objects, obj, values, id, at }: ValueDefaultsArgs, shape: SalesLineShape): Promise<Record<string, unknown>> {
  if (!Array.isArray(values.lines)) return values; // the records layer says what is wrong with it
  const stored = id ? await storedHead(tx, obj, id, shape) : null;
  // The company's currency only prices lines (the head's currency and its lists'): a document whose item
  // lines all carry their price reads none — one round trip of every order, invoice and quote (day-statements).
  const toPrice = values.lines.some((raw) => { const l = asLine(raw); return !!l && given(l.item) && pricedHere(l, shape); });
  const companyCcy = toPrice ? await companyCurrency(tx, ctx.guard.actor.companyId) : UNPRICED;
  return { ...values, lines: await defaultSalesLines(ctx, tx, objects, headOf(ctx, shape, values, stored, at, companyCcy), values.lines, shape, at) };
}

/** The head's currency when no line is priced (so none is read): never looked at. */
const UNPRICED = '';

const registered = new Set<string>();

/**
 * Every create and update of the object's records — the generic records API,
 * imports, module endpoints — fills its lines' defaults (defaultSalesLines)
 * before they are checked, in the writing transaction. Once per process.
 */
export function registerSalesLineDefaults(objectApiName: keyof typeof SALES_LINE_SHAPES): void {
  if (registered.has(objectApiName)) return;
  registered.add(objectApiName);
  const shape: SalesLineShape = SALES_LINE_SHAPES[objectApiName];
  registerValueDefaults(objectApiName, (args) => defaultInput(args, shape));
}
