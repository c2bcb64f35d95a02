import { clock, envNumber, logger } from '@mosaic/kernel';
import { listTenantIds } from '@mosaic/identity';
import type PgBoss from 'pg-boss';
import type { AutomationDeps, RunJob } from '../automation.types.ts';
import { sendDigest, sendNotificationEmails } from '../notifications/notification-mail.ts';
import { sendDueReminders } from '../notifications/reminders.ts';
import { sweepRuleMail } from '../email/rule-mail.ts';
import { scheduleTick } from '../schedule/tick.ts';
import { startOutboxListener } from './outbox-listener.ts';
import { closeQueue, DIGEST_QUEUE, queueFor, RUN_QUEUE, workWithLease, type Queue } from './queue.ts';
import { isRetryable, runRule } from './run-rule.ts';

export interface WorkerOptions {
  /** Parallel queue pollers, each taking `batchSize` jobs and running them together. */
  concurrency?: number;
  batchSize?: number;
  /** Scheduler round (cron rules), ms. */
  tickMs?: number;
  /** Date triggers, reminders, notification emails and the digest run every this many ms. */
  slowTickMs?: number;
  /** Safety poll of every tenant's outbox, ms. */
  pollMs?: number;
}

export interface Workers {
  queue: Queue;
  stop(): Promise<void>;
}

/**
 * Starts the rules engine's background work in this process (`npm start`
 * runs it beside the HTTP server): queue workers running rule jobs, the outbox
 * consumer, and the scheduler. Any number of processes may run it against one
 * database — jobs are taken with SKIP LOCKED, the consumer holds a per-tenant
 * advisory lock, schedules fire through automation_fire keys.
 */
export async function startWorkers(runtime: AutomationDeps, opts: WorkerOptions = {}): Promise<Workers> {
  const deps: AutomationDeps = { db: runtime.db, store: runtime.store, url: runtime.url };
  const queue = await queueFor(deps.url);
  const concurrency = opts.concurrency ?? envNumber('MOSAIC_AUTOMATION_WORKERS', 4);
  const batchSize = opts.batchSize ?? envNumber('MOSAIC_AUTOMATION_BATCH', 8);
  const workerIds: string[] = [];
  for (let i = 0; i < concurrency; i++) {
    let id = '';
    id = await workWithLease<RunJob>(queue, RUN_QUEUE, { batchSize, pollingIntervalSeconds: 0.5, includeMetadata: true }, async (jobs) => {
      await runBatch(deps, queue, jobs);
      if (jobs.length === batchSize) queue.boss.notifyWorker(id); // more waiting: fetch again at once
    });
    workerIds.push(id);
  }
  workerIds.push(await workWithLease<{ tenantId: string; day: string }>(queue, DIGEST_QUEUE, { batchSize: 1 }, async ([job]) => {
    await sendDigest(deps, job.data.tenantId, job.data.day);
  }));
  const wake = () => workerIds.forEach((w) => queue.boss.notifyWorker(w));
  const listener = await startOutboxListener(deps, queue, { pollMs: opts.pollMs, onEnqueued: wake });

  let tenants: { at: number; ids: string[] } = { at: 0, ids: [] };
  let lastSlow = 0;
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    running = (async () => {
      if (Date.now() - tenants.at > 30_000) tenants = { at: Date.now(), ids: await listTenantIds(deps.db) };
      const slow = Date.now() - lastSlow >= (opts.slowTickMs ?? envNumber('MOSAIC_AUTOMATION_SLOW_TICK_MS', 15_000));
      if (slow) lastSlow = Date.now();
      const now = clock.now();
      let queued = 0;
      for (const tenantId of tenants.ids) {
        queued += await scheduleTick(deps, queue, tenantId, now, { dates: slow, digest: slow });
        if (slow) {
          await sendDueReminders(deps, tenantId, now);
          await sendNotificationEmails(deps, tenantId);
          await sweepRuleMail(deps.db, tenantId);
        }
      }
      if (queued) wake();
    })().catch((e) => logger.error({ err: e }, 'automation: scheduler round failed')).finally(() => {
      running = null;
    });
  };
  const timer = setInterval(tick, opts.tickMs ?? envNumber('MOSAIC_AUTOMATION_TICK_MS', 1000));
  timer.unref();
  tick();
  logger.info({ concurrency, batchSize }, 'automation workers started');
  return {
    queue,
    async stop() {
      clearInterval(timer);
      await running;
      await listener.stop();
      for (const id of workerIds) await queue.boss.offWork({ id }).catch(() => {});
      await closeQueue(deps.url);
    },
  };
}

/** Runs a batch of rule jobs side by side; hands the ones worth retrying back to the queue as failed. */
async function runBatch(deps: AutomationDeps, queue: Queue, jobs: PgBoss.Job<RunJob>[]): Promise<void> {
  const retry: string[] = [];
  let lastError = '';
  await Promise.all(jobs.map(async (job) => {
    try {
      await runRule(deps, job.data, ((job as Partial<PgBoss.JobWithMetadata>).retryCount ?? 0) + 1);
    } catch (e) {
      if (isRetryable(e)) {
        retry.push(job.id);
        lastError = (e as Error).message;
      }
      logger.warn({ err: e, rule: job.data.ruleId, trigger: job.data.trigger.key, retry: isRetryable(e) }, 'automation: rule run failed');
    }
  }));
  // The rest complete when this returns; pg-boss completes only jobs still active.
  for (const id of retry) await queue.boss.fail(RUN_QUEUE, id, { message: lastError.slice(0, 500) });
}
