import pg from 'pg';
import { inject } from 'vitest';
import type { TestDb } from './test-db.ts';

/**
 * Cuts a test database's LISTEN connections and keeps them out, so a test can look at
 * a cache while its listener is lost. Refusing new connections needs a connection to
 * another database: a database cannot refuse connections from inside itself.
 */
export interface ListenerCut {
  /** A superuser connection to the test database itself (NOTIFY, direct changes). */
  admin: pg.Client;
  /** Refuses new connections to the database and ends the running listeners ('mosaic-listen'). */
  loseListeners(): Promise<void>;
  /** Lets connections (the listeners' reconnects) in again. */
  allowBack(): Promise<void>;
  close(): Promise<void>;
}

export async function listenerCut(t: TestDb): Promise<ListenerCut> {
  const admin = new pg.Client({ connectionString: t.url });
  await admin.connect();
  const dbName = (await admin.query<{ d: string }>('SELECT current_database() AS d')).rows[0].d;
  const outside = new pg.Client({ connectionString: inject('pgAdminUrl') });
  await outside.connect();
  const allowBack = async () => {
    await outside.query(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS true`);
  };
  return {
    admin,
    async loseListeners() {
      await outside.query(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS false`);
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'mosaic-listen' AND datname = current_database()`);
    },
    allowBack,
    async close() {
      await allowBack().catch(() => {});
      await outside.end();
      await admin.end();
    },
  };
}
