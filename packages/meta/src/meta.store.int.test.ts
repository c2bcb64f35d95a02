import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDb, listenerCut, until, type ListenerCut, type TestDb } from '@mosaic/testing';
import { listenForMetaChanges, MetaStore } from './meta.store.ts';

// The metadata cache hears other processes' changes on its LISTEN connection; while
// that connection is lost it must not serve what it cached (a change made meanwhile
// is never heard). Before CacheHearing it kept serving until the reconnect.
let t: TestDb;
let cut: ListenerCut;

beforeAll(async () => {
  t = await createTestDb(inject('appTemplate').database);
  cut = await listenerCut(t);
});

afterAll(async () => {
  await cut?.close();
  await t?.drop();
});

describe('MetaStore while its listener is lost', () => {
  it('reads the metadata afresh instead of serving its cache, and caches again once the listener is back', async () => {
    const tenantId = (await cut.admin.query('SELECT tenant_id FROM mosaic.tenant ORDER BY created_at LIMIT 1')).rows[0].tenant_id as string;
    const store = new MetaStore(t.db.app);
    const stop = await listenForMetaChanges(t.url, store);
    try {
      const label = async () => ((await store.object(tenantId, 'customer'))!.label).en;
      const before = await label();
      expect(await store.objects(tenantId)).toBe(await store.objects(tenantId)); // cached

      await cut.loseListeners();
      await until(() => !store.hearing.canCache());
      expect(await label()).toBe(before); // read while deaf: must not be kept
      // A change whose NOTIFY nobody hears (the listener is gone).
      await cut.admin.query(`UPDATE mosaic.meta_object SET label = jsonb_set(label, '{en}', '"Renamed unheard"') WHERE tenant_id = $1 AND api_name = 'customer'`, [tenantId]);
      expect(await label()).toBe('Renamed unheard');
      expect(before).not.toBe('Renamed unheard');

      await cut.allowBack();
      await until(() => store.hearing.canCache(), 15_000);
      expect(await label()).toBe('Renamed unheard');
      expect(await store.objects(tenantId)).toBe(await store.objects(tenantId));
    } finally {
      await cut.allowBack();
      await stop();
    }
  }, 30_000);
});
