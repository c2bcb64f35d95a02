import { sql } from 'kysely';
import type { Tx } from '@mosaic/db';
import type { Actor } from '@mosaic/access';

/**
 * Every record change writes, in the same transaction, one domain event to the
 * outbox (for rules, webhooks, dashboards) and one audit entry (who, when, from
 * where, old → new). Both are multi-row inserts so bulk writes stay cheap.
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
    const batch = changes.slice(i, i + 1000);
    const objects = batch.map((c) => c.object);
    const ids = batch.map((c) => c.recordId);
    const ops = batch.map((c) => c.op);
    const diffs = batch.map((c) => JSON.stringify(c.changes));
    // Array parameters, one per column: a thousand events bind as six values.
    // Outbox and audit from the same arrays in one statement (two round trips were paid on every write).
    await sql`WITH x AS (SELECT * FROM unnest(${objects}::text[], ${ids}::uuid[], ${ops}::text[], ${diffs}::text[]) AS x(o, r, p, c)),
      outbox AS (INSERT INTO outbox_event (tenant_id, object, record_id, op, changes, actor_id)
        SELECT ${actor.tenantId}::uuid, o, r, p, c::jsonb, ${actor.userId}::uuid FROM x)
      INSERT INTO audit_log (tenant_id, actor_id, ip, kind, object, record_id, changes)
      SELECT ${actor.tenantId}::uuid, ${actor.userId}::uuid, ${actor.ip ?? null}, 'record.' || p, o, r, c::jsonb FROM x`.execute(tx);
  }
}
