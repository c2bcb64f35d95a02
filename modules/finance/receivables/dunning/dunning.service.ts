import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { AppError, Decimal, todayIn } from '@mosaic/kernel';
import { inTenantTx, type Tx } from '@mosaic/db';
import { systemGuard } from '@mosaic/access';
import type { ObjectMeta } from '@mosaic/meta';
import { createRecords, logChanges, type RecordsCtx } from '@mosaic/records';
import { amountUnit } from '@mosaic/print';
import { addNotifications, claimMail, isEmailAddress, recordLink, markUnknownMail, sendClaimed, type MailColumn, type MailLedger } from '@mosaic/automation';
import { physical } from '../../gl/physical.ts';
import { openItems, owedInOwnCurrency } from '../open-items.service.ts';
import { daysOverdue, fillTemplate, levelFor, type DunningLevel } from './dunning.rules.ts';

export interface NoticeSent {
  notice: string;
  customer: string;
  salesInvoice: string;
  number: string;
  level: number;
  daysOverdue: number;
  /** What the reminder asked for, in `currency` (the invoice's). */
  outstanding: string;
  currency: string | null;
  state: 'queued' | 'sending' | 'sent' | 'no_address' | 'failed' | 'unknown';
  sentTo: string | null;
}

interface OverdueItem {
  invoice: string;
  number: string;
  customer: string;
  customerName: string;
  email: string | null;
  owner: string | null;
  companyId: string;
  dueDate: string;
  /** Still owed, in `currency`: the invoice's own (dollars for a USD invoice), else the company's. */
  outstanding: string;
  currency: string;
}

/**
 * 催款 (dunning) as of a date: every customer open item — a submitted sales
 * invoice whose 1122 balance is still owed (paid items are not open items, so
 * are never dunned) — past its due date earns the level its lateness reached;
 * a reminder goes out for each (invoice, level) not reminded before: an email
 * to the customer, and a notification to the customer's owner. Never twice for
 * the same item and level: one dunning run at a time per tenant (an advisory
 * lock), and a unique index on (invoice, level) under it.
 *
 * The mail is sent at most once, in three committed steps — the notice is the
 * outbox row:
 *   1. intent: the notice, state 'queued', with its mail (address, subject, body,
 *      a Message-ID stable per invoice and level), in the transaction that decides it;
 *   2. claim: queued → 'sending' (committed) just before the mail goes to SMTP;
 *   3. outcome: 'sent' or 'failed', and the owner's notification.
 * A crash after 1 leaves 'queued': the next run (the rule job's retry, or the next
 * day's) sends it. A crash between 2 and 3 leaves 'sending': nobody can tell whether
 * SMTP took the mail, so it is not sent again — after MOSAIC_MAIL_UNKNOWN_AFTER_SECONDS
 * (600: longer than any SMTP exchange) a run marks it 'unknown' and asks the owner
 * to check with the customer.
 */
export async function runDunning(ctx: RecordsCtx, asOf: string): Promise<{ asOf: string; notices: NoticeSent[] }> {
  const intents = await recordDunningIntents(ctx, asOf);
  if (!intents) return { asOf, notices: [] };
  await deliverDunningMail(ctx);
  return { asOf, notices: await noticesById(ctx, intents) };
}

/** Step 1: the notices newly due as of `asOf`, committed as 'queued' (or 'no_address', the owner told). Their ids; null when dunning is not installed. */
export async function recordDunningIntents(ctx: RecordsCtx, asOf: string): Promise<string[] | null> {
  const actor = ctx.guard.actor;
  const objects = await ctx.store.objects(actor.tenantId);
  if (!objects.get('dunning_notice') || !objects.get('sales_invoice')) return null;
  // Notices are the system's records (users only read them), written as the system in the run's transaction.
  const sys: RecordsCtx = { ...ctx, guard: systemGuard(actor) };
  return inTenantTx(ctx.db.app, { tenantId: actor.tenantId, userId: actor.userId }, async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext('mosaic:dunning'), hashtext(${actor.tenantId}))`.execute(tx);
    const levels = await levelsOf(tx, objects);
    if (!levels.length) return [];
    const already = await remindedLevels(tx, objects);
    const ids: string[] = [];
    for (const item of await overdueItems(tx, objects, asOf)) {
      const days = daysOverdue(item.dueDate, asOf);
      const level = levelFor(days, levels);
      if (!level || already.has(`${item.invoice}|${level.level}`)) continue;
      ids.push(await recordNotice(tx, sys, item, level, days));
    }
    return ids;
  });
}

/**
 * Steps 2 and 3 for every queued notice of the tenant (this run's and any a
 * crashed run left), then the stale 'sending' ones — through the rules
 * engine's mail-at-most-once protocol (claimMail / sendClaimed / markUnknownMail,
 * @mosaic/automation), over the notice's own columns. Every state change is
 * logged as the notice's change (outbox event + audit), like any record write.
 */
export async function deliverDunningMail(ctx: RecordsCtx): Promise<number> {
  const tenantId = ctx.guard.actor.tenantId;
  const ledger = noticeLedger(await ctx.store.objects(tenantId), ctx);
  let sent = 0;
  for (;;) {
    const mail = await claimMail(ctx.db, tenantId, ledger, 'next');
    if (!mail) break;
    const outcome = await sendClaimed(ctx.db, tenantId, ledger, mail, (tx, o) =>
      tellOwner(tx, ctx, mail.id, o.state === 'sent' ? `已发邮件至 ${mail.to.join(', ')}` : `邮件发送失败：${o.error}${o.state === 'queued' ? '（未发出，下次催款时重发）' : ''}`));
    if (outcome.state === 'sent') sent++;
    if (outcome.state === 'queued') break; // the SMTP server is unreachable: the rest wait for the next run too
  }
  await markUnknownMail(ctx.db, tenantId, ledger, async (tx, ids) => {
    for (const id of ids) await tellOwner(tx, ctx, id, '邮件发送结果未知（发送进程中断），未重发，请与客户核实是否收到');
  });
  return sent;
}

/** The notice as a mail ledger: its columns for the protocol's, and its state changes in its change log. */
function noticeLedger(objects: Map<string, ObjectMeta>, ctx: RecordsCtx): MailLedger {
  const n = physical(objects, 'dunning_notice');
  const protocol: Partial<Record<MailColumn, string>> = {
    state: n.col('state'), claimed_at: n.col('claimed_at'), sent_at: n.col('sent_at'), error: n.col('error'),
    sent_to: n.col('sent_to'), subject: n.col('subject'), body: n.col('body'), message_id: n.col('message_id'),
  };
  return {
    table: n.table,
    column: (name) => protocol[name] ?? null,
    isRecord: true,
    onStateChange: (tx, changes) => logChanges(tx, ctx.guard.actor, changes.map((c) => ({
      object: 'dunning_notice', recordId: c.id, op: 'update',
      changes: { state: [c.from, c.to], ...(c.error ? { error: [null, c.error] } : {}) } as Record<string, [unknown, unknown]>,
    }))),
  };
}

/** The customer's owner hears what became of a notice's mail. */
async function tellOwner(tx: Tx, ctx: RecordsCtx, noticeId: string, body: string): Promise<void> {
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const [n, si, cu, l] = ['dunning_notice', 'sales_invoice', 'customer', 'dunning_level'].map((o) => physical(objects, o));
  const r = (await sql<{ owner: string | null; invoice: string; number: string; customer: string; level: string; days: number; outstanding: string; currency: string | null }>`
    SELECT c.owner_id AS owner, s.id AS invoice, s.${si.c('number')} AS number, c.${cu.c('name')} AS customer,
      COALESCE(l.${l.c('name')}, x.${n.c('level')}::text) AS level, x.${n.c('days_overdue')} AS days, x.${n.c('outstanding')}::text AS outstanding,
      x.${n.c('currency')} AS currency
    FROM ${n.t} x JOIN ${si.t} s ON s.id = x.${n.c('sales_invoice')} JOIN ${cu.t} c ON c.id = x.${n.c('customer')}
      LEFT JOIN ${l.t} l ON l.${l.c('level')} = x.${n.c('level')}
    WHERE x.id = ${noticeId}`.execute(tx)).rows[0];
  if (!r?.owner) return;
  await addNotifications(tx, ctx.guard.actor.tenantId, [{
    userId: r.owner, kind: 'rule', object: 'sales_invoice', recordId: r.invoice, link: recordLink('sales_invoice', r.invoice),
    title: `催款（${r.level}）：${r.customer} 发票 ${r.number} 逾期 ${r.days} 天，未收 ${new Decimal(r.outstanding).toFixed(2)}${r.currency ? ` ${amountUnit(r.currency)}` : ''}`, body,
  }]);
}

async function noticesById(ctx: RecordsCtx, ids: string[]): Promise<NoticeSent[]> {
  if (!ids.length) return [];
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const [n, si] = [physical(objects, 'dunning_notice'), physical(objects, 'sales_invoice')];
  const rows = await inTenantTx(ctx.db.app, { tenantId: ctx.guard.actor.tenantId }, async (tx) => (await sql<{
    id: string; customer: string; invoice: string; level: number; days: number; outstanding: string; currency: string | null; state: NoticeSent['state']; sent_to: string | null; number: string;
  }>`SELECT x.id, x.${n.c('customer')} AS customer, x.${n.c('sales_invoice')} AS invoice, x.${n.c('level')} AS level, x.${n.c('days_overdue')} AS days,
      x.${n.c('outstanding')}::text AS outstanding, x.${n.c('currency')} AS currency, x.${n.c('state')} AS state, x.${n.c('sent_to')} AS sent_to, s.${si.c('number')} AS number
    FROM ${n.t} x JOIN ${si.t} s ON s.id = x.${n.c('sales_invoice')} WHERE x.id = ANY(${ids}::uuid[])`.execute(tx)).rows);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id)!).map((r) => ({
    notice: r.id, customer: r.customer, salesInvoice: r.invoice, number: r.number, level: Number(r.level), daysOverdue: Number(r.days),
    outstanding: new Decimal(r.outstanding).toFixed(2), currency: r.currency, state: r.state, sentTo: r.sent_to,
  }));
}

async function levelsOf(tx: Tx, objects: Map<string, ObjectMeta>): Promise<DunningLevel[]> {
  const l = physical(objects, 'dunning_level');
  const r = await sql<{ level: number; name: string; days: number; subject: string; body: string }>`SELECT ${l.c('level')} AS level, ${l.c('name')} AS name,
      ${l.c('days_overdue')} AS days, ${l.c('subject')} AS subject, ${l.c('body')} AS body FROM ${l.t} ORDER BY 1`.execute(tx);
  return r.rows.map((x) => ({ level: Number(x.level), name: x.name, daysOverdue: Number(x.days), subject: x.subject, body: x.body }));
}

async function remindedLevels(tx: Tx, objects: Map<string, ObjectMeta>): Promise<Set<string>> {
  const n = physical(objects, 'dunning_notice');
  const r = await sql<{ k: string }>`SELECT ${n.c('sales_invoice')}::text || '|' || ${n.c('level')} AS k FROM ${n.t}`.execute(tx);
  return new Set(r.rows.map((x) => x.k));
}

/**
 * Submitted invoices still owed, past due (no due date: due on the posting date), with their customer's address and owner.
 * What is owed is counted in the invoice's currency: a USD invoice's dollars still open (its 1122 line's
 * foreign balance), not their yuan at the booking rate; a home-currency one's in the company's currency.
 */
async function overdueItems(tx: Tx, objects: Map<string, ObjectMeta>, asOf: string): Promise<OverdueItem[]> {
  const companies = (await sql<{ id: string; currency: string }>`SELECT id, trim(currency) AS currency FROM company ORDER BY id`.execute(tx)).rows;
  const open = new Map<string, { outstanding: string; currency: string; companyId: string }>();
  for (const c of companies) {
    for (const i of await openItems(tx, objects, { companyId: c.id, partyType: 'customer', openOnly: true, asOf })) {
      const owed = owedInOwnCurrency(i);
      if (i.againstType === 'sales_invoice' && new Decimal(owed).gt(0)) open.set(i.againstId, { outstanding: owed, currency: i.currency ?? c.currency, companyId: c.id });
    }
  }
  if (!open.size) return [];
  const si = physical(objects, 'sales_invoice');
  const cu = physical(objects, 'customer');
  const rows = await sql<{ id: string; number: string; customer: string; name: string; email: string | null; owner: string | null; due: string }>`
    SELECT s.id, s.${si.c('number')} AS number, s.${si.c('customer')} AS customer, c.${cu.c('name')} AS name, c.${cu.c('email')} AS email, c.owner_id AS owner,
      to_char(COALESCE(s.${si.c('due_date')}, s.${si.c('posting_date')}), 'YYYY-MM-DD') AS due
    FROM ${si.t} s JOIN ${cu.t} c ON c.id = s.${si.c('customer')}
    WHERE s.id = ANY(${[...open.keys()]}::uuid[]) AND s.status IN ('submitted', 'approved')
      AND COALESCE(s.${si.c('due_date')}, s.${si.c('posting_date')}) < ${asOf}::date
    ORDER BY due, number`.execute(tx);
  return rows.rows.map((r) => ({
    invoice: r.id, number: r.number, customer: r.customer, customerName: r.name, email: r.email, owner: r.owner,
    companyId: open.get(r.id)!.companyId, dueDate: r.due, outstanding: open.get(r.id)!.outstanding, currency: open.get(r.id)!.currency,
  }));
}

/** Step 1 for one item: the notice with its mail, queued; without an address, the owner is told to phone, in this transaction. */
async function recordNotice(tx: Tx, sys: RecordsCtx, item: OverdueItem, level: DunningLevel, days: number): Promise<string> {
  const values = {
    number: item.number, customer: item.customerName, due_date: item.dueDate, days_overdue: days, level: level.level,
    outstanding: item.outstanding, currency: item.currency, currency_unit: amountUnit(item.currency),
  };
  const address = item.email && isEmailAddress(item.email) ? item.email : null;
  const [notice] = await createRecords(sys, 'dunning_notice', [{
    customer: item.customer, sales_invoice: item.invoice, level: level.level, due_date: item.dueDate, days_overdue: days,
    outstanding: item.outstanding, currency: item.currency, sent_to: address, state: address ? 'queued' : 'no_address', error: null, sent_at: null,
    // Stable per (invoice, level): a receiver can tell a resend of this reminder.
    message_id: `<dunning-${createHash('sha256').update(`${item.invoice}|${level.level}`).digest('hex').slice(0, 32)}@mosaic>`,
    subject: fillTemplate(level.subject, values).replace(/[\r\n]+/g, ' '), body: fillTemplate(level.body, values),
  }], { tx });
  if (!address) await tellOwner(tx, sys, notice.id, '客户没有邮箱，请电话催款');
  return notice.id;
}

/** YYYY-MM-DD or today in the tenant's time zone. */
export function asOfOrToday(raw: unknown, timeZone: string): string {
  if (raw === undefined || raw === null || raw === '') return todayIn(timeZone);
  if (typeof raw !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(raw) || Number.isNaN(Date.parse(raw))) throw new AppError('FIELD_INVALID', 'as_of: a date, YYYY-MM-DD', { field: 'as_of' });
  return raw;
}
