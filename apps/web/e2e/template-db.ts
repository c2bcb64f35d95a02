import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '@mosaic/db';
// Not '@mosaic/testing': its index imports vitest's test-time API, which global setup cannot load.
import { buildTestServerBundle, startMosaicProcess } from '@mosaic/testing/processes';
import { E2E_ADMIN, E2E_TEMPLATE } from './e2e-env.ts';
import { SERVER_START_MS } from './timeouts.ts';

/**
 * Global setup of the browser suite: one embedded PostgreSQL for all its files,
 * and in it a database a real `npm start` has set up once — migrations, the
 * first tenant with the e2e admin, every module installed. Each file's server
 * then runs on a copy of it (server.ts, createTestDb): its own data, but not its
 * own initdb and module install, which were most of a file's set-up (about 20 s
 * a file). A server on a copy installs nothing: the install stamp is current.
 * Provides `pgAdminUrl` as the server suite's global setup does, so createTestDb
 * copies from this cluster.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-e2e-cluster-'));
  fs.chmodSync(dir, 0o777); // the embedded server may run as the postgres user
  // The servers run `npm start`'s bundle on plain Node, as npm start does: about half a
  // second to load where the sources through tsx took two to three, on each of the
  // suite's ~19 starts. Built once here (about a second), beside apps/server/dist/main.mjs.
  const bundle = await buildTestServerBundle('e2e-server');
  const server = await startEmbeddedPostgres(path.join(dir, 'db'));
  const stop = async () => {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    for (const f of [bundle, `${bundle}.map`]) fs.rmSync(f, { force: true });
  };
  try {
    const adminUrl = server.url.replace(/\/[^/]*$/, '/postgres');
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${E2E_TEMPLATE}`).finally(() => admin.end());
    // The first start: creates the tenant and its admin and installs every module, then stops.
    const first = await startMosaicProcess('all', {
      databaseUrl: adminUrl.replace(/\/[^/]*$/, `/${E2E_TEMPLATE}`), startTimeoutMs: SERVER_START_MS, bundle, // its install stamp is the bundle's: the files' servers (the same bundle) install nothing
      env: { MOSAIC_DATA_DIR: dir, MOSAIC_ADMIN_EMAIL: E2E_ADMIN.email, MOSAIC_ADMIN_PASSWORD: E2E_ADMIN.password },
    });
    await first.stop();
    project.provide('pgAdminUrl', adminUrl);
    project.provide('serverBundle', bundle);
  } catch (e) {
    await stop();
    throw e;
  }
  return stop;
}
