import { sql } from 'kysely';
import { inTenantTx, type Database } from '@mosaic/db';
import type { MetaStore } from '@mosaic/meta';
import { physical } from '../gl/physical.ts';
import { DEFAULT_CHART, templateAccounts } from './chart-templates.ts';

/**
 * Gives every company of the tenant its chart: the template chosen for it at
 * set-up (finance_chart, see chart-setup.service.ts), else 小企业会计准则 — all
 * of it for a new company, the accounts a later version of the template added
 * for an existing one (by code; what an admin changed or added stays). Accounts
 * are ordinary gl_account records: admins extend them with sub-accounts like any other record.
 */
export async function installChart(db: Database, store: MetaStore, tenantId: string): Promise<void> {
  await db.owner.transaction().execute(async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext('install:finance_chart'))`.execute(tx);
    await sql`CREATE TABLE IF NOT EXISTS finance_chart (
      tenant_id uuid NOT NULL, company_id uuid NOT NULL, template text NOT NULL,
      chosen_by uuid, chosen_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, company_id))`.execute(tx);
    await sql`SELECT mosaic_enable_rls('finance_chart')`.execute(tx);
    await sql`GRANT SELECT, INSERT, UPDATE ON finance_chart TO mosaic_app`.execute(tx);
  });
  const acct = physical(await store.objects(tenantId), 'gl_account');
  await inTenantTx(db.app, { tenantId }, async (tx) => {
    const existing = await sql<{ company: string; template: string | null; id: string | null; code: string | null }>`
      SELECT c.id AS company, f.template, a.id, a.${sql.ref(acct.col('code'))} AS code
      FROM company c LEFT JOIN finance_chart f ON f.company_id = c.id LEFT JOIN ${acct.t} a ON a.company_id = c.id`.execute(tx);
    const byCompany = new Map<string, { template: string; ids: Map<string, string> }>();
    for (const r of existing.rows) {
      const c = byCompany.get(r.company) ?? { template: r.template ?? DEFAULT_CHART, ids: new Map<string, string>() };
      byCompany.set(r.company, c);
      if (r.code && r.id) c.ids.set(r.code, r.id);
    }
    for (const [companyId, { template, ids }] of byCompany) {
      for (const a of templateAccounts(template)) {
        if (ids.has(a.code)) continue;
        const id = crypto.randomUUID();
        ids.set(a.code, id);
        await sql`INSERT INTO ${acct.t} (tenant_id, id, company_id, ${acct.c('code')}, ${acct.c('name')}, ${acct.c('account_type')},
            ${acct.c('balance_side')}, ${acct.c('parent')}, ${acct.c('is_group')})
          VALUES (${tenantId}, ${id}, ${companyId}, ${a.code}, ${a.name}, ${a.type}, ${a.balance}, ${a.parent ? ids.get(a.parent)! : null}, ${a.isGroup})`.execute(tx);
      }
    }
  });
}
