import { z } from 'zod';
import { registerAction } from '@mosaic/automation';
import { asOfOrToday, runDunning } from './dunning.service.ts';
import { todayIn } from '@mosaic/kernel';

const ZDunningAction = z.object({ type: z.literal('finance_dunning') }).strict();

/**
 * The dunning run as a scheduled rule's action (the shipped rule runs it every
 * morning): reminders for what is overdue as of the rule's fire time, in the
 * tenant's time zone. Its own transaction (mode 'external'): it sends mail.
 * Registered at import, so the rule shipped at install validates.
 */
registerAction('finance_dunning', {
  schema: ZDunningAction,
  mode: 'external',
  async run(actx) {
    const asOf = asOfOrToday(todayIn(actx.ev.timeZone, actx.ev.now), actx.ev.timeZone);
    const r = await runDunning(actx.rctx, asOf);
    return { asOf: r.asOf, sent: r.notices.length };
  },
});
