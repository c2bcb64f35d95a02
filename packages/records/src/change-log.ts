import { sql } from 'kysely';
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
    // The batch is one JSON parameter (one JSON.stringify, no array-literal escaping of
    // every diff), parsed once by the server. Audit ids follow the batch's order (ORDER BY n),
    // and the events' seq follows the audit ids: consumers see the changes in the order made.
    const batch = JSON.stringify(changes.slice(i, i + 1000).map((c) => ({ o: c.object, r: c.recordId, p: c.op, c: c.changes })));
    await sql`WITH audit AS (INSERT INTO audit_log (tenant_id, actor_id, ip, kind, object, record_id, changes)
        SELECT ${actor.tenantId}::uuid, ${actor.userId}::uuid, ${actor.ip ?? null}, 'record.' || p, o, r, c
        FROM ROWS FROM (json_to_recordset(${batch}::json) AS (o text, r uuid, p text, c jsonb)) WITH ORDINALITY AS x(o, r, p, c, n) ORDER BY n
        RETURNING id, kind, object, record_id)
      INSERT INTO outbox_event (tenant_id, object, record_id, op, actor_id, audit_id)
        SELECT ${actor.tenantId}::uuid, object, record_id, substr(kind, 8), ${actor.userId}::uuid, id FROM audit ORDER BY id`.execute(tx);
  }
}
