import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '@mosaic/testing';
import { awaitCachesDropped, listenResilient, sql } from './index.ts';
import { LISTEN_APPLICATION_NAME, registerListener } from './cache-barrier.ts';

// The barrier behind "a revocation holds on every process when it answers" (ADR 0012):
// it waits for every live listener, not for dead ones, and gives up after its bound on
// a live one that stays silent.
let t: TestDb;

beforeAll(async () => {
  t = await createTestDb();
});

afterAll(async () => {
  await t?.drop();
});

describe('awaitCachesDropped', () => {
  it('returns once a listener has handled every notification before the barrier', async () => {
    const order: string[] = [];
    const stop = await listenResilient(t.url, ['mosaic_test_cache'], (_c, payload) => order.push(payload ?? ''));
    try {
      await sql`SELECT pg_notify('mosaic_test_cache', 'tenant-1')`.execute(t.db.app);
      const r = await awaitCachesDropped(t.db.app, ['mosaic_test_cache'], 5_000);
      expect(r.lagging).toEqual([]);
      expect(order).toEqual(['tenant-1']); // handled before the ack; the barrier itself is not passed on
    } finally {
      await stop();
    }
  });

  it('waits its bound for a live listener that never answers, then reports it; a closed one is not waited for', async () => {
    // A process whose event loop is stuck: its connection LISTENs and is registered, but nothing reads it.
    const silent = new pg.Client({ connectionString: t.url, application_name: LISTEN_APPLICATION_NAME });
    await silent.connect();
    await silent.query('LISTEN mosaic_test_stuck');
    await registerListener(silent, ['mosaic_test_stuck']);
    const pid = (await silent.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
    const t0 = Date.now();
    const stuck = await awaitCachesDropped(t.db.app, ['mosaic_test_stuck'], 400);
    expect(stuck.lagging).toEqual([pid]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(400);
    await silent.end(); // the process dies: PostgreSQL drops its connection
    for (let i = 0; i < 100; i++) {
      const left = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = ${pid}`.execute(t.db.app);
      if (left.rows[0].n === 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const gone = await awaitCachesDropped(t.db.app, ['mosaic_test_stuck'], 400);
    expect(gone.lagging).toEqual([]);
    expect(gone.waitedMs).toBeLessThan(400);
  });
});
