import { sql } from 'kysely';
import { AppError, Decimal } from '@mosaic/kernel';
import { openItems } from '@mosaic/finance';
import { getRecord, listRecords, type RecordsCtx } from '@mosaic/records';
import { txOf } from '../shared/system-ctx.ts';

interface Source {
  object: string;
  kind: string;
  /** Field naming the customer. */
  link: string;
  /** When it happened, for the timeline. */
  at: string;
  fields: string[];
}

/**
 * What the timeline gathers, each only if the object is installed and the
 * caller may read it (selling's orders and invoices appear once that module is
 * there; an admin's own objects can be added here the same way).
 */
const SOURCES: Source[] = [
  { object: 'activity', kind: 'activity', link: 'customer', at: 'occurred_at', fields: ['kind', 'subject', 'content', 'occurred_at', 'next_followup_date', 'owner_id'] },
  { object: 'opportunity', kind: 'opportunity', link: 'customer', at: 'created_at', fields: ['name', 'stage', 'amount', 'probability', 'expected_close_date', 'won_at', 'lost_at', 'owner_id', 'created_at'] },
  { object: 'quote', kind: 'quote', link: 'customer', at: 'created_at', fields: ['number', 'status', 'outcome', 'grand_total', 'valid_until', 'created_at'] },
  { object: 'ticket', kind: 'ticket', link: 'customer', at: 'created_at', fields: ['number', 'subject', 'priority', 'state', 'sla_state', 'csat_score', 'created_at'] },
  { object: 'campaign_message', kind: 'email', link: 'customer', at: 'created_at', fields: ['campaign', 'email', 'state', 'sent_at', 'opened_at', 'clicked_at', 'created_at'] },
  { object: 'contract', kind: 'contract', link: 'customer', at: 'created_at', fields: ['number', 'title', 'amount', 'end_date', 'state', 'created_at'] },
  { object: 'sales_order', kind: 'sales_order', link: 'customer', at: 'created_at', fields: ['number', 'status', 'order_date', 'grand_total', 'created_at'] },
  { object: 'sales_invoice', kind: 'sales_invoice', link: 'customer', at: 'created_at', fields: ['number', 'status', 'grand_total', 'created_at'] },
];

/**
 * 客户 360° 视图: the profile, its contacts, and one timeline of everything
 * linked to the customer — activities, emails, tickets, quotes, opportunities,
 * contracts, orders, invoices — newest first, including what still names
 * customers merged into this one. Every part is read through the caller's
 * access rights: a record they may not see is not there; a part they may not
 * read at all is left out and named in `hidden`.
 */
export async function customer360(ctx: RecordsCtx, customerId: string, opts: { limit?: number } = {}): Promise<Record<string, unknown>> {
  const profile = await getRecord(ctx, 'customer', customerId);
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const ids = [customerId, ...(await mergedInto(ctx, customerId))];
  const limit = Math.min(Math.max(opts.limit ?? 100, 1), 500);
  const hidden: string[] = [];
  const timeline: Record<string, unknown>[] = [];
  const counts: Record<string, number> = {};
  const readable = SOURCES.filter((s) => {
    const obj = objects.get(s.object);
    if (!obj || !obj.fields.some((f) => f.apiName === s.link)) return false;
    if (!ctx.guard.can(obj, 'read')) hidden.push(s.object);
    return ctx.guard.can(obj, 'read');
  });
  // The parts are independent reads: side by side, each on its own pooled connection.
  const [contacts, ...parts] = await Promise.all([
    listRecords(ctx, 'contact', { filter: { customer: { in: ids } }, fields: ['name', 'title', 'phone', 'email', 'unsubscribed'], sort: 'name', pageSize: 200 }),
    ...readable.map((s) => {
      const obj = objects.get(s.object)!;
      return listRecords(ctx, s.object, { filter: { [s.link]: { in: ids } }, fields: s.fields.filter((f) => obj.fields.some((x) => x.apiName === f)), sort: `-${s.at}`, pageSize: limit, titles: true });
    }),
  ]);
  readable.forEach((s, i) => {
    const r = parts[i];
    counts[s.kind] = r.total ?? r.data.length;
    for (const row of r.data) timeline.push({ kind: s.kind, object: s.object, id: row.id, at: row[s.at] ?? null, title: row.$title ?? null, record: row });
  });
  timeline.sort((a, b) => String(b.at ?? '').localeCompare(String(a.at ?? '')));
  const receivables = await invoiceSettlement(ctx, objects, timeline.filter((e) => e.kind === 'sales_invoice'));
  return { profile, mergedFrom: ids.slice(1), contacts: contacts.data, counts, timeline: timeline.slice(0, limit), hidden, receivables };
}

/**
 * What the customer still owes on the invoices the caller can see, from the
 * finance module's receivables sub-ledger (1122 against each invoice): each
 * invoice's entry gets `outstanding` and `paid`, and the total is returned.
 * A draft invoice has posted nothing (outstanding null, not paid). Null when
 * the books are not installed or the caller has no company.
 */
async function invoiceSettlement(ctx: RecordsCtx, objects: Map<string, import('@mosaic/meta').ObjectMeta>, invoices: Record<string, unknown>[]): Promise<{ outstanding: string; open: number } | null> {
  const companyId = ctx.guard.actor.companyId;
  if (!objects.get('gl_entry') || !companyId) return null;
  const items = invoices.length
    ? await txOf(ctx, (tx) => openItems(tx, objects, { companyId, partyType: 'customer', againstIds: invoices.map((e) => e.id as string) }))
    : [];
  const byId = new Map(items.map((i) => [i.againstId, i]));
  let outstanding = new Decimal(0);
  let open = 0;
  for (const e of invoices) {
    const item = byId.get(e.id as string);
    const record = e.record as Record<string, unknown>;
    record.outstanding = item?.outstanding ?? null;
    record.paid = !!item && new Decimal(item.outstanding).lte(0);
    if (item && !new Decimal(item.outstanding).isZero()) {
      outstanding = outstanding.plus(item.outstanding);
      open++;
    }
  }
  return { outstanding: outstanding.toFixed(2), open };
}

async function mergedInto(ctx: RecordsCtx, customerId: string): Promise<string[]> {
  const obj = (await ctx.store.object(ctx.guard.actor.tenantId, 'customer'))!;
  const col = obj.fields.find((f) => f.apiName === 'merged_into')!.columnName!;
  return txOf(ctx, async (tx) => (await sql<{ id: string }>`SELECT id FROM ${sql.id(obj.tableName)} WHERE ${sql.ref(col)} = ${customerId}`.execute(tx)).rows.map((r) => r.id));
}

/**
 * 来电弹屏: the customer a phone number belongs to — the customer's own
 * number or any of its contacts', compared normalised (0755-8300 0000 =
 * 075583000000, +86 138… = 138…). Only customers the caller may read.
 */
export async function lookupByPhone(ctx: RecordsCtx, phone: string | undefined): Promise<{ data: Record<string, unknown>[] }> {
  if (!phone?.trim()) throw new AppError('FIELD_REQUIRED', 'phone: which number', { field: 'phone' });
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const cust = objects.get('customer')!;
  const contact = objects.get('contact')!;
  const cc = (f: string) => sql.ref(`c.${cust.fields.find((x) => x.apiName === f)!.columnName!}`);
  const kc = (f: string) => sql.ref(`k.${contact.fields.find((x) => x.apiName === f)!.columnName!}`);
  const ids = await txOf(ctx, async (tx) => (await sql<{ id: string }>`
    SELECT c.id FROM ${sql.id(cust.tableName)} c WHERE ${cc('phone_key')} = crm_normalize_phone(${phone})
    UNION
    SELECT ${kc('customer')} FROM ${sql.id(contact.tableName)} k WHERE crm_normalize_phone(${kc('phone')}) = crm_normalize_phone(${phone}) AND ${kc('customer')} IS NOT NULL
    LIMIT 50`.execute(tx)).rows.map((r) => r.id));
  if (!ids.length) return { data: [] };
  const r = await listRecords(ctx, 'customer', { filter: { id: { in: ids } }, fields: ['name', 'phone', 'tier', 'owner_id', 'merged_into'], pageSize: 50 });
  return { data: r.data };
}
