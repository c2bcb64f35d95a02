import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { APP_ROLE, OWNER_ROLE } from './config.ts';
import { runBeforeCommit } from './commit-hook.ts';
import { retryOnLockConflict } from './retry.ts';
import { registerPool } from './tenant-read.ts';

// NUMERIC stays a string (decimal.js takes it from there); bigint counts become
// numbers; dates stay 'YYYY-MM-DD' so no time zone shifts a calendar day.
pg.types.setTypeParser(20, bigintValue);
pg.types.setTypeParser(1082, (v) => v);

/**
 * A bigint as a number while a double holds it exactly, else its digits: a value past 2^53
 * (an integer field filled outside the API, which refuses one) is never silently rounded.
 */
export function bigintValue(text: string): number | string {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : text;
}

export type Db = Kysely<any>;
/** A connection inside a transaction (from inTenantTx or db.transaction()). */
export type Tx = Kysely<any>;

/**
 * The two connection pools. `app` is what request handlers use: it runs as
 * mosaic_app, which owns nothing, so row-level security always applies.
 * `owner` runs DDL for metadata changes and migrations-time work; it is still
 * subject to FORCE'd RLS, so it too needs the tenant set for tenant data.
 */
export interface Database {
  app: Db;
  owner: Db;
  url: string;
  /** The read replica's app-role pool, when DATABASE_REPLICA_URL is set; see replica.ts. */
  replica?: Db;
  close(): Promise<void>;
}

export function openDatabase(url: string, opts: { appPoolSize?: number; ownerPoolSize?: number; replicaUrl?: string } = {}): Database {
  const makePool = (role: string, max: number, server = url) => {
    const pool = new pg.Pool({
      connectionString: server,
      max,
      // The role is fixed at connection start; nothing the app sends can leave it.
      options: `-c role=${role} -c search_path=mosaic,public -c statement_timeout=60000`,
      idleTimeoutMillis: 30_000,
    });
    // A client checked out for a transaction but between two queries when the server ends its
    // connection (pg_terminate_backend, a restart, a failover) emits 'error' with no pool listener
    // attached: without this the whole process dies (bench/day found it). The transaction's next
    // query fails instead, the request answers 5xx, and the pool drops the broken client on release.
    pool.on('connect', (client) => client.on('error', () => {}));
    return pool;
  };
  const appPool = makePool(APP_ROLE, opts.appPoolSize ?? 20);
  const ownerPool = makePool(OWNER_ROLE, opts.ownerPoolSize ?? 4);
  // An idle client losing its server (restart, failover) must not crash the process.
  appPool.on('error', () => {});
  ownerPool.on('error', () => {});
  const app = new Kysely<any>({ dialect: new PostgresDialect({ pool: appPool }) });
  const owner = new Kysely<any>({ dialect: new PostgresDialect({ pool: ownerPool }) });
  registerPool(app, appPool);
  let replica: Db | undefined;
  if (opts.replicaUrl) {
    const replicaPool = makePool(APP_ROLE, opts.appPoolSize ?? 20, opts.replicaUrl);
    replicaPool.on('error', () => {});
    replica = new Kysely<any>({ dialect: new PostgresDialect({ pool: replicaPool }) });
    registerPool(replica, replicaPool);
  }
  return {
    app,
    owner,
    url,
    replica,
    async close() {
      await Promise.all([app.destroy(), owner.destroy(), replica?.destroy()]);
    },
  };
}

/** Who a transaction runs for. The tenant comes from the session, never from a request body. */
export interface TxScope {
  tenantId: string;
  userId?: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Runs `fn` in a transaction with the tenant (and user) set for row-level
 * security, retrying on serialization failures and deadlocks with jittered
 * backoff — so `fn` must not have side effects outside the database (use the
 * outbox for mail and webhooks).
 *
 * BEGIN and the settings go to the server in one round trip (a simple-protocol
 * multi-statement; the ids are checked UUIDs, never free text):
 *
 *   BEGIN; SELECT set_config('mosaic.tenant_id', '<uuid>', true), set_config('mosaic.user_id', '<uuid>', true)
 */
export async function inTenantTx<T>(
  db: Db,
  scope: TxScope,
  fn: (tx: Tx) => Promise<T>,
  opts: { isolation?: 'read committed' | 'repeatable read' | 'serializable'; attempts?: number; readOnly?: boolean } = {},
): Promise<T> {
  if (!UUID.test(scope.tenantId) || (scope.userId && !UUID.test(scope.userId))) throw new Error('inTenantTx: tenant and user must be UUIDs');
  const attempts = opts.attempts ?? 5;
  const mode = [opts.isolation ? ` ISOLATION LEVEL ${opts.isolation.toUpperCase()}` : '', opts.readOnly ? ' READ ONLY' : ''].join('');
  const begin = `BEGIN${mode}; SELECT set_config('mosaic.tenant_id', '${scope.tenantId}', true), set_config('mosaic.user_id', '${scope.userId ?? ''}', true)`;
  return retryOnLockConflict(() => runOnce(db, begin, fn, opts.readOnly ?? false), { attempts });
}

/**
 * One attempt of inTenantTx. A read-only transaction (BEGIN READ ONLY: PostgreSQL refuses any
 * write in it) hands its result back as soon as `fn` has it and ends with COMMIT behind the
 * caller's back: the reply of a GET does not wait for that round trip. The connection goes back
 * to the pool only after the COMMIT, so the next user of it always starts on a clean one.
 */
function runOnce<T>(db: Db, begin: string, fn: (tx: Tx) => Promise<T>, readOnly: boolean): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    db.connection()
      .execute(async (conn) => {
        await sql.raw(begin).execute(conn);
        let result: T;
        try {
          result = await fn(conn);
          if (!readOnly) {
            const committed = await runBeforeCommit(conn, result);
            await sql.raw('COMMIT').execute(conn);
            committed?.();
          }
        } catch (e) {
          await sql.raw('ROLLBACK').execute(conn).catch(() => {});
          throw e;
        }
        resolve(result);
        // Nothing to lose if a read-only COMMIT fails (the connection broke): pg drops that client.
        if (readOnly) await sql.raw('COMMIT').execute(conn).catch(() => {});
      })
      .catch(reject); // after resolve() this is a no-op
  });
}

/** Sets the tenant inside an already open transaction (e.g. the owner pool's DDL transaction). */
export async function setTenant(tx: Tx, scope: TxScope): Promise<void> {
  await sql`SELECT set_config('mosaic.tenant_id', ${scope.tenantId}, true), set_config('mosaic.user_id', ${scope.userId ?? ''}, true)`.execute(tx);
}

/** PostgreSQL error code of a thrown error, if it came from the server. */
export function pgCode(e: unknown): string | undefined {
  return (e as { code?: string } | null)?.code;
}
