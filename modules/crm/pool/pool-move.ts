import { sql } from 'kysely';
import { newId, registerProcessCache } from '@mosaic/kernel';
import type { Tx } from '@mosaic/db';

export interface PoolMove {
  object: string;
  id: string;
  action: 'release' | 'claim' | 'assign';
  from: string | null;
  to: string | null;
  reason: string;
  at: Date;
}

/**
 * Every change of hands of a lead or customer goes to pool_move (公海流转记录),
 * in the transaction that made it. Written as system data: the log is not
 * editable through the API's usual rights, and it is read like any object.
 * A record that came in through a public form or a rule is owned by the
 * system (no user row): its first move is "from nobody", not a broken link.
 */
export async function recordPoolMove(tx: Tx, tenantId: string, m: PoolMove): Promise<void> {
  await recordPoolMoves(tx, tenantId, [m]);
}

export async function recordPoolMoves(tx: Tx, tenantId: string, moves: PoolMove[]): Promise<void> {
  if (!moves.length) return;
  const t = await poolTable(tx);
  await sql`INSERT INTO ${sql.id(t.table)} (tenant_id, id, company_id, ${sql.id(t.object)}, ${sql.id(t.target)}, ${sql.id(t.action)}, ${sql.id(t.from)}, ${sql.id(t.to)}, ${sql.id(t.reason)}, ${sql.id(t.at)}, created_by, updated_by, owner_id)
    SELECT ${tenantId}::uuid, id, (SELECT id FROM company ORDER BY created_at, id LIMIT 1), o, r, a, (SELECT u.id FROM app_user u WHERE u.id = f), tt, re, at, nullif(current_setting('mosaic.user_id', true), '')::uuid, nullif(current_setting('mosaic.user_id', true), '')::uuid, tt
    FROM unnest(${moves.map(() => newId())}::uuid[], ${moves.map((m) => m.object)}::text[], ${moves.map((m) => m.id)}::text[], ${moves.map((m) => m.action)}::text[],
      ${moves.map((m) => m.from)}::uuid[], ${moves.map((m) => m.to)}::uuid[], ${moves.map((m) => m.reason)}::text[], ${moves.map((m) => m.at.toISOString())}::timestamptz[]) AS x(id, o, r, a, f, tt, re, at)`.execute(tx);
}

const cache = new Map<string, Record<string, string>>();
registerProcessCache(() => cache.clear());

/** pool_move's physical names, read from metadata once per tenant. */
async function poolTable(tx: Tx): Promise<Record<'table' | 'object' | 'target' | 'action' | 'from' | 'to' | 'reason' | 'at', string>> {
  const tenant = (await sql<{ t: string }>`SELECT current_setting('mosaic.tenant_id') AS t`.execute(tx)).rows[0].t;
  let hit = cache.get(tenant);
  if (!hit) {
    const rows = (await sql<{ table_name: string; api_name: string; column_name: string }>`SELECT o.table_name, f.api_name, f.column_name FROM meta_object o JOIN meta_field f ON f.tenant_id = o.tenant_id AND f.object_id = o.id
      WHERE o.api_name = 'pool_move' AND f.column_name IS NOT NULL`.execute(tx)).rows;
    const byField = Object.fromEntries(rows.map((r) => [r.api_name, r.column_name]));
    hit = { table: rows[0].table_name, object: byField.target_object, target: byField.target_id, action: byField.action, from: byField.from_owner, to: byField.to_owner, reason: byField.reason, at: byField.moved_at };
    cache.set(tenant, hit);
  }
  return hit as never;
}
