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
    const events = batch.map((c) => sql`(${actor.tenantId}, ${c.object}, ${c.recordId}, ${c.op}, ${JSON.stringify(c.changes)}, ${actor.userId})`);
    await sql`INSERT INTO outbox_event (tenant_id, object, record_id, op, changes, actor_id) VALUES ${sql.join(events)}`.execute(tx);
    const audits = batch.map((c) => sql`(${actor.tenantId}, ${actor.userId}, ${actor.ip ?? null}, ${`record.${c.op}`}, ${c.object}, ${c.recordId}, ${JSON.stringify(c.changes)})`);
    await sql`INSERT INTO audit_log (tenant_id, actor_id, ip, kind, object, record_id, changes) VALUES ${sql.join(audits)}`.execute(tx);
  }
}
