import { sql } from 'kysely';
import { inTenantTx, type Db } from '@mosaic/db';

export interface DomainEvent {
  seq: number;
  txid: string;
  object: string;
  recordId: string;
  op: string;
  changes: Record<string, [unknown, unknown]>;
  actorId: string | null;
  at: Date;
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
  return inTenantTx(db, { tenantId }, async (tx) => {
    const cur = (await sql<{ last_txid: string; last_seq: string }>`SELECT last_txid::text, last_seq FROM event_cursor WHERE consumer = ${consumer}`.execute(tx)).rows[0];
    // The change set lives in the event's audit entry (ADR 0010); events from before it carry their own.
    const rows = await sql<Record<string, any>>`SELECT e.seq, e.txid::text AS txid, e.object, e.record_id, e.op, COALESCE(a.changes, e.changes) AS changes, e.actor_id, e.at
      FROM outbox_event e LEFT JOIN audit_log a ON a.tenant_id = e.tenant_id AND a.id = e.audit_id
      WHERE (e.txid, e.seq) > (${cur?.last_txid ?? '0'}::xid8, ${cur?.last_seq ?? 0}::bigint)
        AND e.txid < pg_snapshot_xmin(pg_current_snapshot())
      ORDER BY e.txid, e.seq LIMIT ${limit}`.execute(tx);
    return rows.rows.map((r) => ({
      seq: Number(r.seq), txid: r.txid, object: r.object, recordId: r.record_id, op: r.op, changes: r.changes, actorId: r.actor_id, at: r.at,
    }));
  });
}

/** Moves the consumer's cursor past `event` (call after handling it: delivery is at least once). */
export async function ackEvents(db: Db, tenantId: string, consumer: string, event: Pick<DomainEvent, 'txid' | 'seq'>): Promise<void> {
  await inTenantTx(db, { tenantId }, async (tx) => {
    await sql`INSERT INTO event_cursor (tenant_id, consumer, last_txid, last_seq) VALUES (${tenantId}, ${consumer}, ${event.txid}::xid8, ${event.seq})
      ON CONFLICT (tenant_id, consumer) DO UPDATE SET last_txid = EXCLUDED.last_txid, last_seq = EXCLUDED.last_seq, updated_at = now()
      WHERE (event_cursor.last_txid, event_cursor.last_seq) < (EXCLUDED.last_txid, EXCLUDED.last_seq)`.execute(tx);
  });
}

/** Reads a batch, hands it to `handle`, then acks it. Returns how many events were handled. */
export async function consumeEvents(db: Db, tenantId: string, consumer: string, handle: (events: DomainEvent[]) => Promise<void>, limit = 500): Promise<number> {
  const events = await readEvents(db, tenantId, consumer, limit);
  if (!events.length) return 0;
  await handle(events);
  await ackEvents(db, tenantId, consumer, events[events.length - 1]);
  return events.length;
}
