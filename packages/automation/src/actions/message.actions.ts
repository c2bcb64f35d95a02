import { createHash } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '@mosaic/kernel';
import type { ActionContext } from '../automation.types.ts';
import { isEmailAddress } from '../email/mailer.ts';
import { sendRuleMail } from '../email/rule-mail.ts';
import { render } from '../engine/values.ts';
import { addNotifications } from '../notifications/notification.service.ts';
import { resolveUserRefs } from './owner.ts';
import { ActionFailure, registerAction, type ValidateCtx } from './registry.ts';

/**
 * notify: an in-app notification (the bell; email/digest per the user's
 * preferences) to users named by id, "$owner", or a user field of the record.
 *
 *   { "type": "notify", "users": ["$owner"], "title": "新线索：{{name}}", "body": "来自 {{province}}" }
 */
export const ZNotify = z.object({
  type: z.literal('notify'),
  users: z.array(z.string().min(1).max(200)).min(1).max(50),
  title: z.string().min(1).max(500),
  body: z.string().max(5000).optional(),
  link: z.string().max(1000).optional(),
}).strict();

/**
 * send_email: an email from a template with merge fields, to addresses that
 * are themselves templates ("{{email}}", "{{owner_id.email}}", "$owner").
 * At most once (email/rule-mail.ts): a crash while SMTP may hold the mail
 * leaves it 'unknown', never sent twice.
 *
 *   { "type": "send_email", "to": ["{{email}}"], "subject": "欢迎，{{name}}", "body": "您好 {{name}}，…" }
 */
export const ZSendEmail = z.object({
  type: z.literal('send_email'),
  to: z.array(z.string().min(1).max(500)).min(1).max(50),
  cc: z.array(z.string().min(1).max(500)).max(50).optional(),
  subject: z.string().min(1).max(500),
  body: z.string().min(1).max(100_000),
  html: z.boolean().optional(),
}).strict();

registerAction('notify', {
  schema: ZNotify,
  mode: 'tx',
  validate(a, v) {
    checkUserRefs(v, a.users, `${v.at}.users`);
    v.checkTemplate(a.title, `${v.at}.title`);
    if (a.body) v.checkTemplate(a.body, `${v.at}.body`);
    if (a.link) v.checkTemplate(a.link, `${v.at}.link`);
  },
  async run(ctx, a) {
    const users = await resolveUserRefs(a.users, loader(ctx));
    const title = await render(ctx, a.title);
    const body = a.body ? await render(ctx, a.body) : null;
    const link = a.link ? await render(ctx, a.link) : ctx.record ? `/records/${ctx.record.object.apiName}/${ctx.record.id}` : null;
    const n = await addNotifications(ctx.tx, ctx.rctx.guard.actor.tenantId, users.map((userId) => ({
      userId, title, body, link, kind: 'rule' as const, object: ctx.record?.object.apiName ?? null, recordId: ctx.record?.id ?? null,
    })));
    return { users, written: n };
  },
});

registerAction('send_email', {
  schema: ZSendEmail,
  mode: 'external',
  validate(a, v) {
    for (const [i, t] of [...a.to, ...(a.cc ?? [])].entries()) if (t !== '$owner') v.checkTemplate(t, `${v.at}.to.${i}`);
    v.checkTemplate(a.subject, `${v.at}.subject`);
    v.checkTemplate(a.body, `${v.at}.body`);
  },
  async run(ctx, a) {
    const to = await addresses(ctx, a.to);
    if (!to.length) throw new ActionFailure('no recipient: every "to" rendered empty or invalid');
    const cc = a.cc ? await addresses(ctx, a.cc) : undefined;
    const subject = (await render(ctx, a.subject)).replace(/[\r\n]+/g, ' ');
    const body = await render(ctx, a.body, { html: a.html });
    // Stable per (rule, trigger, action): the receiver can tell the message by it.
    const messageId = `<${createHash('sha256').update(ctx.actionKey).digest('hex').slice(0, 40)}@mosaic>`;
    return sendRuleMail(ctx, { to, cc, subject, body, html: a.html === true, messageId });
  },
});

async function addresses(ctx: ActionContext, list: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const t of list) {
    const text = await render(ctx, t === '$owner' ? '{{owner_id.email}}' : t);
    for (const s of text.split(/[,;\s]+/)) if (s && isEmailAddress(s) && !out.includes(s)) out.push(s);
  }
  return out;
}

function loader(ctx: ActionContext) {
  return async (paths: string[]) => {
    if (!ctx.record) return null;
    await ctx.record.load(paths, ctx.tx);
    return ctx.record.values;
  };
}

/** User references: ids, "$owner", or user fields of the record. */
export function checkUserRefs(v: ValidateCtx, refs: string[], field: string): void {
  for (const [i, r] of refs.entries()) {
    if (/^[0-9a-f-]{36}$/i.test(r)) continue;
    if (!v.obj) throw new AppError('VALIDATION_FAILED', `${field}.${i}: this rule has no record; name users by id`, { field: `${field}.${i}` });
    if (r === '$owner') continue;
    v.checkTemplate(`{{${r}}}`, `${field}.${i}`);
  }
}
