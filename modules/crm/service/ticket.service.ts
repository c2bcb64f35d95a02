import { sql } from 'kysely';
import { z } from 'zod';
import { AppError, clock, parseOrThrow } from '@mosaic/kernel';
import { inTenantTx, type Database } from '@mosaic/db';
import type { MetaStore } from '@mosaic/meta';
import { createRecords, getRecord, lockRow, logChanges, type RecordsCtx } from '@mosaic/records';
import { setSystemFields } from '../shared/system-write.ts';
import { SYSTEM_USER_ID, txOf } from '../shared/system-ctx.ts';
import { signToken, verifyToken } from '../shared/tokens.ts';
import { publicBase } from '../campaigns/campaign.service.ts';
import { startTicketClock } from './sla.service.ts';

export const ZInboundEmail = z.object({
  from: z.string().trim().min(3).max(254),
  subject: z.string().trim().min(1).max(500),
  text: z.string().max(100_000).optional(),
  priority: z.enum(['urgent', 'high', 'normal', 'low']).optional(),
}).strict();

/**
 * 邮件工单: a mail poller (or the mail gateway) posts each inbound message;
 * the sender's address finds the contact and customer, the ticket is opened
 * on the email channel and its SLA clock starts at once.
 */
export async function ticketFromEmail(ctx: RecordsCtx, body: unknown): Promise<Record<string, unknown>> {
  const mail = parseOrThrow(ZInboundEmail, body);
  const address = /<([^>]+)>/.exec(mail.from)?.[1] ?? mail.from;
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const contact = objects.get('contact')!;
  const cc = (f: string) => sql.ref(contact.fields.find((x) => x.apiName === f)!.columnName!);
  const id = await txOf(ctx, async (tx) => {
    // The stored key, not lower(email): under row-level security only `=` on a plain column reaches the index.
    const who = (await sql<{ id: string; customer: string | null }>`SELECT id, ${cc('customer')} AS customer FROM ${sql.id(contact.tableName)} WHERE ${cc('email_key')} = crm_normalize_email(${address}::text) ORDER BY created_at LIMIT 1`.execute(tx)).rows[0];
    const [t] = await createRecords(ctx, 'ticket', [{ subject: mail.subject, description: mail.text ?? null, channel: 'email', priority: mail.priority ?? 'normal', contact: who?.id ?? null, customer: who?.customer ?? null }], { tx });
    await startTicketClock(ctx, tx, t.id);
    return t.id;
  });
  return getRecord(ctx, 'ticket', id);
}

/** First response (首次响应): stamps the time once; the ticket is being worked on. */
export async function respond(ctx: RecordsCtx, id: string): Promise<Record<string, unknown>> {
  return transition(ctx, id, (t) => {
    if (t.first_responded_at) throw new AppError('CONFLICT', 'This ticket was answered already.');
    return { first_responded_at: clock.now(), state: 'open' };
  });
}

export async function resolve(ctx: RecordsCtx, id: string): Promise<Record<string, unknown>> {
  return transition(ctx, id, (t) => {
    if (t.state === 'resolved' || t.state === 'closed') throw new AppError('CONFLICT', `This ticket is ${String(t.state)} already.`);
    const now = clock.now();
    return { resolved_at: now, state: 'resolved', ...(t.first_responded_at ? {} : { first_responded_at: now }) };
  });
}

/** 关闭: the ticket closes and the customer gets a satisfaction survey link (CSAT, signed, one answer). */
export async function closeTicket(ctx: RecordsCtx, id: string): Promise<Record<string, unknown>> {
  const r = await transition(ctx, id, (t) => {
    if (t.state === 'closed') throw new AppError('CONFLICT', 'This ticket is closed already.');
    const now = clock.now();
    return { closed_at: now, state: 'closed', ...(t.resolved_at ? {} : { resolved_at: now }) };
  });
  const token = await signToken(ctx.db, ctx.guard.actor.tenantId, 's', id);
  return { ...r, surveyUrl: `${publicBase()}/t/s/${token}` };
}

async function transition(ctx: RecordsCtx, id: string, next: (t: Record<string, unknown>) => Record<string, unknown>): Promise<Record<string, unknown>> {
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const tk = objects.get('ticket')!;
  await txOf(ctx, async (tx) => {
    await lockRow(ctx, tx, objects, tk, id, 'edit');
    const t = await getRecord(ctx, 'ticket', id, { tx });
    const { state, ...timers } = next(t);
    await setSystemFields(tx, ctx.guard.actor, tk, id, timers);
    const stateCol = tk.fields.find((f) => f.apiName === 'state')!.columnName!;
    await sql`UPDATE ${sql.id(tk.tableName)} SET ${sql.ref(stateCol)} = ${state as string} WHERE id = ${id}`.execute(tx);
    await logChanges(tx, ctx.guard.actor, [{ object: 'ticket', recordId: id, op: 'update', changes: { state: [t.state, state] } }]);
  });
  return getRecord(ctx, 'ticket', id);
}

export const ZSurvey = z.object({ score: z.coerce.number().int().min(1).max(5), comment: z.string().max(1000).optional() }).strict();

/** The customer's answer to the survey link: 1–5 and a comment, once per ticket. */
export async function answerSurvey(deps: { db: Database; store: MetaStore }, token: string, body: unknown): Promise<{ thanks: string }> {
  const { tenantId, id } = await verifyToken(deps.db, token, 's');
  const answer = parseOrThrow(ZSurvey, body);
  const objects = await deps.store.objects(tenantId);
  const tk = objects.get('ticket')!;
  const c = (f: string) => sql.ref(tk.fields.find((x) => x.apiName === f)!.columnName!);
  await inTenantTx(deps.db.app, { tenantId, userId: SYSTEM_USER_ID }, async (tx) => {
    const r = await sql`UPDATE ${sql.id(tk.tableName)} SET ${c('csat_score')} = ${answer.score}, ${c('csat_comment')} = ${answer.comment ?? null}, version = version + 1, updated_at = now()
      WHERE id = ${id} AND ${c('csat_score')} IS NULL AND ${c('state')} = 'closed'`.execute(tx);
    if (!Number(r.numAffectedRows ?? 0)) throw new AppError('CONFLICT', 'This survey was answered already.');
    await logChanges(tx, { tenantId, userId: SYSTEM_USER_ID, companyId: null, departmentId: null, departmentIds: [], isAdmin: false, roleIds: [], locale: 'zh-CN', timeZone: 'Asia/Shanghai' }, [
      { object: 'ticket', recordId: id, op: 'csat', changes: { csat_score: [null, answer.score] } },
    ]);
  });
  return { thanks: '感谢您的评价！' };
}
