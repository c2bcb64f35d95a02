import fs from 'node:fs';
import { execFileSync } from 'node:child_process';

/**
 * pg_dump / pg_restore / pg_basebackup: the embedded server package ships only
 * the server, so these come from the machine's PostgreSQL client (Debian's
 * postgresql-client, same major version 15 as the embedded server — see
 * docs/adr/0002-postgresql-15.md). PG_BIN_DIR overrides the search.
 */
export function findPgTool(name: 'pg_dump' | 'pg_restore' | 'pg_basebackup' | 'psql'): string {
  const dirs = [process.env.PG_BIN_DIR, '/usr/lib/postgresql/15/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/17/bin'].filter(Boolean) as string[];
  for (const d of dirs) if (fs.existsSync(`${d}/${name}`)) return `${d}/${name}`;
  try {
    return execFileSync('which', [name], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(`${name} not found: install the PostgreSQL client (Debian: apt-get install postgresql-client-15) or set PG_BIN_DIR`);
  }
}
