import { z } from 'zod';
import { registerAction } from '@mosaic/automation';
import { recyclePool } from './pool.service.ts';

/** crm_pool_recycle: the shipped hourly rule runs the pool recycling (公海回收) at the rule's fire time. */
registerAction('crm_pool_recycle', {
  schema: z.object({ type: z.literal('crm_pool_recycle') }).strict(),
  mode: 'external', // its own transaction: thousands of records move at once
  async run(ctx) {
    return recyclePool(ctx.rctx, ctx.ev.now);
  },
});
