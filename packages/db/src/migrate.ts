import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import pg from 'pg';
import { APP_ROLE, OWNER_ROLE } from './config.ts';

// Found through the package, not this file's location: the server also runs bundled
// (apps/server/dist/main.mjs, scripts/build-server.mjs), where this file is not on disk.
const CORE_MIGRATIONS = path.join(path.dirname(createRequire(import.meta.url).resolve('@mosaic/db')), 'migrations');

/** A migration folder: `NNNN_name.sql` files applied once each, in name order. */
export interface MigrationSource {
  name: string; // e.g. "core", "finance"
  dir: string;
}

/**
 * Brings the database to the current schema. Connects with the URL's user
 * (a superuser or a role with CREATEROLE), makes sure the two application roles
 * exist, then applies every pending migration as the owner role — under an
 * advisory lock, so several processes starting at once apply each file once.
 */
export async function migrate(url: string, sources: MigrationSource[] = []): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock(7283001)');
    await ensureRoles(client);
    await client.query(`SET ROLE ${OWNER_ROLE}`);
    await client.query('SET search_path = mosaic, public');
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migration (
      source text NOT NULL, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (source, name))`);
    for (const source of [{ name: 'core', dir: CORE_MIGRATIONS }, ...sources]) {
      const done = new Set(
        (await client.query('SELECT name FROM schema_migration WHERE source = $1', [source.name])).rows.map((r) => r.name),
      );
      const files = fs.readdirSync(source.dir).filter((f) => /^\d{4}_.*\.sql$/.test(f)).sort();
      for (const file of files.filter((f) => !done.has(f))) {
        const text = fs.readFileSync(path.join(source.dir, file), 'utf8');
        await client.query('BEGIN');
        try {
          await client.query(text);
          await client.query('INSERT INTO schema_migration (source, name) VALUES ($1, $2)', [source.name, file]);
          await client.query('COMMIT');
        } catch (e) {
          await client.query('ROLLBACK');
          throw new Error(`migration ${source.name}/${file} failed: ${(e as Error).message}`, { cause: e });
        }
        applied.push(`${source.name}/${file}`);
      }
    }
  } finally {
    await client.query('RESET ROLE').catch(() => {});
    await client.query('SELECT pg_advisory_unlock(7283001)').catch(() => {});
    await client.end();
  }
  return applied;
}

/**
 * mosaic_owner owns the schema and every table; mosaic_app owns nothing and is
 * not a superuser, so row-level security always applies to it. Whatever the
 * owner creates later (a custom object's table at run time) is granted to the
 * app role by default privileges.
 */
async function ensureRoles(client: pg.Client, opts: { schema?: boolean } = {}): Promise<void> {
  for (const role of [OWNER_ROLE, APP_ROLE]) {
    const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
    if (exists.rowCount === 0) {
      await client.query(`CREATE ROLE ${role} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE`);
    }
  }
  const me = (await client.query('SELECT current_user AS u')).rows[0].u as string;
  await client.query(`GRANT ${OWNER_ROLE}, ${APP_ROLE} TO ${pg.escapeIdentifier(me)}`).catch(() => {});
  const db = (await client.query('SELECT current_database() AS d')).rows[0].d as string;
  await client.query(`GRANT CONNECT ON DATABASE ${pg.escapeIdentifier(db)} TO ${APP_ROLE}, ${OWNER_ROLE}`);
  await client.query(`GRANT CREATE ON DATABASE ${pg.escapeIdentifier(db)} TO ${OWNER_ROLE}`);
  if (opts.schema === false) return;
  await client.query(`CREATE SCHEMA IF NOT EXISTS mosaic AUTHORIZATION ${OWNER_ROLE}`);
  await client.query(`GRANT USAGE ON SCHEMA mosaic TO ${APP_ROLE}`);
  await client.query(`ALTER DEFAULT PRIVILEGES FOR ROLE ${OWNER_ROLE} IN SCHEMA mosaic
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${APP_ROLE}`);
  await client.query(`ALTER DEFAULT PRIVILEGES FOR ROLE ${OWNER_ROLE} IN SCHEMA mosaic
    GRANT USAGE, SELECT ON SEQUENCES TO ${APP_ROLE}`);
}

/**
 * Before restoring a dump into an empty database: the cluster-wide roles the
 * dump's owners and grants name must exist; the schema comes from the dump.
 */
export async function prepareRolesForRestore(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await ensureRoles(client, { schema: false });
  } finally {
    await client.end();
  }
}
