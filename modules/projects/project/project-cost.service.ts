import { sql } from 'kysely';
import { systemGuard } from '@mosaic/access';
import { addNotifications } from '@mosaic/automation';
import type { Tx } from '@mosaic/db';
import { physical } from '@mosaic/hr';
import { Decimal } from '@mosaic/kernel';
import { createRecords, type RecordsCtx } from '@mosaic/records';
import type { CostType } from '../projects.objects.ts';
import { crossesBudget } from './project.rules.ts';

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

const TYPE_LABEL: Record<CostType, string> = { labour: '人工', material: '材料', purchase: '采购', expense: '费用' };

/**
 * 成本归集: one line in the project's cost ledger, in the transaction of the
 * document that caused it. When the line takes the cost type's actual over its
 * budget, the project manager (or, without one, the project's owner) gets a
 * notification — once, at the crossing, not on every later cost.
 */
export async function collectCost(tx: Tx, ctx: RecordsCtx, e: CostEntry): Promise<void> {
  if (e.amount.isZero()) return;
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const p = physical(objects, 'project');
  const c = physical(objects, 'project_cost');
  // Lock the project: concurrent costs see each other's totals, so the crossing is announced exactly once.
  const project = (await sql<{ id: string; name: string; manager: string | null; owner_id: string; budget: string }>`
    SELECT id, ${p.ref('name')} AS name, ${p.ref('manager')} AS manager, owner_id, COALESCE(${p.ref(`budget_${e.costType}`)}, 0)::text AS budget
    FROM ${p.table} WHERE id = ${e.project} FOR UPDATE`.execute(tx)).rows[0];
  if (!project) return;
  const before = (await sql<{ actual: string }>`SELECT COALESCE(sum(${c.ref('amount')}), 0)::text AS actual FROM ${c.table}
    WHERE ${c.ref('project')} = ${e.project} AND ${c.ref('cost_type')} = ${e.costType}`.execute(tx)).rows[0].actual;
  const sys: RecordsCtx = { ...ctx, guard: systemGuard(ctx.guard.actor) };
  await createRecords(sys, 'project_cost', [{
    project: e.project, cost_type: e.costType, amount: e.amount.toFixed(2), posting_date: e.postingDate, source_type: e.sourceType, source_id: e.sourceId, description: e.description.slice(0, 200),
  }], { tx });
  const after = new Decimal(before).plus(e.amount);
  if (!crossesBudget(new Decimal(before), after, new Decimal(project.budget))) return;
  await addNotifications(tx, ctx.guard.actor.tenantId, [{
    userId: project.manager ?? project.owner_id, kind: 'info', object: 'project', recordId: project.id, link: `/o/project/${project.id}`,
    title: `项目预算超支：${project.name}（${TYPE_LABEL[e.costType]}）`,
    body: `${TYPE_LABEL[e.costType]}实际 ${after.toFixed(2)}，预算 ${new Decimal(project.budget).toFixed(2)}，超支 ${after.minus(project.budget).toFixed(2)}`,
  }]);
}

/** What a source document collected so far (0 when nothing): a cancel reverses exactly that. */
export async function collectedFor(tx: Tx, ctx: RecordsCtx, sourceId: string): Promise<Decimal> {
  const c = physical(await ctx.store.objects(ctx.guard.actor.tenantId), 'project_cost');
  const r = await sql<{ total: string }>`SELECT COALESCE(sum(${c.ref('amount')}), 0)::text AS total FROM ${c.table} WHERE ${c.ref('source_id')} = ${sourceId}`.execute(tx);
  return new Decimal(r.rows[0].total);
}
