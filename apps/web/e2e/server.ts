import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { freePort, startEmbeddedPostgres } from '@mosaic/db';
import { E2E_ADMIN, admin, serverEnv, waitForHealth, withDatabase } from './e2e-env.ts';

/**
 * A real Mosaic for a browser test file: `npm start`'s server as a child process
 * on a free port, with a known admin, on the file's own database — a copy of the
 * suite's installed template (template-db.ts), else its own embedded PostgreSQL.
 * (createTestDb() needs the server suite's global setup, so e2e files do this instead.)
 */
export interface Mosaic {
  base: string;
  email: string;
  password: string;
  /** Calls the API as the admin (Bearer token). */
  api<T = any>(method: string, url: string, body?: unknown): Promise<{ status: number; body: T }>;
  stop(): Promise<void>;
}


const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');

/**
 * The file's database: a copy of the suite's installed template (template-db.ts) in the
 * suite's cluster, or — when the suite's global setup did not make one — its own embedded
 * PostgreSQL, which the server's first start then installs.
 */
async function fileDatabase(dir: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const cluster = inject('e2eCluster');
  if (cluster) {
    const name = `mosaic_e2e_${process.pid}_${Date.now()}`;
    await admin(cluster.url, `CREATE DATABASE ${name} TEMPLATE ${cluster.template}`);
    return { url: withDatabase(cluster.url, name), drop: () => admin(cluster.url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
  }
  const own = await startEmbeddedPostgres(path.join(dir, 'db'), { port: await freePort(0) });
  return { url: own.url, drop: () => own.stop() };
}

export async function startMosaic(): Promise<Mosaic> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-e2e-'));
  fs.chmodSync(dir, 0o777); // the embedded server may run as the postgres user
  const db = await fileDatabase(dir);
  const { email, password } = E2E_ADMIN;
  const port = await freePort(0);
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'apps/server/src/main.ts'), 'start'], {
    cwd: root, env: serverEnv(db.url, port, dir), stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    await db.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForHealth(base, () => child.exitCode !== null);
  } catch (e) {
    await stop();
    throw new Error(`the server did not start (${(e as Error).message}):\n${out.slice(-3000)}`);
  }

  let token = '';
  const api: Mosaic['api'] = async (method, url, body) => {
    const res = await fetch(base + url, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  const login = await api<{ token: string }>('POST', '/api/v1/auth/login', { email, password });
  if (login.status !== 200) throw new Error(`admin login failed: ${JSON.stringify(login.body)}`);
  token = login.body.token;
  return { base, email, password, api, stop };
}
