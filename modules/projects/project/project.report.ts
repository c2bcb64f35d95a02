import { sql } from 'kysely';
import { inTenantTx, type Tx } from '@mosaic/db';
import { exchangeRatesOrThrow } from '@mosaic/finance';
import { physical } from '@mosaic/hr';
import { Decimal } from '@mosaic/kernel';
import { getRecord, listRecords, readableObject, type RecordsCtx } from '@mosaic/records';
import { COST_TYPES, type CostType } from '../projects.objects.ts';
import { budgetVsActual, projectHealth, projectProfit, rolledUpProgress, type BudgetLine, type ProfitFigures, type ProgressTask } from './project.rules.ts';

export interface ProjectFigures {
  /** progress: as set on the project; taskProgress: rolled up from its tasks (null without tasks). */
  project: { id: string; code: string; name: string; stage: string; progress: string; taskProgress: string | null };
  budget: BudgetLine[];
  profit: ProfitFigures;
}

/**
 * A project's budget vs actual per cost type and its profit, for those who may
 * read the cost ledger (project_cost) and the project (otherwise a 404); costs come from
 * the project cost ledger, revenue from the submitted sales invoices attributed
 * to the project (net of VAT):
 *
 *   SELECT cost_type, sum(amount) FROM o_project_cost WHERE project = $1 GROUP BY cost_type
 *   SELECT net_total, currency, exchange_rate FROM o_sales_invoice WHERE project = $1 AND status = 'submitted'  (× rate, revenueOf)
 */
export async function projectFigures(ctx: RecordsCtx, projectId: string): Promise<ProjectFigures> {
  await readableObject(ctx, 'project_cost', 'read'); // costs and profit are for those who may read the cost ledger
  const p = await getRecord(ctx, 'project', projectId);
  const actor = ctx.guard.actor;
  const [costs, revenue, progress] = await inTenantTx(ctx.db.app, { tenantId: actor.tenantId, userId: actor.userId }, async (tx) =>
    [await costsOf(tx, ctx, [projectId]), await revenueOf(tx, ctx, [projectId]), await taskProgressOf(tx, ctx, [projectId])] as const);
  return figures(p, costs.get(projectId) ?? {}, revenue.get(projectId) ?? new Decimal(0), progress.get(projectId) ?? null);
}

export interface PortfolioRow extends ProjectFigures {
  health: 'green' | 'amber' | 'red';
}

/** 项目组合: every project the caller may read (their record scope), with budget, profit and health. */
export async function portfolio(ctx: RecordsCtx, today: string): Promise<{ data: PortfolioRow[]; totals: ProfitFigures }> {
  await readableObject(ctx, 'project_cost', 'read');
  const rows: Record<string, unknown>[] = [];
  for (let page = 1; ; page++) {
    const r = await listRecords(ctx, 'project', { page, pageSize: 500, sort: 'code', total: false });
    rows.push(...r.data);
    if (!r.nextCursor) break;
  }
  const ids = rows.map((r) => r.id as string);
  const actor = ctx.guard.actor;
  const [costs, revenue, progress] = await inTenantTx(ctx.db.app, { tenantId: actor.tenantId, userId: actor.userId }, async (tx) =>
    [await costsOf(tx, ctx, ids), await revenueOf(tx, ctx, ids), await taskProgressOf(tx, ctx, ids)] as const);
  const data = rows.map((p) => {
    const f = figures(p, costs.get(p.id as string) ?? {}, revenue.get(p.id as string) ?? new Decimal(0), progress.get(p.id as string) ?? null);
    const finished = p.stage === 'accepted' || p.stage === 'closed';
    // What the team reported on the tasks, where there are tasks; else the project's own figure.
    const done = new Decimal(f.project.taskProgress ?? (p.progress as string) ?? 0);
    return { ...f, health: projectHealth({ lines: f.budget, progress: done, start: p.start_date as string | null, end: p.end_date as string | null, finished, today }) };
  });
  const sum = (k: keyof ProfitFigures) => data.reduce((s, r) => s.plus(r.profit[k] ?? 0), new Decimal(0));
  return { data, totals: projectProfit(sum('revenue'), [sum('cost')]) };
}

function figures(p: Record<string, unknown>, costs: Partial<Record<CostType, Decimal>>, revenue: Decimal, taskProgress: Decimal | null): ProjectFigures {
  const budgets = Object.fromEntries(COST_TYPES.map((t) => [t, new Decimal((p[`budget_${t}`] as string) ?? 0)])) as Record<CostType, Decimal>;
  return {
    project: { id: p.id as string, code: p.code as string, name: p.name as string, stage: p.stage as string, progress: String(p.progress ?? '0'), taskProgress: taskProgress?.toFixed(4) ?? null },
    budget: budgetVsActual(budgets, costs),
    profit: projectProfit(revenue, Object.values(costs)),
  };
}

async function costsOf(tx: Tx, ctx: RecordsCtx, ids: string[]): Promise<Map<string, Partial<Record<CostType, Decimal>>>> {
  const c = physical(await ctx.store.objects(ctx.guard.actor.tenantId), 'project_cost');
  const rows = (await sql<{ project: string; cost_type: CostType; total: string }>`SELECT ${c.ref('project')} AS project, ${c.ref('cost_type')} AS cost_type,
      sum(${c.ref('amount')})::text AS total FROM ${c.table} WHERE ${c.ref('project')} = ANY(${ids}::uuid[]) GROUP BY 1, 2`.execute(tx)).rows;
  const out = new Map<string, Partial<Record<CostType, Decimal>>>();
  for (const r of rows) out.set(r.project, { ...out.get(r.project), [r.cost_type]: new Decimal(r.total) });
  return out;
}

/** 进度: each project's progress rolled up from its tasks (rolledUpProgress); projects without tasks are absent. */
async function taskProgressOf(tx: Tx, ctx: RecordsCtx, ids: string[]): Promise<Map<string, Decimal>> {
  const t = physical(await ctx.store.objects(ctx.guard.actor.tenantId), 'project_task');
  const rows = (await sql<{ id: string; project: string; parent: string | null; progress: string | null; status: string; estimate: string | null }>`
    SELECT id, ${t.ref('project')} AS project, ${t.ref('parent_task')} AS parent, ${t.ref('progress')}::text AS progress, ${t.ref('task_status')} AS status,
      ${t.ref('estimate_hours')}::text AS estimate
    FROM ${t.table} WHERE ${t.ref('project')} = ANY(${ids}::uuid[])`.execute(tx)).rows;
  const byProject = new Map<string, ProgressTask[]>();
  for (const r of rows) {
    byProject.set(r.project, [...(byProject.get(r.project) ?? []), {
      id: r.id, parent: r.parent, progress: new Decimal(r.progress ?? 0), done: r.status === 'done', estimateHours: r.estimate === null ? null : new Decimal(r.estimate),
    }]);
  }
  const out = new Map<string, Decimal>();
  for (const [project, tasks] of byProject) {
    const p = rolledUpProgress(tasks);
    if (p) out.set(project, p);
  }
  return out;
}

/**
 * Billed revenue per project in the company's currency, as the books took it: a foreign-currency
 * invoice's net at its rate (its own, else the day's — finance's exchangeRatesOrThrow, the rate its
 * voucher was posted at, all invoices' in one query), rounded per invoice like the voucher's revenue line.
 */
async function revenueOf(tx: Tx, ctx: RecordsCtx, ids: string[]): Promise<Map<string, Decimal>> {
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  if (!objects.get('sales_invoice')?.fields.some((f) => f.apiName === 'project')) return new Map();
  const si = physical(objects, 'sales_invoice');
  const rows = (await sql<{ project: string; net: string; currency: string | null; rate: string | null; date: string }>`
    SELECT ${si.ref('project')} AS project, ${si.ref('net_total')}::text AS net, NULLIF(${si.ref('currency')}, '') AS currency,
      ${si.ref('exchange_rate')}::text AS rate, ${si.ref('posting_date')}::text AS date FROM ${si.table}
    WHERE ${si.ref('project')} = ANY(${ids}::uuid[]) AND status IN ('submitted', 'approved')`.execute(tx)).rows;
  // The foreign invoices' rates in one query (exchangeRatesOrThrow), not one per invoice.
  const rates = await exchangeRatesOrThrow(tx, objects, rows.flatMap((r) => (r.currency ? [{ currency: r.currency, date: r.date, given: r.rate }] : [])));
  let next = 0;
  const out = new Map<string, Decimal>();
  for (const r of rows) {
    const rate = r.currency ? rates[next++] : new Decimal(1);
    out.set(r.project, (out.get(r.project) ?? new Decimal(0)).plus(new Decimal(r.net).times(rate).toDecimalPlaces(2)));
  }
  return out;
}
