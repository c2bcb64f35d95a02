import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenantTx, pgCode, sql } from '@mosaic/db';
import type { TenantCreated } from '@mosaic/identity';
import { ADMIN_PASSWORD, createTwoTenantApp, type TwoTenantApp } from '@mosaic/testing';

// Tenancy below the application: row-level security through the application's
// own connection pool (mosaic_app) with a hand-written query — another tenant
// set, or none — sees nothing of tenant A; and the audit trail is append-only.
let t: TwoTenantApp;
let b: TenantCreated;
let customerId: string;

beforeAll(async () => {
  t = await createTwoTenantApp(); // tenant B, every module installed, comes with the database (tenant-b-template.ts)
  b = t.tenantB;
  const c = await t.api('POST', '/api/v1/records/customer', { name: '只属于 A 的客户' });
  expect(c.status, JSON.stringify(c.body)).toBe(201);
  customerId = c.body.id;
}, 120_000);

afterAll(async () => {
  await t?.close();
});

/** Every table under row-level security in the schema (the system tables and every object table). */
async function rlsTables(): Promise<string[]> {
  const r = await sql<{ relname: string }>`SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'mosaic' AND c.relkind = 'r' AND c.relrowsecurity AND c.relforcerowsecurity ORDER BY 1`.execute(t.testDb.db.owner);
  return r.rows.map((x) => x.relname);
}

describe('row-level security', () => {
  it('runs the application as a role that is neither superuser, owner nor RLS-exempt', async () => {
    const me = await sql<Record<string, unknown>>`SELECT current_user AS who, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user`.execute(t.testDb.db.app);
    expect(me.rows[0]).toEqual({ who: 'mosaic_app', rolsuper: false, rolbypassrls: false });
    const owned = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE r.rolname = 'mosaic_app'`.execute(t.testDb.db.app);
    expect(owned.rows[0].n).toBe(0);
  });

  it('returns nothing of tenant A to a hand-written query with another tenant set, or with none', async () => {
    const tables = await rlsTables();
    expect(tables).toEqual(expect.arrayContaining(['app_user', 'audit_log', 'role_permission', 'o_customer', 'company', 'department']));
    const tenantA = t.tenant.tenantId;
    for (const table of tables) {
      // Through the application's pool, with tenant B set: A's rows are invisible even when asked for by tenant_id.
      const asB = await inTenantTx(t.testDb.db.app, { tenantId: b.tenantId }, (tx) =>
        sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.id(table)} WHERE tenant_id = ${tenantA}`.execute(tx));
      expect(asB.rows[0].n, `${table} as tenant B`).toBe(0);
      // With no tenant set at all: nothing of anyone.
      const none = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.id(table)}`.execute(t.testDb.db.app);
      expect(none.rows[0].n, `${table} with no tenant`).toBe(0);
    }
    const asA = await inTenantTx(t.testDb.db.app, { tenantId: tenantA }, (tx) => sql<{ n: number }>`SELECT count(*)::int AS n FROM o_customer WHERE id = ${customerId}`.execute(tx));
    expect(asA.rows[0].n).toBe(1);
    // The tenant setting comes from the session; a request cannot choose it: B's admin asking for A's record gets a 404.
    const login = await t.api('POST', '/api/v1/auth/login', { email: (await adminEmailOf(b)), password: ADMIN_PASSWORD }, { token: null });
    const r = await t.api('GET', `/api/v1/records/customer/${customerId}`, undefined, { token: login.body.token, headers: { 'x-tenant-id': tenantA } });
    expect(r.status).toBe(404);
  });

  it('refuses to write a row into another tenant', async () => {
    const err = await inTenantTx(t.testDb.db.app, { tenantId: b.tenantId }, (tx) =>
      sql`INSERT INTO company (tenant_id, id, name) VALUES (${t.tenant.tenantId}, ${b.companyId}, 'smuggled')`.execute(tx)).catch((e) => e);
    expect(pgCode(err)).toBe('42501'); // new row violates row-level security policy
    const upd = await inTenantTx(t.testDb.db.app, { tenantId: b.tenantId }, (tx) =>
      sql`UPDATE o_customer SET owner_id = NULL WHERE id = ${customerId}`.execute(tx));
    expect(Number(upd.numAffectedRows ?? 0)).toBe(0);
  });

  it('keeps a read-only transaction (GET) read-only and hands its connection back clean', async () => {
    const scope = { tenantId: t.tenant.tenantId };
    const write = await inTenantTx(t.testDb.db.app, scope, (tx) => sql`UPDATE o_customer SET owner_id = NULL WHERE id = ${customerId}`.execute(tx), { readOnly: true }).catch((e) => e);
    expect(pgCode(write)).toBe('25006'); // cannot execute UPDATE in a read-only transaction
    // Reads answer before their COMMIT has gone out; many in a row on a pool of connections still
    // each see their own tenant, and afterwards no connection is left inside a transaction or with a tenant set.
    const reads = await Promise.all(Array.from({ length: 60 }, (_, i) => {
      const tenantId = i % 2 ? t.tenant.tenantId : b.tenantId;
      return inTenantTx(t.testDb.db.app, { tenantId }, async (tx) =>
        (await sql<{ n: number; tenant: string }>`SELECT count(*)::int AS n, current_setting('mosaic.tenant_id') AS tenant FROM o_customer WHERE id = ${customerId}`.execute(tx)).rows[0], { readOnly: true })
        .then((r) => ({ ...r, expected: tenantId }));
    }));
    for (const r of reads) {
      expect(r.tenant).toBe(r.expected);
      expect(r.n).toBe(r.expected === t.tenant.tenantId ? 1 : 0);
    }
    const after = await Promise.all(Array.from({ length: 20 }, () =>
      sql<{ tx: string; tenant: string }>`SELECT now()::text AS tx, current_setting('mosaic.tenant_id', true) AS tenant`.execute(t.testDb.db.app)));
    for (const r of after) expect(r.rows[0].tenant ?? '').toBe('');
  });

  it('keeps the pre-tenant auth tables out of the application role\'s reach', async () => {
    for (const table of ['auth_session', 'login_identity', 'login_failure', 'login_known_address', 'tenant_registry']) {
      const err = await sql`SELECT * FROM ${sql.id(table)}`.execute(t.testDb.db.app).catch((e) => e);
      expect(pgCode(err), table).toBe('42501');
    }
  });
});

describe('the audit trail', () => {
  it('cannot be changed or emptied by the application role, only appended to', async () => {
    const scope = { tenantId: t.tenant.tenantId, userId: t.tenant.adminId };
    const before = await inTenantTx(t.testDb.db.app, scope, (tx) => sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log`.execute(tx));
    expect(before.rows[0].n).toBeGreaterThan(0);
    for (const statement of [sql`UPDATE audit_log SET kind = 'x'`, sql`DELETE FROM audit_log`, sql`TRUNCATE audit_log`]) {
      const err = await inTenantTx(t.testDb.db.app, scope, (tx) => statement.execute(tx)).catch((e) => e);
      expect(pgCode(err)).toBe('42501');
    }
    await inTenantTx(t.testDb.db.app, scope, (tx) => sql`INSERT INTO audit_log (tenant_id, kind) VALUES (${t.tenant.tenantId}, 'test.append')`.execute(tx));
    const after = await inTenantTx(t.testDb.db.app, scope, (tx) => sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log`.execute(tx));
    expect(after.rows[0].n).toBe(before.rows[0].n + 1);
  });
});

async function adminEmailOf(tenant: TenantCreated): Promise<string> {
  const r = await inTenantTx(t.testDb.db.app, { tenantId: tenant.tenantId }, (tx) => sql<{ email: string }>`SELECT email FROM app_user WHERE id = ${tenant.adminId}`.execute(tx));
  return r.rows[0].email;
}
