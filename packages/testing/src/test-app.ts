import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { MetaStore, listenForMetaChanges } from '@mosaic/meta';
import { listenForAccessChanges } from '@mosaic/access';
import { inject } from 'vitest';
import type { TenantCreated } from '@mosaic/identity';
import { buildApp } from '@mosaic/server';
import { ADMIN_PASSWORD } from './test-constants.ts';
import { createTestDb, type TestDb } from './test-db.ts';
import { startTopology, type Topology } from './processes.ts';
import { tenantBOf, tenantBTemplate } from './tenant-b-template.ts';
import { testTopology } from './topology.ts';

export interface TestApp {
  app: FastifyInstance;
  testDb: TestDb;
  store: MetaStore;
  tenant: TenantCreated;
  /** Bearer token of the tenant's admin. */
  adminToken: string;
  /** Calls the API through Fastify's injector (no socket) as `token` (default: the admin). */
  api(method: string, url: string, body?: unknown, opts?: { token?: string | null; headers?: Record<string, string> }): Promise<{ status: number; body: any; headers: Record<string, unknown> }>;
  /** Uploads a file through POST /api/v1/files (multipart). */
  upload(name: string, content: Buffer | string, mime?: string, token?: string): Promise<{ status: number; body: any }>;
  dataDir: string;
  /**
   * Under MOSAIC_TEST_TOPOLOGY=multi: the two API processes and the worker that
   * `api` and `upload` talk to (`app` is then only the in-process copy a test may
   * still inject into directly). Undefined in the default single-process mode.
   */
  topology?: Topology;
  close(): Promise<void>;
}

type Send = (method: string, url: string, payload: string | Buffer | undefined, headers: Record<string, string>) => Promise<{ status: number; text: string; headers: Record<string, unknown> }>;

export { ADMIN_PASSWORD } from './test-constants.ts';

/**
 * A server on its own database with one tenant and its admin logged in. The
 * database is a copy of the run's installed template (global-setup.ts): the
 * tenant, its company, admin and every module's objects are already there.
 */
export interface TestAppOptions {
  /**
   * Environment the server processes start with under MOSAIC_TEST_TOPOLOGY=multi
   * (they inherit this process's environment at start, not what a test sets later).
   */
  processEnv?: Record<string, string>;
}

export async function createTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  return startTestApp(await createTestDb(inject('appTemplate').database), opts);
}

export type TwoTenantApp = TestApp & { tenantB: TenantCreated };

/**
 * createTestApp with a second tenant, B, every module installed for it too, on a copy
 * of the template that has it (tenant-b-template.ts): for the tests of what one tenant
 * must never see or touch of another's.
 */
export async function createTwoTenantApp(opts: TestAppOptions = {}): Promise<TwoTenantApp> {
  const testDb = await createTestDb(await tenantBTemplate());
  const tenantB = await tenantBOf(testDb.db);
  return { ...(await startTestApp(testDb, opts)), tenantB };
}

async function startTestApp(testDb: TestDb, opts: TestAppOptions): Promise<TestApp> {
  const template = inject('appTemplate');
  const store = new MetaStore(testDb.db.app);
  const email = template.adminEmail;
  const tenant: TenantCreated = template.tenant;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-files-'));
  const app = await buildApp({ db: testDb.db, store, dataDir });
  const multi = testTopology() === 'multi' ? await startMulti(testDb, store, dataDir, opts.processEnv) : undefined;
  const send: Send = multi?.send ?? (async (method, url, payload, headers) => {
    const res = await app.inject({ method: method as 'GET', url, payload, headers });
    return { status: res.statusCode, text: res.body, headers: res.headers };
  });
  const api: TestApp['api'] = async (method, url, body, o = {}) => {
    const token = o.token === undefined ? adminToken : o.token;
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const res = await send(method, url, payload, { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}), ...o.headers });
    return { status: res.status, body: parseBody(res.text), headers: res.headers };
  };
  let adminToken = '';
  const login = await api('POST', '/api/v1/auth/login', { email, password: ADMIN_PASSWORD }, { token: null });
  if (login.status !== 200) throw new Error(`test login failed: ${JSON.stringify(login.body)}`);
  adminToken = login.body.token;
  return {
    app, testDb, store, tenant, adminToken, api,
    dataDir,
    topology: multi?.topology,
    async upload(name: string, content: Buffer | string, mime = 'application/octet-stream', token?: string) {
      const boundary = `----mosaic${Math.random().toString(16).slice(2)}`;
      const body = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${mime}\r\n\r\n`),
        Buffer.isBuffer(content) ? content : Buffer.from(content),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const res = await send('POST', '/api/v1/files', body, { 'content-type': `multipart/form-data; boundary=${boundary}`, authorization: `Bearer ${token ?? adminToken}` });
      return { status: res.status, body: JSON.parse(res.text) };
    },
    async close() {
      await multi?.stop();
      await app.close();
      await testDb.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function parseBody(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return text; // not JSON: keep the text
  }
}

/**
 * MOSAIC_TEST_TOPOLOGY=multi: two API processes and a worker on this file's
 * database, requests taking turns between the API processes (a round-robin load
 * balancer), uploads landing in the same `dataDir`. The test's own process keeps
 * its in-process app and MetaStore for what a test does directly; they LISTEN
 * like a server process does, so a change made through the API processes
 * reaches them as it reaches any process.
 */
async function startMulti(testDb: TestDb, store: MetaStore, dataDir: string, env: Record<string, string> = {}): Promise<{ topology: Topology; send: Send; stop(): Promise<void> }> {
  const bundle = inject('serverBundle') || undefined;
  const unlistenMeta = await listenForMetaChanges(testDb.url, store);
  const unlistenAccess = await listenForAccessChanges(testDb.url);
  const topology = await startTopology({ databaseUrl: testDb.url, bundle, env: { ...env, MOSAIC_DATA_DIR: dataDir } });
  let turn = 0;
  const send: Send = async (method, url, payload, headers) => {
    const target = topology.apis[turn++ % topology.apis.length];
    const body = typeof payload === 'string' || payload === undefined ? payload : new Uint8Array(payload);
    const res = await fetch(target.base + url, { method, headers, body, redirect: 'manual' });
    return { status: res.status, text: await res.text(), headers: headersOf(res.headers) };
  };
  return {
    topology, send,
    async stop() {
      await topology.stop();
      await unlistenMeta();
      await unlistenAccess();
    },
  };
}

/** Headers as Fastify's injector gives them: lower-case names, several set-cookie lines as an array. */
function headersOf(h: Headers): Record<string, unknown> {
  const out: Record<string, unknown> = Object.fromEntries(h);
  const cookies = h.getSetCookie();
  if (cookies.length) out['set-cookie'] = cookies.length === 1 ? cookies[0] : cookies;
  return out;
}
