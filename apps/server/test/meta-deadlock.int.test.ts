import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '@mosaic/db';
import { createTenant, type TenantCreated } from '@mosaic/identity';
import { addField, createObject, type MetaCtx } from '@mosaic/meta';
import { ADMIN_PASSWORD, createTestApp, type TestApp } from '@mosaic/testing';

// Object tables are shared by tenants, so two tenants' metadata changes are not kept
// apart by the per-tenant metadata lock. Tenant A links dl_p → dl_q while tenant B
// links dl_q → dl_p: each ALTERs its own table, then its foreign key needs the other's
// table — a real deadlock, and PostgreSQL aborts one of them. The loser must be run
// again (inMetaTx retries through retryOnLockConflict): both succeed, no 500.
let t: TestApp;
let b: TenantCreated;
let bCtx: MetaCtx;
let blocker: pg.Client;

const plain = (apiName: string) => ({ apiName, label: apiName, fields: [{ apiName: 'name', type: 'text', label: '名称' }] });

beforeAll(async () => {
  t = await createTestApp();
  b = await createTenant(t.testDb.db, { name: 'B', companyName: 'B 公司', adminEmail: `b-${Date.now()}@test.local`, adminPassword: ADMIN_PASSWORD });
  bCtx = { db: t.testDb.db, store: t.store, tenantId: b.tenantId, userId: null };
  for (const name of ['dl_p', 'dl_q']) {
    const r = await t.api('POST', '/api/v1/meta/objects', plain(name));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    await createObject(bCtx, plain(name)); // same signature: the same shared tables o_dl_p, o_dl_q
  }
  blocker = new pg.Client({ connectionString: t.testDb.url });
  await blocker.connect();
}, 60_000);

afterAll(async () => {
  await blocker?.end();
  await t?.close();
});

const deadlocks = async () => {
  await blocker.query('SELECT pg_stat_clear_snapshot()');
  return Number((await blocker.query('SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()')).rows[0].deadlocks);
};

/** How many lock requests on the two tables wait. */
const waiting = async () =>
  Number((await blocker.query(`SELECT count(*) AS n FROM pg_locks WHERE NOT granted AND relation IN ('mosaic.o_dl_p'::regclass, 'mosaic.o_dl_q'::regclass)`)).rows[0].n);

describe('two tenants changing metadata of shared tables at once', () => {
  it('a change that loses a deadlock is run again: both fields are added, neither caller sees an error', async () => {
    const before = await deadlocks();
    // Hold both tables so that each change gets its first table at the same moment, then wants the other's.
    await blocker.query('BEGIN; LOCK TABLE mosaic.o_dl_p, mosaic.o_dl_q IN ACCESS SHARE MODE');
    const aAdds = t.api('POST', '/api/v1/meta/objects/dl_p/fields', { apiName: 'q_ref', type: 'link', label: 'Q', config: { target: 'dl_q' } });
    const bAdds = addField(bCtx, 'dl_q', { apiName: 'p_ref', type: 'link', label: 'P', config: { target: 'dl_p' } });
    for (let i = 0; (await waiting()) < 2; i++) {
      expect(i, 'both ALTER TABLEs wait on the held tables').toBeLessThan(200);
      await new Promise((r) => setTimeout(r, 25));
    }
    await blocker.query('COMMIT');
    const [a, bField] = await Promise.all([aAdds, bAdds]);
    expect(a.status, JSON.stringify(a.body)).toBe(201);
    expect(a.body).toMatchObject({ apiName: 'q_ref', type: 'link' });
    expect(bField).toMatchObject({ apiName: 'p_ref', type: 'link' });
    // The deadlock did happen (PostgreSQL counts it; its statistics arrive within a few seconds).
    let after = await deadlocks();
    for (let i = 0; after === before && i < 60; i++) {
      await new Promise((r) => setTimeout(r, 250));
      after = await deadlocks();
    }
    expect(after).toBeGreaterThan(before);
    // Both columns and both foreign keys are in, once each.
    const fks = await sql<{ conname: string }>`SELECT conname FROM pg_constraint WHERE contype = 'f' AND conrelid IN ('mosaic.o_dl_p'::regclass, 'mosaic.o_dl_q'::regclass) ORDER BY 1`.execute(t.testDb.db.owner);
    expect(fks.rows.map((r) => r.conname)).toEqual(['o_dl_p_c_q_ref_fk', 'o_dl_q_c_p_ref_fk']);
  }, 60_000);
});
