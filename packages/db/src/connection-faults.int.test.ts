import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '@mosaic/testing';
import { inTenantTx, sql, withBeforeCommit } from './index.ts';

// What a process must survive and what the commit hook promises (bench/day's faults).
let t: TestDb;
let admin: pg.Client;
const scope = { tenantId: randomUUID() };

beforeAll(async () => {
  t = await createTestDb();
  admin = new pg.Client({ connectionString: t.url });
  await admin.connect();
});

afterAll(async () => {
  await admin?.end();
  await t?.drop();
});

describe('a dropped database connection', () => {
  it('fails the transaction it cut, not the process; the pool serves the next one', async () => {
    const cut = inTenantTx(t.db.app, scope, async (tx) => {
      const { pid } = (await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(tx)).rows[0];
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      // The server's FATAL arrives while the client is checked out but idle: before the fix an
      // unhandled 'error' event, which ends the process (vitest would report it here).
      await new Promise((r) => setTimeout(r, 500));
      await sql`SELECT 1`.execute(tx);
    });
    await expect(cut).rejects.toThrow();
    const next = await inTenantTx(t.db.app, scope, async (tx) => (await sql<{ one: number }>`SELECT 1 AS one`.execute(tx)).rows[0].one);
    expect(next).toBe(1);
  });
});

describe('withBeforeCommit', () => {
  it('runs in the transaction that wrote, before its COMMIT, and says when it committed', async () => {
    const seen: string[] = [];
    const hook = {
      async beforeCommit(tx: any, result: unknown) {
        const { xid } = (await sql<{ xid: string }>`SELECT pg_current_xact_id_if_assigned()::text AS xid`.execute(tx)).rows[0];
        seen.push(`before ${JSON.stringify(result)} in ${xid ? 'the writing transaction' : 'no transaction'}`);
      },
      committed: () => seen.push('committed'),
    };
    await withBeforeCommit(hook, async () => {
      await inTenantTx(t.db.app, scope, (tx) => sql`SELECT 1`.execute(tx)); // wrote nothing: no hook
      await inTenantTx(t.db.app, scope, async () => 'read', { readOnly: true });
      await inTenantTx(t.db.app, scope, async (tx) => {
        await sql`SELECT pg_current_xact_id()`.execute(tx); // takes a transaction id, as any write does
        return { id: 'x' };
      });
    });
    expect(seen).toEqual(['before {"id":"x"} in the writing transaction', 'committed']);
  });

  it('rolls the work back with the hook when the hook throws, and never says committed', async () => {
    const seen: string[] = [];
    const hook = { async beforeCommit() { throw new Error('key taken'); }, committed: () => seen.push('committed') };
    let xid = '';
    const run = withBeforeCommit(hook, () => inTenantTx(t.db.app, scope, async (tx) => {
      xid = (await sql<{ xid: string }>`SELECT pg_current_xact_id()::text AS xid`.execute(tx)).rows[0].xid;
    }));
    await expect(run).rejects.toThrow('key taken');
    expect(seen).toEqual([]);
    expect((await admin.query('SELECT pg_xact_status($1::xid8) AS s', [xid])).rows[0].s).toBe('aborted');
  });
});
