import { sql } from 'kysely';
import { inTenantTx, pgCode, type Database } from '@mosaic/db';
import { logger } from '@mosaic/kernel';
import type { MetaStore } from '@mosaic/meta';
import { logChanges, registerUniqueRule } from '@mosaic/records';
import { SYSTEM_USER_ID } from '../people-rules/people-rules.seed.ts';
import { systemActor } from './checklist.seed.ts';
import { physical } from '../physical.ts';

/**
 * One active checklist template per company, kind and department (none = the
 * whole company): two would leave the onboarding rule to pick one by edit time,
 * so HR would not know which list a new hire gets. A partial unique index says
 * it for every writer (API, import, rule); a violation answers 409 naming `kind`.
 */
export const ONE_ACTIVE_TEMPLATE_INDEX = 'hr_checklist_template_one_active_key';
const NIL = '00000000-0000-0000-0000-000000000000';

export function registerChecklistUniqueRule(): void {
  registerUniqueRule(ONE_ACTIVE_TEMPLATE_INDEX, {
    field: 'kind',
    message: 'this company already has an active checklist template of this kind for this department (or the whole company); deactivate that one first — 同一公司、同一部门范围只能有一个启用的同类清单模板',
  });
}

/**
 * Idempotent. Before the index exists, older duplicates are deactivated — keeping
 * the latest edited, the one the rule already used — so installing changes nobody's checklist.
 * The table is shared by tenants: a tenant installed later may still hold duplicates, so the
 * index comes when the last of them has been tidied (a failed attempt is only logged).
 */
export async function installChecklistIndex(db: Database, store: MetaStore, tenantId: string): Promise<void> {
  const p = physical(await store.objects(tenantId), 'hr_checklist_template');
  const [kind, active, dept] = [p.ref('kind'), p.ref('is_active'), p.ref('department')];
  const have = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_indexes WHERE indexname = ${ONE_ACTIVE_TEMPLATE_INDEX}`.execute(db.owner);
  if (have.rows[0].n) return;
  // A record change like any other: audited, and an event for rules (is_active true → false).
  const tidied = await inTenantTx(db.app, { tenantId }, async (tx) => {
    const ids = (await sql<{ id: string }>`UPDATE ${p.table} t SET ${active} = false, version = t.version + 1, updated_at = now()
      WHERE t.${active} AND EXISTS (SELECT 1 FROM ${p.table} o WHERE o.${active} AND o.id <> t.id AND o.${kind} = t.${kind}
        AND o.company_id IS NOT DISTINCT FROM t.company_id AND o.${dept} IS NOT DISTINCT FROM t.${dept} AND (o.updated_at, o.id) > (t.updated_at, t.id))
      RETURNING t.id`.execute(tx)).rows.map((r) => r.id);
    await logChanges(tx, systemActor(tenantId, SYSTEM_USER_ID, null), ids.map((recordId) => ({ object: 'hr_checklist_template', recordId, op: 'update', changes: { is_active: [true, false] } })));
    return ids.length;
  });
  if (tidied) logger.warn({ tenantId, deactivated: tidied }, 'deactivated duplicate active checklist templates (kept the latest edited)');
  try {
    await sql`CREATE UNIQUE INDEX IF NOT EXISTS ${sql.id(ONE_ACTIVE_TEMPLATE_INDEX)} ON ${p.table}
      (tenant_id, COALESCE(company_id, ${sql.lit(NIL)}::uuid), ${kind}, COALESCE(${dept}, ${sql.lit(NIL)}::uuid)) WHERE ${active}`.execute(db.owner);
  } catch (e) {
    if (pgCode(e) !== '23505') throw e;
    logger.warn({ tenantId }, 'another tenant still has duplicate active checklist templates; the one-active index comes with its install');
  }
}
