import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { getRecord } from '@mosaic/records';
import { render } from '../engine/values.ts';
import { stableUuid } from '../engine/queue.ts';
import { allowLoopbackFromEnv, safePost } from '../webhook/safe-post.ts';
import { registerAction } from './registry.ts';

/**
 * call_webhook: POSTs JSON to a URL, signed with HMAC-SHA256 over the exact
 * body bytes: `X-Mosaic-Signature: sha256=<hex>`. `X-Mosaic-Delivery` is
 * stable per (rule, trigger, action), so a receiver can drop a redelivery.
 * Private, loopback and link-local targets — directly, through DNS or through
 * a redirect — are refused (webhook/address-policy.ts).
 *
 *   { "type": "call_webhook", "url": "https://erp.example.com/hooks/lead", "secret": "…" }
 *   → POST {"event":"lead.created","rule":{…},"record":{…},"payload":…}
 */
export const ZCallWebhook = z.object({
  type: z.literal('call_webhook'),
  url: z.string().min(1).max(2000),
  secret: z.string().min(16).max(200),
  /** A body template instead of the standard JSON envelope. */
  body: z.string().max(100_000).optional(),
}).strict();

registerAction('call_webhook', {
  schema: ZCallWebhook,
  mode: 'external',
  validate(a, v) {
    v.checkTemplate(a.url, `${v.at}.url`);
    if (a.body) v.checkTemplate(a.body, `${v.at}.body`);
  },
  async run(ctx, a) {
    const url = await render(ctx, a.url);
    const record = ctx.record && ctx.trigger.op !== 'delete' ? await getRecord(ctx.rctx, ctx.record.object.apiName, ctx.record.id, { tx: ctx.tx }).catch(() => null) : null;
    const body = a.body
      ? await render(ctx, a.body)
      : JSON.stringify({
        event: ctx.record ? `${ctx.record.object.apiName}.${ctx.trigger.op ?? ctx.trigger.kind}` : ctx.trigger.kind,
        rule: { id: ctx.rule.id, name: ctx.rule.name },
        trigger: { kind: ctx.trigger.kind, key: ctx.trigger.key, at: ctx.trigger.at },
        recordId: ctx.record?.id ?? null, record, changes: ctx.trigger.changes ?? null, payload: ctx.trigger.payload ?? null,
      });
    const delivery = stableUuid(`delivery|${ctx.actionKey}`);
    const headers = {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'Mosaic-Webhook/1',
      'x-mosaic-delivery': delivery,
      'x-mosaic-signature': `sha256=${createHmac('sha256', a.secret).update(body).digest('hex')}`,
    };
    const r = await safePost(url, body, headers, { allowLoopback: allowLoopbackFromEnv() });
    return { ...r, delivery };
  },
});
