import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '@mosaic/testing';
import { closeQueue, holdLease, queueFor, workWithLease, type Queue } from './queue.ts';

// Jobs' leases (issue 5 review): a job whose worker died must come back soon
// (a schedule's run was stuck behind pg-boss's 300 s expiry), yet a live worker
// running a long job must keep it. The lease is 2 s here, the jobs' expiry
// (the longest a job may run) 60 s.
let t: TestDb;
let queue: Queue;
const saved = { ...process.env };

beforeAll(async () => {
  t = await createTestDb();
  Object.assign(process.env, { MOSAIC_JOB_LEASE_SECONDS: '2', MOSAIC_JOB_MAINTENANCE_SECONDS: '1', MOSAIC_JOB_RETRY_DELAY_SECONDS: '1' });
  queue = await queueFor(t.url);
});

afterAll(async () => {
  await closeQueue(t.url);
  process.env = saved;
  await t?.drop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function newQueue(name: string): Promise<string> {
  await queue.boss.createQueue(name, { name, expireInSeconds: 60, retryLimit: 3, retryDelay: 1 });
  return (await queue.boss.send(name, { n: 1 }))!;
}

async function until(name: string, id: string, state: string, ms: number) {
  const end = Date.now() + ms;
  let job = await queue.boss.getJobById(name, id);
  while (Date.now() < end && job?.state !== state) {
    await sleep(200);
    job = await queue.boss.getJobById(name, id);
  }
  return job!;
}

describe('job leases', () => {
  it('a live worker keeps a job that outlasts its lease: it runs once', async () => {
    const id = await newQueue('lease-live');
    let calls = 0;
    const worker = await workWithLease(queue, 'lease-live', { batchSize: 1, pollingIntervalSeconds: 0.5 }, async () => {
      calls++;
      await sleep(7000); // three and a half leases, with maintenance every second
    });
    const job = await until('lease-live', id, 'completed', 25_000);
    await queue.boss.offWork({ id: worker });
    expect({ calls, state: job.state, retries: job.retryCount }).toEqual({ calls: 1, state: 'completed', retries: 0 });
  }, 40_000);

  it('a dead worker\'s job comes back once its lease runs out, long before its expiry', async () => {
    const id = await newQueue('lease-dead');
    // A worker takes the job and renews its lease for a second, then dies: no more renewals, no completion.
    const [taken] = await queue.boss.fetch<{ n: number }>('lease-dead', { batchSize: 1 });
    expect(taken.id).toBe(id);
    const release = holdLease(queue, 'lease-dead', [id]);
    await sleep(1000);
    release();
    const died = Date.now();
    let calls = 0;
    const worker = await workWithLease(queue, 'lease-dead', { batchSize: 1, pollingIntervalSeconds: 0.5 }, async () => {
      calls++;
    });
    const job = await until('lease-dead', id, 'completed', 20_000);
    await queue.boss.offWork({ id: worker });
    expect({ calls, state: job.state, retries: job.retryCount }).toEqual({ calls: 1, state: 'completed', retries: 1 });
    // Lease 2 s + maintenance round 1 s + retry delay (1 s, backoff) — not the 60 s expiry.
    expect(Date.now() - died).toBeLessThan(15_000);
  }, 40_000);

  it('a job taken and abandoned before any renewal comes back within seconds, not after its expiry', async () => {
    const id = await newQueue('lease-first');
    // The worker dies right after the fetch: its process never renews (the first lease is the fetch's own).
    const [taken] = await queue.boss.fetch<{ n: number }>('lease-first', { batchSize: 1 });
    expect(taken.id).toBe(id);
    const died = Date.now();
    // Active, expiring one lease (2 s) after the take — not after the 60 s expire_in.
    const left = (await queue.boss.getDb().executeSql(`SELECT state, extract(epoch FROM started_on + expire_in - now()) AS s FROM pgboss.job WHERE id = $1`, [id])).rows[0];
    expect(left.state).toBe('active');
    expect(Number(left.s)).toBeLessThanOrEqual(2);
    let calls = 0;
    const worker = await workWithLease(queue, 'lease-first', { batchSize: 1, pollingIntervalSeconds: 0.5 }, async () => {
      calls++;
    });
    const job = await until('lease-first', id, 'completed', 20_000);
    await queue.boss.offWork({ id: worker });
    expect({ calls, state: job.state, retries: job.retryCount }).toEqual({ calls: 1, state: 'completed', retries: 1 });
    expect(Date.now() - died).toBeLessThan(15_000);
  }, 40_000);
});
