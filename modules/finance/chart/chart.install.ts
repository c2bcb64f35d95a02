import { sql } from 'kysely';
import { inTenantTx, type Database } from '@mosaic/db';
import type { MetaStore } from '@mosaic/meta';
import { physical } from '../gl/physical.ts';
import { SMALL_BUSINESS_CHART } from './small-business.chart.ts';

/**
 * Gives every company of the tenant the 小企业会计准则 chart: all of it for a new
 * company, the accounts a later version of the template added for an existing
 * one (by code; what an admin changed or added stays). Accounts are ordinary
 * gl_account records: admins extend them with sub-accounts like any other record.
 */
export async function installChart(db: Database, store: MetaStore, tenantId: string): Promise<void> {
  const acct = physical(await store.objects(tenantId), 'gl_account');
  await inTenantTx(db.app, { tenantId }, async (tx) => {
    const existing = await sql<{ company: string; id: string | null; code: string | null }>`SELECT c.id AS company, a.id, a.${sql.ref(acct.col('code'))} AS code
      FROM company c LEFT JOIN ${acct.t} a ON a.company_id = c.id`.execute(tx);
    const byCompany = new Map<string, Map<string, string>>();
    for (const r of existing.rows) {
      const codes = byCompany.get(r.company) ?? new Map<string, string>();
      byCompany.set(r.company, codes);
      if (r.code && r.id) codes.set(r.code, r.id);
    }
    for (const [companyId, ids] of byCompany) {
      for (const a of SMALL_BUSINESS_CHART) {
        if (ids.has(a.code)) continue;
        const id = crypto.randomUUID();
        ids.set(a.code, id);
        const isGroup = SMALL_BUSINESS_CHART.some((x) => x.parent === a.code);
        await sql`INSERT INTO ${acct.t} (tenant_id, id, company_id, ${acct.c('code')}, ${acct.c('name')}, ${acct.c('account_type')},
            ${acct.c('balance_side')}, ${acct.c('parent')}, ${acct.c('is_group')})
          VALUES (${tenantId}, ${id}, ${companyId}, ${a.code}, ${a.name}, ${a.type}, ${a.balance}, ${a.parent ? ids.get(a.parent)! : null}, ${isGroup})`.execute(tx);
      }
    }
  });
}
