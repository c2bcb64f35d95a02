import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { AppError, Decimal } from '@mosaic/kernel';
import { inTenantTx, type Tx } from '@mosaic/db';
import { systemGuard } from '@mosaic/access';
import type { ObjectMeta } from '@mosaic/meta';
import { createRecords, type RecordsCtx } from '@mosaic/records';
import { addNotifications, isEmailAddress, sendMail } from '@mosaic/automation';
import { physical } from '../../gl/physical.ts';
import { openItems } from '../open-items.service.ts';
import { daysOverdue, fillTemplate, levelFor, type DunningLevel } from './dunning.rules.ts';

export interface NoticeSent {
  notice: string;
  customer: string;
  salesInvoice: string;
  number: string;
  level: number;
  daysOverdue: number;
  outstanding: string;
  state: 'sent' | 'no_address' | 'failed';
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
  outstanding: string;
}

/**
 * 催款 (dunning) as of a date: every customer open item — a submitted sales
 * invoice whose 1122 balance is still owed (paid items are not open items, so
 * are never dunned) — past its due date earns the level its lateness reached;
 * a reminder goes out for each (invoice, level) not reminded before: an email
 * to the customer, and a notification to the customer's owner. One dunning
 * run at a time per tenant (an advisory lock), and a unique index on
 * (invoice, level) under it: never twice for the same item and level, even
 * with two worker processes. The mail is sent inside the transaction that
 * records the notice, so a crash before commit sends it again on the next
 * run with the same Message-ID (a receiver can drop the repeat) — at least
 * once, never silently lost.
 */
export async function runDunning(ctx: RecordsCtx, asOf: string): Promise<{ asOf: string; notices: NoticeSent[] }> {
  const actor = ctx.guard.actor;
  const objects = await ctx.store.objects(actor.tenantId);
  if (!objects.get('dunning_notice') || !objects.get('sales_invoice')) return { asOf, notices: [] };
  // Notices are the system's records (users only read them), written as the system in the run's transaction.
  const sys: RecordsCtx = { ...ctx, guard: systemGuard(actor) };
  return inTenantTx(ctx.db.app, { tenantId: actor.tenantId, userId: actor.userId }, async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext('mosaic:dunning'), hashtext(${actor.tenantId}))`.execute(tx);
    const levels = await levelsOf(tx, objects);
    if (!levels.length) return { asOf, notices: [] };
    const already = await remindedLevels(tx, objects);
    const notices: NoticeSent[] = [];
    for (const item of await overdueItems(tx, objects, asOf)) {
      const days = daysOverdue(item.dueDate, asOf);
      const level = levelFor(days, levels);
      if (!level || already.has(`${item.invoice}|${level.level}`)) continue;
      notices.push(await remind(tx, sys, item, level, days));
    }
    return { asOf, notices };
  });
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

/** Submitted invoices still owed, past due (no due date: due on the posting date), with their customer's address and owner. */
async function overdueItems(tx: Tx, objects: Map<string, ObjectMeta>, asOf: string): Promise<OverdueItem[]> {
  const companies = (await sql<{ id: string }>`SELECT id FROM company ORDER BY id`.execute(tx)).rows;
  const open = new Map<string, { outstanding: string; companyId: string }>();
  for (const c of companies) {
    for (const i of await openItems(tx, objects, { companyId: c.id, partyType: 'customer', openOnly: true, asOf })) {
      if (i.againstType === 'sales_invoice' && new Decimal(i.outstanding).gt(0)) open.set(i.againstId, { outstanding: i.outstanding, companyId: c.id });
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
    companyId: open.get(r.id)!.companyId, dueDate: r.due, outstanding: open.get(r.id)!.outstanding,
  }));
}

async function remind(tx: Tx, sys: RecordsCtx, item: OverdueItem, level: DunningLevel, days: number): Promise<NoticeSent> {
  const values = { number: item.number, customer: item.customerName, due_date: item.dueDate, outstanding: item.outstanding, days_overdue: days, level: level.level };
  const address = item.email && isEmailAddress(item.email) ? item.email : null;
  let state: NoticeSent['state'] = address ? 'sent' : 'no_address';
  let error: string | null = null;
  if (address) {
    try {
      const messageId = `<dunning-${createHash('sha256').update(`${item.invoice}|${level.level}`).digest('hex').slice(0, 32)}@mosaic>`;
      await sendMail({ to: [address], subject: fillTemplate(level.subject, values).replace(/[\r\n]+/g, ' '), text: fillTemplate(level.body, values), messageId });
    } catch (e) {
      state = 'failed';
      error = e instanceof Error ? e.message.slice(0, 500) : String(e);
    }
  }
  const [notice] = await createRecords(sys, 'dunning_notice', [{
    customer: item.customer, sales_invoice: item.invoice, level: level.level, due_date: item.dueDate, days_overdue: days,
    outstanding: item.outstanding, sent_to: address, state, error, sent_at: new Date().toISOString(),
  }], { tx });
  if (item.owner) {
    await addNotifications(tx, sys.guard.actor.tenantId, [{
      userId: item.owner, kind: 'rule', object: 'sales_invoice', recordId: item.invoice, link: `/records/sales_invoice/${item.invoice}`,
      title: `催款（${level.name}）：${item.customerName} 发票 ${item.number} 逾期 ${days} 天，未收 ${item.outstanding}`,
      body: address ? `已发邮件至 ${address}` : state === 'no_address' ? '客户没有邮箱，请电话催款' : `邮件发送失败：${error}`,
    }]);
  }
  return { notice: notice.id, customer: item.customer, salesInvoice: item.invoice, number: item.number, level: level.level, daysOverdue: days, outstanding: item.outstanding, state, sentTo: address };
}

/** YYYY-MM-DD or today in the tenant's time zone. */
export function asOfOrToday(raw: unknown, timeZone: string): string {
  if (raw === undefined || raw === null || raw === '') return new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date());
  if (typeof raw !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(raw) || Number.isNaN(Date.parse(raw))) throw new AppError('FIELD_INVALID', 'as_of: a date, YYYY-MM-DD', { field: 'as_of' });
  return raw;
}
