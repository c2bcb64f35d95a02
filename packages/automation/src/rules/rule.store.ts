import { sql } from 'kysely';
import { inTenantTx, type Database, type Tx } from '@mosaic/db';
import type { RuleRow } from '../automation.types.ts';

const TTL_MS = 1000;
const cache = new Map<string, { at: number; rules: Promise<RuleRow[]> }>();

/**
 * The tenant's enabled rules, cached for a second per process: the outbox
 * consumer asks for every batch, and a rule saved in another process is
 * picked up within the second (the saving process drops its copy at once).
 */
export function enabledRules(db: Database, tenantId: string): Promise<RuleRow[]> {
  const hit = cache.get(tenantId);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.rules;
  const rules = inTenantTx(db.app, { tenantId }, async (tx) => (await sql<RuleRow>`SELECT * FROM automation_rule WHERE enabled ORDER BY created_at, id`.execute(tx)).rows);
  cache.set(tenantId, { at: Date.now(), rules });
  rules.catch(() => cache.delete(tenantId));
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
