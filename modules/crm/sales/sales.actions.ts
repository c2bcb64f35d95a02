import { z } from 'zod';
import { registerAction } from '@mosaic/automation';
import { recomputeTiers } from './tier.service.ts';

/** crm_tier_recompute: the shipped daily rule recomputes every auto-tier customer's tier at the rule's fire time. */
registerAction('crm_tier_recompute', {
  schema: z.object({ type: z.literal('crm_tier_recompute') }).strict(),
  mode: 'external', // its own transaction: many customers at once
  async run(ctx) {
    const r = await recomputeTiers(ctx.rctx, ctx.ev.now);
    return { checked: r.checked, changed: r.changed.length };
  },
});
