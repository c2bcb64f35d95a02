import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migrate, openDatabase, startEmbeddedPostgres, type EmbeddedServer } from '@mosaic/db';
import { MetaStore } from '@mosaic/meta';
import { createTenant, type TenantCreated } from '@mosaic/identity';
import { bundleCodeHash, installCodeHash, installModules, stampInstalled } from '@mosaic/server';
import { sql } from 'kysely';
import { ADMIN_PASSWORD, TEMPLATE_ADMIN_EMAIL, TENANT_B_TEMPLATE } from './test-constants.ts';
import { buildTestServerBundle } from './processes.ts';
import { testTopology } from './topology.ts';

/**
 * Starts one real PostgreSQL (the embedded server) for the whole test run and
 * prepares a migrated template database. Each test file then copies the
 * template (CREATE DATABASE … TEMPLATE, a file copy: milliseconds), so files
 * run in parallel without seeing each other's rows.
 * With TEST_DATABASE_URL set (a superuser URL) it uses that server instead.
 */
let server: EmbeddedServer | undefined;
let dir: string | undefined;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-test-'));
    fs.chmodSync(dir, 0o777); // the embedded server may run as the postgres user
    server = await startEmbeddedPostgres(dir);
    adminUrl = server.url.replace(/\/mosaic$/, '/postgres');
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS mosaic_template');
  await admin.query('CREATE DATABASE mosaic_template');
  await migrate(adminUrl.replace(/\/[^/]*$/, '/mosaic_template'));
  await admin.query('ALTER DATABASE mosaic_template WITH ALLOW_CONNECTIONS false');
  // A second template with a tenant and every module installed: installing ~170
  // objects took most of each test file's set-up; copying a database is a file copy.
  // MOSAIC_TEST_TOPOLOGY=multi: createTestApp runs each file against server processes
  // (processes.ts); they run one bundle built here, as `npm start` runs one.
  const bundle = testTopology() === 'multi' ? await buildTestServerBundle() : undefined;
  await admin.query(`DROP DATABASE IF EXISTS ${TENANT_B_TEMPLATE}`); // a copy of the app template: made again from this one when asked (tenant-b-template.ts)
  await admin.query('DROP DATABASE IF EXISTS mosaic_template_app');
  await admin.query('CREATE DATABASE mosaic_template_app TEMPLATE mosaic_template');
  const tenant = await installTemplateTenant(adminUrl.replace(/\/[^/]*$/, '/mosaic_template_app'), bundle ? bundleCodeHash(bundle) : installCodeHash());
  await admin.query('ALTER DATABASE mosaic_template_app WITH ALLOW_CONNECTIONS false');
  await admin.end();
  project.provide('pgAdminUrl', adminUrl);
  project.provide('appTemplate', { database: 'mosaic_template_app', adminEmail: TEMPLATE_ADMIN_EMAIL, tenant });
  project.provide('serverBundle', bundle ?? '');
  return async () => {
    if (bundle) for (const f of [bundle, `${bundle}.map`]) fs.rmSync(f, { force: true });
    if (server) await server.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  };
}

/** The template tenant: what createTestApp gives every test file, already installed. */
async function installTemplateTenant(url: string, codeHash: string): Promise<TenantCreated> {
  const db = openDatabase(url);
  try {
    const store = new MetaStore(db.app);
    const tenant = await createTenant(db, { name: '测试租户', companyName: '测试公司', adminEmail: TEMPLATE_ADMIN_EMAIL, adminPassword: ADMIN_PASSWORD });
    await installModules(db, store, [tenant.tenantId]);
    // As `npm start` records its first tenant: a server process started on a copy
    // (MOSAIC_TEST_TOPOLOGY=multi) then serves this tenant instead of creating one.
    await sql`INSERT INTO install_state (key, value) VALUES ('first_tenant', ${JSON.stringify({ tenantId: tenant.tenantId, at: new Date().toISOString() })})`.execute(db.owner);
    // …and as installed by the code the server processes run (the bundle, or the sources
    // under tsx): a process started on a copy finds the modules current and skips the
    // install (apps/server/src/install-stamp.ts), ~1 s less per process start.
    await stampInstalled(db, [tenant.tenantId], codeHash);
    return tenant;
  } finally {
    await db.close();
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The server bundle child processes run (MOSAIC_TEST_TOPOLOGY=multi), else ''. */
    serverBundle: string;
    pgAdminUrl: string;
    appTemplate: { database: string; adminEmail: string; tenant: TenantCreated };
  }
}
