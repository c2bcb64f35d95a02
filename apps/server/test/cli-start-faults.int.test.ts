import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '@mosaic/db';

// `mosaic start` on the embedded default when its start-up is interrupted or fails
// (cli.int.test.ts has the happy path). Each start gets its own data directory; what
// must hold afterwards is that no PostgreSQL is left running for it.
const root = path.resolve(import.meta.dirname, '../../..');
const started = new Set<ChildProcess>();
const madeDirs: string[] = [];

afterEach(async () => {
  for (const child of started) killGroup(child); // only after a failed assertion is anything left
  started.clear();
  for (const dir of madeDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function killGroup(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // nothing left in the group
  }
}

interface Started {
  child: ChildProcess;
  out: () => string;
  exited: Promise<number | null>;
  dataDir: string;
}

function startCli(env: Record<string, string>): Started {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-faults-'));
  fs.chmodSync(dataDir, 0o777); // the embedded server may run as the postgres user
  madeDirs.push(dataDir);
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'apps/server/src/main.ts'), 'start'], {
    cwd: root,
    env: { ...process.env, MOSAIC_DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'info', MOSAIC_DEMO: '0', HOST: '127.0.0.1', MOSAIC_ADMIN_PASSWORD: 'Faults-Test-Pw-1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, with its PostgreSQL: killGroup can end them all
  });
  started.add(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, out: () => out, exited, dataDir };
}

async function waitFor(s: Started, text: string, ms: number): Promise<void> {
  for (let waited = 0; waited < ms && !s.out().includes(text) && s.child.exitCode === null; waited += 100) await new Promise((r) => setTimeout(r, 100));
  expect(s.out(), `waiting for "${text}"`).toContain(text);
}

async function exitCode(s: Started, ms: number): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), ms)));
  const code = await Promise.race([s.exited, late]);
  clearTimeout(timer);
  if (code === 'late') throw new Error(`the process did not exit within ${ms} ms; its output:\n${s.out().slice(-4000)}`);
  return code;
}

/** PostgreSQL postmasters still running on `dataDir` (their command line names it: `postgres -D <dir>/pg`). */
function postgresFor(dataDir: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmdline = '';
    try {
      cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    if (cmdline.split('\0').includes(path.join(dataDir, 'pg'))) pids.push(Number(entry));
  }
  return pids;
}

describe('mosaic start, interrupted or failing', () => {
  it('a SIGTERM while the runtime starts (migrations, install) stops it cleanly: exit 0, its PostgreSQL stopped', async () => {
    const s = startCli({ PORT: String(await freePort()) });
    await waitFor(s, 'embedded PostgreSQL started', 180_000);
    expect(postgresFor(s.dataDir).length, 'its PostgreSQL runs').toBe(1);
    s.child.kill('SIGTERM');
    const code = await exitCode(s, 300_000);
    expect(s.out()).not.toContain('running on'); // the signal came during the runtime's start
    expect(code, s.out().slice(-3000)).toBe(0);
    expect(postgresFor(s.dataDir), 'no PostgreSQL left for its data directory').toEqual([]);
    expect(fs.existsSync(path.join(s.dataDir, 'pg', 'postmaster.pid'))).toBe(false);
  }, 600_000);

  it('a port in use: fails at once, naming PORT, before the embedded PostgreSQL is even started', async () => {
    const taken = net.createServer();
    const port = await new Promise<number>((r) => taken.listen(0, '127.0.0.1', () => r((taken.address() as net.AddressInfo).port)));
    try {
      const began = Date.now();
      const s = startCli({ PORT: String(port) });
      const code = await exitCode(s, 120_000);
      const took = Date.now() - began;
      expect(code, s.out().slice(-3000)).not.toBe(0);
      expect(s.out()).toContain(`PORT ${port}: cannot listen on 127.0.0.1 (EADDRINUSE)`);
      // Before PostgreSQL could have started, whatever the machine's load: the embedded server
      // was never begun — its data directory is as the test made it (no pg/, no superuser secret).
      expect(s.out()).not.toContain('embedded PostgreSQL');
      expect(fs.readdirSync(s.dataDir)).toEqual([]);
      expect(postgresFor(s.dataDir)).toEqual([]);
      // Only the process's start (loading the code) — a first start of PostgreSQL alone takes longer.
      expect(took).toBeLessThan(60_000);
    } finally {
      await new Promise((r) => taken.close(r));
    }
  }, 180_000);

  it('a failure after PostgreSQL started (the port taken meanwhile): exits non-zero and leaves no PostgreSQL running for its data directory', async () => {
    // The port is free when the start looks; another program takes it while the runtime starts:
    // the listen fails after the database, migrations and install — start() must stop the database.
    const port = await freePort();
    const s = startCli({ PORT: String(port) });
    const taken = net.createServer();
    try {
      await waitFor(s, 'embedded PostgreSQL started', 180_000);
      await new Promise<void>((resolve, reject) => {
        taken.once('error', reject);
        taken.listen(port, '127.0.0.1', () => resolve());
      });
      const code = await exitCode(s, 600_000);
      expect(code, s.out().slice(-3000)).not.toBe(0);
      expect(s.out()).toContain('EADDRINUSE');
      expect(s.out()).toContain('migrations applied'); // it failed after the runtime's start, not before
      expect(postgresFor(s.dataDir), 'no PostgreSQL left for its data directory').toEqual([]);
      expect(fs.existsSync(path.join(s.dataDir, 'pg', 'postmaster.pid'))).toBe(false);
    } finally {
      if (taken.listening) await new Promise((r) => taken.close(r));
    }
  }, 900_000);
});
