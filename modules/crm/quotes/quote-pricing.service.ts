import { sql } from 'kysely';
import { AppError, Decimal, clock } from '@mosaic/kernel';
import type { Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import { localDate } from '@mosaic/automation';
import { createRecords, getRecord, type RecordsCtx } from '@mosaic/records';
import { priceFor } from '@mosaic/selling';
import { txOf } from '../shared/system-ctx.ts';

export interface QuotePriceQuery {
  item: string;
  qty: Decimal;
  customer: string | null;
  date: string;
  currency: string;
  /** The list the quote names: only it applies. */
  priceList?: string | null;
  taxRate?: Decimal;
}

const col = (o: ObjectMeta, f: string) => sql.ref(o.fields.find((x) => x.apiName === f)!.columnName!);
const isGiven = (v: unknown) => v !== undefined && v !== null && v !== '';
const idOf = (v: unknown): string | null => (v && typeof v === 'object' ? ((v as { id?: string }).id ?? null) : ((v as string | null) ?? null));

/**
 * The price lists that apply to a quote line, most specific first: the list
 * the quote names (only it), else the customer's default list, then lists for
 * the customer's tier, then lists for everyone — each active, for selling, in
 * the quote's currency, valid on the quote's date, and not another customer's
 * 专价 (price_list.customer). Among equals the latest valid_from wins. The first that prices
 * the item at this quantity (the selling module's priceFor: quantity breaks,
 * units) gives the line's list price; a tax-inclusive price is turned net.
 */
export async function quoteLinePrice(tx: Tx, objects: Map<string, ObjectMeta>, q: QuotePriceQuery): Promise<{ listPrice: string; priceList: string } | null> {
  for (const list of await applicableLists(tx, objects, q)) {
    const p = await priceFor(tx, objects, { item: q.item, qty: q.qty, customer: q.customer, date: q.date, priceList: list, currency: q.currency });
    if (!p) continue;
    const net = p.priceIncludesTax ? p.rate.div(new Decimal(1).plus(q.taxRate ?? '0.13')) : p.rate;
    return { listPrice: net.toDecimalPlaces(6, Decimal.ROUND_HALF_UP).toFixed(), priceList: p.priceList };
  }
  return null;
}

async function applicableLists(tx: Tx, objects: Map<string, ObjectMeta>, q: QuotePriceQuery): Promise<string[]> {
  const pl = objects.get('price_list')!;
  const customer = objects.get('customer')!;
  const who = q.customer
    ? (await sql<{ tier: string | null; list: string | null }>`SELECT ${col(customer, 'tier')} AS tier, ${col(customer, 'price_list')} AS list FROM ${sql.id(customer.tableName)} WHERE id = ${q.customer}`.execute(tx)).rows[0]
    : undefined;
  const named = q.priceList ?? null;
  const rows = await sql<{ id: string }>`SELECT l.id FROM ${sql.id(pl.tableName)} l
    WHERE COALESCE(${col(pl, 'is_active')}, true) AND ${col(pl, 'list_type')} = 'selling' AND COALESCE(${col(pl, 'currency')}, 'CNY') = ${q.currency}
      AND (${col(pl, 'valid_from')} IS NULL OR ${col(pl, 'valid_from')} <= ${q.date}::date) AND (${col(pl, 'valid_to')} IS NULL OR ${col(pl, 'valid_to')} >= ${q.date}::date)
      AND (${col(pl, 'customer')} IS NULL OR ${col(pl, 'customer')} = ${q.customer}::uuid)
      AND (CASE WHEN ${named}::uuid IS NOT NULL THEN l.id = ${named}::uuid
                ELSE l.id = ${who?.list ?? null}::uuid OR ${col(pl, 'customer_group')} IS NULL OR ${col(pl, 'customer_group')} = ${who?.tier ?? null} END)
    ORDER BY (l.id = ${who?.list ?? null}::uuid) DESC NULLS LAST, (${col(pl, 'customer')} IS NOT NULL) DESC, (${col(pl, 'customer_group')} IS NOT NULL) DESC, ${col(pl, 'valid_from')} DESC NULLS LAST, l.created_at`.execute(tx);
  return rows.rows.map((r) => r.id);
}

const todayOf = (ctx: RecordsCtx) => localDate(clock.now(), ctx.guard.actor.timeZone);

/**
 * POST /api/v1/crm/quotes — a quote whose lines without a list price take it
 * from the applicable price list (a price given on the line wins). A line with
 * a product no list prices, and no price given, is refused naming its list_price.
 */
export async function createPricedQuote(ctx: RecordsCtx, body: unknown): Promise<Record<string, unknown>> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new AppError('BAD_REQUEST', 'Send the quote as a JSON object.');
  const quote = { ...(body as Record<string, unknown>) };
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const id = await txOf(ctx, async (tx) => {
    if (Array.isArray(quote.lines)) quote.lines = await priceLines(ctx, tx, objects, quote, quote.lines as unknown[]);
    const [q] = await createRecords(ctx, 'quote', [quote], { tx });
    return q.id;
  });
  return getRecord(ctx, 'quote', id);
}

async function priceLines(ctx: RecordsCtx, tx: Tx, objects: Map<string, ObjectMeta>, quote: Record<string, unknown>, lines: unknown[]): Promise<unknown[]> {
  const base = {
    customer: idOf(quote.customer), currency: typeof quote.currency === 'string' && quote.currency ? quote.currency : 'CNY',
    date: typeof quote.quote_date === 'string' && quote.quote_date ? quote.quote_date : todayOf(ctx), priceList: idOf(quote.price_list),
  };
  const out: unknown[] = [];
  for (const [i, raw] of lines.entries()) {
    const line = raw && typeof raw === 'object' ? { ...(raw as Record<string, unknown>) } : raw;
    if (!line || typeof line !== 'object') {
      out.push(line); // the records layer says what is wrong with it
      continue;
    }
    const l = line as Record<string, unknown>;
    if (!isGiven(l.list_price) && isGiven(l.item)) {
      const price = await quoteLinePrice(tx, objects, { ...base, item: String(idOf(l.item)), qty: decimal(l.qty ?? 1, `lines.${i}.qty`), taxRate: isGiven(l.tax_rate) ? decimal(l.tax_rate, `lines.${i}.tax_rate`) : undefined });
      if (!price) throw new AppError('FIELD_REQUIRED', `lines.${i}.list_price: no price list in ${base.currency} prices this product for this customer on ${base.date}; give the price`, { field: `lines.${i}.list_price` });
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
  const price = await txOf(ctx, (tx) => quoteLinePrice(tx, objects, {
    item, qty: decimal(query.qty ?? '1', 'qty'), customer, date: query.date ?? todayOf(ctx), currency: query.currency ?? 'CNY',
    priceList: query.price_list ? uuid(query.price_list, 'price_list') : null,
  }));
  return price ?? { listPrice: null, priceList: null };
}
