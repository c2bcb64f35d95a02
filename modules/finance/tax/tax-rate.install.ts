import { sql } from 'kysely';
import { inTenantTx, type Database, type Tx } from '@mosaic/db';
import type { MetaStore, ObjectMeta } from '@mosaic/meta';
import { physical } from '../gl/physical.ts';

// 增值税 rates in force (财政部 税务总局 海关总署公告 2019 年第 39 号): 13 %, 9 %, 6 %, 0 (export), and exempt.
const RATES: { code: string; name: string; rate: string; direction: 'output' | 'input'; exempt?: boolean; account: string }[] = [
  { code: 'VAT13', name: '销项 13%', rate: '0.13', direction: 'output', account: '22210102' },
  { code: 'VAT9', name: '销项 9%', rate: '0.09', direction: 'output', account: '22210102' },
  { code: 'VAT6', name: '销项 6%', rate: '0.06', direction: 'output', account: '22210102' },
  { code: 'VAT0', name: '零税率', rate: '0', direction: 'output', account: '22210102' },
  { code: 'EXEMPT', name: '免税', rate: '0', direction: 'output', exempt: true, account: '22210102' },
  { code: 'IN13', name: '进项 13%', rate: '0.13', direction: 'input', account: '22210101' },
  { code: 'IN9', name: '进项 9%', rate: '0.09', direction: 'input', account: '22210101' },
  { code: 'IN6', name: '进项 6%', rate: '0.06', direction: 'input', account: '22210101' },
];

/** Every company without tax rates gets the VAT rates above, posting to its chart's VAT accounts. */
export async function installTaxRates(db: Database, store: MetaStore, tenantId: string): Promise<void> {
  const objects = await store.objects(tenantId);
  await inTenantTx(db.app, { tenantId }, async (tx) => {
    const companies = await sql<{ id: string }>`SELECT id FROM company`.execute(tx);
    for (const { id } of companies.rows) await addCompanyTaxRates(tx, objects, tenantId, id);
  });
}

/** The VAT rates for one company, if it has no tax rate yet (a company's rates are then its admins'). */
export async function addCompanyTaxRates(tx: Tx, objects: Map<string, ObjectMeta>, tenantId: string, companyId: string): Promise<void> {
  const t = physical(objects, 'tax_rate');
  const a = physical(objects, 'gl_account');
  const has = await sql`SELECT 1 FROM ${t.t} WHERE company_id = ${companyId} LIMIT 1`.execute(tx);
  if (has.rows.length) return;
  for (const r of RATES) {
    await sql`INSERT INTO ${t.t} (tenant_id, id, company_id, ${t.c('code')}, ${t.c('name')}, ${t.c('rate')}, ${t.c('direction')}, ${t.c('is_exempt')}, ${t.c('account')})
      SELECT ${tenantId}, gen_random_uuid(), ${companyId}, ${r.code}, ${r.name}, ${r.rate}::numeric, ${r.direction}, ${r.exempt ?? false}, a.id
      FROM ${a.t} a WHERE a.company_id = ${companyId} AND a.${sql.ref(a.col('code'))} = ${r.account}`.execute(tx);
  }
}
