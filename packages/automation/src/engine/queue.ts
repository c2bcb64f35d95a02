import { createHash } from 'node:crypto';
import type PgBoss from 'pg-boss';
import { CompiledQuery } from 'kysely';
import { lazyRequire, logger } from '@mosaic/kernel';
import { OWNER_ROLE, type Tx } from '@mosaic/db';
import type { RunJob } from '../automation.types.ts';

/**
 * The job queue: pg-boss on the same PostgreSQL (DESIGN.md: durable, retried,
 * no Redis). Its tables live in schema `pgboss`, owned by mosaic_owner; they
 * hold tenant ids in job data, never tenant rows. Jobs get ids derived from
 * (tenant, rule, trigger), and pg-boss inserts with ON CONFLICT DO NOTHING, so
 * enqueuing the same run twice (a consumer replaying a batch) queues it once.
 */
/** Loaded when a queue is first opened: an API process that enqueues nothing never needs it. */
const pgBoss = lazyRequire<typeof PgBoss>('pg-boss');

export const RUN_QUEUE = 'automation-run';
export const DIGEST_QUEUE = 'automation-digest';

export interface QueueConfig {
  retryLimit: number;
  retryDelaySeconds: number;
  expireInSeconds: number;
  leaseSeconds: number;
  maintenanceIntervalSeconds: number;
}

export function queueConfig(env: NodeJS.ProcessEnv = process.env): QueueConfig {
  const num = (name: string, dflt: number) => (env[name] && Number.isFinite(Number(env[name])) ? Number(env[name]) : dflt);
  return {
    retryLimit: num('MOSAIC_JOB_RETRY_LIMIT', 5),
    retryDelaySeconds: num('MOSAIC_JOB_RETRY_DELAY_SECONDS', 5),
    // The longest a job may run: pg-boss fails (and so retries) a handler still running after this.
    expireInSeconds: num('MOSAIC_JOB_EXPIRE_SECONDS', 300),
    // A job's lease: the process running it renews it while the job runs (workWithLease); a job
    // whose process died (SIGKILL, lost machine) — a schedule's run among them — is retried once
    // the lease runs out: within about lease + maintenance interval + retry delay, not minutes.
    leaseSeconds: num('MOSAIC_JOB_LEASE_SECONDS', 20),
    // pg-boss expires jobs in its maintenance round (one process per round, whichever gets there).
    maintenanceIntervalSeconds: num('MOSAIC_JOB_MAINTENANCE_SECONDS', 10),
  };
}

export interface Queue {
  boss: PgBoss;
  config: QueueConfig;
  /** Queues rule runs; with `tx` (an owner-pool transaction) they commit with it. */
  enqueueRuns(jobs: RunJob[], tx?: Tx): Promise<void>;
  enqueueDigest(data: { tenantId: string; day: string }, tx?: Tx): Promise<void>;
  stop(): Promise<void>;
}

const open = new Map<string, Promise<Queue>>();

/** The process's queue for this database (opened once, shared by routes and workers). */
export function queueFor(url: string): Promise<Queue> {
  let q = open.get(url);
  if (!q) {
    q = openQueue(url).catch((e) => {
      open.delete(url);
      throw e;
    });
    open.set(url, q);
  }
  return q;
}

export async function closeQueue(url: string): Promise<void> {
  const q = open.get(url);
  open.delete(url);
  if (q) await (await q).stop();
}

async function openQueue(url: string): Promise<Queue> {
  const config = queueConfig();
  const boss = new (pgBoss())({
    connectionString: url,
    // pg passes this to the server at connection start, like the app pools do. The lease
    // setting is read by the first-lease trigger when pg-boss's fetch marks jobs active.
    options: `-c role=${OWNER_ROLE} -c ${LEASE_SETTING}=${Math.min(config.leaseSeconds, config.expireInSeconds)}`,
    schema: 'pgboss',
    max: 6,
    schedule: false, // schedules are rules in our own tables (schedule/tick.ts)
    maintenanceIntervalSeconds: config.maintenanceIntervalSeconds,
  } as PgBoss.ConstructorOptions);
  boss.on('error', (err) => logger.error({ err }, 'job queue error'));
  await boss.start();
  await installFirstLease(boss);
  const queueOpts = { retryLimit: config.retryLimit, retryDelay: config.retryDelaySeconds, retryBackoff: true, expireInSeconds: config.expireInSeconds };
  for (const name of [RUN_QUEUE, DIGEST_QUEUE]) await createQueueOnce(boss, name, queueOpts);
  const insert = async (jobs: PgBoss.JobInsert[], tx?: Tx) => {
    if (!jobs.length) return;
    const withDefaults = jobs.map((j) => ({ ...queueOpts, ...j }));
    if (tx) await boss.insert(withDefaults, { db: txAdapter(tx) });
    else await boss.insert(withDefaults);
  };
  return {
    boss,
    config,
    enqueueRuns: (jobs, tx) => insert(jobs.map((data) => ({ id: runJobId(data), name: RUN_QUEUE, data })), tx),
    enqueueDigest: (data, tx) => insert([{ id: stableUuid(`digest|${data.tenantId}|${data.day}`), name: DIGEST_QUEUE, data }], tx),
    async stop() {
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    },
  };
}

/**
 * `boss.work` with the jobs' leases held while the handler runs. pg-boss retries
 * an active job once started_on + expire_in has passed (its maintenance round), and
 * a live handler is failed by pg-boss itself after expire_in — so expire_in stays
 * the longest a job may run, and the lease is kept by moving started_on: at once
 * and every third of the lease, each job held is made to expire `lease` seconds
 * from now (pg-boss 10 has no call for this; a retry resets started_on at fetch):
 *
 *   UPDATE pgboss.job SET started_on = now() - expire_in + make_interval(secs => $lease)
 *   WHERE name = $1 AND id = ANY($2) AND state = 'active'
 *
 * The first lease is not ours to take after the fetch — a worker killed between
 * the fetch's commit and its first renewal would leave its jobs to the full
 * expire_in — so it is taken by the fetch itself (installFirstLease).
 */
export async function workWithLease<T extends object>(queue: Queue, name: string, opts: PgBoss.WorkOptions, handler: (jobs: PgBoss.Job<T>[]) => Promise<void>): Promise<string> {
  return queue.boss.work<T>(name, opts, async (jobs) => {
    const release = holdLease(queue, name, jobs.map((j) => j.id));
    try {
      await handler(jobs);
    } finally {
      release();
    }
  });
}

/** Renews the lease of jobs `ids` (fetched by this process) until the returned function is called. */
export function holdLease(queue: Queue, name: string, ids: string[]): () => void {
  const lease = Math.min(queue.config.leaseSeconds, queue.config.expireInSeconds);
  const db = queue.boss.getDb();
  const renew = () => db.executeSql(`UPDATE pgboss.job SET started_on = now() - expire_in + make_interval(secs => $3)
      WHERE name = $1 AND id = ANY($2::uuid[]) AND state = 'active'`, [name, ids, lease])
    .catch((err) => logger.warn({ err, queue: name }, 'job queue: lease renewal failed (the job may be retried)'));
  void renew();
  const timer = setInterval(renew, Math.max(250, (lease * 1000) / 3));
  timer.unref();
  return () => clearInterval(timer);
}

/** The connection setting (pg-boss's pool sets it at connect) that gives the first lease's length, seconds. */
const LEASE_SETTING = 'mosaic.job_lease_seconds';

/**
 * The first lease, taken in the fetch's own statement: a BEFORE UPDATE trigger
 * on pgboss.job (cloned onto every queue's partition) moves started_on when a
 * job turns active, so the job expires `lease` seconds after it was taken, not
 * expire_in — and a worker that dies before its first renewal (or fetched and
 * abandoned the job) loses it within lease + maintenance + retry delay. Only
 * connections that set mosaic.job_lease_seconds (ours) are affected. Installed
 * after pg-boss created its tables, under an advisory lock (processes start together).
 *
 *   NEW.started_on := now() - NEW.expire_in + make_interval(secs => $lease)
 */
async function installFirstLease(boss: PgBoss): Promise<void> {
  await boss.getDb().executeSql(`BEGIN;
    SELECT pg_advisory_xact_lock(hashtext('mosaic:pgboss-first-lease'));
    CREATE OR REPLACE FUNCTION pgboss.mosaic_first_lease() RETURNS trigger LANGUAGE plpgsql AS $fn$
    DECLARE lease text := current_setting('${LEASE_SETTING}', true);
    BEGIN
      IF NEW.state = 'active' AND OLD.state < 'active' AND coalesce(lease, '') <> '' THEN
        NEW.started_on := now() - NEW.expire_in + least(make_interval(secs => lease::numeric), NEW.expire_in);
      END IF;
      RETURN NEW;
    END $fn$;
    CREATE OR REPLACE TRIGGER mosaic_first_lease BEFORE UPDATE OF state ON pgboss.job FOR EACH ROW EXECUTE FUNCTION pgboss.mosaic_first_lease();
    COMMIT;`, []);
}

/**
 * pg-boss creates a queue's partition with DDL; two processes starting at once
 * (an API process and a worker, two workers) can deadlock on it, and one of
 * them then fails to start. Creating is idempotent, so retry a deadlock after
 * a short random pause — by then the other process has usually made it.
 */
async function createQueueOnce(boss: PgBoss, name: string, opts: Omit<PgBoss.Queue, 'name'>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      if (!(await boss.getQueue(name))) await boss.createQueue(name, { name, ...opts });
      return;
    } catch (e) {
      const code = (e as { code?: string }).code;
      if ((code !== '40P01' && code !== '23505' && code !== '42P07') || attempt >= 5) throw e;
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 200 * attempt));
    }
  }
}

/** Lets pg-boss run its INSERT inside our transaction (enqueue and bookkeeping commit together). */
function txAdapter(tx: Tx): PgBoss.Db {
  return {
    async executeSql(text: string, values: unknown[]) {
      const r = await tx.executeQuery(CompiledQuery.raw(text, values));
      return { rows: r.rows as any[] };
    },
  };
}

export function runJobId(job: RunJob): string {
  return stableUuid(`run|${job.tenantId}|${job.ruleId}|${job.trigger.key}`);
}

/** A UUID-shaped digest of `text` (same text, same id). */
export function stableUuid(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
