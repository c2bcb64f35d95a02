import { z } from 'zod';
import { registerAction } from '@mosaic/automation';
import { slaCheck } from './sla.service.ts';

/** crm_sla_check: the shipped five-minute rule runs the SLA clock (warnings, breaches, escalations) at the rule's fire time. */
registerAction('crm_sla_check', {
  schema: z.object({ type: z.literal('crm_sla_check') }).strict(),
  mode: 'external',
  async run(ctx) {
    return slaCheck(ctx.rctx, ctx.ev.now);
  },
});
