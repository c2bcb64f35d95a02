import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDb, until, type TestDb } from '@mosaic/testing';
import { listenForMetaChanges, MetaStore } from './meta.store.ts';

// The metadata cache hears other processes' changes on its LISTEN connection; while
// that connection is lost it must not serve what it cached (a change made meanwhile
// is never heard). Before CacheHearing it kept serving until the reconnect.
let t: TestDb;
let admin: pg.Client;
/** On another database: a database cannot refuse connections from inside itself. */
let outside: pg.Client;
let dbName: string;

beforeAll(async () => {
  t = await createTestDb(inject('appTemplate').database);
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

describe('MetaStore while its listener is lost', () => {
  it('reads the metadata afresh instead of serving its cache, and caches again once the listener is back', async () => {
    const tenantId = (await admin.query('SELECT tenant_id FROM mosaic.tenant ORDER BY created_at LIMIT 1')).rows[0].tenant_id as string;
    const store = new MetaStore(t.db.app);
    const stop = await listenForMetaChanges(t.url, store);
    try {
      const label = async () => ((await store.object(tenantId, 'customer'))!.label).en;
      const before = await label();
      expect(await store.objects(tenantId)).toBe(await store.objects(tenantId)); // cached

      await outside.query(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS false`);
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'mosaic-listen' AND datname = current_database()`);
      await until(() => !store.hearing.canCache());
      expect(await label()).toBe(before); // read while deaf: must not be kept
      // A change whose NOTIFY nobody hears (the listener is gone).
      await admin.query(`UPDATE mosaic.meta_object SET label = jsonb_set(label, '{en}', '"Renamed unheard"') WHERE tenant_id = $1 AND api_name = 'customer'`, [tenantId]);
      expect(await label()).toBe('Renamed unheard');
      expect(before).not.toBe('Renamed unheard');

      await outside.query(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS true`);
      await until(() => store.hearing.canCache(), 15_000);
      expect(await label()).toBe('Renamed unheard');
      expect(await store.objects(tenantId)).toBe(await store.objects(tenantId));
    } finally {
      await outside.query(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS true`);
      await stop();
    }
  }, 30_000);
});
