import { sql } from 'kysely';
import { AppError, Decimal, clock } from '@mosaic/kernel';
import type { Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import { localDate } from '@mosaic/automation';
import { createRecords, getRecord, registerRecordHooks, type RecordsCtx } from '@mosaic/records';
import { priceFor, salesTaxRates } from '@mosaic/selling';
import { txOf } from '../shared/system-ctx.ts';

export interface QuotePriceQuery {
  item: string;
  qty: Decimal;
  customer: string | null;
  date: string;
  currency: string;
  /** The list the quote names: only it applies. */
  priceList?: string | null;
  /** The line's VAT rate: a tax-inclusive list price is turned net at it. */
  taxRate: Decimal;
}

const isGiven = (v: unknown) => v !== undefined && v !== null && v !== '';
const idOf = (v: unknown): string | null => (v && typeof v === 'object' ? ((v as { id?: string }).id ?? null) : ((v as string | null) ?? null));

/**
 * A quote line's list price: selling's priceFor, once — the list the quote
 * names (only it), else the customer's default list first, then their 专价,
 * their tier's lists, lists for everyone; active, for selling, in the quote's
 * currency, valid on the quote's date, with quantity breaks and units. A
 * tax-inclusive price is turned net at the line's VAT rate.
 */
export async function quoteLinePrice(tx: Tx, objects: Map<string, ObjectMeta>, q: QuotePriceQuery): Promise<{ listPrice: string; priceList: string } | null> {
  const p = await priceFor(tx, objects, { item: q.item, qty: q.qty, customer: q.customer, date: q.date, priceList: q.priceList ?? null, preferList: await defaultListOf(tx, objects, q.customer), currency: q.currency });
  if (!p) return null;
  const net = p.priceIncludesTax ? p.rate.div(new Decimal(1).plus(q.taxRate)) : p.rate;
  return { listPrice: net.toDecimalPlaces(6, Decimal.ROUND_HALF_UP).toFixed(), priceList: p.priceList };
}

/** The customer's default price list (customer.price_list, the CRM's field). */
async function defaultListOf(tx: Tx, objects: Map<string, ObjectMeta>, customer: string | null): Promise<string | null> {
  const c = objects.get('customer');
  const column = c?.fields.find((f) => f.apiName === 'price_list')?.columnName;
  if (!customer || !c || !column) return null;
  return (await sql<{ list: string | null }>`SELECT ${sql.ref(column)} AS list FROM ${sql.id(c.tableName)} WHERE id = ${customer}`.execute(tx)).rows[0]?.list ?? null;
}

/**
 * The VAT rate of a line with none given: the item's, else the company's
 * standard output rate (selling's salesTaxRate over finance's tax_rate); a
 * company without tax rates falls back to the line field's own default.
 */
async function lineTaxRate(ctx: RecordsCtx, tx: Tx, objects: Map<string, ObjectMeta>, item: string | null): Promise<Decimal> {
  return (await lineTaxRates(ctx, tx, objects, [item])).get(item)!;
}

/** lineTaxRate for every item of a quote's lines, in one statement. */
async function lineTaxRates(ctx: RecordsCtx, tx: Tx, objects: Map<string, ObjectMeta>, items: (string | null)[]): Promise<Map<string | null, Decimal>> {
  const rates = await salesTaxRates(tx, objects, items, ctx.guard.actor.companyId);
  const fallback = objects.get('quote_line')?.fields.find((f) => f.apiName === 'tax_rate')?.defaultValue;
  const lineDefault = new Decimal(typeof fallback === 'string' || typeof fallback === 'number' ? fallback : 0);
  return new Map(items.map((i) => [i, rates.get(i) ?? lineDefault]));
}

const todayOf = (ctx: RecordsCtx) => localDate(clock.now(), ctx.guard.actor.timeZone);

/**
 * POST /api/v1/crm/quotes — a quote whose lines without a list price take it
 * from the applicable price list (a price given on the line wins). The pricing
 * itself is the quote's create hook (priceQuoteInputs), so the generic records
 * POST prices the same way.
 */
export async function createPricedQuote(ctx: RecordsCtx, body: unknown): Promise<Record<string, unknown>> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new AppError('BAD_REQUEST', 'Send the quote as a JSON object.');
  const id = await txOf(ctx, async (tx) => (await createRecords(ctx, 'quote', [body], { tx }))[0].id);
  return getRecord(ctx, 'quote', id);
}

/**
 * The quote's create hook (every path that creates quotes: the records API,
 * imports, createPricedQuote): each line with a product and no list_price is
 * priced, and a line without a tax_rate gets the item's/company's. A line no
 * list prices is refused naming its list_price.
 */
export async function priceQuoteInputs(ctx: RecordsCtx, tx: Tx, objects: Map<string, ObjectMeta>, inputs: unknown[]): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const [n, input] of inputs.entries()) {
    if (!input || typeof input !== 'object' || Array.isArray(input)) {
      out.push(input); // the records layer says what is wrong with it
      continue;
    }
    const quote = { ...(input as Record<string, unknown>) };
    if (Array.isArray(quote.lines)) quote.lines = await priceLines(ctx, tx, objects, quote, quote.lines as unknown[], inputs.length > 1 ? `${n}.` : '');
    out.push(quote);
  }
  return out;
}

registerRecordHooks('quote', { prepareCreate: ({ ctx, tx, objects, inputs }) => priceQuoteInputs(ctx, tx, objects, inputs) });

async function priceLines(ctx: RecordsCtx, tx: Tx, objects: Map<string, ObjectMeta>, quote: Record<string, unknown>, lines: unknown[], at: string): Promise<unknown[]> {
  const base = {
    customer: idOf(quote.customer), currency: typeof quote.currency === 'string' && quote.currency ? quote.currency : 'CNY',
    date: typeof quote.quote_date === 'string' && quote.quote_date ? quote.quote_date : todayOf(ctx), priceList: idOf(quote.price_list),
  };
  const out: unknown[] = [];
  const lineOf = (raw: unknown) => (raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : null);
  const untaxed = lines.map(lineOf).filter((l) => l && isGiven(l.item) && !isGiven(l.tax_rate)).map((l) => idOf(l!.item));
  const taxRates = untaxed.length ? await lineTaxRates(ctx, tx, objects, untaxed) : new Map<string | null, Decimal>();
  for (const [i, raw] of lines.entries()) {
    if (!lineOf(raw)) {
      out.push(raw); // the records layer says what is wrong with it
      continue;
    }
    const l = { ...lineOf(raw)! };
    const field = (f: string) => `${at}lines.${i}.${f}`;
    const item = isGiven(l.item) ? idOf(l.item) : null;
    if (item && !isGiven(l.tax_rate)) l.tax_rate = taxRates.get(item)!.toFixed();
    if (item && !isGiven(l.list_price)) {
      const price = await quoteLinePrice(tx, objects, { ...base, item, qty: decimal(l.qty ?? 1, field('qty')), taxRate: decimal(l.tax_rate, field('tax_rate')) });
      if (!price) throw new AppError('FIELD_REQUIRED', `${field('list_price')}: no price list in ${base.currency} prices this product for this customer on ${base.date}; give the price`, { field: field('list_price') });
      Object.assign(l, { list_price: price.listPrice, price_list: price.priceList });
    }
    out.push(l);
  }
  return out;
}

function decimal(v: unknown, field: string): Decimal {
  try {
    return new Decimal(String(v));
  } catch {
    throw new AppError('FIELD_INVALID', `${field}: not a number`, { field });
  }
}

/** GET /api/v1/crm/quotes/price — what a new line would get (the quote form asks as a product is picked). */
export async function quotePriceLookup(ctx: RecordsCtx, query: Record<string, string | undefined>): Promise<{ listPrice: string | null; priceList: string | null }> {
  const uuid = (v: string | undefined, field: string) => {
    if (!v || !/^[0-9a-f-]{36}$/i.test(v)) throw new AppError('FIELD_INVALID', `${field}: give a record id`, { field });
    return v;
  };
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const item = uuid(query.item, 'item');
  const customer = query.customer ? uuid(query.customer, 'customer') : null;
  if (customer) await getRecord(ctx, 'customer', customer); // the caller may read it
  if (query.currency && !/^[A-Z]{3}$/.test(query.currency)) throw new AppError('FIELD_INVALID', 'currency: a three-letter code such as CNY', { field: 'currency' });
  if (query.date && !/^\d{4}-\d{2}-\d{2}$/.test(query.date)) throw new AppError('FIELD_INVALID', 'date: YYYY-MM-DD', { field: 'date' });
  const price = await txOf(ctx, async (tx) => quoteLinePrice(tx, objects, {
    item, qty: decimal(query.qty ?? '1', 'qty'), customer, date: query.date ?? todayOf(ctx), currency: query.currency ?? 'CNY',
    priceList: query.price_list ? uuid(query.price_list, 'price_list') : null,
    taxRate: query.tax_rate ? decimal(query.tax_rate, 'tax_rate') : await lineTaxRate(ctx, tx, objects, item),
  }));
  return price ?? { listPrice: null, priceList: null };
}
