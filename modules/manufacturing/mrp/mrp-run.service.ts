import { sql } from 'kysely';
import { AppError, logger } from '@mosaic/kernel';
import { inTenantTx, type Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import { createRecords, type RecordsCtx, requireRights } from '@mosaic/records';
import { createJob, updateJob, type JobRunner } from '@mosaic/io';
import { tableOf } from '../mfg-tables.ts';
import { todayFor } from '../mfg-context.ts';
import { loadMrpInput, MRP_INPUT_READS } from './mrp.inputs.ts';
import { planMrpAsync, type MrpPlan } from './mrp.rules.ts';
import { suggestionArrays } from './suggestion-rows.ts';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * POST /api/v1/manufacturing/mrp-runs { run_date? } → 202 { id, jobId }
 * The run is a background job (GET /api/v1/jobs/{jobId} gives its percent):
 * load 0–30 %, plan 30–60 %, store 60–100 %.
 */
export async function startMrpRun(ctx: RecordsCtx, runner: JobRunner, body: { run_date?: unknown }): Promise<{ id: string; jobId: string }> {
  const today = body?.run_date ?? todayFor(ctx);
  if (typeof today !== 'string' || !ISO_DATE.test(today)) throw new AppError('FIELD_INVALID', 'run_date: a date as YYYY-MM-DD', { field: 'run_date' });
  // The run's own objects first (the refusal names what the endpoint is about); then its inputs, read for the
  // caller: without the right to read one of them, a 403 naming it, not a plan built from it.
  await requireRights(ctx, [['mrp_run', 'create'], ['mrp_suggestion', 'create'], ...MRP_INPUT_READS.map((o): [string, 'read'] => [o, 'read'])]);
  const [{ id }] = await createRecords(ctx, 'mrp_run', [{ run_date: today, state: 'queued' }]);
  const jobId = await createJob(ctx.db.app, ctx.guard.actor, 'mrp', { runId: id });
  await setRun(ctx, id, { job_id: jobId });
  runner.start(`mrp ${id}`, async () => void (await executeMrpRun(ctx, id, jobId, today)));
  return { id, jobId };
}

export async function executeMrpRun(ctx: RecordsCtx, runId: string, jobId: string, today: string): Promise<MrpPlan> {
  const db = ctx.db.app;
  const actor = ctx.guard.actor;
  const progress = (percent: number) => updateJob(db, actor, jobId, { status: 'running', total: 100, done: percent });
  try {
    await setRun(ctx, runId, { state: 'running' });
    await progress(1);
    const objects = await ctx.store.objects(actor.tenantId);
    const clock = stopwatch();
    let input: Awaited<ReturnType<typeof loadMrpInput>> | null = await inTenantTx(db, { tenantId: actor.tenantId, userId: actor.userId }, (tx) => loadMrpInput(tx, objects, today));
    const loadMs = clock();
    await progress(30);
    let planMs = 0;
    const { result, counts } = await inTenantTx(db, { tenantId: actor.tenantId, userId: actor.userId }, async (tx) => {
      const writer = await suggestionWriter(tx, objects, ctx, runId);
      // Planned in slices of ~50 ms on this event loop, so the server keeps answering during a run;
      // between slices the orders planned so far are final and are inserted meanwhile (PostgreSQL
      // on the other core), so most of the store phase overlaps the plan.
      const plan = await planMrpAsync(input!, 50, (soFar) => writer.offer(soFar));
      input = null; // the BOMs and demands are not needed to store the rest: let them go
      planMs = clock();
      await progress(60);
      await writer.finish(plan, (p) => progress(60 + Math.floor(p * 39)));
      return { result: plan, counts: countKinds(plan) };
    });
    const storeMs = clock();
    await setRun(ctx, runId, { state: 'done', ...counts, message: `load ${loadMs} ms, plan (storing meanwhile) ${planMs} ms, rest of the store ${storeMs} ms` });
    await updateJob(db, actor, jobId, { status: 'done', total: 100, done: 100, result: { runId, ...counts, loadMs, planMs, storeMs } });
    return result;
  } catch (err) {
    logger.error({ err, runId }, 'MRP run failed');
    const message = err instanceof AppError ? err.message : 'The MRP run failed; see the server log.';
    await setRun(ctx, runId, { state: 'failed', message }).catch(() => undefined);
    await updateJob(db, actor, jobId, { status: 'failed', error: { message } });
    throw err;
  }
}

const stopwatch = () => {
  let last = performance.now();
  return () => {
    const now = performance.now();
    const ms = Math.round(now - last);
    last = now;
    return ms;
  };
};

const BATCH = 10_000;

/**
 * Replaces the open suggestions of earlier runs with this run's (firmed ones
 * stay: they became work orders or requisitions). Written set-based: each
 * batch is one INSERT … SELECT FROM unnest(ten arrays), 10 000 rows a statement.
 * `offer` is called by the plan between its slices with the plan so far (its
 * orders all final): full batches are queued and inserted while the plan goes
 * on; `finish` writes the rest. Pegs name parent suggestions by seq (their
 * index in the run), so ids are made batch by batch.
 */
export async function suggestionWriter(tx: Tx, objects: Map<string, ObjectMeta>, ctx: RecordsCtx, runId: string, batch = BATCH) {
  const S = tableOf(objects, 'mrp_suggestion');
  // Two runs finishing together: the second waits here and replaces the first's suggestions, never mixes with them.
  await sql`SELECT pg_advisory_xact_lock(hashtext('mosaic.mrp:' || ${ctx.guard.actor.tenantId}))`.execute(tx);
  await sql`DELETE FROM ${S.t} WHERE ${S.c('firmed')} IS NOT TRUE`.execute(tx);
  const a = ctx.guard.actor;
  const cols = ['seq', 'item', 'kind', 'qty', 'start_date', 'due_date', 'level', 'sales_order', 'pegs'].map((f) => S.c(f));
  const insert = (u: ReturnType<typeof suggestionArrays>) => sql`INSERT INTO ${S.t} (tenant_id, company_id, owner_id, created_by, ${S.c('mrp_run')}, ${S.c('firmed')}, id, ${sql.join(cols)})
      SELECT ${a.tenantId}::uuid, ${a.companyId}::uuid, ${a.userId}::uuid, ${a.userId}::uuid, ${runId}::uuid, false, u.*
      FROM unnest(${u.id}::uuid[], ${u.seq}::int[], ${u.item}::uuid[], ${u.kind}::text[], ${u.qty}::numeric[], ${u.sd}::date[], ${u.dd}::date[], ${u.level}::int[], ${u.so}::uuid[], ${u.pegs}::text[]) AS u`.execute(tx);
  let written = 0; // orders handed to an INSERT so far
  let queue: Promise<void> = Promise.resolve(); // one statement at a time on the transaction's connection
  let failed = false;
  const write = async (plan: MrpPlan, all: boolean, onProgress?: (share: number) => Promise<void>) => {
    while (plan.count - written >= batch || (all && written < plan.count)) {
      const end = Math.min(written + batch, plan.count);
      const arrays = suggestionArrays(plan, written, end);
      written = end;
      await insert(arrays);
      if (onProgress) await onProgress(written / plan.count);
    }
  };
  const enqueue = (step: () => Promise<void>) => {
    queue = queue.then(step);
    queue.catch(() => (failed = true)); // thrown by finish(); meanwhile never an unhandled rejection
  };
  return {
    /** From the plan loop, synchronous: queue the full batches among the orders planned so far. */
    offer(plan: MrpPlan): void {
      if (!failed && plan.count - written >= batch) enqueue(() => write(plan, false));
    },
    /** Writes what is left and waits for every statement (throws the first failure). */
    async finish(plan: MrpPlan, onProgress?: (share: number) => Promise<void>): Promise<void> {
      enqueue(() => write(plan, true, onProgress));
      await queue;
    },
  };
}

function countKinds(plan: MrpPlan) {
  let workOrders = 0;
  for (let i = 0; i < plan.count; i++) workOrders += plan.make[i];
  return { work_orders: workOrders, purchases: plan.count - workOrders };
}

async function setRun(ctx: RecordsCtx, id: string, values: Record<string, unknown>): Promise<void> {
  const a = ctx.guard.actor;
  await inTenantTx(ctx.db.app, { tenantId: a.tenantId, userId: a.userId }, async (tx) => {
    const R = tableOf(await ctx.store.objects(a.tenantId), 'mrp_run');
    const sets = Object.entries(values).map(([f, v]) => sql`${R.c(f)} = ${v as string}`);
    await sql`UPDATE ${R.t} SET ${sql.join(sets)}, version = version + 1, updated_at = now() WHERE id = ${id}`.execute(tx);
  });
}
