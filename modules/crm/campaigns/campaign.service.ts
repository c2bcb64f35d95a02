import { sql } from 'kysely';
import { AppError, clock, Decimal, logger } from '@mosaic/kernel';
import { inTenantTx, type Database, type Tx } from '@mosaic/db';
import type { MetaStore, ObjectMeta } from '@mosaic/meta';
import { sendMail } from '@mosaic/automation';
import { createRecords, getRecord, listRecords, lockRow, type RecordsCtx } from '@mosaic/records';
import { setSystemFields } from '../shared/system-write.ts';
import { txOf } from '../shared/system-ctx.ts';
import { assertRatesAvailable, callerCurrency, foreignOf, ratesToday } from '../shared/currency.ts';
import { signToken } from '../shared/tokens.ts';

type Target = 'contact' | 'customer' | 'lead';

interface Recipient {
  target: Target;
  id: string;
  email: string;
  customer: string | null;
  values: Record<string, unknown>;
  unsubscribed: boolean;
}

/** Where the public links in emails point: MOSAIC_PUBLIC_URL (the server as the internet reaches it). */
export const publicBase = () => (process.env.MOSAIC_PUBLIC_URL ?? 'http://localhost:3000').replace(/\/+$/, '');

/**
 * The segment's members (a saved filter over contacts, customers or leads),
 * read as the sender — a segment never reaches records its user may not see.
 */
async function recipientsOf(ctx: RecordsCtx, segmentId: string): Promise<Recipient[]> {
  const seg = await getRecord(ctx, 'crm_segment', segmentId);
  const target = seg.target as Target;
  let filter: unknown = {};
  try {
    filter = seg.filter ? JSON.parse(String(seg.filter)) : {};
  } catch {
    throw new AppError('FILTER_INVALID', 'segment.filter: is not JSON', { field: 'segment.filter' });
  }
  const fields = target === 'contact' ? ['name', 'email', 'customer', 'unsubscribed', 'title'] : target === 'customer' ? ['name', 'email', 'unsubscribed', 'industry'] : ['name', 'company', 'email', 'unsubscribed'];
  const out: Recipient[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await listRecords(ctx, target, { filter: { and: [filter, { field: 'email', op: 'ne', value: null }] }, fields, pageSize: 500, cursor, total: false, sort: 'created_at' });
    for (const r of page.data) {
      out.push({ target, id: r.id as string, email: String(r.email), customer: target === 'customer' ? (r.id as string) : ((r.customer as string | null) ?? null), values: r, unsubscribed: r.unsubscribed === true });
    }
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return out;
}

/**
 * Starts an email campaign (群发): every member of its segment gets one
 * campaign_message — queued, or skipped when they unsubscribed earlier (from
 * any campaign) — and the sender works through the queue in the background
 * at the campaign's rate. Sending again only adds members not sent to yet.
 */
export async function startCampaign(ctx: RecordsCtx, deps: { db: Database; store: MetaStore }, campaignId: string): Promise<{ queued: number; skipped: number; already: number }> {
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const camp = objects.get('campaign')!;
  const c = await txOf(ctx, async (tx) => {
    await lockRow(ctx, tx, objects, camp, campaignId, 'edit');
    return getRecord(ctx, 'campaign', campaignId, { tx });
  });
  if (!c.segment) throw new AppError('FIELD_REQUIRED', 'segment: choose who the campaign goes to', { field: 'segment' });
  if (!c.subject) throw new AppError('FIELD_REQUIRED', 'subject: the email needs a subject', { field: 'subject' });
  if (!c.body) throw new AppError('FIELD_REQUIRED', 'body: the email needs a body', { field: 'body' });
  const recipients = await recipientsOf(ctx, c.segment as string);
  const msg = objects.get('campaign_message')!;
  const mc = (f: string) => sql.ref(msg.fields.find((x) => x.apiName === f)!.columnName!);
  const result = await txOf(ctx, async (tx) => {
    const have = new Set((await sql<{ t: string }>`SELECT ${mc('target_id')} AS t FROM ${sql.id(msg.tableName)} WHERE ${mc('campaign')} = ${campaignId}`.execute(tx)).rows.map((r) => r.t));
    const fresh = recipients.filter((r) => !have.has(r.id));
    const rows = fresh.map((r) => ({ campaign: campaignId, target_object: r.target, target_id: r.id, customer: r.customer, email: r.email, state: r.unsubscribed ? 'skipped' : 'queued' }));
    for (let i = 0; i < rows.length; i += 1000) await createRecords(ctx, 'campaign_message', rows.slice(i, i + 1000), { tx });
    await setSystemFields(tx, ctx.guard.actor, camp, campaignId, { state: 'sending' });
    return { queued: rows.filter((r) => r.state === 'queued').length, skipped: rows.filter((r) => r.state === 'skipped').length, already: recipients.length - fresh.length };
  });
  void runSender(deps, ctx.guard.actor.tenantId, campaignId);
  return result;
}

const running = new Map<string, Promise<void>>();

/** The sender of one campaign in this process (one at a time per campaign); resolves when its queue is empty. */
export function runSender(deps: { db: Database; store: MetaStore }, tenantId: string, campaignId: string): Promise<void> {
  const key = `${tenantId}:${campaignId}`;
  let p = running.get(key);
  if (!p) {
    p = sendQueued(deps, tenantId, campaignId).catch((e) => logger.error({ err: e, campaignId }, 'crm: campaign sending stopped')).finally(() => running.delete(key));
    running.set(key, p);
  }
  return p;
}

/** Waits for this process's senders (tests; graceful shutdown). */
export async function sendersIdle(): Promise<void> {
  while (running.size) await Promise.all([...running.values()]);
}

/**
 * Sends the campaign's queued messages through SMTP at no more than
 * rate_per_minute: message n goes no earlier than start + n × (60 s / rate).
 * Messages are taken a batch at a time under row locks (SKIP LOCKED: two
 * processes never send the same one), sent a few at a time, and marked sent,
 * failed or skipped (unsubscribed since queued) when the batch commits.
 */
async function sendQueued(deps: { db: Database; store: MetaStore }, tenantId: string, campaignId: string): Promise<void> {
  const objects = await deps.store.objects(tenantId);
  const msg = objects.get('campaign_message')!;
  const camp = objects.get('campaign')!;
  const mc = (f: string) => sql.ref(msg.fields.find((x) => x.apiName === f)!.columnName!);
  const cc = (f: string) => sql.ref(camp.fields.find((x) => x.apiName === f)!.columnName!);
  const c = await inTenantTx(deps.db.app, { tenantId }, async (tx) => (await sql<{ subject: string; body: string; rate: number | null }>`
    SELECT ${cc('subject')} AS subject, ${cc('body')} AS body, ${cc('rate_per_minute')} AS rate FROM ${sql.id(camp.tableName)} WHERE id = ${campaignId}`.execute(tx)).rows[0]);
  if (!c) return;
  const gapMs = 60_000 / Math.max(1, c.rate ?? 600);
  const start = Date.now();
  let n = 0;
  for (;;) {
    const more = await inTenantTx(deps.db.app, { tenantId }, async (tx) => {
      const batch = (await sql<{ id: string; email: string; target_object: Target; target_id: string }>`SELECT id, ${mc('email')} AS email, ${mc('target_object')} AS target_object, ${mc('target_id')} AS target_id
        FROM ${sql.id(msg.tableName)} WHERE ${mc('campaign')} = ${campaignId} AND ${mc('state')} = 'queued' ORDER BY created_at, id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`.execute(tx)).rows;
      if (!batch.length) return false;
      const recipients = await recipientValues(tx, objects, batch);
      const outcome: { id: string; state: string; error: string | null; at: Date | null }[] = [];
      await inParallel(batch, PARALLEL, async (m) => {
        const slot = start + n++ * gapMs - Date.now();
        if (slot > 0) await new Promise((r) => setTimeout(r, slot));
        const values = recipients.get(m.target_id);
        // Unsubscribed since it was queued: honoured at send time too.
        if (!values || values.unsubscribed === true) return void outcome.push({ id: m.id, state: 'skipped', error: null, at: null });
        try {
          await sendMail({ to: [m.email], subject: render(c.subject, values, false), html: await emailHtml(deps.db, tenantId, m.id, render(c.body, values, true)), messageId: `<crm-${m.id}@mosaic.local>` });
          outcome.push({ id: m.id, state: 'sent', error: null, at: clock.now() });
        } catch (e) {
          outcome.push({ id: m.id, state: 'failed', error: (e as Error).message.slice(0, 500), at: null });
        }
      });
      await sql`UPDATE ${sql.id(msg.tableName)} m SET ${mc('state')} = x.state, ${mc('sent_at')} = x.at, ${mc('error')} = x.error, version = m.version + 1, updated_at = now()
        FROM unnest(${outcome.map((o) => o.id)}::uuid[], ${outcome.map((o) => o.state)}::text[], ${outcome.map((o) => o.at?.toISOString() ?? null)}::timestamptz[], ${outcome.map((o) => o.error)}::text[]) AS x(id, state, at, error)
        WHERE m.id = x.id`.execute(tx);
      return true;
    });
    if (!more) break;
  }
  await inTenantTx(deps.db.app, { tenantId }, (tx) => sql`UPDATE ${sql.id(camp.tableName)} SET ${cc('state')} = 'done', version = version + 1, updated_at = now() WHERE id = ${campaignId}`.execute(tx));
}

const BATCH = 50;
const PARALLEL = 8;

async function inParallel<T>(items: T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

/** Merge fields of a batch's recipients (their text fields and the unsubscribed flag), by record id. */
async function recipientValues(tx: import('@mosaic/db').Tx, objects: Map<string, ObjectMeta>, batch: { target_object: Target; target_id: string }[]): Promise<Map<string, Record<string, unknown>>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const target of new Set(batch.map((b) => b.target_object))) {
    const o = objects.get(target)!;
    const stored = o.fields.filter((f) => f.columnName && (['text', 'email', 'phone'].includes(f.type) || f.apiName === 'unsubscribed'));
    const ids = batch.filter((b) => b.target_object === target).map((b) => b.target_id);
    const rows = (await sql<Record<string, unknown>>`SELECT id::text AS "$id", ${sql.join(stored.map((f) => sql`${sql.ref(f.columnName!)} AS ${sql.id(f.apiName)}`))} FROM ${sql.id(o.tableName)} WHERE id = ANY(${ids}::uuid[])`.execute(tx)).rows;
    for (const r of rows) out.set(r.$id as string, r);
  }
  return out;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

/** {{name}}, {{company}}: the recipient's fields (HTML-escaped in the body); unknown ones render empty. */
export function render(template: string, values: Record<string, unknown>, html: boolean): string {
  return template.replace(/\{\{\s*([a-z][a-z0-9_]*)\s*\}\}/g, (_m, k: string) => {
    const v = values[k];
    const s = v === null || v === undefined ? '' : String(v);
    return html ? escapeHtml(s) : s;
  });
}

/**
 * The body as sent: every http(s) link goes through the signed click
 * redirect, an unsubscribe link is added, and the open pixel at the end.
 */
async function emailHtml(db: Database, tenantId: string, messageId: string, body: string): Promise<string> {
  const base = publicBase();
  const links = [...new Set([...body.matchAll(/href="(https?:\/\/[^"]+)"/g)].map((m) => m[1]))];
  let out = body;
  for (const url of links) {
    const raw = url.replace(/&amp;/g, '&');
    const t = await signToken(db, tenantId, 'c', messageId, raw);
    out = out.split(`href="${url}"`).join(`href="${base}/t/c/${t}?u=${encodeURIComponent(raw)}"`);
  }
  const unsub = await signToken(db, tenantId, 'u', messageId);
  const open = await signToken(db, tenantId, 'o', messageId);
  return `${out}\n<p style="font-size:12px;color:#888">不想再收到此类邮件？<a href="${base}/t/u/${unsub}">退订</a></p>\n<img src="${base}/t/o/${open}.gif" width="1" height="1" alt="">`;
}

/**
 * 活动 ROI: what the campaign brought — its leads, the opportunities from them
 * (or tagged with it), those won and their amount — against its cost; the
 * email figures beside it.
 */
export async function campaignRoi(ctx: RecordsCtx, campaignId: string): Promise<Record<string, unknown>> {
  const c = await getRecord(ctx, 'campaign', campaignId);
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const col = (o: string, f: string) => sql.ref(`${o === 'opportunity' ? 'o' : o === 'lead' ? 'l' : 'm'}.${objects.get(o)!.fields.find((x) => x.apiName === f)!.columnName!}`);
  const lead = objects.get('lead')!;
  const opp = objects.get('opportunity')!;
  const msg = objects.get('campaign_message')!;
  return txOf(ctx, async (tx) => {
    const leads = (await sql<{ n: number; converted: number }>`SELECT count(*)::int AS n, count(*) FILTER (WHERE ${col('lead', 'converted_at')} IS NOT NULL)::int AS converted
      FROM ${sql.id(lead.tableName)} l WHERE ${col('lead', 'campaign')} = ${campaignId} AND ${col('lead', 'merged_into')} IS NULL`.execute(tx)).rows[0];
    // Won amounts per currency (the amount is money): a dollar deal is not added to yuan as if it were one.
    const amountCcy = sql.ref(`o.${objects.get('opportunity')!.fields.find((x) => x.apiName === 'amount')!.columnName!}_ccy`);
    const perCurrency = (await sql<{ n: number; won: number; currency: string | null; revenue: string | null }>`SELECT count(*)::int AS n,
        count(*) FILTER (WHERE ${col('opportunity', 'won_at')} IS NOT NULL)::int AS won, trim(${amountCcy}) AS currency,
        sum(${col('opportunity', 'amount')}) FILTER (WHERE ${col('opportunity', 'won_at')} IS NOT NULL)::text AS revenue
      FROM ${sql.id(opp.tableName)} o LEFT JOIN ${sql.id(lead.tableName)} l ON l.id = ${col('opportunity', 'lead')}
      WHERE ${col('opportunity', 'campaign')} = ${campaignId} OR ${col('lead', 'campaign')} = ${campaignId}
      GROUP BY 3`.execute(tx)).rows;
    const opps = { n: perCurrency.reduce((a, r) => a + r.n, 0), won: perCurrency.reduce((a, r) => a + r.won, 0) };
    const mail = (await sql<Record<string, number>>`SELECT count(*) FILTER (WHERE ${col('campaign_message', 'state')} = 'sent')::int AS sent,
        count(*) FILTER (WHERE ${col('campaign_message', 'state')} = 'skipped')::int AS skipped,
        count(*) FILTER (WHERE ${col('campaign_message', 'state')} = 'failed')::int AS failed,
        count(*) FILTER (WHERE ${col('campaign_message', 'opened_at')} IS NOT NULL)::int AS opened,
        count(*) FILTER (WHERE ${col('campaign_message', 'clicked_at')} IS NOT NULL)::int AS clicked,
        count(*) FILTER (WHERE ${col('campaign_message', 'unsubscribed_at')} IS NOT NULL)::int AS unsubscribed
      FROM ${sql.id(msg.tableName)} m WHERE ${col('campaign_message', 'campaign')} = ${campaignId}`.execute(tx)).rows[0];
    const cost = new Decimal(String(c.cost ?? '0'));
    const { revenue, byCurrency } = await wonRevenueIn(ctx, tx, objects, perCurrency);
    return {
      campaign: campaignId, budget: c.budget ?? null, cost: cost.toFixed(2),
      email: mail, leads: leads.n, convertedLeads: leads.converted, opportunities: opps.n, won: opps.won, wonRevenue: revenue.toFixed(2), wonRevenueByCurrency: byCurrency,
      costPerLead: leads.n ? cost.div(leads.n).toFixed(2) : null,
      roi: cost.isZero() ? null : revenue.minus(cost).div(cost).toFixed(4),
    };
  });
}

/**
 * The won revenue in the company's currency — the campaign's cost is in it — with each foreign currency converted at
 * today's rate, as the sales forecast converts (ratesToday; no rate, or no finance module: a 422 naming `currency`);
 * and the amounts as won, per currency.
 */
async function wonRevenueIn(ctx: RecordsCtx, tx: Tx, objects: Map<string, ObjectMeta>, rows: { currency: string | null; revenue: string | null }[]): Promise<{ revenue: Decimal; byCurrency: Record<string, string> }> {
  const base = await callerCurrency(ctx, tx);
  const won = rows.filter((r) => r.revenue !== null).map((r) => ({ currency: r.currency || base, amount: new Decimal(r.revenue!) }));
  const foreign = foreignOf(base, won.map((r) => r.currency));
  assertRatesAvailable(objects, base, foreign);
  const rates = foreign.length ? await ratesToday(ctx, objects, base, foreign, tx) : new Map([[base, new Decimal(1)]]);
  const byCurrency: Record<string, Decimal> = {};
  for (const r of won) byCurrency[r.currency] = (byCurrency[r.currency] ?? new Decimal(0)).plus(r.amount);
  const revenue = won.reduce((sum, r) => sum.plus(r.amount.times(rates.get(r.currency)!)), new Decimal(0));
  return { revenue, byCurrency: Object.fromEntries(Object.entries(byCurrency).map(([k, v]) => [k, v.toFixed(2)])) };
}
