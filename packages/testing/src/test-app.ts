import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { MetaStore } from '@mosaic/meta';
import { inject } from 'vitest';
import type { TenantCreated } from '@mosaic/identity';
import { buildApp } from '@mosaic/server';
import { ADMIN_PASSWORD } from './test-constants.ts';
import { createTestDb, type TestDb } from './test-db.ts';

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
  close(): Promise<void>;
}

export { ADMIN_PASSWORD } from './test-constants.ts';

/**
 * A server on its own database with one tenant and its admin logged in. The
 * database is a copy of the run's installed template (global-setup.ts): the
 * tenant, its company, admin and every module's objects are already there.
 */
export async function createTestApp(): Promise<TestApp> {
  const template = inject('appTemplate');
  const testDb = await createTestDb(template.database);
  const store = new MetaStore(testDb.db.app);
  const email = template.adminEmail;
  const tenant: TenantCreated = template.tenant;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-files-'));
  const app = await buildApp({ db: testDb.db, store, dataDir });
  const api: TestApp['api'] = async (method, url, body, o = {}) => {
    const token = o.token === undefined ? adminToken : o.token;
    const res = await app.inject({
      method: method as 'GET',
      url,
      payload: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}), ...o.headers },
    });
    let parsed: unknown = res.body;
    try {
      parsed = res.body ? JSON.parse(res.body) : null;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.statusCode, body: parsed, headers: res.headers };
  };
  let adminToken = '';
  const login = await api('POST', '/api/v1/auth/login', { email, password: ADMIN_PASSWORD }, { token: null });
  if (login.status !== 200) throw new Error(`test login failed: ${JSON.stringify(login.body)}`);
  adminToken = login.body.token;
  return {
    app, testDb, store, tenant, adminToken, api,
    dataDir,
    async upload(name: string, content: Buffer | string, mime = 'application/octet-stream', token?: string) {
      const boundary = `----mosaic${Math.random().toString(16).slice(2)}`;
      const body = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${mime}\r\n\r\n`),
        Buffer.isBuffer(content) ? content : Buffer.from(content),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const res = await app.inject({ method: 'POST', url: '/api/v1/files', payload: body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, authorization: `Bearer ${token ?? adminToken}` } });
      return { status: res.statusCode, body: JSON.parse(res.body) };
    },
    async close() {
      await app.close();
      await testDb.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
