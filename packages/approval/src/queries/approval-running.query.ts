import { sql, type RawBuilder } from 'kysely';
import type { Tx } from '@mosaic/db';

/**
 * Whether a document waits for its approval flow: an approval_instance still
 * running on it (at most one: a unique partial index). Modules refuse to act on
 * a document that waits (receive against a purchase order, win a quote,
 * deliver or invoice a sales order) — one query for all of them, on the index.
 *
 *   SELECT EXISTS (SELECT 1 FROM approval_instance WHERE object = $1 AND record_id = $2 AND status = 'running')
 */
export async function approvalRunning(tx: Tx, object: string, recordId: string): Promise<boolean> {
  const r = await sql<{ running: boolean }>`SELECT ${approvalRunningSql(object, sql`${recordId}::uuid`)} AS running`.execute(tx);
  return r.rows[0].running;
}

/** The same test as an SQL boolean, for a statement that reads the document anyway (`recordId`: e.g. sql.ref('o.id')). */
export function approvalRunningSql(object: string, recordId: RawBuilder<unknown> | ReturnType<typeof sql.ref>): RawBuilder<boolean> {
  return sql<boolean>`EXISTS (SELECT 1 FROM approval_instance ai WHERE ai.object = ${object} AND ai.record_id = ${recordId} AND ai.status = 'running')`;
}
