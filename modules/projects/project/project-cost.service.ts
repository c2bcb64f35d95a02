import { sql } from 'kysely';
import { systemGuard } from '@mosaic/access';
import type { Tx } from '@mosaic/db';
import { physical } from '@mosaic/hr';
import { Decimal } from '@mosaic/kernel';
import { createRecords, type RecordsCtx } from '@mosaic/records';
import type { CostType } from '../projects.objects.ts';

export interface CostEntry {
  project: string;
  costType: CostType;
  /** Negative for a reversal (红字). */
  amount: Decimal;
  postingDate: string;
  sourceType: string;
  sourceId: string;
  description: string;
}

/**
 * 成本归集: one line in the project's cost ledger, in the transaction of the
 * document that caused it. Overruns are the report engine's business: the
 * 项目预算超支 alert (budget-overrun.alert.ts) watches this ledger.
 */
export async function collectCost(tx: Tx, ctx: RecordsCtx, e: CostEntry): Promise<void> {
  if (e.amount.isZero()) return;
  const sys: RecordsCtx = { ...ctx, guard: systemGuard(ctx.guard.actor) };
  await createRecords(sys, 'project_cost', [{
    project: e.project, cost_type: e.costType, amount: e.amount.toFixed(2), posting_date: e.postingDate, source_type: e.sourceType, source_id: e.sourceId, description: e.description.slice(0, 200),
  }], { tx });
}

/** What a source document collected so far (0 when nothing): a cancel reverses exactly that. */
export async function collectedFor(tx: Tx, ctx: RecordsCtx, sourceId: string): Promise<Decimal> {
  const c = physical(await ctx.store.objects(ctx.guard.actor.tenantId), 'project_cost');
  const r = await sql<{ total: string }>`SELECT COALESCE(sum(${c.ref('amount')}), 0)::text AS total FROM ${c.table} WHERE ${c.ref('source_id')} = ${sourceId}`.execute(tx);
  return new Decimal(r.rows[0].total);
}
