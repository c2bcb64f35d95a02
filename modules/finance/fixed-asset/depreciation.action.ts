import { sql } from 'kysely';
import { z } from 'zod';
import { registerAction } from '@mosaic/automation';
import { AppError, todayIn } from '@mosaic/kernel';
import { periodBounds } from '../gl/period.ts';
import { runDepreciationInTx } from './fixed-asset.service.ts';

const ZDepreciationAction = z.object({ type: z.literal('finance_depreciation'), period: z.enum(['previous', 'current']).default('previous') }).strict();

/**
 * The monthly depreciation as a scheduled rule's action: a rule with trigger
 * `schedule` (cron "0 2 1 * *": the 1st at 02:00) and action
 * `{ "type": "finance_depreciation", "period": "previous" }` runs last month's
 * depreciation for every company. Posted in the action's transaction (mode
 * 'tx'), so a retried run never posts twice; a period already run is skipped.
 */
export function registerDepreciationAction(): void {
  registerAction('finance_depreciation', {
    schema: ZDepreciationAction,
    mode: 'tx',
    async run(actx, action: z.infer<typeof ZDepreciationAction>) {
      const today = todayIn(actx.rctx.guard.actor.timeZone).slice(0, 7);
      const period = action.period === 'current' ? today : periodBounds(today).previous;
      const companies = await sql<{ id: string }>`SELECT id FROM company ORDER BY id`.execute(actx.tx);
      const results: Record<string, unknown> = {};
      for (const { id } of companies.rows) {
        try {
          results[id] = await runDepreciationInTx(actx.tx, actx.rctx, id, period);
        } catch (e) {
          if (!(e instanceof AppError && e.code === 'CONFLICT')) throw e;
          results[id] = 'already run';
        }
      }
      return { period, results };
    },
  });
}
