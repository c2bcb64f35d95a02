import { sql } from 'kysely';
import { inTenantTx, type Db, type Tx } from '@mosaic/db';

export interface DomainEvent {
  seq: number;
  txid: string;
  object: string;
  recordId: string;
  op: string;
  changes: Record<string, [unknown, unknown]>;
  actorId: string | null;
  at: Date;
  /** Set on writes made by rules and public forms (outbox_event.cause). */
  cause?: unknown;
}

/**
 * Reads the next events for `consumer` after its cursor, in commit-safe order:
 * only events whose transaction id is below the oldest transaction still
 * running, so one that commits late can never land behind the cursor.
 *
 *   SELECT … FROM outbox_event WHERE (txid, seq) > ($cursor) AND txid < pg_snapshot_xmin(pg_current_snapshot())
 *   ORDER BY txid, seq LIMIT $n
 */
export async function readEvents(db: Db, tenantId: string, consumer: string, limit = 500): Promise<DomainEvent[]> {
  return inTenantTx(db, { tenantId }, (tx) => readEventsIn(tx, consumer, limit));
}

/**
 * readEvents inside the caller's transaction (set to the tenant): the cursor and the events are one
 * statement. A consumer that reads, handles and acks in one transaction (the rules engine) spends one
 * transaction per batch instead of two.
 */
export async function readEventsIn(tx: Tx, consumer: string, limit = 500): Promise<DomainEvent[]> {
  // The change set lives in the event's audit entry (ADR 0010); events from before it carry their own.
  const rows = await sql<Record<string, any>>`WITH cur AS (SELECT last_txid, last_seq FROM event_cursor WHERE consumer = ${consumer})
    SELECT e.seq, e.txid::text AS txid, e.object, e.record_id, e.op, COALESCE(a.changes, e.changes) AS changes, e.actor_id, e.at, e.cause
      FROM outbox_event e LEFT JOIN audit_log a ON a.tenant_id = e.tenant_id AND a.id = e.audit_id
      WHERE (e.txid, e.seq) > (COALESCE((SELECT last_txid FROM cur), '0'::xid8), COALESCE((SELECT last_seq FROM cur), 0::bigint))
        AND e.txid < pg_snapshot_xmin(pg_current_snapshot())
      ORDER BY e.txid, e.seq LIMIT ${limit}`.execute(tx);
  return rows.rows.map((r) => ({
    seq: Number(r.seq), txid: r.txid, object: r.object, recordId: r.record_id, op: r.op, changes: r.changes, actorId: r.actor_id, at: r.at, cause: r.cause ?? null,
  }));
}

/** Moves the consumer's cursor past `event` (call after handling it: delivery is at least once). */
export async function ackEvents(db: Db, tenantId: string, consumer: string, event: Pick<DomainEvent, 'txid' | 'seq'>): Promise<void> {
  await inTenantTx(db, { tenantId }, (tx) => ackEventsIn(tx, tenantId, consumer, event));
}

/** ackEvents inside the caller's transaction: the cursor moves when that transaction commits. */
export async function ackEventsIn(tx: Tx, tenantId: string, consumer: string, event: Pick<DomainEvent, 'txid' | 'seq'>): Promise<void> {
  await sql`INSERT INTO event_cursor (tenant_id, consumer, last_txid, last_seq) VALUES (${tenantId}, ${consumer}, ${event.txid}::xid8, ${event.seq})
    ON CONFLICT (tenant_id, consumer) DO UPDATE SET last_txid = EXCLUDED.last_txid, last_seq = EXCLUDED.last_seq, updated_at = now()
    WHERE (event_cursor.last_txid, event_cursor.last_seq) < (EXCLUDED.last_txid, EXCLUDED.last_seq)`.execute(tx);
}

/** Reads a batch, hands it to `handle`, then acks it. Returns how many events were handled. */
export async function consumeEvents(db: Db, tenantId: string, consumer: string, handle: (events: DomainEvent[]) => Promise<void>, limit = 500): Promise<number> {
  const events = await readEvents(db, tenantId, consumer, limit);
  if (!events.length) return 0;
  await handle(events);
  await ackEvents(db, tenantId, consumer, events[events.length - 1]);
  return events.length;
}
