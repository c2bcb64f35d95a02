import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startEmbeddedPostgres, type EmbeddedServer } from '@mosaic/db';
import { startStandby, type Standby } from '@mosaic/testing';

// A read replica (issue 12): a primary and a streaming standby made with
// pg_basebackup from it, and Mosaic started with DATABASE_REPLICA_URL. Reports,
// dashboards and exports read the replica — shown by pausing its replay: what
// was written after the pause is missing from a plain report — yet a user's own
// writes are never missing from their next report (the WAL position of their
// last write comes back as a cookie / header and the replica is used only once
// it has replayed that far). The admin health page shows the lag.
const root = path.resolve(import.meta.dirname, '../../..');
const admin = { email: 'ops@replica.cn', password: 'Replica-Test-Pw-1' };
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-replica-'));
fs.chmodSync(dir, 0o777);

let primary: EmbeddedServer;
let standby: Standby;
let server: ChildProcess;
let base = '';
let token = '';
let out = '';

async function call(method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(base + url, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : null };
}

const revenue = async (headers: Record<string, string> = {}) => {
  const r = await call('POST', '/api/v1/reports/run', { definition: { source: 'rr_sale', measures: [{ name: 'revenue', fn: 'sum', field: 'amount' }] } }, headers);
  expect(r.status, r.text).toBe(200);
  return r.body.rows[0].revenue as string;
};

async function onStandby<T>(query: string): Promise<T> {
  const c = new pg.Client({ connectionString: standby.url('mosaic') });
  await c.connect();
  try {
    return (await c.query(query)).rows[0] as T;
  } finally {
    await c.end();
  }
}

async function waitFor(probe: () => Promise<boolean>, what: string): Promise<void> {
  const until = Date.now() + 30_000;
  while (!(await probe())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}\n${out.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  primary = await startEmbeddedPostgres(path.join(dir, 'primary'), { port: await freePort() });
  standby = await startStandby(primary.url.replace(/\/mosaic$/, '/postgres'), path.join(dir, 'standby'));
  const port = await freePort();
  server = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'apps/server/src/main.ts'), 'start', '--role', 'api'], {
    cwd: root,
    env: {
      ...process.env, DATABASE_URL: primary.url, DATABASE_REPLICA_URL: standby.url('mosaic'), PORT: String(port), HOST: '127.0.0.1',
      LOG_LEVEL: 'warn', MOSAIC_ADMIN_EMAIL: admin.email, MOSAIC_ADMIN_PASSWORD: admin.password,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout!.on('data', (d) => (out += d));
  server.stderr!.on('data', (d) => (out += d));
  base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 1200 && !out.includes('running on') && server.exitCode === null; i++) await new Promise((r) => setTimeout(r, 100));
  expect(out).toContain('running on');
  const login = await call('POST', '/api/v1/auth/login', admin);
  token = login.body.token;
  const obj = await call('POST', '/api/v1/meta/objects', {
    apiName: 'rr_sale', label: '销售', fields: [{ apiName: 'name', type: 'text', label: '名称' }, { apiName: 'amount', type: 'decimal', label: '金额', config: { scale: 2 } }],
  });
  expect(obj.status, obj.text).toBe(201);
}, 240_000);

afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    await exited;
  }
  await standby?.stop();
  await primary?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('a read replica', () => {
  let lastWrite = '';

  it('gives every write the WAL position a later read must see, as a header and a cookie', async () => {
    const r = await call('POST', '/api/v1/records/rr_sale', { name: '第一单', amount: 100 });
    expect(r.status).toBe(201);
    lastWrite = r.headers.get('x-mosaic-lsn')!;
    expect(lastWrite).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
    expect(r.headers.get('set-cookie')).toContain(`mosaic_lsn=${lastWrite}`);
    expect(await revenue({ 'x-mosaic-min-lsn': lastWrite })).toBe('100.00');
  });

  it('serves reports from the replica: a write made while its replay is paused is missing from a plain report', async () => {
    await waitFor(async () => (await revenue()) === '100.00', 'the replica to replay the first sale');
    await onStandby('SELECT pg_wal_replay_pause()');
    const r = await call('POST', '/api/v1/records/rr_sale', { name: '第二单', amount: 50 });
    lastWrite = r.headers.get('x-mosaic-lsn')!;
    await new Promise((res) => setTimeout(res, 300)); // past the replay-position cache
    expect(await revenue()).toBe('100.00'); // the paused replica: proof the report read it
  });

  it('never misses the user’s own write: with its position the report reads the primary until the replica catches up', async () => {
    expect(await revenue({ 'x-mosaic-min-lsn': lastWrite })).toBe('150.00');
    expect(await revenue({ cookie: `mosaic_lsn=${lastWrite}` })).toBe('150.00'); // the web app sends the cookie back by itself
    const csv = await call('GET', '/api/v1/export/rr_sale?format=csv', undefined, { cookie: `mosaic_lsn=${lastWrite}` });
    expect(csv.status).toBe(200);
    expect(csv.text).toContain('第二单');
  });

  it('shows the replica’s lag on the admin health page', async () => {
    const h = await call('GET', '/api/v1/admin/health');
    expect(h.status).toBe(200);
    expect(h.body.replica.status).toBe('ok');
    expect(h.body.replica.lagBytes).toBeGreaterThan(0); // paused behind the second sale
    await onStandby('SELECT pg_wal_replay_resume()');
    await waitFor(async () => (await revenue()) === '150.00', 'the replica to catch up');
    await waitFor(async () => (await call('GET', '/api/v1/admin/health')).body.replica.lagBytes === 0, 'lag 0');
  });

  it('refuses a malformed position, naming the header', async () => {
    const r = await call('POST', '/api/v1/reports/run', { definition: { source: 'rr_sale', measures: [{ name: 'n', fn: 'count' }] } }, { 'x-mosaic-min-lsn': "0/1'; DROP TABLE x" });
    expect(r.status).toBe(400);
    expect(r.body.error.field).toBe('x-mosaic-min-lsn');
  });

  it('reads the primary when the replica is down', async () => {
    await standby.stop();
    await new Promise((res) => setTimeout(res, 300));
    expect(await revenue()).toBe('150.00');
    const h = await call('GET', '/api/v1/admin/health');
    expect(h.body.replica.status).toBe('unavailable');
  });
});
