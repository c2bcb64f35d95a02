import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migrate, startEmbeddedPostgres, type EmbeddedServer } from '@mosaic/db';

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
  await admin.end();
  project.provide('pgAdminUrl', adminUrl);
  return async () => {
    if (server) await server.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}
