import type { CompiledQuery } from 'kysely';
import pg from 'pg';
import type { Db, TxScope } from './database.ts';

// pg's own value mapping (Date, arrays, JSON, Buffer → wire text), exactly what its Query applies.
// @ts-expect-error pg's internals ship without types
import pgUtils from 'pg/lib/utils.js';

const prepareValue = (pgUtils as { prepareValue(v: unknown): unknown }).prepareValue;

/** The raw pg pool behind each of openDatabase's Kysely instances (the pipelined read needs the protocol). */
const pools = new WeakMap<Db, pg.Pool>();

export function registerPool(db: Db, pool: pg.Pool): void {
  pools.set(db, pool);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// The scope of the read: tenant and user for row-level security, and read-only like
// inTenantTx's BEGIN READ ONLY. is_local: they end with the implicit transaction.
const SCOPE_SQL = `SELECT set_config('mosaic.tenant_id', $1, true), set_config('mosaic.user_id', $2, true), set_config('transaction_read_only', 'on', true)`;

/**
 * Reads for a tenant in ONE round trip: the tenant settings and the statements go to
 * the server together as one extended-protocol pipeline (Parse/Bind/Describe/Execute
 * each, one Sync). PostgreSQL runs everything before a Sync as one implicit
 * transaction, so `set_config(…, true)` holds for the statements after it and ends at
 * the Sync — the connection goes back to the pool with no tenant, as after inTenantTx.
 * If the settings fail, the server skips the rest up to the Sync: no statement runs
 * without its tenant. inTenantTx({ readOnly }) costs two round trips before the rows
 * arrive (BEGIN + settings, then the statement): this is for hot reads that need no
 * result of one statement to build the next (get-by-id with its child rows).
 */
export async function tenantRead(db: Db, scope: TxScope, queries: CompiledQuery[]): Promise<Record<string, unknown>[][]> {
  if (!UUID.test(scope.tenantId) || (scope.userId && !UUID.test(scope.userId))) throw new Error('tenantRead: tenant and user must be UUIDs');
  const pool = pools.get(db);
  if (!pool) throw new Error('tenantRead: not a pool made by openDatabase');
  const statements = [{ text: SCOPE_SQL, values: [scope.tenantId, scope.userId ?? ''] }, ...queries.map((q) => ({ text: q.sql, values: [...q.parameters] }))];
  // Values are mapped before anything is sent: a value pg cannot send fails here, not halfway through the pipeline.
  const mapped = statements.map((s) => ({ text: s.text, values: s.values.map((v) => prepareValue(v)) }));
  const client = await pool.connect();
  try {
    const results = await new Promise<pg.QueryResult[]>((resolve, reject) => {
      client.query(new PipelinedRead(mapped, (err, res) => (err ? reject(err) : resolve(res))));
    });
    return results.slice(1).map((r) => r.rows);
  } finally {
    client.release();
  }
}

/**
 * pg's Query, sending several statements before one Sync. pg's own result handling
 * already collects one Result per RowDescription (as for a multi-statement simple
 * query), so only the sending is ours.
 */
class PipelinedRead extends (pg.Query as unknown as new (config: object, values: undefined, callback: (err: Error | null, res: pg.QueryResult[]) => void) => pg.Submittable) {
  constructor(private readonly statements: { text: string; values: unknown[] }[], callback: (err: Error | null, res: pg.QueryResult[]) => void) {
    super({ text: statements[0].text, values: statements[0].values }, undefined, callback);
  }

  prepare(connection: any): void {
    for (const s of this.statements) {
      connection.parse({ text: s.text, name: '' });
      connection.bind({ portal: '', statement: '', values: s.values });
      connection.describe({ type: 'P', name: '' });
      connection.execute({ portal: '', rows: 0 });
    }
    connection.sync();
  }
}
