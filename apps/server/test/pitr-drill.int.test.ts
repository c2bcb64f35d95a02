import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, startEmbeddedPostgres, type EmbeddedServer } from '@mosaic/db';
import { baseBackup, osUserIds, startRecovered, type Standby } from '@mosaic/testing';

// The restore drill of docs/deploy.md §5, run: continuous WAL archiving on the
// primary, a base backup, work through the API after it, a named restore point,
// then a mistake (records deleted). Recovering the base backup from the archive
// to the restore point brings back exactly the work before the mistake — rows
// that exist only in the archived WAL, not in the base backup.
const root = path.resolve(import.meta.dirname, '../../..');
const admin = { email: 'ops@drill.cn', password: 'Drill-Test-Pw-1' };
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-pitr-'));
fs.chmodSync(dir, 0o777);
const archive = path.join(dir, 'archive');

let primary: EmbeddedServer | undefined;
let recovered: Standby | undefined;
let server: ChildProcess | undefined;

afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server!.once('exit', r));
    server.kill('SIGTERM');
    await exited;
  }
  await recovered?.stop();
  await primary?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function superuser<T = Record<string, unknown>>(url: string, query: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(query, params)).rows as T[];
  } finally {
    await c.end();
  }
}

describe('point-in-time recovery drill', () => {
  it('recovers a base backup from the WAL archive to the restore point before a mistake', async () => {
    fs.mkdirSync(archive);
    const owner = osUserIds();
    if (owner) fs.chownSync(archive, owner.uid, owner.gid);
    primary = await startEmbeddedPostgres(path.join(dir, 'primary'), {
      port: await freePort(),
      flags: ['-c', 'wal_level=replica', '-c', 'archive_mode=on', '-c', `archive_command=test ! -f ${archive}/%f && cp %p ${archive}/%f`],
    });
    const port = await freePort();
    let out = '';
    server = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'apps/server/src/main.ts'), 'start', '--role', 'api'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: primary.url, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', MOSAIC_ADMIN_EMAIL: admin.email, MOSAIC_ADMIN_PASSWORD: admin.password },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout!.on('data', (d) => (out += d));
    server.stderr!.on('data', (d) => (out += d));
    for (let i = 0; i < 1200 && !out.includes('running on') && server.exitCode === null; i++) await new Promise((r) => setTimeout(r, 100));
    expect(out).toContain('running on');
    const base = `http://127.0.0.1:${port}`;
    let token = '';
    const call = async (method: string, url: string, body?: unknown) => {
      const res = await fetch(base + url, { method, headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    };
    token = (await call('POST', '/api/v1/auth/login', admin)).body.token;
    expect((await call('POST', '/api/v1/meta/objects', { apiName: 'drill_note', label: '演练', fields: [{ apiName: 'name', type: 'text', label: '名称' }] })).status).toBe(201);

    // The nightly base backup, then the day's work: these rows live only in the WAL.
    const superUrl = primary.url.replace(/\/mosaic$/, '/postgres');
    const backupDir = path.join(dir, 'base');
    baseBackup(superUrl, backupDir);
    const kept: string[] = [];
    for (const name of ['上午的订单', '中午的订单', '下午的订单']) {
      const r = await call('POST', '/api/v1/records/drill_note', { name });
      expect(r.status).toBe(201);
      kept.push(r.body.id);
    }
    await superuser(primary.url, "SELECT pg_create_restore_point('before_mistake')");

    // The mistake, after the restore point: two records deleted, one added.
    for (const id of kept.slice(0, 2)) expect((await call('DELETE', `/api/v1/records/drill_note/${id}`)).status).toBe(204);
    expect((await call('POST', '/api/v1/records/drill_note', { name: '错误之后' })).status).toBe(201);
    const [{ segment }] = await superuser<{ segment: string }>(primary.url, 'SELECT pg_walfile_name(pg_switch_wal()) AS segment');
    const until = Date.now() + 30_000;
    while ((await superuser<{ last: string | null }>(primary.url, 'SELECT last_archived_wal AS last FROM pg_stat_archiver'))[0].last! < segment) {
      if (Date.now() > until) throw new Error(`segment ${segment} was not archived`);
      await new Promise((r) => setTimeout(r, 100));
    }

    // The drill: the base backup, replayed from the archive to the restore point, promoted.
    recovered = await startRecovered(superUrl, backupDir, archive, 'before_mistake');
    const rows = await superuser<{ id: string; name: string }>(recovered.url('mosaic'), 'SELECT id, c_name AS name FROM mosaic.o_drill_note ORDER BY created_at');
    expect(rows.map((r) => r.name)).toEqual(['上午的订单', '中午的订单', '下午的订单']);
    expect(rows.map((r) => r.id)).toEqual(kept);
    const [{ inRecovery }] = await superuser<{ inRecovery: boolean }>(recovered.url('mosaic'), 'SELECT pg_is_in_recovery() AS "inRecovery"');
    expect(inRecovery).toBe(false); // promoted: ready to be the new primary
  }, 240_000);
});
