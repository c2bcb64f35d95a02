import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { freePort, migrate, startEmbeddedPostgres, type EmbeddedServer } from '@mosaic/db';

/** What machine a result was measured on: ratios travel, absolute numbers only with this. */
export function machine() {
  return {
    cpus: os.cpus().length,
    model: os.cpus()[0]?.model ?? 'unknown',
    totalMemGB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    // The machine is shared: the load while measuring says how much to trust absolute figures.
    loadAverage1m: Math.round(os.loadavg()[0] * 100) / 100,
    at: new Date().toISOString(),
  };
}

export function percentile(samples: number[], p: number): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

export function summary(samples: number[]) {
  return { p50: round(percentile(samples, 50)), p95: round(percentile(samples, 95)), n: samples.length };
}

export const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

export async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const r = await fn();
  return [performance.now() - t, r];
}

export function writeResult(name: string, result: unknown): string {
  const file = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'results', `${name}.json`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
  return file;
}

/**
 * A PostgreSQL for the bench: DATABASE_URL (a superuser URL), or a fresh embedded server in a temp dir.
 * `flags` (postgres -c settings) apply to the embedded server only, e.g. a bulk load's larger max_wal_size.
 */
export async function benchDatabase(opts: { flags?: string[] } = {}): Promise<{ url: string; stop(): Promise<void> }> {
  if (process.env.DATABASE_URL) {
    await migrate(process.env.DATABASE_URL);
    return { url: process.env.DATABASE_URL, stop: async () => {} };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-bench-'));
  fs.chmodSync(dir, 0o777);
  const server: EmbeddedServer = await startEmbeddedPostgres(dir, { flags: opts.flags });
  await migrate(server.url);
  return {
    url: server.url,
    async stop() {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Starts `npm start`'s server (the bundled build) as a child process against `url`; its RSS can be sampled. */
export async function startServer(url: string, env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<{ base: string; child: ChildProcess; rssMB(): number; stop(): Promise<void> }> {
  const port = await freePort();
  const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
  // What `npm start` runs: the server bundled by scripts/build-server.mjs, on plain Node.
  // @ts-expect-error a plain .mjs script without types
  const { buildServer } = await import('../../scripts/build-server.mjs');
  const bundle: string = await buildServer();
  // nodeArgs: e.g. ['--cpu-prof'] to profile the server under a benchmark's load.
  const child = spawn(process.execPath, [...nodeArgs, bundle, 'start'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  const base = `http://127.0.0.1:${port}`;
  // Up to two minutes (BENCH_SERVER_START_S to wait longer): on a loaded shared machine start-up (migrations, module metadata) is slow.
  const startLimit = Number(process.env.BENCH_SERVER_START_S ?? 120);
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      /* not up yet */
    }
    if (child.exitCode !== null) throw new Error(`server exited: ${out}`);
    if (i >= startLimit * 10) throw new Error(`server did not answer /healthz within ${startLimit} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base,
    child,
    rssMB() {
      try {
        const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
        return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
      } catch {
        return 0;
      }
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      // A server still starting up may not act on SIGTERM yet: never leave it (and the bench) hanging.
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
    get output() {
      return out;
    },
  } as never;
}

/** A JSON API caller for a started server: `api(method, url, body?, token?)`; a 4xx/5xx throws with the reply. */
export function jsonApi(base: string) {
  return async function api(method: string, url: string, body?: unknown, token?: string): Promise<any> {
    const res = await fetch(`${base}${url}`, {
      method,
      // No content type without a body: Fastify refuses an empty application/json body (make-a-document POSTs have none).
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json();
    if (res.status >= 400) throw new Error(`${method} ${url} → ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
}

/**
 * p50/p95 of an engine call and of its raw baseline, measured in turn sample by sample (after one
 * warm-up each): on the shared machine a burst of load then falls on both sides of the ratio, not
 * on one block of samples (issue 6: a YoY widget's 2.1x came from a raw block measured in a quiet moment).
 */
export async function measureAlternately(engine: () => Promise<unknown>, baseline: () => Promise<unknown>, repeat: number, enginePerBaseline = 1) {
  await engine();
  await baseline();
  const e: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < repeat; i++) {
    // enginePerBaseline > 1: more engine samples (a p95 worth the name) when the baseline is a long scan.
    for (let j = 0; j < enginePerBaseline; j++) e.push((await timed(engine))[0]);
    b.push((await timed(baseline))[0]);
  }
  return [summary(e), summary(b)] as const;
}

/** A raw-SQL baseline's transaction on one pooled connection: BEGIN, the work, COMMIT (ROLLBACK on error). */
export async function rawTx(pool: pg.Pool, fn: (c: pg.PoolClient) => Promise<void>): Promise<void> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    await fn(c);
    await c.query('COMMIT');
  } catch (e) {
    await c.query('ROLLBACK');
    throw e;
  } finally {
    c.release();
  }
}
