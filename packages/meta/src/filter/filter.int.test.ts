import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '@mosaic/kernel';
import { createTestDb, type TestDb } from '@mosaic/testing';
import { hostileFilter } from './filter.arbitraries.ts';
import { compile } from './filter.fixtures.ts';

/**
 * The compiled SQL on a real PostgreSQL: what it means on actual rows (ILIKE
 * escaping, days in the tenant's time zone, NULLs under ne/not), and that no
 * value that passes validation makes the database fail (which would be a 500).
 */
let testDb: TestDb;
let client: pg.Client;

beforeAll(async () => {
  testDb = await createTestDb();
  client = new pg.Client({ connectionString: testDb.url });
  await client.connect();
  await client.query(`CREATE TEMP TABLE o_order (c_name text, c_amount numeric(20,2), c_qty bigint, c_close_date date, c_created_at timestamptz,
    c_active boolean, c_owner_id uuid, c_department_id uuid, c_customer uuid, c_stage text, c_tags text[], c_location jsonb, c_files uuid[],
    c_score numeric, c_customer_region text, c_broken_lookup text)`);
  await client.query('CREATE TEMP TABLE o_customer (id uuid, c_region text, c_credit numeric(20,6), c_owner_id uuid)');
  await client.query(`INSERT INTO o_order VALUES
    ('50% off_\\x', 12.5, 3, '2026-11-24', '2026-11-24T10:00+08', true, '0190b5c8-7a4d-7cc3-9a4e-000000000001',
     '0190b5c8-7a4d-7cc3-9a4e-000000000002', '0190b5c8-7a4d-7cc3-9a4e-000000000009', 'won', '{vip}', '{}', '{}', 6, '华南', NULL),
    (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`);
  await client.query(`INSERT INTO o_customer VALUES ('0190b5c8-7a4d-7cc3-9a4e-000000000009', '华南', 100, NULL)`);
});

afterAll(async () => {
  await client?.end();
  await testDb?.drop();
});

async function count(filter: unknown): Promise<number> {
  const c = compile(filter);
  const sql = `SELECT count(*)::int AS n FROM o_order t LEFT JOIN o_customer j1 ON j1.id = t.c_customer WHERE ${c.sql}`;
  const r = await client.query(sql, c.parameters as unknown[]);
  return r.rows[0].n;
}

// Two rows: one filled in (created 2026-11-24 10:00 in Shanghai), one all NULL. ctx.now is 2026-11-24 in Shanghai.
describe('compiled filters on PostgreSQL', () => {
  it.each([
    [{ name: { contains: '50%' } }, 1],
    [{ name: { contains: '0%_' } }, 0], // % and _ are literal
    [{ name: { startsWith: '50% off_\\' } }, 1],
    [{ name: { notContains: 'zzz' } }, 2], // NULL counts as "does not contain"
    [{ created_at: 'today' }, 1],
    [{ created_at: { ne: 'today' } }, 1],
    [{ created_at: '2026-11-24T02:00:00Z' }, 1],
    [{ created_at: '2026-11-24T10:00' }, 1], // wall-clock time in Shanghai
    [{ created_at: { lt: '9999-12-31' } }, 1],
    [{ created_at: { gt: '0001-01-01T00:00:00.123456789-14:59' } }, 1],
    [{ close_date: 'this_month' }, 1],
    [{ not: { close_date: 'this_month' } }, 1],
    [{ amount: { in: ['12.50', 1] } }, 1],
    [{ amount: { nin: ['12.50'] } }, 1],
    [{ amount: { between: ['12.5', '1e3'] } }, 1],
    [{ tags: { hasAny: ['vip', 'new'] } }, 1],
    [{ tags: { hasAll: ['vip', 'new'] } }, 0],
    [{ tags: null }, 1],
    [{ files: null }, 2],
    [{ owner_id: { var: '$user' } }, 1],
    [{ department_id: { var: '$departmentTree' } }, 1],
    [{ 'customer.region': '华南' }, 1],
    [{ or: [{ stage: 'won' }, { stage: null }] }, 2],
  ])('%j → %i rows', async (filter, rows) => {
    expect(await count(filter)).toBe(rows);
  });

  it('never fails in the database on input that passed validation', async () => {
    await fc.assert(
      fc.asyncProperty(hostileFilter, async (input) => {
        try {
          await count(input);
        } catch (e) {
          if (e instanceof AppError && e.status < 500) return;
          throw e;
        }
      }),
      { numRuns: 2000 },
    );
  });
});
