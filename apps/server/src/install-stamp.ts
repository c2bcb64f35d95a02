import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inTenantTx, sql, type Database } from '@mosaic/db';
import { listTenantIds } from '@mosaic/identity';

/**
 * What a module install depends on, as one hash: the code that installs (the
 * manifests, their afterInstall DDL, the default roles), the tenants, and each
 * tenant's metadata as it stands. installModules stores it in `install_state`
 * when it finishes; a process that starts and computes the same fingerprint
 * knows the install would change nothing and skips it.
 *
 * Why skip rather than run the idempotent install again: the afterInstall steps
 * are DDL (CREATE OR REPLACE TRIGGER, DROP TRIGGER IF EXISTS, CREATE INDEX IF NOT
 * EXISTS, ALTER TABLE … DROP CONSTRAINT IF EXISTS). Even when they change nothing
 * they take table locks that conflict with every write, so a process restarted
 * under live traffic waited behind open transactions, queued every request on the
 * table behind its lock, and could deadlock with them (bench/day's fault run).
 * A current database now costs a restart two reads and no lock.
 */
export const INSTALL_STAMP_KEY = 'modules_installed';

let codeHash: string | undefined;

/**
 * The running code's hash. Run as `npm start`'s bundle, this file is inside it and
 * the bundle is hashed (every @mosaic package is in it). Run from the TypeScript
 * sources (tsx, tests), the sources are: any edit means a new install, which errs
 * on the side of installing.
 */
export function installCodeHash(): string {
  if (codeHash) return codeHash;
  const self = fileURLToPath(import.meta.url);
  if (self.endsWith('.mjs')) return (codeHash = bundleCodeHash(self));
  const root = path.resolve(path.dirname(self), '../../..');
  const hash = createHash('sha256');
  for (const file of sourceFiles(root)) hash.update(path.relative(root, file)).update(fs.readFileSync(file));
  codeHash = hash.digest('hex');
  return codeHash;
}

/** The code hash of a process running `bundle` (the test set-up stamps a template for the processes it starts). */
export const bundleCodeHash = (bundle: string): string => createHash('sha256').update(fs.readFileSync(bundle)).digest('hex');

/** The server's sources (no tests, no dependencies, no builds), in a stable order. */
function sourceFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // a folder this checkout does not have
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!['node_modules', 'dist', 'test', 'e2e'].includes(e.name) && !e.name.startsWith('.')) walk(p);
      } else if (/\.(ts|sql|json)$/.test(e.name) && !/\.test\.ts$/.test(e.name)) out.push(p);
    }
  };
  for (const top of ['apps/server/src', 'packages', 'modules', 'flows']) walk(path.join(root, top));
  return out;
}

/**
 * The fingerprint of this code on this database now: the code hash, the tenants,
 * and per tenant a digest of its objects and fields (an admin's change, a field
 * deleted by hand, moves it, so the next start installs again).
 */
export async function installFingerprint(db: Database, codeHash = installCodeHash()): Promise<string> {
  const hash = createHash('sha256').update(codeHash);
  for (const tenantId of await listTenantIds(db)) {
    const digest = await inTenantTx(db.owner, { tenantId }, async (tx) =>
      (await sql<{ d: string }>`SELECT concat_ws('/',
          (SELECT md5(string_agg(id::text || updated_at::text, ',' ORDER BY id)) FROM meta_object),
          (SELECT md5(string_agg(id::text || updated_at::text, ',' ORDER BY id)) FROM meta_field)) AS d`.execute(tx)).rows[0].d, { readOnly: true });
    hash.update(`|${tenantId}:${digest}`);
  }
  return hash.digest('hex');
}

export async function readInstallStamp(db: Database): Promise<string | null> {
  const r = await sql<{ value: { fingerprint?: string } }>`SELECT value FROM install_state WHERE key = ${INSTALL_STAMP_KEY}`.execute(db.owner);
  return r.rows[0]?.value.fingerprint ?? null;
}

export async function writeInstallStamp(db: Database, fingerprint: string): Promise<void> {
  const value = JSON.stringify({ fingerprint, at: new Date().toISOString() });
  await sql`INSERT INTO install_state (key, value) VALUES (${INSTALL_STAMP_KEY}, ${value}::jsonb)
    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`.execute(db.owner);
}
