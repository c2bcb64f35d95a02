import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '@mosaic/testing';
import { retryOnLockConflict } from './retry.ts';

// The one lock-conflict retry of @mosaic/db. bench/day's fault run: an API process restarted under live traffic failed to
// start, its module install aborted with "deadlock detected" (its DDL and a
// request's writes took two tables in the other order). An install step is
// idempotent, so the loser is run again. Here a real deadlock on two rows, with
// the step made the victim (it waits first, so its deadlock check fires first).
let t: TestDb;
let pool: pg.Pool;

beforeAll(async () => {
  t = await createTestDb();
  pool = new pg.Pool({ connectionString: t.url, max: 4 });
  await pool.query(`CREATE TABLE lock_a (id int PRIMARY KEY, n int); CREATE TABLE lock_b (id int PRIMARY KEY, n int);
    INSERT INTO lock_a VALUES (1, 0); INSERT INTO lock_b VALUES (1, 0)`);
});

afterAll(async () => {
  await pool?.end();
  await t?.drop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('retryOnLockConflict (one helper: inTenantTx, inMetaTx, module installs)', () => {
  it('a step that loses a deadlock is run again and the start goes on', async () => {
    let attempts = 0;
    let traffic: Promise<void> | null = null;
    const step = async () => {
      attempts++;
      const c = await pool.connect();
      try {
        // Its deadlock check runs once, 1 s into its wait: by then the request has closed the cycle.
        await c.query(`BEGIN; SET LOCAL deadlock_timeout = '1s'`);
        await c.query('UPDATE lock_a SET n = n + 1 WHERE id = 1');
        if (attempts === 1) {
          // A request takes b, then wants a (which the step holds), after the step started waiting on b.
          let hasB!: () => void;
          const bTaken = new Promise<void>((r) => (hasB = r));
          traffic = (async () => {
            const r = await pool.connect();
            try {
              await r.query(`BEGIN; SET LOCAL deadlock_timeout = '10s'`);
              await r.query('UPDATE lock_b SET n = n + 10 WHERE id = 1');
              hasB();
              await sleep(300);
              await r.query('UPDATE lock_a SET n = n + 10 WHERE id = 1');
              await r.query('COMMIT');
            } finally {
              r.release();
            }
          })();
          await bTaken;
        }
        await c.query('UPDATE lock_b SET n = n + 1 WHERE id = 1');
        await c.query('COMMIT');
      } catch (e) {
        await c.query('ROLLBACK').catch(() => {});
        throw e;
      } finally {
        c.release();
      }
    };
    await retryOnLockConflict(step, { delayMs: () => 10 });
    await traffic;
    expect(attempts).toBe(2);
    // Both sides' work is in, each once.
    const rows = (await pool.query('SELECT (SELECT n FROM lock_a) AS a, (SELECT n FROM lock_b) AS b')).rows[0];
    expect(rows).toEqual({ a: 11, b: 11 });
  });

  it('other errors are not retried', async () => {
    let attempts = 0;
    await expect(retryOnLockConflict(async () => {
      attempts++;
      await pool.query('SELECT * FROM no_such_table');
    })).rejects.toMatchObject({ code: '42P01' });
    expect(attempts).toBe(1);
  });

  it('gives up after the last attempt and hands that conflict to the caller', async () => {
    let attempts = 0;
    const retried: number[] = [];
    await expect(retryOnLockConflict(async () => {
      attempts++;
      throw Object.assign(new Error('could not serialize access'), { code: '40001' });
    }, { attempts: 3, delayMs: () => 1, onRetry: (_e, n) => retried.push(n) })).rejects.toMatchObject({ code: '40001' });
    expect(attempts).toBe(3);
    expect(retried).toEqual([1, 2]);
  });

  // An earlier version kept a "nested" flag in AsyncLocalStorage: any retry inside a
  // step ran once. The flag followed every async continuation, so work merely spawned
  // from a step (a queued job, a setImmediate, an after-commit callback) ran once too and
  // its lost conflict reached nobody who would run it again.
  const deadlock = () => Object.assign(new Error('deadlock detected'), { code: '40P01' });
  const fast = { delayMs: () => 1 };
  /** A step that loses `losses` conflicts, then succeeds; counts its tries. */
  const losing = (losses: number) => {
    const tries = { n: 0 };
    const step = async () => {
      tries.n++;
      await sleep(1); // across awaits
      if (tries.n <= losses) throw deadlock();
      return 'done';
    };
    return { tries, step };
  };

  it('work spawned from a step (setImmediate, after the step returned) retries its own conflicts', async () => {
    const during = losing(2);
    const after = losing(2);
    let spawnedDuring!: Promise<string>;
    let spawnedAfter!: Promise<string>;
    await retryOnLockConflict(async () => {
      spawnedDuring = new Promise((resolve, reject) => setImmediate(() => retryOnLockConflict(during.step, fast).then(resolve, reject)));
      // A job queued by the step that runs once the step is over.
      spawnedAfter = new Promise((resolve, reject) => setTimeout(() => retryOnLockConflict(after.step, fast).then(resolve, reject), 20));
    }, fast);
    expect(await Promise.all([spawnedDuring, spawnedAfter])).toEqual(['done', 'done']);
    expect([during.tries.n, after.tries.n]).toEqual([3, 3]);
  });

  it('a retried transaction awaited inside another step retries itself', async () => {
    const inner = losing(2);
    let outer = 0;
    const r = await retryOnLockConflict(async () => {
      outer++;
      return retryOnLockConflict(inner.step, fast);
    }, fast);
    expect([r, outer, inner.tries.n]).toEqual(['done', 1, 3]);
  });

  it('a caller that runs its whole step again asks the inner one to try once (attempts: 1): the tries do not multiply', async () => {
    const inner = losing(100);
    let outer = 0;
    await expect(retryOnLockConflict(async () => {
      outer++;
      await retryOnLockConflict(inner.step, { ...fast, attempts: 1 });
    }, { ...fast, attempts: 3 })).rejects.toMatchObject({ code: '40P01' });
    expect({ outer, inner: inner.tries.n }).toEqual({ outer: 3, inner: 3 });
  });
});
