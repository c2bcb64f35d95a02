import pg from 'pg';
import { sql } from 'kysely';
import { inject } from 'vitest';
import { openDatabase, type Database } from '@mosaic/db';
import { MetaStore } from '@mosaic/meta';
import { createTenant, type TenantCreated } from '@mosaic/identity';
import { bundleCodeHash, installCodeHash, installModules, stampInstalled } from '@mosaic/server';
import { ADMIN_PASSWORD, TENANT_B_TEMPLATE } from './test-constants.ts';

/** install_state key of tenant B's ids in the template (test databases only). */
const TENANT_B_KEY = 'test_tenant_b';

/**
 * The run's installed template plus a second tenant, B, with every module installed
 * for it too. Installing ~170 objects into a tenant took 20–50 s of each file that
 * needed two tenants; a copy of a database is a file copy. The first file that asks
 * makes it (an advisory lock: a file asking meanwhile waits, then copies it), so a
 * run that needs no second tenant pays nothing. global-setup.ts drops a stale one.
 */
export async function tenantBTemplate(): Promise<string> {
  const adminUrl = inject('pgAdminUrl');
  const urlOf = (database: string) => adminUrl.replace(/\/[^/]*$/, `/${database}`);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query('SELECT pg_advisory_lock(hashtext($1))', [TENANT_B_TEMPLATE]);
    const made = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [TENANT_B_TEMPLATE]);
    if (made.rowCount === 0) {
      // Built under another name and renamed when complete: a half-made one is never copied.
      const building = `${TENANT_B_TEMPLATE}_building`;
      await admin.query(`DROP DATABASE IF EXISTS ${building}`);
      await admin.query(`CREATE DATABASE ${building} TEMPLATE ${inject('appTemplate').database}`);
      await installTenantB(urlOf(building));
      await admin.query(`ALTER DATABASE ${building} RENAME TO ${TENANT_B_TEMPLATE}`);
      await admin.query(`ALTER DATABASE ${TENANT_B_TEMPLATE} WITH ALLOW_CONNECTIONS false`);
    }
  } finally {
    await admin.query('SELECT pg_advisory_unlock(hashtext($1))', [TENANT_B_TEMPLATE]).catch(() => undefined);
    await admin.end();
  }
  return TENANT_B_TEMPLATE;
}

/** Tenant B's ids in a copy of the template. */
export async function tenantBOf(db: Database): Promise<TenantCreated> {
  const r = await sql<{ value: TenantCreated }>`SELECT value FROM install_state WHERE key = ${TENANT_B_KEY}`.execute(db.owner);
  if (!r.rows[0]) throw new Error('this database is not a copy of the tenant B template');
  return r.rows[0].value;
}

/** As global-setup.ts installs the template tenant: created, every module installed, stamped for the code the server processes run. */
async function installTenantB(url: string): Promise<void> {
  const db = openDatabase(url);
  try {
    const tenantB = await createTenant(db, { name: '另一租户', companyName: '另一公司', adminEmail: 'tenant-b@test.local', adminPassword: ADMIN_PASSWORD });
    await installModules(db, new MetaStore(db.app), [tenantB.tenantId]);
    const bundle = inject('serverBundle');
    await stampInstalled(db, [tenantB.tenantId], bundle ? bundleCodeHash(bundle) : installCodeHash());
    await sql`INSERT INTO install_state (key, value) VALUES (${TENANT_B_KEY}, ${JSON.stringify(tenantB)})`.execute(db.owner);
  } finally {
    await db.close();
  }
}
