import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort, startEmbeddedPostgres } from '@mosaic/db';
import { E2E_ADMIN, admin, serverEnv, waitForHealth, withDatabase } from './e2e-env.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The browser suite's PostgreSQL (superuser URL of its `postgres` database) and the installed template database in it. */
    e2eCluster: { url: string; template: string };
  }
}

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');
const TEMPLATE = 'mosaic_e2e_template';

/**
 * Global setup of the browser suite: one embedded PostgreSQL for all its files,
 * and in it a database a real `npm start` has set up once — migrations, the
 * first tenant with the e2e admin, every module installed. Each file then starts
 * its server on `CREATE DATABASE … TEMPLATE` of it (server.ts): its own data, but
 * not its own initdb and module install, which were most of a file's set-up
 * (about 20 s a file, 17 files). The server's start on the copy installs nothing:
 * the install stamp is current (apps/server/src/install-stamp.ts).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-e2e-cluster-'));
  fs.chmodSync(dir, 0o777); // the embedded server may run as the postgres user
  const server = await startEmbeddedPostgres(path.join(dir, 'db'), { port: await freePort(0) });
  const stop = async () => {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await admin(server.url, `CREATE DATABASE ${TEMPLATE}`);
    await installOnce(withDatabase(server.url, TEMPLATE), dir);
  } catch (e) {
    await stop();
    throw e;
  }
  project.provide('e2eCluster', { url: server.url, template: TEMPLATE });
  return stop;
}

/** `npm start`'s server on the template until it answers, then stopped: the first start's work stays in the database. */
async function installOnce(url: string, dataDir: string): Promise<void> {
  const port = await freePort(0);
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'apps/server/src/main.ts'), 'start'], {
    cwd: root, env: serverEnv(url, port, dataDir), stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise((r) => child.once('exit', r));
  try {
    await waitForHealth(`http://127.0.0.1:${port}`, () => child.exitCode !== null);
  } catch (e) {
    throw new Error(`the template's server did not start (${E2E_ADMIN.email}):\n${out.slice(-3000)}`, { cause: e });
  } finally {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  }
}
