import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inTenantTx, sql, type Database } from '@mosaic/db';

/**
 * What a module install depends on, per tenant, as one hash: the code that installs
 * (the manifests, their afterInstall DDL, the default roles) and the STRUCTURE of the
 * tenant's metadata the install reads (structureDigest below). installModules stores
 * it in `install_state` under `modules_installed:<tenant>` when it finishes, for the
 * structure its last check pass started from and left alone (modules.ts
 * installEveryModule: not one an admin changed while the install ran); a process
 * that starts and computes the same fingerprint for a tenant knows the install would
 * change nothing there and skips that tenant.
 *
 * Why skip rather than run the idempotent install again: the afterInstall steps
 * are DDL (CREATE OR REPLACE TRIGGER, DROP TRIGGER IF EXISTS, CREATE INDEX IF NOT
 * EXISTS, ALTER TABLE … DROP CONSTRAINT IF EXISTS). Even when they change nothing
 * they take table locks that conflict with every write, so a process restarted
 * under live traffic waited behind open transactions, queued every request on the
 * table behind its lock, and could deadlock with them (bench/day's fault run).
 * A current database now costs a restart one read per tenant and no lock.
 *
 * Why per tenant and structural: one global stamp over every tenant's `updated_at`
 * made a new tenant, or an admin relabelling a field anywhere, cost every tenant the
 * whole install (and its table locks) on the next restart.
 */
export const INSTALL_STAMP_PREFIX = 'modules_installed:';

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
 * What of a tenant's metadata the install reads, as an md5: per object its api name,
 * child/archived flags and parent (installDefaultRoles gives a parent's field rules to
 * its children), title and search fields and its validation rules' NAMES (installObjects
 * adds rules by name); per field its object and api name, type, column,
 * system/read-only/archived/indexed flags (ensureRangeKeys), the KEYS of its config
 * (configAdditions adds missing keys) and its select options' VALUES. Not labels, not
 * config values, not `updated_at`: an admin relabelling a field or an option, or
 * changing a precision, changes nothing the install would do. A field a module
 * declares that is gone, a config key or an option it lacks, moves it.
 */
export async function structureDigest(db: Database, tenantId: string): Promise<string> {
  return inTenantTx(db.owner, { tenantId }, async (tx) =>
    (await sql<{ d: string | null }>`SELECT md5(string_agg(line, E'\n' ORDER BY line)) AS d FROM (
        SELECT concat_ws('|', 'o', o.api_name, o.is_child, o.archived, o.parent_object, o.title_field, array_to_string(o.search_fields, ','),
          (SELECT string_agg(r->>'name', ',' ORDER BY r->>'name') FROM jsonb_array_elements(o.rules) r)) AS line
        FROM meta_object o
        UNION ALL
        SELECT concat_ws('|', 'f', o.api_name || '.' || f.api_name, f.type, f.column_name, f.system, f.read_only, f.archived, f.indexed,
          (SELECT string_agg(k, ',' ORDER BY k) FROM jsonb_object_keys(f.config) k),
          (SELECT string_agg(opt->>'value', ',' ORDER BY opt->>'value')
             FROM jsonb_array_elements(CASE WHEN jsonb_typeof(f.config->'options') = 'array' THEN f.config->'options' ELSE '[]'::jsonb END) opt))
        FROM meta_field f JOIN meta_object o ON o.id = f.object_id) lines`.execute(tx)).rows[0].d ?? '', { readOnly: true });
}

/** The fingerprint of this code on one tenant's metadata now (or on the structure `digest`). */
export async function tenantFingerprint(db: Database, tenantId: string, codeHash = installCodeHash(), digest?: string): Promise<string> {
  return createHash('sha256').update(codeHash).update('|').update(digest ?? (await structureDigest(db, tenantId))).digest('hex');
}

/** Of `tenantIds`, those whose stamp is missing or differs from their fingerprint now (the ones to install). */
export async function tenantsToInstall(db: Database, tenantIds: string[], codeHash = installCodeHash()): Promise<string[]> {
  const stamps = await readInstallStamps(db);
  const stale: string[] = [];
  for (const tenantId of tenantIds) {
    const stamp = stamps.get(tenantId);
    if (!stamp || stamp !== (await tenantFingerprint(db, tenantId, codeHash))) stale.push(tenantId);
  }
  return stale;
}

async function readInstallStamps(db: Database): Promise<Map<string, string>> {
  const r = await sql<{ key: string; value: { fingerprint?: string } }>`SELECT key, value FROM install_state
    WHERE starts_with(key, ${INSTALL_STAMP_PREFIX})`.execute(db.owner);
  return new Map(r.rows.map((row) => [row.key.slice(INSTALL_STAMP_PREFIX.length), row.value.fingerprint ?? '']));
}

/**
 * Records that `tenantIds` are installed by this code (`codeHash`): on the structure
 * `digests` gives (the one the install settled on, modules.ts), else on their metadata
 * as it stands now. A tenant `digests` lacks is left as it is (its next start installs).
 */
export async function stampInstalled(db: Database, tenantIds: string[], codeHash = installCodeHash(), digests?: Map<string, string>): Promise<void> {
  for (const tenantId of tenantIds) {
    if (digests && !digests.has(tenantId)) continue;
    const value = JSON.stringify({ fingerprint: await tenantFingerprint(db, tenantId, codeHash, digests?.get(tenantId)), at: new Date().toISOString() });
    await sql`INSERT INTO install_state (key, value) VALUES (${INSTALL_STAMP_PREFIX + tenantId}, ${value}::jsonb)
      ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`.execute(db.owner);
  }
  // The one global stamp of earlier versions: nothing reads it any more.
  await sql`DELETE FROM install_state WHERE key = 'modules_installed'`.execute(db.owner);
}
