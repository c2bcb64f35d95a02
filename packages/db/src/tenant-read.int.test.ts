import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '@mosaic/testing';
import { inTenantTx, openDatabase, sql, tenantRead, type Database } from './index.ts';

// tenantRead: settings and statements in one pipeline (one round trip), one implicit
// transaction. What must hold: row-level security sees the tenant, the setting does not
// outlive the read on the pooled connection, nothing can write, errors reach the caller.
let t: TestDb;
let one: Database; // a pool of ONE connection: every read and check below shares it
const a = randomUUID();
const b = randomUUID();

beforeAll(async () => {
  t = await createTestDb();
  one = openDatabase(t.url, { appPoolSize: 1 });
  for (const [tenantId, name] of [[a, 'A 公司'], [b, 'B 公司']]) {
    await inTenantTx(t.db.owner, { tenantId }, async (tx) => {
      await sql`INSERT INTO tenant (tenant_id, name) VALUES (${tenantId}, ${name})`.execute(tx);
      await sql`INSERT INTO company (tenant_id, id, name) VALUES (${tenantId}, ${randomUUID()}, ${name}), (${tenantId}, ${randomUUID()}, ${`${name} 二`})`.execute(tx);
    });
  }
});

afterAll(async () => {
  await one?.close();
  await t?.drop();
});

const companies = (filter: string) => sql`SELECT name FROM company WHERE name LIKE ${filter} ORDER BY name`.compile(one.app);

describe('tenantRead', () => {
  it('runs its statements under the tenant, each with its own rows, in order', async () => {
    const [all, second, none] = await tenantRead(one.app, { tenantId: a }, [companies('%'), companies('%二'), companies('nothing')]);
    expect(all).toEqual([{ name: 'A 公司' }, { name: 'A 公司 二' }]);
    expect(second).toEqual([{ name: 'A 公司 二' }]);
    expect(none).toEqual([]);
    const [asB] = await tenantRead(one.app, { tenantId: b }, [companies('%')]);
    expect(asB.map((r) => r.name)).toEqual(['B 公司', 'B 公司 二']);
  });

  it('leaves no tenant on the pooled connection: the next user of it sees nothing', async () => {
    await tenantRead(one.app, { tenantId: a, userId: randomUUID() }, [companies('%')]);
    const after = await sql<{ t: string | null; n: number }>`SELECT current_setting('mosaic.tenant_id', true) AS t, (SELECT count(*)::int FROM company) AS n`.execute(one.app);
    expect(after.rows[0]).toMatchObject({ n: 0 });
    expect(after.rows[0].t ?? '').toBe('');
  });

  it('cannot write, and a failing statement rejects with its error while the connection stays usable', async () => {
    const write = sql`INSERT INTO company (tenant_id, id, name) VALUES (${a}, ${randomUUID()}, 'sneaked in')`.compile(one.app);
    await expect(tenantRead(one.app, { tenantId: a }, [write])).rejects.toMatchObject({ code: '25006' }); // read-only transaction
    await expect(tenantRead(one.app, { tenantId: a }, [companies('%'), sql`SELECT 1 / 0`.compile(one.app)])).rejects.toMatchObject({ code: '22012' });
    const [rows] = await tenantRead(one.app, { tenantId: a }, [companies('%')]);
    expect(rows).toHaveLength(2);
    const [written] = await tenantRead(one.app, { tenantId: a }, [companies('sneaked%')]);
    expect(written).toEqual([]);
  });

  it('refuses a tenant that is not a UUID (the settings are never free text)', async () => {
    await expect(tenantRead(one.app, { tenantId: "x'; DROP TABLE company; --" }, [companies('%')])).rejects.toThrow(/UUID/);
  });
});
