import { sql } from 'kysely';
import type { Tx } from '@mosaic/db';
import type { FlowRow } from '../approval.types.ts';
import { registerProcessCache } from '@mosaic/kernel';

/**
 * The active flows of a document object, which every submit asks for ("does this
 * object have an approval flow?"), read in the submit's own transaction.
 *
 * Which flows are active is always asked of the database, in that transaction: a
 * flow activated through another process a moment ago is seen by this submit, or
 * the submit would go through unapproved (a per-process cache dropped over NOTIFY
 * left that window open). Only the flows' definitions are cached per process: an
 * activated flow version is frozen (editing it makes a new version, a new row), so
 * the ids of the active rows say exactly what the cached rows hold. When no flow is
 * active, the answer is one small indexed query.
 */
const cache = new Map<string, { ids: string; flows: FlowRow[] }>();
registerProcessCache(() => cache.clear());

/** The ids of the object's active flows (text[]), as an expression another statement of the transaction can read. */
export function activeFlowIdsSql(object: string) {
  return sql<string[]>`ARRAY(SELECT f.id::text FROM approval_flow f WHERE f.object = ${object} AND f.active ORDER BY f.id)`;
}

/**
 * The object's active flows, by priority then name, as the transaction `tx` sees them.
 * `liveIds`: activeFlowIdsSql's answer, read earlier in the same transaction (a submit's row lock).
 */
export async function activeFlows(tx: Tx, tenantId: string, object: string, liveIds?: string[]): Promise<FlowRow[]> {
  const live = liveIds ? liveIds.map((id) => ({ id }))
    : (await sql<{ id: string }>`SELECT id FROM approval_flow WHERE object = ${object} AND active ORDER BY id`.execute(tx)).rows;
  if (!live.length) return [];
  const key = `${tenantId}:${object}`;
  const ids = live.map((r) => r.id).join(',');
  const hit = cache.get(key);
  if (hit?.ids === ids) return hit.flows;
  const flows = (await sql<FlowRow>`SELECT * FROM approval_flow WHERE id = ANY(${live.map((r) => r.id)}::uuid[])`.execute(tx)).rows
    .sort((a, b) => (a.definition.priority ?? 100) - (b.definition.priority ?? 100) || a.name.localeCompare(b.name));
  if (cache.size > 5000) cache.clear();
  cache.set(key, { ids, flows });
  return flows;
}
