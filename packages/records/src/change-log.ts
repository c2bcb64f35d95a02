import { sql, type RawBuilder } from 'kysely';
import type { Tx } from '@mosaic/db';
import type { Actor } from '@mosaic/access';

/**
 * Every record change writes, in the same transaction, one audit entry (who, when,
 * from where, old → new) and one domain event to the outbox (for rules, webhooks,
 * dashboards). The change set is stored once, in the audit entry; the event carries
 * the entry's id and readEvents joins it back (ADR 0010). One statement writes both,
 * 1,000 changes at a time, so bulk writes stay cheap.
 */
export interface Change {
  object: string;
  recordId: string;
  op: 'create' | 'update' | 'delete' | string;
  changes: Record<string, [unknown, unknown]>;
}

export async function logChanges(tx: Tx, actor: Actor, changes: Change[]): Promise<void> {
  if (!changes.length) return;
  for (let i = 0; i < changes.length; i += 1000) {
    await sql`WITH ${auditCte(actor, changes.slice(i, i + 1000))} ${eventsInsert(actor)}`.execute(tx);
  }
}

/**
 * logChanges for a few changes, and in the same statement a read (`then`, a SELECT) — one round
 * trip where a document transition would spend two. The read sees every earlier statement of the
 * transaction (not the audit and event rows this one writes, which it does not need).
 */
export async function logChangesThenRead<R>(tx: Tx, actor: Actor, changes: Change[], then: RawBuilder<R>): Promise<R[]> {
  if (!changes.length || changes.length > 1000) throw new Error('logChangesThenRead: 1 to 1,000 changes');
  return (await sql<R>`WITH ${auditCte(actor, changes)}, events AS (${eventsInsert(actor)}) ${then}`.execute(tx)).rows;
}

/**
 * The audit and event writes as two CTEs (`audit`, `events`) for a caller that joins them
 * to a statement of its own (createPostedVoucher's posting): `WITH ${logChangesCtes(...)}, … SELECT …`.
 */
export function logChangesCtes(actor: Actor, changes: Change[]): RawBuilder<unknown> {
  if (!changes.length || changes.length > 1000) throw new Error('logChangesCtes: 1 to 1,000 changes');
  return sql`${auditCte(actor, changes)}, events AS (${eventsInsert(actor)})`;
}

// The batch is one JSON parameter (one JSON.stringify, no array-literal escaping of
// every diff), parsed once by the server. Audit ids follow the batch's order (ORDER BY n),
// and the events' seq follows the audit ids: consumers see the changes in the order made.
function auditCte(actor: Actor, changes: Change[]): RawBuilder<unknown> {
  const batch = JSON.stringify(changes.map((c) => ({ o: c.object, r: c.recordId, p: c.op, c: c.changes })));
  return sql`audit AS (INSERT INTO audit_log (tenant_id, actor_id, ip, kind, object, record_id, changes)
        SELECT ${actor.tenantId}::uuid, ${actor.userId}::uuid, ${actor.ip ?? null}, 'record.' || p, o, r, c
        FROM ROWS FROM (json_to_recordset(${batch}::json) AS (o text, r uuid, p text, c jsonb)) WITH ORDINALITY AS x(o, r, p, c, n) ORDER BY n
        RETURNING id, kind, object, record_id)`;
}

function eventsInsert(actor: Actor): RawBuilder<unknown> {
  return sql`INSERT INTO outbox_event (tenant_id, object, record_id, op, actor_id, audit_id)
        SELECT ${actor.tenantId}::uuid, object, record_id, substr(kind, 8), ${actor.userId}::uuid, id FROM audit ORDER BY id`;
}
