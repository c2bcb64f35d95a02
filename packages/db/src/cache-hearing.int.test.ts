import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDb, until, type TestDb } from '@mosaic/testing';
import { CacheHearing } from './index.ts';

// One "may this cache serve from memory?" for the metadata, policy and session
// caches: yes while their LISTEN connection hears every change, no while it is
// lost, and what a process without a listener does is the cache's choice.
let t: TestDb;
let admin: pg.Client;
/** On another database: a database cannot refuse connections from inside itself. */
let outside: pg.Client;
let dbName: string;

beforeAll(async () => {
  t = await createTestDb();
  admin = new pg.Client({ connectionString: t.url });
  await admin.connect();
  dbName = (await admin.query('SELECT current_database() AS d')).rows[0].d;
  outside = new pg.Client({ connectionString: inject('pgAdminUrl') });
  await outside.connect();
});

afterAll(async () => {
  await outside?.query(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS true`).catch(() => {});
  await outside?.end();
  await admin?.end();
  await t?.drop();
});

describe('CacheHearing', () => {
  it('without a listener: "cache" caches, "bypass" does not', () => {
    expect([new CacheHearing('cache').canCache(), new CacheHearing('bypass').canCache()]).toEqual([true, false]);
  });

  it('stops caching and drops everything while its listener is lost, drops again and caches once it is back', async () => {
    const hearings = [new CacheHearing('cache'), new CacheHearing('bypass')];
    const drops = [0, 0];
    const heard: string[] = [];
    const stops = await Promise.all(hearings.map((h, i) => h.listen(t.url, [`mosaic_hear_${i}`], (p) => heard.push(`${i}:${p}`), () => drops[i]++)));
    try {
      expect(hearings.map((h) => [h.canCache(), h.hearing()])).toEqual([[true, true], [true, true]]);
      await admin.query(`NOTIFY mosaic_hear_0, 'tenant-a'`);
      await admin.query(`NOTIFY mosaic_hear_1, 'tenant-b'`);
      await until(() => heard.length === 2);
      expect(heard.sort()).toEqual(['0:tenant-a', '1:tenant-b']);

      // Lost, and kept lost (reconnects refused) long enough to look.
      await outside.query(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS false`);
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'mosaic-listen' AND datname = current_database()`);
      await until(() => hearings.every((h) => !h.canCache()));
      await new Promise((r) => setTimeout(r, 400)); // a few failed reconnects: still one loss each
      expect(hearings.map((h) => [h.canCache(), h.hearing()])).toEqual([[false, false], [false, false]]);
      const dropsWhileLost = [...drops];
      expect(dropsWhileLost.every((n) => n >= 1)).toBe(true);

      await outside.query(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS true`);
      await until(() => hearings.every((h) => h.canCache()), 15_000);
      expect(drops.every((n, i) => n > dropsWhileLost[i])).toBe(true); // dropped again on the way back
    } finally {
      await outside.query(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS true`);
      for (const stop of stops) await stop();
    }
    // Stopped: "bypass" no longer caches, "cache" caches as a process without a listener.
    expect(hearings.map((h) => [h.canCache(), h.hearing()])).toEqual([[true, false], [false, false]]);
  }, 30_000);
});
