import { sql } from 'kysely';
import { logger } from '@mosaic/kernel';
import type { Database } from './database.ts';

/**
 * Reads that may go to the streaming replica (reports, dashboards, exports),
 * with read-your-writes: a request that carries the WAL position of the
 * user's last write reads the replica only once it has replayed that far,
 * else the primary. A replica that is down, or not a standby, is skipped.
 *
 *   replica:  SELECT pg_last_wal_replay_lsn()   -- cached for REPLAY_CACHE_MS
 *   primary:  SELECT pg_current_wal_lsn()       -- after each write request
 */
const REPLAY_CACHE_MS = 200;

export interface ReplicaState {
  replayLsn: string;
  /** Seconds since the last transaction the replica replayed was committed on the primary (null: none yet). */
  replayAgeSeconds: number | null;
}

const states = new WeakMap<Database, { at: number; state: Promise<ReplicaState | null> }>();

/** The replica's replay position (briefly cached); null when there is no usable replica. */
export function replicaState(db: Database): Promise<ReplicaState | null> {
  if (!db.replica) return Promise.resolve(null);
  const hit = states.get(db);
  if (hit && Date.now() - hit.at < REPLAY_CACHE_MS) return hit.state;
  const state = sql<{ lsn: string | null; age: number | null }>`SELECT pg_last_wal_replay_lsn()::text AS lsn,
      extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8 AS age`.execute(db.replica)
    .then((r) => (r.rows[0]?.lsn ? { replayLsn: r.rows[0].lsn, replayAgeSeconds: r.rows[0].age } : null))
    .catch((e) => {
      logger.warn({ err: e }, 'read replica unreachable; reading the primary');
      return null;
    });
  states.set(db, { at: Date.now(), state });
  return state;
}

/**
 * The database to read from: the same handles with `app` on the replica when
 * it is usable and has replayed `minLsn` (the user's last write), else `db` itself.
 */
export async function readDatabase(db: Database, minLsn?: string): Promise<Database> {
  const state = await replicaState(db);
  if (!state || (minLsn && !lsnAtLeast(state.replayLsn, minLsn))) return db;
  return { ...db, app: db.replica! };
}

/** The primary's current WAL position: what a later read must see. */
export async function currentWalLsn(db: Database): Promise<string> {
  return (await sql<{ lsn: string }>`SELECT pg_current_wal_lsn()::text AS lsn`.execute(db.app)).rows[0].lsn;
}

export const LSN_RE = /^[0-9A-F]{1,8}\/[0-9A-F]{1,8}$/i;

/** PostgreSQL LSNs are "hi/lo" in hex: compare as one 64-bit number. */
export function lsnAtLeast(a: string, b: string): boolean {
  return lsnValue(a) >= lsnValue(b);
}

export function lsnValue(lsn: string): bigint {
  const [hi, lo] = lsn.split('/');
  return (BigInt(`0x${hi}`) << 32n) + BigInt(`0x${lo}`);
}
