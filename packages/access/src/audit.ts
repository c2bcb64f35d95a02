import { sql, type Tx } from '@mosaic/db';
import type { Actor } from './access.types.ts';

/**
 * An audit entry for a change to users, roles, permissions or the
 * organisation, in the same transaction as the change. `object` names the
 * kind of thing changed ('admin.role', 'admin.user', …: no record object can be
 * called that), `id` the thing.
 *
 *   INSERT INTO audit_log (tenant_id, actor_id, ip, kind, object, record_id, changes, detail) VALUES (…)
 */
export async function auditAdmin(
  tx: Tx, actor: Pick<Actor, 'tenantId' | 'ip'> & { userId: string | null }, kind: string,
  target: { object: string; id: string | null }, changes: Record<string, [unknown, unknown]> | null, detail: unknown = null,
): Promise<void> {
  await sql`INSERT INTO audit_log (tenant_id, actor_id, ip, kind, object, record_id, changes, detail)
    VALUES (${actor.tenantId}, ${actor.userId}, ${actor.ip ?? null}, ${kind}, ${target.object}, ${target.id},
      ${changes === null ? null : JSON.stringify(changes)}::jsonb, ${detail === null ? null : JSON.stringify(detail)}::jsonb)`.execute(tx);
}

/** { key: [old, new] } for the keys that differ. */
export function changesOf(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, [unknown, unknown]> {
  const out: Record<string, [unknown, unknown]> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (JSON.stringify(before[key] ?? null) !== JSON.stringify(after[key] ?? null)) out[key] = [before[key] ?? null, after[key] ?? null];
  }
  return out;
}
