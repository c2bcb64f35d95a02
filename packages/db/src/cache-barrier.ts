import { sql } from 'kysely';
import type pg from 'pg';
import { logger, envNumber } from '@mosaic/kernel';
import type { Db } from './database.ts';

/**
 * The cross-process cache barrier (ADR 0012). Caches of access policies and
 * sessions are dropped in every process when a NOTIFY arrives; until it does, a
 * process could still grant what another process just revoked. So a request
 * that revokes something (a right, a role, a user, a session) calls
 * `awaitCachesDropped` after its commit: it sends `barrier:<n>` on the cache
 * channels and waits, bounded, until every live LISTEN connection of those
 * channels has recorded n in `cache_listener`. PostgreSQL delivers one
 * connection's notifications in commit order, and a listener drops its caches
 * synchronously as each notification is read, so "acked n" means "dropped
 * everything committed before the barrier". No per-request round trip is added;
 * only the changing request pays (a few milliseconds per process).
 */
export const BARRIER_PREFIX = 'barrier:';
/** Every LISTEN connection's application_name: how the barrier tells a live listener from a reused pid. */
export const LISTEN_APPLICATION_NAME = 'mosaic-listen';
export const CACHE_BARRIER_TIMEOUT_MS = envNumber('MOSAIC_CACHE_BARRIER_MS', 2000);
/** A barrier is sent again this often while waiting: a listener that started listening after the first one still answers. */
const RESEND_MS = 250;

export interface BarrierResult {
  /** Pids of live listeners that did not acknowledge within the time limit (empty: all did). */
  lagging: number[];
  waitedMs: number;
}

export async function awaitCachesDropped(db: Db, channels: string[], timeoutMs = CACHE_BARRIER_TIMEOUT_MS): Promise<BarrierResult> {
  const started = Date.now();
  const first = await sendBarrier(db, channels);
  let lastSent = started;
  let pause = 2;
  for (;;) {
    const lagging = await laggingListeners(db, channels, first);
    const waitedMs = Date.now() - started;
    if (!lagging.length) return { lagging, waitedMs };
    if (waitedMs >= timeoutMs) {
      // The change is committed either way. A listener still connected but silent is
      // a stalled process (blocked event loop, stopped, cut off): its caches expire by
      // their TTL (10 s) and it drops them when it reads its connection again.
      logger.warn({ channels, lagging, waitedMs }, 'cache barrier: live listeners did not acknowledge in time');
      return { lagging, waitedMs };
    }
    if (Date.now() - lastSent >= RESEND_MS) {
      await sendBarrier(db, channels);
      lastSent = Date.now();
    }
    await new Promise((r) => setTimeout(r, pause));
    pause = Math.min(pause * 2, 25);
  }
}

/** One sequence number, notified on every channel in one statement (one commit: the same position everywhere). */
async function sendBarrier(db: Db, channels: string[]): Promise<bigint> {
  const { rows } = await sql<{ seq: string }>`
    WITH s AS MATERIALIZED (SELECT nextval('mosaic.cache_barrier_seq') AS seq)
    SELECT s.seq::text AS seq, count(pg_notify(ch, ${BARRIER_PREFIX} || s.seq)) AS n
    FROM s, unnest(${channels}::text[]) AS ch GROUP BY s.seq`.execute(db);
  return BigInt(rows[0].seq);
}

async function laggingListeners(db: Db, channels: string[], seq: bigint): Promise<number[]> {
  const { rows } = await sql<{ pid: number }>`
    SELECT l.pid FROM mosaic.cache_listener l
    WHERE l.channels && ${channels}::text[] AND l.acked < ${seq.toString()}::bigint
      AND EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = l.pid AND a.datname = current_database()
                  AND a.application_name = ${LISTEN_APPLICATION_NAME})`.execute(db);
  return rows.map((r) => r.pid);
}

/**
 * Run by a LISTEN connection once it listens: its row, with nothing acknowledged
 * yet (a pid may be reused), and the rows of connections that are gone. A row's
 * pid counts as live only while a LISTEN connection of this database holds it
 * (pid, database and application_name are visible to every role in
 * pg_stat_activity): a dead process's pid taken by a pool connection is not waited for.
 */
export async function registerListener(client: pg.Client, channels: string[]): Promise<void> {
  try {
    await client.query(
      `DELETE FROM mosaic.cache_listener l WHERE NOT EXISTS (SELECT 1 FROM pg_stat_activity a
         WHERE a.pid = l.pid AND a.datname = current_database() AND a.application_name = $1)`,
      [LISTEN_APPLICATION_NAME],
    );
    await client.query(
      `INSERT INTO mosaic.cache_listener (pid, channels) VALUES (pg_backend_pid(), $1)
       ON CONFLICT (pid) DO UPDATE SET channels = EXCLUDED.channels, acked = 0, connected_at = now(), acked_at = NULL`,
      [channels],
    );
  } catch (err) {
    // A database not yet migrated to 0063 (a listener in a tool or an old test copy): it listens, unregistered.
    if ((err as { code?: string }).code !== '42P01') throw err;
  }
}

/** Run by a LISTEN connection when it reads `barrier:<n>`: everything before it was handled. */
export function acknowledgeBarrier(client: pg.Client, payload: string): void {
  const seq = payload.slice(BARRIER_PREFIX.length);
  if (!/^\d+$/.test(seq)) return;
  client.query(`UPDATE mosaic.cache_listener SET acked = greatest(acked, $1::bigint), acked_at = now() WHERE pid = pg_backend_pid()`, [seq])
    .catch((err) => logger.warn({ err }, 'cache barrier: acknowledgement failed'));
}
