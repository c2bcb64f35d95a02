import { sql } from 'kysely';
import type { Tx } from '@mosaic/db';
import type { Actor } from '@mosaic/access';

/**
 * Every record change writes, in the same transaction, one domain event to the
 * outbox (for rules, webhooks, dashboards) and one audit entry (who, when, from
 * where, old → new). One statement writes both, 1,000 changes at a time, so bulk
 * writes stay cheap.
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
    // every diff), parsed once by the server and written to both tables by one statement.
    const batch = JSON.stringify(changes.slice(i, i + 1000).map((c) => ({ o: c.object, r: c.recordId, p: c.op, c: c.changes })));
    await sql`WITH x AS MATERIALIZED (SELECT o, r, p, c FROM json_to_recordset(${batch}::json) AS x(o text, r uuid, p text, c jsonb)),
      events AS (INSERT INTO outbox_event (tenant_id, object, record_id, op, changes, actor_id)
        SELECT ${actor.tenantId}::uuid, o, r, p, c, ${actor.userId}::uuid FROM x)
      INSERT INTO audit_log (tenant_id, actor_id, ip, kind, object, record_id, changes)
        SELECT ${actor.tenantId}::uuid, ${actor.userId}::uuid, ${actor.ip ?? null}, 'record.' || p, o, r, c FROM x`.execute(tx);
  }
}
