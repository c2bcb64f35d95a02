import { sql } from 'kysely';
import { inTenantTx, type Database, type Tx } from '@mosaic/db';
import type { RuleRow } from '../automation.types.ts';
import { registerProcessCache } from '@mosaic/kernel';

const cache = new Map<string, { stamp: string; rules: RuleRow[] }>();
registerProcessCache(() => cache.clear());

/**
 * The tenant's enabled rules as of now. The outbox consumer asks for every
 * batch, and a rule saved a moment ago — in any process — must see every event
 * committed after it, so a time-based cache would be wrong (an event consumed
 * within the cache's lifetime would miss the new rule for good). Instead each
 * call reads a stamp of the rule set (count and a hash of every id × version:
 * one index-only aggregate over a small table) and reloads only when it moved.
 *
 *   SELECT count(*), sum(hashtext(id || ':' || version)) FROM automation_rule
 */
export async function enabledRules(db: Database, tenantId: string): Promise<RuleRow[]> {
  return inTenantTx(db.app, { tenantId }, (tx) => enabledRulesIn(tx, tenantId));
}

/** enabledRules inside the caller's transaction (set to the tenant). */
export async function enabledRulesIn(tx: Tx, tenantId: string): Promise<RuleRow[]> {
  const { stamp } = (await sql<{ stamp: string }>`SELECT count(*) || '/' || coalesce(sum(hashtext(id::text || ':' || version || ':' || enabled)), 0) AS stamp
    FROM automation_rule`.execute(tx)).rows[0];
  const hit = cache.get(tenantId);
  if (hit?.stamp === stamp) return hit.rules;
  const rules = (await sql<RuleRow>`SELECT * FROM automation_rule WHERE enabled ORDER BY created_at, id`.execute(tx)).rows;
  cache.set(tenantId, { stamp, rules });
  return rules;
}

export function invalidateRules(tenantId: string): void {
  cache.delete(tenantId);
}

export async function ruleById(tx: Tx, id: string): Promise<RuleRow | undefined> {
  return (await sql<RuleRow>`SELECT * FROM automation_rule WHERE id = ${id}`.execute(tx)).rows[0];
}

/** The tenant's time zone and first company: what rules act in and as. */
export async function tenantFacts(tx: Tx): Promise<{ timeZone: string; companyId: string | null }> {
  const r = await sql<{ time_zone: string; company_id: string | null }>`SELECT t.time_zone, (SELECT id FROM company ORDER BY created_at, id LIMIT 1) AS company_id FROM tenant t`.execute(tx);
  return { timeZone: r.rows[0]?.time_zone ?? 'Asia/Shanghai', companyId: r.rows[0]?.company_id ?? null };
}
