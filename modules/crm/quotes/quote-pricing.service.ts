import { AppError, Decimal, todayIn } from '@mosaic/kernel';
import { createRecords, getRecord, type RecordsCtx } from '@mosaic/records';
import { salesLinePrice, salesTaxRate } from '@mosaic/selling';
import { txOf } from '../shared/system-ctx.ts';
import { callerCurrency } from '../shared/currency.ts';

// A quote's lines are defaulted by selling, as orders and invoices are (selling's
// pricing/line-defaults.ts, registered by selling's register()): no list_price →
// the price list's (the list the quote names, else the customer's default list, 专价,
// tier, everyone; quantity breaks; tax-inclusive list prices turned net) and the
// line's `price_list`; no tax_rate → the item's output rate, else the company's
// standard one. On create and update, through the records API, imports and
// POST /api/v1/crm/quotes alike.


/**
 * POST /api/v1/crm/quotes — a quote whose lines without a list price take it
 * from the applicable price list (a price given on the line wins). The pricing
 * itself is the quote's record hook, so the generic records POST prices the same way.
 */
export async function createPricedQuote(ctx: RecordsCtx, body: unknown): Promise<Record<string, unknown>> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new AppError('BAD_REQUEST', 'Send the quote as a JSON object.');
  const id = await txOf(ctx, async (tx) => (await createRecords(ctx, 'quote', [body], { tx }))[0].id);
  return getRecord(ctx, 'quote', id);
}

function decimal(v: unknown, field: string): Decimal {
  try {
    return new Decimal(String(v));
  } catch {
    throw new AppError('FIELD_INVALID', `${field}: not a number`, { field });
  }
}

/**
 * GET /api/v1/crm/quotes/price — what a new line would get (the quote form asks
 * as a product is picked and as its quantity changes): the same selling pricing
 * as the quote's line defaults, net at the line's (or the item's) VAT rate.
 */
export async function quotePriceLookup(ctx: RecordsCtx, query: Record<string, string | undefined>): Promise<{ listPrice: string | null; priceList: string | null; taxRate: string | null }> {
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
  const qty = decimal(query.qty ?? '1', 'qty');
  const date = query.date ?? todayIn(ctx.guard.actor.timeZone);
  const priceList = query.price_list ? uuid(query.price_list, 'price_list') : null;
  return txOf(ctx, async (tx) => {
    // No currency asked for: the caller's company's, as a new quote gets.
    const base = await callerCurrency(ctx, tx);
    const head = { customer, date, currency: query.currency ?? base, companyCurrency: base, priceList };
    const taxRate = query.tax_rate ? decimal(query.tax_rate, 'tax_rate') : await salesTaxRate(tx, objects, item, ctx.guard.actor.companyId);
    const price = await salesLinePrice(tx, objects, head, { item, qty });
    if (!price) return { listPrice: null, priceList: null, taxRate: taxRate?.toFixed() ?? null };
    const net = price.priceIncludesTax ? price.rate.div(new Decimal(1).plus(taxRate ?? 0)) : price.rate;
    return { listPrice: net.toDecimalPlaces(6, Decimal.ROUND_HALF_UP).toFixed(), priceList: price.priceList, taxRate: taxRate?.toFixed() ?? null };
  });
}
