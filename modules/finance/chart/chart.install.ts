import { sql } from 'kysely';
import { inTenantTx, type Database, type Tx } from '@mosaic/db';
import type { MetaStore, ObjectMeta } from '@mosaic/meta';
import { physical } from '../gl/physical.ts';
import { DEFAULT_CHART, defaultChartFor, templateAccounts } from './chart-templates.ts';

/**
 * Gives every company of the tenant its chart: the template chosen for it at
 * set-up (finance_chart, see chart-setup.service.ts and company-books.ts), else
 * — all of it for a company with no account yet, the accounts a later version
 * of the template added for an existing one (by code; what an admin changed or
 * added stays). A company with no chart and no account gets the default for its
 * currency; one with accounts but no recorded choice keeps 小企业会计准则, the
 * chart it was given before charts were chosen. Accounts are ordinary gl_account
 * records: admins extend them with sub-accounts like any other record.
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
  const objects = await store.objects(tenantId);
  await inTenantTx(db.app, { tenantId }, async (tx) => {
    const companies = await sql<{ id: string; currency: string; template: string | null; accounts: number }>`
      SELECT c.id, c.currency, f.template, (SELECT count(*)::int FROM ${physical(objects, 'gl_account').t} a WHERE a.company_id = c.id) AS accounts
      FROM company c LEFT JOIN finance_chart f ON f.company_id = c.id`.execute(tx);
    for (const c of companies.rows) {
      const template = c.template ?? (c.accounts ? DEFAULT_CHART : defaultChartFor(c.currency));
      await addTemplateAccounts(tx, objects, tenantId, c.id, template);
      if (!c.template && !c.accounts) await recordChart(tx, tenantId, c.id, template, null);
    }
  });
}

/**
 * Adds the template's accounts a company lacks (by code), parents first; returns
 * [code, id] of those added. What the company has already is left as it is.
 */
export async function addTemplateAccounts(tx: Tx, objects: Map<string, ObjectMeta>, tenantId: string, companyId: string, template: string): Promise<[string, string][]> {
  const acct = physical(objects, 'gl_account');
  const rows = await sql<{ id: string; code: string }>`SELECT id, ${acct.c('code')} AS code FROM ${acct.t} WHERE company_id = ${companyId}`.execute(tx);
  const ids = new Map(rows.rows.map((r) => [r.code, r.id]));
  const added: [string, string][] = [];
  for (const a of templateAccounts(template)) { // parents come before their sub-accounts in every template
    if (ids.has(a.code)) continue;
    const id = crypto.randomUUID();
    ids.set(a.code, id);
    await sql`INSERT INTO ${acct.t} (tenant_id, id, company_id, ${acct.c('code')}, ${acct.c('name')}, ${acct.c('account_type')},
        ${acct.c('balance_side')}, ${acct.c('parent')}, ${acct.c('is_group')})
      VALUES (${tenantId}, ${id}, ${companyId}, ${a.code}, ${a.name}, ${a.type}, ${a.balance}, ${a.parent ? ids.get(a.parent)! : null}, ${a.isGroup})`.execute(tx);
    added.push([a.code, id]);
  }
  return added;
}

/** Remembers which template a company's chart follows (what a restart completes it from). */
export async function recordChart(tx: Tx, tenantId: string, companyId: string, template: string, chosenBy: string | null): Promise<void> {
  await sql`INSERT INTO finance_chart (tenant_id, company_id, template, chosen_by) VALUES (${tenantId}, ${companyId}, ${template}, ${chosenBy})
    ON CONFLICT (tenant_id, company_id) DO UPDATE SET template = EXCLUDED.template, chosen_by = EXCLUDED.chosen_by, chosen_at = now()`.execute(tx);
}
