import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, startEmbeddedPostgres } from '@mosaic/db';
import { SERVER_START_MS } from './timeouts.ts';

/**
 * A real Mosaic for a browser test file: an embedded PostgreSQL in a temp dir
 * and `npm start`'s server as a child process on a free port, with a known admin.
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

export async function startMosaic(): Promise<Mosaic> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-e2e-'));
  fs.chmodSync(dir, 0o777); // the embedded server may run as the postgres user
  const pg = await startEmbeddedPostgres(path.join(dir, 'db'), { port: await freePort(0) });
  const email = 'admin@e2e.local';
  const password = 'E2e-Admin-Pw-2026';
  const port = await freePort(0);
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'apps/server/src/main.ts'), 'start'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: pg.url, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', MOSAIC_DATA_DIR: dir, MOSAIC_ADMIN_EMAIL: email, MOSAIC_ADMIN_PASSWORD: password },
    stdio: ['ignore', 'pipe', 'pipe'],
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
    await pg.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  // A first start installs every module into the new tenant, slow on a loaded shared machine (timeouts.ts).
  const until = Date.now() + SERVER_START_MS;
  for (;;) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      /* not up yet */
    }
    if (child.exitCode !== null || Date.now() > until) {
      await stop();
      throw new Error(`the server did not start:\n${out.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
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
