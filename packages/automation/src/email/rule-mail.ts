import { sql } from 'kysely';
import type { Database } from '@mosaic/db';
import type { ActionContext } from '../automation.types.ts';
import { ActionFailure } from '../actions/registry.ts';
import { stableUuid } from '../engine/queue.ts';
import { addNotifications } from '../notifications/notification.service.ts';
import { claimMail, markUnknownMail, sendClaimed, type ClaimedMail, type MailColumn, type MailLedger, type MailState } from './mail-once.ts';

/** rule_mail (migration 0061): the send_email action's mails, one per (rule, trigger, action). Its columns are the protocol's. */
export const RULE_MAIL: MailLedger = { table: 'rule_mail', column: (name: MailColumn) => name };

/** A rule's mail before it has a row: the claimed mail's content. */
export type RuleMail = Omit<ClaimedMail, 'id'>;

/**
 * send_email at most once: the mail's row is written and claimed ('sending',
 * committed) before SMTP sees it, through the same protocol as dunning
 * (mail-once.ts). A retry of the job finds the row: 'queued' (the connection
 * failed, nothing left) is sent then; 'sending' (a worker died while SMTP may
 * have had it), 'sent', 'failed' or 'unknown' are never sent again — the
 * action reports the state instead.
 */
export async function sendRuleMail(ctx: ActionContext, mail: RuleMail): Promise<{ mail: string; messageId: string; to: string[]; state: MailState; response?: string }> {
  const db = ctx.deps.db;
  const tenantId = ctx.rctx.guard.actor.tenantId;
  const id = stableUuid(`mail|${ctx.actionKey}`);
  const claimed = await claimMail(db, tenantId, RULE_MAIL, { id }, async (tx) => {
    await sql`INSERT INTO rule_mail (tenant_id, id, rule_id, trigger_key, action_index, object, record_id, sent_to, cc, subject, body, html, message_id)
      VALUES (${tenantId}, ${id}, ${ctx.rule.id}, ${ctx.trigger.key}, ${ctx.index}, ${ctx.record?.object.apiName ?? null}, ${ctx.record?.id ?? null},
        ${mail.to.join(', ')}, ${mail.cc?.join(', ') || null},
        ${mail.subject}, ${mail.body}, ${mail.html}, ${mail.messageId})
      ON CONFLICT (tenant_id, id) DO NOTHING`.execute(tx);
  });
  const base = { mail: id, messageId: mail.messageId, to: mail.to };
  if (!claimed) {
    const state = (await sql<{ state: MailState }>`SELECT state FROM rule_mail WHERE id = ${id}`.execute(ctx.tx)).rows[0]?.state ?? 'unknown';
    return { ...base, state };
  }
  const outcome = await sendClaimed(db, tenantId, RULE_MAIL, claimed);
  if (outcome.state !== 'sent') {
    // Nothing left: the job's retry (with backoff) claims it again.
    if (outcome.state === 'queued') throw new Error(`SMTP unreachable, the mail did not leave: ${outcome.error}`);
    throw new ActionFailure(`SMTP refused the mail: ${outcome.error}`);
  }
  return { ...base, state: 'sent', response: outcome.response };
}

/**
 * Rule mails left 'sending' past MOSAIC_MAIL_UNKNOWN_AFTER_SECONDS become
 * 'unknown'; the rule's author is asked to check (the worker's slow round).
 */
export async function sweepRuleMail(db: Database, tenantId: string): Promise<string[]> {
  return markUnknownMail(db, tenantId, RULE_MAIL, async (tx, ids) => {
    const rows = (await sql<{ id: string; subject: string; sent_to: string; rule: string; author: string | null; record_id: string | null; object: string | null }>`
      SELECT m.id, m.subject, m.sent_to, r.name AS rule, r.created_by AS author, m.record_id, m.object
      FROM rule_mail m JOIN automation_rule r ON r.id = m.rule_id
      WHERE m.id = ANY(${ids}::uuid[])`.execute(tx)).rows;
    await addNotifications(tx, tenantId, rows.filter((r) => r.author).map((r) => ({
      userId: r.author!, kind: 'rule' as const, object: r.object, recordId: r.record_id,
      link: r.object && r.record_id ? `/records/${r.object}/${r.record_id}` : null,
      title: `规则「${r.rule}」的邮件发送结果未知：${r.subject}`,
      body: `发送至 ${r.sent_to} 时进程中断，未重发，请核实对方是否收到`,
    })));
  });
}
