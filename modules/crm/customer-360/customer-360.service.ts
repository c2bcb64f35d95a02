import { sql, type RawBuilder } from 'kysely';
import { AppError, Decimal } from '@mosaic/kernel';
import { openItems, owedInOwnCurrency } from '@mosaic/finance';
import type { Tx } from '@mosaic/db';
import { aggregateRecords, getRecord, listRecords, type RecordsCtx } from '@mosaic/records';
import { collectFieldPaths, parseFormula, type ObjectMeta } from '@mosaic/meta';
import { mayMatchOn, txOf } from '../shared/system-ctx.ts';
import { assertRatesAvailable, callerCurrency, foreignOf, ratesToday } from '../shared/currency.ts';

interface Source {
  object: string;
  kind: string;
  /** Field naming the customer. */
  link: string;
  /** When it happened, for the timeline. */
  at: string;
  fields: string[];
  /** Only the rows matching this too (a payment names its party by type and id). */
  where?: Record<string, unknown>;
}

/**
 * What the timeline gathers, each only if the object is installed and the
 * caller may read it (selling's orders and invoices appear once that module is
 * there; an admin's own objects can be added here the same way).
 */
const SOURCES: Source[] = [
  { object: 'activity', kind: 'activity', link: 'customer', at: 'occurred_at', fields: ['kind', 'subject', 'content', 'occurred_at', 'next_followup_date', 'owner_id'] },
  { object: 'opportunity', kind: 'opportunity', link: 'customer', at: 'created_at', fields: ['name', 'stage', 'amount', 'probability', 'expected_close_date', 'won_at', 'lost_at', 'owner_id', 'created_at'] },
  { object: 'quote', kind: 'quote', link: 'customer', at: 'created_at', fields: ['number', 'status', 'outcome', 'grand_total', 'currency', 'valid_until', 'created_at'] },
  { object: 'ticket', kind: 'ticket', link: 'customer', at: 'created_at', fields: ['number', 'subject', 'priority', 'state', 'sla_state', 'csat_score', 'created_at'] },
  { object: 'campaign_message', kind: 'email', link: 'customer', at: 'created_at', fields: ['campaign', 'email', 'state', 'sent_at', 'opened_at', 'clicked_at', 'created_at'] },
  { object: 'contract', kind: 'contract', link: 'customer', at: 'created_at', fields: ['number', 'title', 'amount', 'end_date', 'state', 'created_at'] },
  { object: 'sales_order', kind: 'sales_order', link: 'customer', at: 'created_at', fields: ['number', 'status', 'order_date', 'grand_total', 'created_at'] },
  { object: 'sales_invoice', kind: 'sales_invoice', link: 'customer', at: 'created_at', fields: ['number', 'status', 'grand_total', 'currency', 'created_at'] },
  { object: 'delivery_note', kind: 'delivery', link: 'customer', at: 'created_at', fields: ['number', 'status', 'sales_order', 'warehouse', 'posting_date', 'on_time', 'created_at'] },
  // finance's payment names its party in a text field (customer, supplier or employee id), so only the customer ones, received or paid back.
  { object: 'payment', kind: 'payment', link: 'party', where: { party_type: 'customer' }, at: 'created_at', fields: ['number', 'status', 'payment_type', 'posting_date', 'amount', 'currency', 'allocated_total', 'reference', 'created_at'] },
];

/**
 * 客户 360° 视图: the profile, its contacts, and one timeline of everything
 * linked to the customer — activities, emails, tickets, quotes, opportunities,
 * contracts, orders, deliveries, invoices, payments — newest first, including what still names
 * customers merged into this one. Every part is read through the caller's
 * access rights: a record they may not see is not there; a part they may not
 * read at all is left out and named in `hidden`. `currency`: the company's (as
 * GET /auth/me gives it), the currency of every figure here that carries none of
 * its own — the key figures, orders, a null `outstandingCurrency` (an opportunity's amount says its currency).
 * A field the caller may not read (an opportunity's close date, a quote's total) is left out of its entries.
 */
export async function customer360(ctx: RecordsCtx, customerId: string, opts: { limit?: number } = {}): Promise<Record<string, unknown>> {
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const limit = Math.min(Math.max(opts.limit ?? 100, 1), 500);
  const hidden: string[] = [];
  const timeline: Record<string, unknown>[] = [];
  const counts: Record<string, number> = {};
  const readable = SOURCES.filter((s) => {
    const obj = objects.get(s.object);
    if (!obj || !obj.fields.some((f) => f.apiName === s.link) || !Object.keys(s.where ?? {}).every((k) => obj.fields.some((f) => f.apiName === k))) return false;
    if (!ctx.guard.can(obj, 'read')) hidden.push(s.object);
    return ctx.guard.can(obj, 'read');
  });
  // One read-only transaction on one connection, one statement per part (its page and its count
  // together), and none for a part with nothing on this customer: ten parts side by side took ten
  // pooled connections and four round trips each (bench/crm).
  return txOf(ctx, async (tx) => {
    const profile = await getRecord(ctx, 'customer', customerId, { tx });
    const currency = await callerCurrency(ctx, tx);
    const { merged, present } = await whatIsThere(ctx, tx, customerId, [{ object: 'contact', link: 'customer' }, ...readable]);
    const ids = [customerId, ...merged];
    // One id compares with `=`, which walks the (customer, time) index in timeline order; `= ANY` cannot.
    const ofCustomer = ids.length === 1 ? customerId : { in: ids };
    const contacts = present.has('contact')
      ? (await listRecords(ctx, 'contact', { filter: { customer: ofCustomer }, fields: ['name', 'title', 'phone', 'email', 'unsubscribed'], sort: 'name', pageSize: 200, total: false }, 'read', { tx })).data
      : [];
    for (const s of readable) {
      counts[s.kind] = 0;
      if (!present.has(s.object)) continue;
      const obj = objects.get(s.object)!;
      const r = await listRecords(ctx, s.object, { filter: { ...s.where, [s.link]: ofCustomer }, fields: s.fields.filter((f) => obj.fields.some((x) => x.apiName === f && !x.archived && ctx.guard.canReadField(obj, x))), sort: `-${s.at}`, pageSize: limit, titles: true }, 'read', { tx });
      counts[s.kind] = r.total ?? r.data.length;
      for (const row of r.data) timeline.push({ kind: s.kind, object: s.object, id: row.id, at: row[s.at] ?? null, title: row.$title ?? null, record: row });
    }
    timeline.sort((a, b) => String(b.at ?? '').localeCompare(String(a.at ?? '')));
    const receivables = await invoiceSettlement(ctx, tx, objects, timeline.filter((e) => e.kind === 'sales_invoice'));
    const figures = await keyFigures(ctx, tx, objects, ofCustomer, currency);
    return { profile, mergedFrom: merged, contacts, counts, timeline: timeline.slice(0, limit), hidden, currency, receivables, figures };
  }, { readOnly: true });
}

/**
 * The 360° page's key figures, summed in the database over every record (not
 * only the timeline's page) the caller may read, money as decimal strings:
 * open opportunities (neither won nor lost) with their amount and weighted
 * value (amount × win probability), and this year's orders (submitted, not
 * cancelled) with their total. A figure is null when its object is not
 * installed or the caller may not read it; a sum is null when they may not read
 * the field it adds (for opportunities, amount: its currency too). In the view's read-only transaction:
 * each in one of its own cost a BEGIN/COMMIT pair (12 round trips a view, bench/crm).
 */
async function keyFigures(ctx: RecordsCtx, tx: Tx, objects: Map<string, ObjectMeta>, ofCustomer: unknown, base: string): Promise<Record<string, unknown>> {
  const readable = (name: string) => { const o = objects.get(name); return !!o && ctx.guard.can(o, 'read'); };
  const one = async (object: string, filter: Record<string, unknown>, measures: string[]) =>
    (await aggregateRecords(ctx, object, { filter, measures }, { tx })).data[0] ?? {};
  const opp = readable('opportunity') ? await openPipeline(ctx, tx, objects, ofCustomer, base) : null;
  const orderTotal = readable('sales_order') && mayReadField(ctx, objects.get('sales_order')!, 'grand_total');
  const orders = readable('sales_order')
    ? await one('sales_order', { customer: ofCustomer, order_date: 'this_year', status: { nin: ['draft', 'cancelled'] } }, ['count', ...(orderTotal ? ['sum:grand_total'] : [])])
    : null;
  return {
    openOpportunities: opp,
    ordersThisYear: orders && { count: Number(orders.count), total: orderTotal ? money(orders['sum:grand_total']) : null },
  };
}

/**
 * Whether the object has the field (not archived) and the caller may read it, and, a formula, every field it
 * reads (weighted_amount is amount × probability): a sum over one they may not read is FIELD_FORBIDDEN.
 */
function mayReadField(ctx: RecordsCtx, obj: ObjectMeta, name: string, depth = 0): boolean {
  const f = obj.fields.find((x) => x.apiName === name && !x.archived);
  if (!f || !ctx.guard.canReadField(obj, f)) return false;
  if (f.type !== 'formula' || !f.config.formula) return true;
  return depth < 4 && collectFieldPaths(parseFormula(f.config.formula)).every((path) => mayReadField(ctx, obj, path.split('.')[0], depth + 1));
}

const money = (v: unknown) => new Decimal(String(v ?? '0')).toFixed(2);

/**
 * Open opportunities (neither won nor lost) with their amount and weighted
 * value in the company's currency: summed per amount's currency (amount is
 * money: `amount.currency`) in the database, each sum converted at today's
 * rate (shared/currency.ts — 422 naming `currency` without one), then added,
 * in `base` (the company's). All in the company's currency: no further statement.
 * A caller who may not read amount (so neither its currency) gets the count only:
 * amounts cannot be added without it, and a total converted from currencies
 * they may not see would tell them what those are. A sum of a field they may not read is null.
 */
async function openPipeline(ctx: RecordsCtx, tx: Tx, objects: Map<string, ObjectMeta>, ofCustomer: unknown, base: string): Promise<{ count: number; amount: string | null; weighted: string | null }> {
  const opp = objects.get('opportunity')!;
  const sums = mayReadField(ctx, opp, 'amount') ? ['amount', 'weighted_amount'].filter((name) => mayReadField(ctx, opp, name)) : [];
  const by = 'amount.currency';
  const groups = (await aggregateRecords(ctx, 'opportunity', {
    filter: { customer: ofCustomer, won_at: null, lost_at: null }, measures: ['count', ...sums.map((name) => `sum:${name}`)], ...(sums.length ? { groupBy: [by] } : {}),
  }, { tx })).data;
  let rates = new Map<string, Decimal>();
  if (groups.some((g) => g[by])) {
    const foreign = foreignOf(base, groups.map((g) => (g[by] as string | null)?.trim()));
    assertRatesAvailable(objects, base, foreign);
    rates = await ratesToday(ctx, objects, base, foreign, tx);
  }
  const rateOf = (g: Record<string, unknown>) => rates.get((g[by] as string | null)?.trim() || base) ?? new Decimal(1);
  const sum = (field: string) => !sums.includes(field) ? null
    : groups.reduce((s, g) => s.plus(new Decimal(String(g[`sum:${field}`] ?? '0')).times(rateOf(g)).toDecimalPlaces(2)), new Decimal(0)).toFixed(2);
  return { count: groups.reduce((s, g) => s + Number(g.count ?? 0), 0), amount: sum('amount'), weighted: sum('weighted_amount') };
}

/**
 * In one statement: the customers merged into this one, and which of the
 * objects hold anything linked to it or them (an index probe each). A part
 * with nothing is not queried; one with something is read through the
 * caller's guard as before, so what the caller sees does not change.
 */
async function whatIsThere(ctx: RecordsCtx, tx: Tx, customerId: string, parts: Pick<Source, 'object' | 'link' | 'where'>[]): Promise<{ merged: string[]; present: Set<string> }> {
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const cust = objects.get('customer')!;
  const mergedCol = cust.fields.find((f) => f.apiName === 'merged_into')!.columnName!;
  const probes = parts.map((part) => {
    const obj = objects.get(part.object)!;
    const link = obj.fields.find((f) => f.apiName === part.link)!;
    // A text link (payment.party) is compared as text on the ids' side, so its column's index still serves.
    const ids = link.type === 'link' ? sql`SELECT id FROM ids` : sql`SELECT id::text FROM ids`;
    const where = Object.entries(part.where ?? {}).map(([k, v]) => sql` AND x.${sql.ref(obj.fields.find((f) => f.apiName === k)!.columnName!)} = ${v}`);
    return sql`CASE WHEN EXISTS (SELECT 1 FROM ${sql.id(obj.tableName)} x WHERE x.${sql.ref(link.columnName!)} IN (${ids})${where.length ? sql.join(where, sql``) : sql``}) THEN ${part.object}::text END`;
  });
  const r = await sql<{ merged: string[]; present: string[] }>`
    WITH m AS (SELECT id FROM ${sql.id(cust.tableName)} WHERE ${sql.ref(mergedCol)} = ${customerId}),
         ids AS (SELECT ${customerId}::uuid AS id UNION ALL SELECT id FROM m)
    SELECT ARRAY(SELECT id::text FROM m) AS merged, array_remove(ARRAY[${sql.join(probes)}]::text[], NULL) AS present`.execute(tx);
  return { merged: r.rows[0].merged, present: new Set(r.rows[0].present) };
}

/**
 * The indexes the timeline reads by: (customer, time, id) on every source, so a
 * customer's latest entries are the first ones of an index range whatever the
 * size of the table (crm.install.ts creates them as each source is installed).
 */
export function timelineIndexes(objects: Map<string, ObjectMeta>): { table: string; name: string; columns: string[] }[] {
  const out: { table: string; name: string; columns: string[] }[] = [];
  for (const s of SOURCES) {
    const obj = objects.get(s.object);
    const link = obj?.fields.find((f) => f.apiName === s.link)?.columnName;
    const at = s.at === 'created_at' ? 'created_at' : obj?.fields.find((f) => f.apiName === s.at)?.columnName;
    if (!obj || !link || !at) continue;
    // In the timeline's own order (`-at`, then id): the first `limit` entries are the first index entries, even when many share a time.
    out.push({ table: obj.tableName, name: `${obj.tableName}_crm_timeline_idx`.slice(0, 63), columns: ['tenant_id', link, `${at} DESC NULLS FIRST`, 'id'] });
  }
  return out;
}

/**
 * What the customer still owes on the invoices the caller can see, from the
 * finance module's receivables sub-ledger (1122 against each invoice): each
 * invoice's entry gets `outstanding` in the invoice's own currency (a USD
 * invoice: the dollars still owed, which 1122 keeps beside the company-currency
 * amount) with `outstandingCurrency` (null = the company's currency) and
 * `paid`. The totals: `outstanding` in the company's currency (the ledger's
 * figure, foreign items at their booked amounts) and `byCurrency`, one total per
 * currency as the invoices are written — amounts in different currencies are
 * never added up. A draft invoice has posted nothing (outstanding null, not
 * paid). Null when the books are not installed or the caller has no company.
 */
async function invoiceSettlement(ctx: RecordsCtx, tx: Tx, objects: Map<string, ObjectMeta>, invoices: Record<string, unknown>[]): Promise<Receivables | null> {
  const companyId = ctx.guard.actor.companyId;
  if (!objects.get('gl_entry') || !companyId) return null;
  const items = invoices.length
    ? await openItems(tx, objects, { companyId, partyType: 'customer', againstIds: invoices.map((e) => e.id as string) })
    : [];
  const byId = new Map(items.map((i) => [i.againstId, i]));
  let outstanding = new Decimal(0);
  let open = 0;
  const perCurrency = new Map<string | null, { outstanding: Decimal; open: number }>();
  for (const e of invoices) {
    const item = byId.get(e.id as string);
    const record = e.record as Record<string, unknown>;
    const own = item ? owedInOwnCurrency(item) : undefined;
    record.outstanding = own ?? null;
    record.outstandingCurrency = item?.currency ?? null;
    record.paid = !!item && new Decimal(item.outstanding).lte(0) && new Decimal(item.fcOutstanding).lte(0);
    if (item && !(new Decimal(item.outstanding).isZero() && new Decimal(item.fcOutstanding).isZero())) {
      outstanding = outstanding.plus(item.outstanding);
      open++;
      const sum = perCurrency.get(item.currency) ?? { outstanding: new Decimal(0), open: 0 };
      perCurrency.set(item.currency, { outstanding: sum.outstanding.plus(own!), open: sum.open + 1 });
    }
  }
  const byCurrency = [...perCurrency].map(([currency, x]) => ({ currency, outstanding: x.outstanding.toFixed(2), open: x.open }))
    .sort((a, b) => (a.currency === null ? -1 : b.currency === null ? 1 : a.currency.localeCompare(b.currency)));
  return { outstanding: outstanding.toFixed(2), open, byCurrency };
}

interface Receivables {
  outstanding: string;
  open: number;
  /** Per currency the invoices are in (null = the company's), each with its open invoices. */
  byCurrency: { currency: string | null; outstanding: string; open: number }[];
}

/**
 * 来电弹屏: the customer a phone number (or an e-mail address) belongs to — the
 * customer's own or any of its contacts', compared normalised (0755-8300 0000 =
 * 075583000000, +86 138… = 138…; e-mail trimmed, any case). Only customers the
 * caller may read. Both sides are stored keys compared with `=`: under
 * row-level security only leakproof comparisons reach an index, and
 * crm_normalize_phone(column) is not one — it scanned every contact.
 */
export async function lookupByPhone(ctx: RecordsCtx, phone: string | undefined, email?: string): Promise<{ data: Record<string, unknown>[] }> {
  if (!phone?.trim() && !email?.trim()) throw new AppError('FIELD_REQUIRED', 'phone: which number (or email)', { field: 'phone' });
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const cust = objects.get('customer')!;
  const contact = objects.get('contact')!;
  const cc = (f: string) => sql.ref(`c.${cust.fields.find((x) => x.apiName === f)!.columnName!}`);
  const kc = (f: string) => sql.ref(`k.${contact.fields.find((x) => x.apiName === f)!.columnName!}`);
  // Looking a number up is reading it: only where the caller may read the phone (e-mail) field.
  const mayCust = { p: await mayMatchOn(ctx, 'customer', 'phone'), e: await mayMatchOn(ctx, 'customer', 'email') };
  const mayContact = { p: await mayMatchOn(ctx, 'contact', 'phone'), e: await mayMatchOn(ctx, 'contact', 'email') };
  if (phone?.trim() && !mayCust.p && !mayContact.p) throw new AppError('FIELD_FORBIDDEN', 'phone: you may not read customers\' or contacts\' phone numbers', { field: 'phone' });
  if (email?.trim() && !mayCust.e && !mayContact.e) throw new AppError('FIELD_FORBIDDEN', 'email: you may not read customers\' or contacts\' e-mail addresses', { field: 'email' });
  const ids = await txOf(ctx, async (tx) => {
    // The keys first, as values: each arm below is then one index lookup.
    const key = (await sql<{ p: string | null; e: string | null }>`SELECT crm_normalize_phone(${phone ?? null}::text) AS p, crm_normalize_email(${email ?? null}::text) AS e`.execute(tx)).rows[0];
    if (!key.p && !key.e) return [];
    const arm = (ref: (f: string) => RawBuilder<unknown>, m: { p: boolean; e: boolean }) => {
      const p = m.p ? key.p : null;
      const e = m.e ? key.e : null;
      return sql`((${p}::text IS NOT NULL AND ${ref('phone_key')} = ${p}) OR (${e}::text IS NOT NULL AND ${ref('email_key')} = ${e}))`;
    };
    return (await sql<{ id: string }>`
      SELECT c.id FROM ${sql.id(cust.tableName)} c WHERE ${arm(cc, mayCust)}
      UNION
      SELECT ${kc('customer')} FROM ${sql.id(contact.tableName)} k WHERE ${arm(kc, mayContact)} AND ${kc('customer')} IS NOT NULL
      LIMIT 50`.execute(tx)).rows.map((r) => r.id);
  }, { readOnly: true });
  if (!ids.length) return { data: [] };
  const fields = ['name', 'phone', 'tier', 'owner_id', 'merged_into'].filter((n) => { const f = cust.fields.find((x) => x.apiName === n); return f && ctx.guard.canReadField(cust, f); });
  const r = await listRecords(ctx, 'customer', { filter: { id: { in: ids } }, fields, pageSize: 50 });
  return { data: r.data };
}
