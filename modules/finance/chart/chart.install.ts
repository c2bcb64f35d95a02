import { sql } from 'kysely';
import { inTenantTx, type Database } from '@mosaic/db';
import type { MetaStore } from '@mosaic/meta';
import { SMALL_BUSINESS_CHART } from './small-business.chart.ts';

/**
 * Gives every company of the tenant that has no accounts yet the 小企业会计准则
 * chart. Accounts are ordinary gl_account records: admins extend them with
 * sub-accounts like any other record.
 */
export async function installChart(db: Database, store: MetaStore, tenantId: string): Promise<void> {
  const objects = await store.objects(tenantId);
  const acct = objects.get('gl_account')!;
  const col = (f: string) => acct.fields.find((x) => x.apiName === f)!.columnName!;
  await inTenantTx(db.app, { tenantId }, async (tx) => {
    const companies = await sql<{ id: string }>`SELECT c.id FROM company c WHERE NOT EXISTS (SELECT 1 FROM ${sql.id(acct.tableName)} a WHERE a.company_id = c.id)`.execute(tx);
    for (const { id: companyId } of companies.rows) {
      const ids = new Map<string, string>();
      for (const a of SMALL_BUSINESS_CHART) {
        const id = crypto.randomUUID();
        ids.set(a.code, id);
        const isGroup = SMALL_BUSINESS_CHART.some((x) => x.parent === a.code);
        await sql`INSERT INTO ${sql.id(acct.tableName)} (tenant_id, id, company_id, ${sql.id(col('code'))}, ${sql.id(col('name'))}, ${sql.id(col('account_type'))},
            ${sql.id(col('balance_side'))}, ${sql.id(col('parent'))}, ${sql.id(col('is_group'))})
          VALUES (${tenantId}, ${id}, ${companyId}, ${a.code}, ${a.name}, ${a.type}, ${a.balance}, ${a.parent ? ids.get(a.parent)! : null}, ${isGroup})`.execute(tx);
      }
    }
  });
}
