import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@mosaic/testing';

// The path to Citus (docs/deploy.md): a hosted multi-tenant Mosaic distributes
// every tenant table by tenant_id. That only works if tenant_id leads each such
// table's primary key and is part of every unique index on it (Citus enforces
// uniqueness per shard), and if the tables without tenant_id are the few global
// ones the deploy guide names as reference/local tables. This test holds the
// schema to that, with every built-in module installed.
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

/** Tables not distributed by tenant, by design (docs/deploy.md, "Citus"): keep the list and the guide in step. */
const GLOBAL_TABLES = [
  'tenant_registry', // which tenants exist: a reference table
  'login_identity', // email → tenant, looked up before a tenant is known
  'auth_session', // token → tenant and user, looked up before a tenant is known
  'public_endpoint', // public form / webhook id → tenant, looked up before a tenant is known
  'login_failure', // login throttling, per account and address across tenants
  'login_known_address',
  'cache_listener', // which processes' LISTEN connections acknowledged a cache barrier (ADR 0012)
  'physical_name', // column-name registry for DDL
  'install_state', // which module versions are installed
  'schema_migration',
]

interface Row { table_name: string; pk: string[] | null; uniques: { name: string; cols: string[] }[] | null }

describe('ready to distribute by tenant', () => {
  it('every tenant table has tenant_id leading its primary key and in every unique index', async () => {
    const rows = (await sql<Row>`
      SELECT c.relname AS table_name,
        (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM pg_index i
           CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
           JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
          WHERE i.indrelid = c.oid AND i.indisprimary) AS pk,
        (SELECT json_agg(json_build_object('name', ic.relname, 'cols',
            (SELECT array_agg(a.attname::text) FROM unnest(i.indkey) AS k(attnum) JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum)))
           FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
          WHERE i.indrelid = c.oid AND i.indisunique AND NOT i.indisprimary) AS uniques
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'mosaic' AND c.relkind IN ('r', 'p')
        AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
      ORDER BY 1`.execute(t.testDb.db.owner)).rows;
    expect(rows.length).toBeGreaterThan(50); // core tables and every installed module's objects
    const distributed = rows.filter((r) => !GLOBAL_TABLES.includes(r.table_name));
    const wrongPk = distributed.filter((r) => r.pk?.[0] !== 'tenant_id').map((r) => `${r.table_name}: ${JSON.stringify(r.pk)}`);
    expect(wrongPk).toEqual([]);
    const wrongUnique = distributed.flatMap((r) => (r.uniques ?? []).filter((u) => !u.cols.includes('tenant_id')).map((u) => `${r.table_name}.${u.name}`));
    expect(wrongUnique).toEqual([]);
  });

  it('the tables without tenant_id are all among the global ones the deploy guide names', async () => {
    const rows = (await sql<{ table_name: string }>`
      SELECT c.relname AS table_name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'mosaic' AND c.relkind IN ('r', 'p')
        AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
      ORDER BY 1`.execute(t.testDb.db.owner)).rows;
    const unlisted = rows.map((r) => r.table_name).filter((name) => !GLOBAL_TABLES.includes(name));
    expect(unlisted).toEqual([]);
    const all = (await sql<{ n: string }>`SELECT relname AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = 'mosaic' AND c.relkind = 'r'`.execute(t.testDb.db.owner)).rows.map((r) => r.n);
    expect(GLOBAL_TABLES.filter((g) => !all.includes(g))).toEqual([]); // the list names no table that is gone
  });
});
