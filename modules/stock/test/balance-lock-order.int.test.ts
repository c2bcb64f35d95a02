import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { inTenantTx, sql } from '@mosaic/db';
import { Decimal, newId } from '@mosaic/kernel';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { columns, postStockMoves, type StockMove } from '@mosaic/stock';

// Balance rows are taken in one (item, warehouse) order even when a posting creates some of them
// (lockOrCreateBalances): two postings of the same keys then queue instead of deadlocking.
let t: TestApp;
let superuser: pg.Client;
const wh: string[] = [];
let table: string; // the balance table and its columns, from metadata
let col: Record<string, string>;

beforeAll(async () => {
  t = await createTestApp();
  for (const code of ['W1', 'W2']) wh.push((await t.api('POST', '/api/v1/records/warehouse', { code, name: `仓库${code}` })).body.id);
  superuser = new pg.Client({ connectionString: t.testDb.url });
  await superuser.connect();
  await superuser.query("SET search_path = mosaic, public");
  const balance = (await t.store.objects(t.tenant.tenantId)).get('stock_balance')!;
  [table, col] = [`"${balance.tableName}"`, columns(balance)];
});

afterAll(async () => {
  await superuser?.end();
  await t?.close();
});

const newItem = async (code: string) => {
  const r = await t.api('POST', '/api/v1/records/item', { code, name: `物料${code}` });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id as string;
};

/**
 * One posting in its own transaction; `before` runs first in it (a test setting). One attempt:
 * inTenantTx retries a deadlock victim, which would hide the deadlock this file is about.
 */
const post = async (moves: [string, string, number][], before?: string) => {
  const objects = await t.store.objects(t.tenant.tenantId);
  return inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId, userId: t.tenant.adminId }, async (tx) => {
    if (before) await sql.raw(before).execute(tx);
    const list: StockMove[] = moves.map(([item, warehouse, qty]) => ({ item, warehouse, qty: new Decimal(qty), rate: new Decimal(2) }));
    return postStockMoves(tx, objects, t.tenant.tenantId, { type: 'stock_entry', id: newId(), postingDate: '2026-11-24' }, list);
  }, { attempts: 1 });
};

const onHand = async (item: string) => {
  const r = await superuser.query(`SELECT ${col.warehouse} AS w, ${col.on_hand}::float8 AS q FROM ${table} WHERE ${col.item} = $1`, [item]);
  return Object.fromEntries(r.rows.map((x) => [x.w, x.q]));
};

/** Resolves when `check` answers true (polled), or fails after `ms`. */
const until = async (check: () => Promise<boolean>, ms = 10_000) => {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 25))) if (await check()) return;
  throw new Error('timed out');
};
const waiting = async (kind: string) =>
  // this file's database only: other test files share the server
  Number((await superuser.query(`SELECT count(*) AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
    WHERE NOT l.granted AND l.locktype = $1 AND a.datname = current_database()`, [kind])).rows[0].n);

describe('first postings of new balance rows', () => {
  it('two postings of the same two new (item, warehouse) pairs in opposite orders both succeed', async () => {
    for (let round = 0; round < 8; round++) {
      const item = await newItem(`PAIR-${round}`);
      const results = await Promise.allSettled([
        post([[item, wh[0], 1], [item, wh[1], 2]]),
        post([[item, wh[1], 20], [item, wh[0], 10]]),
      ]);
      expect(results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'ok'))).toEqual(['ok', 'ok']);
      expect(await onHand(item)).toEqual({ [wh[0]]: 11, [wh[1]]: 22 });
    }
  });

  it('a posting that must create the lower key does not hold the higher one meanwhile (no deadlock)', async () => {
    // T1 posts A (missing) and B (existing); while it is about to create A, A appears (T0) and T2
    // posts A and B in order. Locking B before creating A, T1 would wait for T2 on A while T2
    // waits for it on B. The gate: an insert into the balance table by a transaction with
    // mosaic.test_gate on waits for an advisory lock this test holds.
    const item = await newItem('GATE');
    const [A, B] = [...wh].sort().map((w) => [item, w] as const);
    await post([[B[0], B[1], 5]]);
    await superuser.query(`CREATE OR REPLACE FUNCTION test_balance_gate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_advisory_xact_lock(424242); RETURN NEW; END $$`);
    await superuser.query(`CREATE TRIGGER test_gate BEFORE INSERT ON ${table} FOR EACH ROW
      WHEN (current_setting('mosaic.test_gate', true) = 'on') EXECUTE FUNCTION test_balance_gate()`);
    try {
      await superuser.query('SELECT pg_advisory_lock(424242)');
      const t1 = post([[A[0], A[1], 1], [B[0], B[1], 1]], "SELECT set_config('mosaic.test_gate', 'on', true)").then(() => 'ok', (e) => String(e));
      await until(async () => (await waiting('advisory')) === 1);
      await post([[A[0], A[1], 100]]); // T0: A exists now
      let t2Done = false;
      const t2 = post([[A[0], A[1], 10], [B[0], B[1], 10]]).then(() => 'ok', (e) => String(e)).finally(() => (t2Done = true));
      // T2 either finishes (nothing of its keys is held) or waits for a row lock
      await until(async () => t2Done || (await waiting('transactionid')) + (await waiting('tuple')) > 0);
      await superuser.query('SELECT pg_advisory_unlock(424242)');
      expect([await t1, await t2]).toEqual(['ok', 'ok']);
      expect(await onHand(item)).toEqual({ [A[1]]: 111, [B[1]]: 16 });
    } finally {
      await superuser.query(`DROP TRIGGER IF EXISTS test_gate ON ${table}`);
    }
  });
});
