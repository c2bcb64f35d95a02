import type { FastifyInstance } from 'fastify';
import { AppError, Decimal, dateOrThrow, isUuid, todayIn } from '@mosaic/kernel';
import { inTenantTx } from '@mosaic/db';
import { companyCurrency } from '@mosaic/identity';
import { createRecord, getRecord, type RecordsCtx } from '@mosaic/records';
import { toStockLines } from '@mosaic/stock';
import { priceFor } from './pricing/price-list.service.ts';
import { salesLinePrice, type SalesHead } from './pricing/line-defaults.ts';
import { itemProgress, orderChain } from './order-chain/order-chain.service.ts';
import { assertOrderInEffect } from './sales-order/order-approval.ts';
import { orderTerms, rateInUnit } from './order-chain/order-terms.ts';

const tx = <T>(ctx: RecordsCtx, fn: Parameters<typeof inTenantTx<T>>[2]) => inTenantTx(ctx.db.app, { tenantId: ctx.guard.actor.tenantId, userId: ctx.guard.actor.userId }, fn);
const decimalOf = (v: unknown, field: string): Decimal => {
  try {
    if (typeof v !== 'string' && typeof v !== 'number') throw new Error('not a number');
    return new Decimal(v);
  } catch {
    throw new AppError('FIELD_INVALID', `${field}: not a number`, { field });
  }
};
const uuid = (v: unknown, field: string): string => {
  if (!isUuid(v)) throw new AppError('FIELD_INVALID', `${field}: not a record id`, { field });
  return v;
};

/**
 * Order-to-cash actions beyond the generic records API:
 *   POST /api/v1/selling/sales-orders                      create an order; lines without a rate are priced from the price lists,
 *                                                          a line's `discount` (0.15) comes off its list price; list_rate is kept
 *   GET  /api/v1/selling/price?item&qty&uom&customer&date   the price a line would get
 *   GET  /api/v1/selling/sales-orders/:id/chain             ordered/delivered/invoiced/paid %
 *   POST /api/v1/selling/sales-orders/:id/delivery-note     a draft delivery for what is left to deliver
 *   POST /api/v1/selling/sales-orders/:id/sales-invoice     a draft invoice for what is delivered and not invoiced
 *   POST /api/v1/selling/delivery-notes/:id/sales-invoice   a draft invoice for one delivery (order prices, else the price list)
 *   POST /api/v1/selling/delivery-notes/:id/sales-return    a draft return of a delivery, at the order's prices and VAT rates (the credit note)
 */
export async function sellingRoutes(app: FastifyInstance, recordsCtx: (request: unknown) => RecordsCtx): Promise<void> {
  app.post('/api/v1/selling/sales-orders', async (request, reply) => {
    const ctx = recordsCtx(request);
    const body = request.body as Record<string, unknown> | null;
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new AppError('BAD_REQUEST', 'Send the sales order as a JSON object.');
    if (!Array.isArray(body.lines)) throw new AppError('FIELD_REQUIRED', 'lines: needs at least one row', { field: 'lines' });
    // Prices, discounts off the list price and VAT rates are the order's line defaults
    // (pricing/line-defaults.ts), as on the generic records API, imports and the form.
    reply.code(201);
    return createRecord(ctx, 'sales_order', body);
  });

  app.get<{ Querystring: Record<string, string> }>('/api/v1/selling/price', async (request) => {
    const ctx = recordsCtx(request);
    const q = request.query;
    const qty = decimalOf(q.qty ?? '1', 'qty');
    const buying = q.type === 'buying';
    const customer = !buying && q.customer ? uuid(q.customer, 'customer') : null;
    const date = q.date ? dateOrThrow(q.date, 'date') : todayIn(ctx.guard.actor.timeZone);
    return tx(ctx, async (t) => {
      // A customer's price (their 专价, their group's, their default list) is theirs: only for a caller who may read
      // the customer — 404 for one out of their scope, 403 without the right, as the records API answers.
      if (customer) await getRecord(ctx, 'customer', customer, { tx: t });
      const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
      const line = { item: uuid(q.item, 'item'), qty, uom: q.uom ? uuid(q.uom, 'uom') : null };
      // No currency asked for: the caller's company's (identity's companyCurrency), as a new document gets.
      const base = await companyCurrency(t, ctx.guard.actor.companyId);
      const head: SalesHead = { customer, date, priceList: q.price_list ? uuid(q.price_list, 'price_list') : null, currency: q.currency ?? base, companyCurrency: base };
      // Selling: as a line is defaulted (the customer's default list first); buying: the purchase lists.
      const price = buying
        ? await priceFor(t, objects, { ...line, customer: null, date: head.date, listType: 'buying', currency: head.currency, companyCurrency: base })
        : await salesLinePrice(t, objects, head, line);
      return price ? { rate: price.rate.toFixed(), priceIncludesTax: price.priceIncludesTax, priceList: price.priceList } : { rate: null };
    });
  });

  app.get<{ Params: { id: string } }>('/api/v1/selling/sales-orders/:id/chain', async (request) => {
    const ctx = recordsCtx(request);
    await getRecord(ctx, 'sales_order', request.params.id); // the caller may read it
    return tx(ctx, async (t) => orderChain(t, await ctx.store.objects(ctx.guard.actor.tenantId), request.params.id));
  });

  app.post<{ Params: { id: string } }>('/api/v1/selling/sales-orders/:id/delivery-note', async (request, reply) => {
    const ctx = recordsCtx(request);
    const so = await getRecord(ctx, 'sales_order', request.params.id);
    const left = await remaining(ctx, so, 'delivered');
    if (!left.length) throw new AppError('CONFLICT', `sales_order: ${String(so.number)} is fully delivered`, { field: 'sales_order' });
    reply.code(201);
    return createRecord(ctx, 'delivery_note', { customer: so.customer, sales_order: so.id, warehouse: so.warehouse, lines: left.map((l) => ({ item: l.item, qty: l.qty })) });
  });

  app.post<{ Params: { id: string } }>('/api/v1/selling/sales-orders/:id/sales-invoice', async (request, reply) => {
    const ctx = recordsCtx(request);
    const so = await getRecord(ctx, 'sales_order', request.params.id);
    const left = await remaining(ctx, so, 'invoiced');
    if (!left.length) throw new AppError('CONFLICT', `sales_order: ${String(so.number)} has nothing delivered left to invoice`, { field: 'sales_order' });
    reply.code(201);
    return createRecord(ctx, 'sales_invoice', {
      customer: so.customer, sales_order: so.id,
      lines: left.map((l) => ({ item: l.item, qty: l.qty, rate: l.rate, tax_rate: l.taxRate, price_includes_tax: l.incl })),
    });
  });

  app.post<{ Params: { id: string } }>('/api/v1/selling/delivery-notes/:id/sales-invoice', async (request, reply) => {
    const ctx = recordsCtx(request);
    const dn = await getRecord(ctx, 'delivery_note', request.params.id);
    if (dn.status !== 'submitted') throw new AppError('CONFLICT', `delivery_note: ${String(dn.number)} is ${String(dn.status)}; only a submitted delivery can be invoiced`, { field: 'delivery_note' });
    if (dn.sales_order) await getRecord(ctx, 'sales_order', dn.sales_order as string); // the caller may read the order it prices from
    const lines = await tx(ctx, async (t) => {
      const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
      const terms = await orderTerms(t, objects, dn.sales_order as string | null);
      const stock = await toStockLines(t, objects, dn.lines as never, 'lines', { tracking: false });
      return stock.map((l) => {
        const o = terms.get(l.item);
        // Not on the order: the invoice's line defaults price it (price list, item's VAT rate).
        return o ? { item: l.item, qty: l.qty.toFixed(), rate: rateInUnit(o, new Decimal(1)), tax_rate: o.taxRate, price_includes_tax: o.priceIncludesTax } : { item: l.item, qty: l.qty.toFixed() };
      });
    });
    reply.code(201);
    return createRecord(ctx, 'sales_invoice', { customer: dn.customer, sales_order: dn.sales_order ?? null, delivery_note: dn.id, lines });
  });

  app.post<{ Params: { id: string } }>('/api/v1/selling/delivery-notes/:id/sales-return', async (request, reply) => {
    const ctx = recordsCtx(request);
    const dn = await getRecord(ctx, 'delivery_note', request.params.id);
    if (dn.status !== 'submitted') throw new AppError('CONFLICT', `delivery_note: ${String(dn.number)} is ${String(dn.status)}; only a submitted delivery can be returned`, { field: 'delivery_note' });
    reply.code(201);
    return createRecord(ctx, 'sales_return', {
      customer: dn.customer, delivery_note: dn.id, warehouse: dn.warehouse,
      lines: (dn.lines as Record<string, any>[]).map((l) => ({ item: l.item, qty: l.qty, uom: l.uom ?? null, batch: l.batch ?? null })),
    });
  });
}

/**
 * What is left of each order line, in stock units, at the order's price per
 * stock unit: to deliver (ordered − net delivered) or to invoice (net delivered
 * − invoiced). Lines of the same item are filled in order.
 */
async function remaining(ctx: RecordsCtx, so: Record<string, unknown>, what: 'delivered' | 'invoiced') {
  return tx(ctx, async (t) => {
    await assertOrderInEffect(t, so);
    const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
    const progress = await itemProgress(t, objects, so.id as string);
    const soLines = so.lines as Record<string, any>[];
    const stock = await toStockLines(t, objects, soLines as never, 'lines', { tracking: false });
    const used = new Map<string, Decimal>();
    const out: { item: string; qty: string; rate: string; taxRate: unknown; incl: unknown }[] = [];
    stock.forEach((l, i) => {
      const p = progress.get(l.item)!;
      const net = p.delivered.minus(p.returned);
      const cap = what === 'delivered' ? p.ordered.minus(net) : net.minus(p.invoiced);
      const already = used.get(l.item) ?? new Decimal(0);
      const qty = Decimal.min(l.qty, Decimal.max(cap.minus(already), 0));
      used.set(l.item, already.plus(qty));
      // (a delivery needs no price: a warehouse keeper may not even see it)
      const rate = what === 'invoiced' ? new Decimal(soLines[i].rate).div(l.factor).toFixed() : '';
      if (qty.gt(0)) out.push({ item: l.item, qty: qty.toFixed(), rate, taxRate: soLines[i].tax_rate, incl: soLines[i].price_includes_tax });
    });
    return out;
  });
}
