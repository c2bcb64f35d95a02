import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { createTestDb, startMosaicProcess, type MosaicProcess } from '@mosaic/testing';
import { E2E_ADMIN, E2E_TEMPLATE } from './e2e-env.ts';
import { SERVER_START_MS } from './timeouts.ts';

/**
 * A real Mosaic for a browser test file: `npm start`'s server as a child process
 * on a free port, with a known admin, on the file's own database.
 */
export interface Mosaic {
  base: string;
  email: string;
  password: string;
  /** Calls the API as the admin (Bearer token). */
  api<T = any>(method: string, url: string, body?: unknown): Promise<{ status: number; body: T }>;
  stop(): Promise<void>;
}


/**
 * A server for one browser test file: `npm start`'s process (role all, its bundle, which
 * template-db.ts builds once) on the file's own copy of the suite's installed template.
 */
export async function startMosaic(): Promise<Mosaic> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-e2e-'));
  const db = await createTestDb(E2E_TEMPLATE);
  const { email, password } = E2E_ADMIN;
  const cleanUp = async () => {
    await db.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  let proc: MosaicProcess;
  try {
    proc = await startMosaicProcess('all', { databaseUrl: db.url, env: { MOSAIC_DATA_DIR: dir }, startTimeoutMs: SERVER_START_MS, bundle: inject('serverBundle') });
  } catch (e) {
    await cleanUp();
    throw e;
  }
  const base = proc.base;
  const stop = async () => {
    await proc.stop();
    await cleanUp();
  };

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
