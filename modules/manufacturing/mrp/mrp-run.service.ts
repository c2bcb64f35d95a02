import { sql } from 'kysely';
import { AppError, logger } from '@mosaic/kernel';
import { inTenantTx, type Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import { createRecords, readableObject, type RecordsCtx } from '@mosaic/records';
import { createJob, updateJob, type JobRunner } from '@mosaic/io';
import { tableOf } from '../mfg-tables.ts';
import { todayFor } from '../mfg-context.ts';
import { loadMrpInput } from './mrp.inputs.ts';
import { planMrpAsync } from './mrp.rules.ts';
import { suggestionRowsJson } from './suggestion-rows.ts';
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
      const planned = await planMrpAsync(input!, 50, (orders) => writer.offer(orders));
      input = null; // the BOMs and demands are not needed to store the rest: let them go
      planMs = clock();
      await progress(60);
      await writer.finish(planned.orders, (p) => progress(60 + Math.floor(p * 39)));
      return { result: planned, counts: countKinds(planned.orders) };
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
 * batch is one INSERT … SELECT FROM json_to_recordset, 10 000 rows a statement.
 * `offer` is called by the plan between its slices with the orders so far
 * (all final): full batches are queued and inserted while the plan goes on;
 * `finish` writes the rest. Pegs name parent suggestions by seq (their index
 * in the run), so ids are made batch by batch.
 */
export async function suggestionWriter(tx: Tx, objects: Map<string, ObjectMeta>, ctx: RecordsCtx, runId: string) {
  const S = tableOf(objects, 'mrp_suggestion');
  // Two runs finishing together: the second waits here and replaces the first's suggestions, never mixes with them.
  await sql`SELECT pg_advisory_xact_lock(hashtext('mosaic.mrp:' || ${ctx.guard.actor.tenantId}))`.execute(tx);
  await sql`DELETE FROM ${S.t} WHERE ${S.c('firmed')} IS NOT TRUE`.execute(tx);
  const a = ctx.guard.actor;
  const cols = ['seq', 'item', 'kind', 'qty', 'start_date', 'due_date', 'level', 'sales_order', 'pegs'].map((f) => S.c(f));
  const insert = (json: string) => sql`INSERT INTO ${S.t} (tenant_id, company_id, owner_id, created_by, ${S.c('mrp_run')}, ${S.c('firmed')}, id, ${sql.join(cols)})
      SELECT ${a.tenantId}::uuid, ${a.companyId}::uuid, ${a.userId}::uuid, ${a.userId}::uuid, ${runId}::uuid, false, u.id, u.seq, u.item, u.kind, u.qty, u.sd, u.dd, u.level, u.so, u.pegs::text
      FROM json_to_recordset(${json}::json) AS u(id uuid, seq int, item uuid, kind text, qty numeric, sd date, dd date, level int, so uuid, pegs json)`.execute(tx);
  let written = 0; // orders handed to an INSERT so far
  let queue: Promise<void> = Promise.resolve(); // one statement at a time on the transaction's connection
  let failed = false;
  const write = async (orders: readonly PlannedOrder[], all: boolean, onProgress?: (share: number) => Promise<void>) => {
    while (orders.length - written >= BATCH || (all && written < orders.length)) {
      const end = Math.min(written + BATCH, orders.length);
      const json = suggestionRowsJson(orders.slice(written, end));
      written = end;
      await insert(json);
      if (onProgress) await onProgress(written / orders.length);
    }
  };
  const enqueue = (step: () => Promise<void>) => {
    queue = queue.then(step);
    queue.catch(() => (failed = true)); // thrown by finish(); meanwhile never an unhandled rejection
  };
  return {
    /** From the plan loop, synchronous: queue the full batches among `orders`. */
    offer(orders: readonly PlannedOrder[]): void {
      if (!failed && orders.length - written >= BATCH) enqueue(() => write(orders, false));
    },
    /** Writes what is left and waits for every statement (throws the first failure). */
    async finish(orders: readonly PlannedOrder[], onProgress?: (share: number) => Promise<void>): Promise<void> {
      enqueue(() => write(orders, true, onProgress));
      await queue;
    },
  };
}

function countKinds(orders: readonly PlannedOrder[]) {
  let workOrders = 0;
  for (const o of orders) if (o.kind === 'work_order') workOrders++;
  return { work_orders: workOrders, purchases: orders.length - workOrders };
}

async function setRun(ctx: RecordsCtx, id: string, values: Record<string, unknown>): Promise<void> {
  const a = ctx.guard.actor;
  await inTenantTx(ctx.db.app, { tenantId: a.tenantId, userId: a.userId }, async (tx) => {
    const R = tableOf(await ctx.store.objects(a.tenantId), 'mrp_run');
    const sets = Object.entries(values).map(([f, v]) => sql`${R.c(f)} = ${v as string}`);
    await sql`UPDATE ${R.t} SET ${sql.join(sets)}, version = version + 1, updated_at = now() WHERE id = ${id}`.execute(tx);
  });
}
