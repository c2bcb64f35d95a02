import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { freePort } from '@mosaic/db';
import { createTestApp, type TestApp } from '@mosaic/testing';

// The CLI as an operator uses it: `start` on the embedded default (data kept
// across restarts, clean stop on SIGTERM), `backup` and `restore` into an empty database.
const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../../..');
const cli = (args: string[], env: Record<string, string>) =>
  run(process.execPath, ['--import', 'tsx', path.join(root, 'apps/server/src/main.ts'), ...args], { cwd: root, env: { ...process.env, ...env }, timeout: 120_000 });

let t: TestApp | undefined;
afterAll(async () => {
  await t?.close();
});

// Servers a test started and data directories it made: stopped and removed even when an
// assertion fails before the test's own SIGTERM step, so no server (with its embedded
// PostgreSQL) outlives the file.
const started = new Set<ChildProcess>();
const madeDirs: string[] = [];
afterEach(async () => {
  await Promise.all([...started].map(stopServer));
  for (const dir of madeDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * SIGTERM first (the server stops its embedded PostgreSQL cleanly), then, after a grace
 * period or when the server is gone, SIGKILL to its process group: each server is spawned
 * as a group leader, and PostgreSQL's processes are in its group.
 */
async function stopServer(child: ChildProcess): Promise<void> {
  const killGroup = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // nothing left in the group
    }
  };
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(killGroup, 20_000);
    await exited;
    clearTimeout(timer);
  }
  killGroup(); // a server that died leaves its PostgreSQL behind
  started.delete(child);
}

/** SIGTERM, then the exit code — or, when the server has not stopped within a minute, a failure carrying its output. */
async function terminate(server: { child: ChildProcess; out: () => string }): Promise<number | null> {
  const exited = new Promise<number | null>((r) => server.child.once('exit', (code) => r(code)));
  server.child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), 60_000)));
  const code = await Promise.race([exited, late]);
  clearTimeout(timer);
  if (code === 'late') throw new Error(`the server did not stop within 60 s of SIGTERM; its output:\n${server.out().slice(-4000)}`);
  return code;
}

describe('mosaic CLI', () => {
  it('backs up a database and restores it into an empty one', async () => {
    t = await createTestApp();
    await t.api('POST', '/api/v1/meta/objects', { apiName: 'memo', label: '备忘', fields: [{ apiName: 'name', type: 'text', label: '名称' }] });
    await t.api('POST', '/api/v1/records/memo', { name: '要备份的记录' });
    const file = path.join(os.tmpdir(), `mosaic-backup-${process.pid}.dump`);
    await cli(['backup', file], { DATABASE_URL: t.testDb.url });
    expect(fs.statSync(file).size).toBeGreaterThan(1000);

    const admin = new pg.Client({ connectionString: inject('pgAdminUrl') });
    await admin.connect();
    const target = `restore_${process.pid}`;
    await admin.query(`DROP DATABASE IF EXISTS ${target}`);
    await admin.query(`CREATE DATABASE ${target}`);
    const targetUrl = inject('pgAdminUrl').replace(/\/[^/]*$/, `/${target}`);
    await cli(['restore', file], { DATABASE_URL: targetUrl });
    const check = new pg.Client({ connectionString: targetUrl });
    await check.connect();
    const rows = await check.query('SELECT c_name FROM mosaic.o_memo');
    expect(rows.rows.map((r) => r.c_name)).toEqual(['要备份的记录']);
    const owner = await check.query("SELECT tableowner FROM pg_tables WHERE tablename = 'o_memo'");
    expect(owner.rows[0].tableowner).toBe('mosaic_owner');
    await check.end();
    // a second restore into the now non-empty database is refused
    await expect(cli(['restore', file], { DATABASE_URL: targetUrl })).rejects.toThrow(/empty database/);
    await admin.query(`DROP DATABASE ${target} WITH (FORCE)`);
    await admin.end();
    fs.rmSync(file, { force: true });
  }, 120_000);

  it('starts on the embedded PostgreSQL with the demo history, answers /healthz, stops cleanly on SIGTERM mid-seed, resumes the seed and keeps data', async () => {
    // What `npm start` runs: the bundle scripts/build-server.mjs makes (its prestart), on plain Node.
    // @ts-expect-error a plain .mjs script without types
    const { buildServer } = await import('../../../scripts/build-server.mjs');
    const bundle: string = await buildServer();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-start-'));
    madeDirs.push(dataDir);
    fs.chmodSync(dataDir, 0o777);
    const env = { MOSAIC_DATA_DIR: dataDir, MOSAIC_ADMIN_EMAIL: 'boss@demo.cn', MOSAIC_ADMIN_PASSWORD: 'Start-Test-Pw-1', DATABASE_URL: '', LOG_LEVEL: 'info',
      MOSAIC_DEMO_MONTHS: '6', MOSAIC_DEMO_ORDERS: '2' }; // a small demo history: the first start fills it in the background,
    // long enough (a second or more a month) that the stop below comes while months are still to do
    const startOnce = async () => {
      const port = await freePort();
      const child = spawn(process.execPath, [bundle, 'start'], {
        cwd: root, env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe'],
        detached: true, // its own process group, with its PostgreSQL: stopServer can end them all
      });
      started.add(child);
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      const base = `http://127.0.0.1:${port}`;
      // The first start installs every module's metadata: give a loaded machine time.
      for (let i = 0; i < 3000 && !out.includes('running on'); i++) await new Promise((r) => setTimeout(r, 100));
      expect(out).toContain('running on');
      return { child, base, out: () => out };
    };
    const first = await startOnce();
    expect(first.out()).toContain('boss@demo.cn');
    expect(await (await fetch(`${first.base}/healthz`)).json()).toEqual({ status: 'ok' });
    const login = await (await fetch(`${first.base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'boss@demo.cn', password: 'Start-Test-Pw-1' }) })).json();
    const auth = { authorization: `Bearer ${login.token}`, 'content-type': 'application/json' };
    // The demo company's history arrives while the server already answers: a list and a write, each in well under a second.
    // The seed starts once the background work is up, just after 'running on'.
    for (let i = 0; i < 600 && !first.out().includes('Filling the demo company'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(first.out()).toContain('Filling the demo company');
    for (let i = 0; i < 3000 && !first.out().includes('demo history: '); i++) await new Promise((r) => setTimeout(r, 100));
    expect(first.out()).not.toContain('demo history ready'); // its later months are under way
    const timed = async (url: string, init?: RequestInit) => {
      const t0 = Date.now();
      const r = await fetch(`${first.base}${url}`, { headers: auth, ...init });
      expect(r.status, url).toBeLessThan(300);
      return Date.now() - t0;
    };
    expect(await timed('/api/v1/records/sales_order?pageSize=20')).toBeLessThan(2000);
    await fetch(`${first.base}/api/v1/meta/objects`, { method: 'POST', headers: auth, body: JSON.stringify({ apiName: 'note', label: '笔记', fields: [{ apiName: 'name', type: 'text', label: '名称' }] }) });
    expect(await timed('/api/v1/records/note', { method: 'POST', body: JSON.stringify({ name: '重启后还在' }) })).toBeLessThan(2000);
    // Stopped in the middle of the seed (its first month done): it stops cleanly all the same.
    expect(await terminate(first), first.out()).toBe(0);
    expect(fs.existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);

    // The next start goes on with the unfinished seed, in the background again.
    const resumed = await startOnce();
    for (let i = 0; i < 600 && !resumed.out().includes('Resuming the demo history'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(resumed.out()).toContain('Resuming the demo history');
    for (let i = 0; i < 3000 && !resumed.out().includes('demo history ready') && !resumed.out().includes('demo history failed'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(resumed.out()).toContain('demo history ready');
    const relog = await (await fetch(`${resumed.base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'boss@demo.cn', password: 'Start-Test-Pw-1' }) })).json();
    const orders = await (await fetch(`${resumed.base}/api/v1/records/sales_invoice?fields=grand_total,posting_date&pageSize=200`, { headers: { authorization: `Bearer ${relog.token}` } })).json();
    expect(new Set(orders.data.map((o: any) => o.posting_date.slice(0, 7))).size).toBe(6); // every month
    expect(orders.data.every((o: any) => Number(o.grand_total) > 0)).toBe(true);
    expect(await terminate(resumed), resumed.out()).toBe(0);

    const second = await startOnce();
    expect(second.out()).not.toContain('boss@demo.cn'); // the first-start banner shows once
    expect(second.out()).not.toContain('Filling the demo company'); // and the demo is filled once
    expect(second.out()).not.toContain('Resuming the demo history');
    const relogin = await (await fetch(`${second.base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'boss@demo.cn', password: 'Start-Test-Pw-1' }) })).json();
    const list = await (await fetch(`${second.base}/api/v1/records/note`, { headers: { authorization: `Bearer ${relogin.token}` } })).json();
    expect(list.data.map((r: any) => r.name)).toEqual(['重启后还在']);
    expect(await terminate(second), second.out()).toBe(0);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 900_000);
});
