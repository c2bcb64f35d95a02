import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, until, type TestDb } from '@mosaic/testing';
import { listenResilient } from './index.ts';

// The LISTEN connections behind every process's caches must come back after the
// database drops them (bench/day's faults), and say so, since what was sent
// while they were away is lost.
let t: TestDb;
let admin: pg.Client;

beforeAll(async () => {
  t = await createTestDb();
  admin = new pg.Client({ connectionString: t.url });
  await admin.connect();
});

afterAll(async () => {
  await admin?.end();
  await t?.drop();
});

describe('listenResilient', () => {
  it('hears notifications, comes back after pg_terminate_backend, tells the caller, and hears again', async () => {
    const heard: string[] = [];
    let reconnects = 0;
    let losses = 0;
    const stop = await listenResilient(t.url, ['mosaic_test'], (_c, payload) => heard.push(payload ?? ''), {
      onReconnect: () => reconnects++, onLost: () => losses++,
    });
    try {
      await admin.query(`NOTIFY mosaic_test, 'one'`);
      await until(() => heard.includes('one'));

      const killed = await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'mosaic-listen' AND datname = current_database()`);
      expect(killed.rowCount).toBe(1);
      await until(() => reconnects === 1);
      expect(losses).toBeGreaterThanOrEqual(1);

      await admin.query(`NOTIFY mosaic_test, 'two'`);
      await until(() => heard.includes('two'));
      expect(heard).toEqual(['one', 'two']);
    } finally {
      await stop();
    }
    // Stopped: no reconnecting, nothing more heard.
    await admin.query(`NOTIFY mosaic_test, 'three'`);
    await new Promise((r) => setTimeout(r, 300));
    expect(heard).not.toContain('three');
    const left = await admin.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'mosaic-listen' AND datname = current_database()`);
    expect(left.rows[0].n).toBe(0);
  });
});
