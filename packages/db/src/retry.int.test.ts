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

  it('nested retries do not multiply: the inner step runs once per outer try', async () => {
    const deadlock = () => Object.assign(new Error('deadlock detected'), { code: '40P01' });
    let inner = 0;
    let outer = 0;
    const fast = { delayMs: () => 1 };
    // A module install retries a step whose metadata changes (inMetaTx) retry too.
    await expect(retryOnLockConflict(async () => {
      outer++;
      await retryOnLockConflict(async () => {
        inner++;
        await sleep(1); // across awaits
        throw deadlock();
      }, { ...fast, attempts: 5 });
    }, { ...fast, attempts: 3 })).rejects.toMatchObject({ code: '40P01' });
    expect({ outer, inner }).toEqual({ outer: 3, inner: 3 });
    // Alone, the same inner retry still retries (after an outer one has finished, too).
    inner = 0;
    await expect(retryOnLockConflict(async () => {
      inner++;
      throw deadlock();
    }, { ...fast, attempts: 5 })).rejects.toMatchObject({ code: '40P01' });
    expect(inner).toBe(5);
  });
});
