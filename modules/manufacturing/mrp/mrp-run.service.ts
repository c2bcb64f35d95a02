import { sql } from 'kysely';
import { AppError, logger, newId } from '@mosaic/kernel';
import { inTenantTx, type Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import { createRecords, readableObject, type RecordsCtx } from '@mosaic/records';
import { createJob, updateJob, type JobRunner } from '@mosaic/io';
import { tableOf } from '../mfg-tables.ts';
import { todayFor } from '../mfg-context.ts';
import { loadMrpInput } from './mrp.inputs.ts';
import { planMrp } from './mrp.rules.ts';
import type { MrpResult, PlannedOrder } from './mrp.types.ts';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * POST /api/v1/manufacturing/mrp-runs { run_date? } → 202 { id, jobId }
 * The run is a background job (GET /api/v1/jobs/{jobId} gives its percent):
 * load 0–30 %, plan 30–60 %, store 60–100 %.
 */
export async function startMrpRun(ctx: RecordsCtx, runner: JobRunner, body: { run_date?: unknown }): Promise<{ id: string; jobId: string }> {
  const today = body?.run_date ?? todayFor(ctx);
  if (typeof today !== 'string' || !ISO_DATE.test(today)) throw new AppError('FIELD_INVALID', 'run_date: a date as YYYY-MM-DD', { field: 'run_date' });
  await readableObject(ctx, 'mrp_suggestion', 'create');
  const [{ id }] = await createRecords(ctx, 'mrp_run', [{ run_date: today, state: 'queued' }]);
  const jobId = await createJob(ctx.db.app, ctx.guard.actor, 'mrp', { runId: id });
  await setRun(ctx, id, { job_id: jobId });
  runner.start(`mrp ${id}`, async () => void (await executeMrpRun(ctx, id, jobId, today)));
  return { id, jobId };
}

export async function executeMrpRun(ctx: RecordsCtx, runId: string, jobId: string, today: string): Promise<MrpResult> {
  const db = ctx.db.app;
  const actor = ctx.guard.actor;
  const progress = (percent: number) => updateJob(db, actor, jobId, { status: 'running', total: 100, done: percent });
  try {
    await setRun(ctx, runId, { state: 'running' });
    await progress(1);
    const objects = await ctx.store.objects(actor.tenantId);
    const input = await inTenantTx(db, { tenantId: actor.tenantId, userId: actor.userId }, (tx) => loadMrpInput(tx, objects, today));
    await progress(30);
    const result = planMrp(input);
    await progress(60);
    const counts = await inTenantTx(db, { tenantId: actor.tenantId, userId: actor.userId }, (tx) =>
      storeSuggestions(tx, objects, ctx, runId, result, (p) => progress(60 + Math.floor(p * 39))));
    await setRun(ctx, runId, { state: 'done', ...counts });
    await updateJob(db, actor, jobId, { status: 'done', total: 100, done: 100, result: { runId, ...counts } });
    return result;
  } catch (err) {
    logger.error({ err, runId }, 'MRP run failed');
    const message = err instanceof AppError ? err.message : 'The MRP run failed; see the server log.';
    await setRun(ctx, runId, { state: 'failed', message }).catch(() => undefined);
    await updateJob(db, actor, jobId, { status: 'failed', error: { message } });
    throw err;
  }
}

const BATCH = 2000;

/**
 * Replaces the open suggestions of earlier runs with this run's (firmed ones
 * stay: they became work orders or requisitions). Written set-based, 2 000
 * rows per INSERT; each planned order gets its id first so pegs can name
 * their parent suggestions.
 */
export async function storeSuggestions(tx: Tx, objects: Map<string, ObjectMeta>, ctx: RecordsCtx, runId: string, result: MrpResult, onProgress?: (share: number) => Promise<void>) {
  const S = tableOf(objects, 'mrp_suggestion');
  await sql`DELETE FROM ${S.t} WHERE ${S.c('firmed')} IS NOT TRUE`.execute(tx);
  const ids = result.orders.map(() => newId());
  const a = ctx.guard.actor;
  const cols = ['mrp_run', 'item', 'kind', 'qty', 'start_date', 'due_date', 'level', 'sales_order', 'pegs', 'firmed'].map((f) => S.c(f));
  for (let i = 0; i < result.orders.length; i += BATCH) {
    const rows = result.orders.slice(i, i + BATCH).map((o) => {
      const pegs = pegsJson(o, ids);
      const so = o.pegs.length === 1 && o.pegs[0].demand?.type === 'sales_order' ? o.pegs[0].demand.id : null;
      return sql`(${a.tenantId}, ${ids[o.index]}, ${a.companyId}, ${a.userId}, ${a.userId}, ${runId}, ${o.item}, ${o.kind}, ${o.qty}, ${o.startDate}::date, ${o.dueDate}::date,
        ${o.level}, ${so}, ${JSON.stringify(pegs)}, false)`;
    });
    await sql`INSERT INTO ${S.t} (tenant_id, id, company_id, owner_id, created_by, ${sql.join(cols)}) VALUES ${sql.join(rows)}`.execute(tx);
    if (onProgress && (i / BATCH) % 10 === 0) await onProgress(i / result.orders.length);
  }
  return { work_orders: result.orders.filter((o) => o.kind === 'work_order').length, purchases: result.orders.filter((o) => o.kind === 'purchase').length };
}

function pegsJson(o: PlannedOrder, ids: string[]) {
  return o.pegs.map((p) => (p.demand ? { type: p.demand.type, id: p.demand.id, line: p.demand.line, qty: p.qty } : { type: 'mrp_suggestion', id: ids[p.order!], qty: p.qty }));
}

async function setRun(ctx: RecordsCtx, id: string, values: Record<string, unknown>): Promise<void> {
  const a = ctx.guard.actor;
  await inTenantTx(ctx.db.app, { tenantId: a.tenantId, userId: a.userId }, async (tx) => {
    const R = tableOf(await ctx.store.objects(a.tenantId), 'mrp_run');
    const sets = Object.entries(values).map(([f, v]) => sql`${R.c(f)} = ${v as string}`);
    await sql`UPDATE ${R.t} SET ${sql.join(sets)}, version = version + 1, updated_at = now() WHERE id = ${id}`.execute(tx);
  });
}
