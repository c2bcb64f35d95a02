import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@mosaic/db';

/**
 * Real Mosaic server processes for tests of the deployment shape issue 12 asks
 * for: `--role api` processes and a `--role worker` on one database, each a
 * child process started the way `npm start` starts one. Used by
 * multi-process.int.test.ts and by createTestApp under MOSAIC_TEST_TOPOLOGY=multi.
 */
export interface MosaicProcess {
  role: ProcessRole;
  child: ChildProcess;
  /** http://127.0.0.1:<port> (a worker has one too, though it does not listen). */
  base: string;
  /** What the process printed so far (stdout and stderr, the last 200 kB). */
  out(): string;
  /** SIGTERM and wait for the exit; SIGKILL after `graceMs`. Resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** `--role` of `mosaic start`: API only, background only, or both (`npm start`'s default, one machine). */
export type ProcessRole = 'api' | 'worker' | 'all';
const READY: Record<ProcessRole, string> = { api: 'running on', worker: 'worker is running', all: 'running on' };
const OUT_LIMIT = 200_000;

export interface StartOptions {
  /** The database the process serves (a superuser URL, as the tests hold). */
  databaseUrl: string;
  /** Extra environment (SMTP_URL, MOSAIC_DATA_DIR, admin login of a fresh database …). */
  env?: Record<string, string | undefined>;
  /**
   * A server bundle (scripts/build-server.mjs) to run on plain Node, as `npm start` does;
   * without it the TypeScript sources run through tsx (slower to start, sees uncommitted edits the same).
   */
  bundle?: string;
  startTimeoutMs?: number;
}

/**
 * `npm start`'s bundle (scripts/build-server.mjs) for the processes a test run starts, built
 * beside apps/server/dist/main.mjs (so it finds node_modules as that one does) under a name of
 * this run's own. The caller removes it (and its .map) when the run ends.
 */
export async function buildTestServerBundle(name = 'test-server'): Promise<string> {
  const { buildServer } = (await import(path.join(REPO_ROOT, 'scripts/build-server.mjs'))) as { buildServer(outfile: string): Promise<string> };
  return buildServer(path.join(REPO_ROOT, `apps/server/dist/${name}-${process.pid}.mjs`));
}

export async function startMosaicProcess(role: ProcessRole, opts: StartOptions): Promise<MosaicProcess> {
  const port = await freePort();
  const entry = opts.bundle ? [opts.bundle] : ['--import', 'tsx', path.join(REPO_ROOT, 'apps/server/src/main.ts')];
  const child = spawn(process.execPath, [...entry, 'start', '--role', role], {
    cwd: REPO_ROOT,
    env: { ...process.env, LOG_LEVEL: process.env.MP_LOG_LEVEL ?? 'warn', ...opts.env, DATABASE_URL: opts.databaseUrl, PORT: String(port), HOST: '127.0.0.1', MOSAIC_DEMO: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (d: Buffer) => {
    out += d;
    if (out.length > OUT_LIMIT * 2) out = out.slice(-OUT_LIMIT);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const proc: MosaicProcess = {
    role, child, base: `http://127.0.0.1:${port}`, out: () => out,
    async stop(graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
  const until = Date.now() + (opts.startTimeoutMs ?? 300_000);
  while (!out.includes(READY[role])) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`mosaic ${role} process exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${out.slice(-4000)}`);
    if (Date.now() > until) {
      child.kill('SIGKILL');
      throw new Error(`mosaic ${role} process not ready after ${opts.startTimeoutMs ?? 300_000} ms:\n${out.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return proc;
}

/** Two API processes and one worker on one database: the topology of issue 12 §2. */
export interface Topology {
  apis: MosaicProcess[];
  worker: MosaicProcess;
  all: MosaicProcess[];
  /** Stops every process (SIGTERM, in parallel); the exit codes in start order. */
  stop(): Promise<(number | null)[]>;
}

/**
 * Starts the first API process alone when the database is fresh (it migrates and
 * creates the first tenant; `fresh`), then the rest together — on an installed
 * database all three start at once (module install takes an advisory lock).
 */
export async function startTopology(opts: StartOptions & { apiCount?: number; fresh?: boolean }): Promise<Topology> {
  const apiCount = opts.apiCount ?? 2;
  const starting: Promise<MosaicProcess>[] = [];
  if (opts.fresh) starting.push(startMosaicProcess('api', opts));
  if (opts.fresh) await starting[0].catch(() => undefined);
  for (let i = starting.length; i < apiCount; i++) starting.push(startMosaicProcess('api', opts));
  starting.push(startMosaicProcess('worker', opts));
  // allSettled: when one fails to start, the others are stopped, not left running.
  const settled = await Promise.allSettled(starting);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  const procs = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  if (failed) {
    await Promise.allSettled(procs.map((p) => p.stop(1000)));
    throw failed.reason;
  }
  const apis = procs.slice(0, apiCount);
  const worker = procs[apiCount];
  return { apis, worker, all: procs, stop: () => Promise.all(procs.map((p) => p.stop())) };
}
