import { sql } from 'kysely';
import { inTenantTx, type Database, type Tx } from '@mosaic/db';
import type { MetaStore, ObjectMeta } from '@mosaic/meta';
import { createRecords, registerUniqueRule } from '@mosaic/records';
import { createRule, type TCreateRule } from '@mosaic/automation';
import { guardFor } from '@mosaic/access';
import { loadActor, tenantAdmins } from '@mosaic/identity';
import { logger } from '@mosaic/kernel';
import { createReport } from '@mosaic/reporting';
import { systemCtx, txOf } from '../shared/system-ctx.ts';
import { SALES_REPORTS } from './sales.reports.ts';
import { companyCurrencySql } from '../shared/currency.ts';

export const ONE_REP_TARGET_INDEX = 'crm_sales_target_rep_period_key';
export const ONE_TEAM_TARGET_INDEX = 'crm_sales_target_team_period_key';
export const ONE_SETTINGS_INDEX = 'crm_settings_one_per_tenant_key';

/** A second target for the same rep (or team) and quarter would make attainment ambiguous: 409 naming `period`. */
export function registerSalesTargetRules(): void {
  registerUniqueRule(ONE_REP_TARGET_INDEX, { field: 'period', message: 'this rep already has a target for this quarter; edit that one — 该销售员本季度已有目标' });
  registerUniqueRule(ONE_TEAM_TARGET_INDEX, { field: 'period', message: 'this team already has a target for this quarter; edit that one — 该团队本季度已有目标' });
  registerUniqueRule(ONE_SETTINGS_INDEX, { field: 'crm_settings', message: 'a tenant has one crm_settings record; edit it instead of adding another — 客户关系设置只有一条，请修改现有设置' });
}

export const TIER_RULE: TCreateRule = {
  name: '客户等级：按近 12 个月开票营收重算',
  description: '等级方式为「按营收计算」的客户，每天按近 N 个月（客户关系设置）已审核销售发票的不含税金额重算 A/B/C 等级；手工指定的不变。',
  object: null,
  // Daily at 02:41, off the round minutes (tenants' hourly rules fire at :00).
  trigger: { type: 'schedule', cron: '41 2 * * *' },
  actions: [{ type: 'crm_tier_recompute' }],
};

/**
 * What sales management needs beyond its metadata (idempotent, run with
 * crm_sales' install): the one-target-per-rep/team-and-quarter indexes; the
 * trigger that gives a target to its rep (owner) and team (department) so
 * record scopes apply to targets as to opportunities; the follow-up-done
 * trigger; the settings row; the tier rule; the shared reports.
 */
export async function installSalesMgmt(db: Database, store: MetaStore, tenantId: string): Promise<void> {
  const objects = await store.objects(tenantId);
  const target = objects.get('sales_target');
  const activity = objects.get('activity');
  if (!target || !activity) return;
  await db.owner.transaction().execute(async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext('install:crm_sales_mgmt'))`.execute(tx);
    await sql`SELECT set_config('mosaic.tenant_id', ${tenantId}, true)`.execute(tx);
    const [rep, team, period] = ['rep', 'team', 'period'].map((f) => col(target, f));
    await sql.raw(`CREATE UNIQUE INDEX IF NOT EXISTS ${ONE_REP_TARGET_INDEX} ON ${target.tableName} (tenant_id, ${rep}, ${period}) WHERE ${rep} IS NOT NULL`).execute(tx);
    await sql.raw(`CREATE UNIQUE INDEX IF NOT EXISTS ${ONE_TEAM_TARGET_INDEX} ON ${target.tableName} (tenant_id, ${team}, ${period}) WHERE ${team} IS NOT NULL`).execute(tx);
    await installTargetOwnerTrigger(tx, tenantId, target);
    const opp = objects.get('opportunity');
    if (opp?.fields.some((f) => f.apiName === 'currency') && opp.fields.some((f) => f.apiName === 'amount' && f.type === 'money')) await installOpportunityCurrency(tx, tenantId, opp);
    const settings = objects.get('crm_settings');
    if (settings) await oneSettingsRow(tx, settings);
    await installFollowupDoneTrigger(tx, activity);
  });
  store.invalidate(tenantId); // sales_target's and opportunity's currency may have become read-only
  const ctx = await systemCtx(db, store, tenantId);
  const settings = objects.get('crm_settings');
  if (settings) {
    const have = await txOf(ctx, async (tx) => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.id(settings.tableName)}`.execute(tx)).rows[0].n);
    if (!have) await createRecords(ctx, 'crm_settings', [{}]);
  }
  const rules = await txOf(ctx, async (tx) => (await sql<{ name: string }>`SELECT name FROM automation_rule WHERE name = ${TIER_RULE.name}`.execute(tx)).rows);
  if (!rules.length) await createRule({ db, store }, ctx.guard.actor, TIER_RULE);
  await installSalesReports(db, store, tenantId);
}

/**
 * One crm_settings row per tenant (the tier job reads it): a unique index on
 * the tenant. The index is one for the table, so before it exists every tenant's
 * extra rows go — the oldest stays, the one the services have been reading — and
 * each removed row is logged with its values, for an administrator to re-enter.
 */
async function oneSettingsRow(tx: Tx, s: ObjectMeta): Promise<void> {
  const t = sql.id(s.tableName);
  const exists = await sql<{ one: number }>`SELECT 1 AS one FROM pg_indexes WHERE indexname = ${ONE_SETTINGS_INDEX}`.execute(tx);
  if (exists.rows.length) return;
  const removed = await sql<Record<string, unknown>>`DELETE FROM ${t} x WHERE EXISTS (SELECT 1 FROM ${t} y WHERE y.tenant_id = x.tenant_id AND (y.created_at, y.id) < (x.created_at, x.id)) RETURNING x.*`.execute(tx);
  if (removed.rows.length) logger.warn({ removed: removed.rows }, 'crm_settings: extra rows removed, one row per tenant kept (the oldest)');
  await sql`CREATE UNIQUE INDEX IF NOT EXISTS ${sql.id(ONE_SETTINGS_INDEX)} ON ${t} (tenant_id)`.execute(tx);
}

const col = (o: ObjectMeta, f: string): string => {
  const c = o.fields.find((x) => x.apiName === f)?.columnName;
  if (!c) throw new Error(`crm sales install: ${o.apiName}.${f} has no column`);
  return c;
};

/**
 * A rep's target is the rep's (owner, and the rep's department); a team's target belongs to the team's
 * department. Its `currency` is amount's (when none is given identity's companyCurrency: the row's company's, else
 * the tenant's first company's), a plain column the 销售目标
 * report groups by; read-only for the API, and filled on rows made before it existed.
 */
async function installTargetOwnerTrigger(tx: Tx, tenantId: string, t: ObjectMeta): Promise<void> {
  const [rep, team, amount, currency] = [col(t, 'rep'), col(t, 'team'), col(t, 'amount'), col(t, 'currency')];
  await sql.raw(`CREATE OR REPLACE FUNCTION crm_sales_target_owner() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.${rep} IS NOT NULL THEN
        NEW.owner_id := NEW.${rep};
        NEW.department_id := COALESCE((SELECT u.department_id FROM app_user u WHERE u.tenant_id = NEW.tenant_id AND u.id = NEW.${rep}), NEW.department_id);
      ELSIF NEW.${team} IS NOT NULL THEN
        NEW.department_id := NEW.${team};
      END IF;
      -- identity's companyCurrency in SQL: the row's company's, else (none, or gone) the tenant's first company's.
      NEW.${currency} := COALESCE(NULLIF(trim(NEW.${amount}_ccy), ''), ${companyCurrencySql('NEW.tenant_id', 'NEW.company_id')});
      RETURN NEW;
    END $$`).execute(tx);
  await sql.raw(`DROP TRIGGER IF EXISTS crm_sales_target_owner ON ${t.tableName}`).execute(tx);
  await sql.raw(`CREATE TRIGGER crm_sales_target_owner BEFORE INSERT OR UPDATE ON ${t.tableName} FOR EACH ROW EXECUTE FUNCTION crm_sales_target_owner()`).execute(tx);
  await sql.raw(`UPDATE ${t.tableName} SET ${currency} = ${currency} WHERE ${currency} IS NULL`).execute(tx);
  await currencyReadOnly(tx, tenantId, t);
}

/** `currency` of `o` becomes read-only for the API (a copy its trigger keeps); every process drops its metadata cache. */
async function currencyReadOnly(tx: Tx, tenantId: string, o: ObjectMeta): Promise<void> {
  const marked = await sql`UPDATE meta_field SET read_only = true, updated_at = now()
    WHERE tenant_id = ${tenantId} AND object_id = ${o.id} AND api_name = 'currency' AND NOT read_only`.execute(tx);
  if (Number(marked.numAffectedRows ?? 0)) await sql`SELECT pg_notify('mosaic_meta', ${tenantId})`.execute(tx);
}

/**
 * An opportunity's `currency` (API name kept for integrations and the 销售预测 reports that group by it) is
 * amount's currency — blank amount: the company's —, kept by trigger on every write path and read-only in the
 * metadata: one truth, amount.currency. A `currency` sent with a write is amount's currency (opportunity-currency.ts).
 * Rows written before (the upgrade left `currency` blank where it was) get it once: those still blank.
 */
async function installOpportunityCurrency(tx: Tx, tenantId: string, o: ObjectMeta): Promise<void> {
  const [amount, currency] = [col(o, 'amount'), col(o, 'currency')];
  await sql.raw(`CREATE OR REPLACE FUNCTION crm_opportunity_currency() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      NEW.${currency} := COALESCE(NULLIF(trim(NEW.${amount}_ccy), ''), ${companyCurrencySql('NEW.tenant_id', 'NEW.company_id')});
      RETURN NEW;
    END $$`).execute(tx);
  await sql.raw(`DROP TRIGGER IF EXISTS crm_opportunity_currency ON ${o.tableName}`).execute(tx);
  await sql.raw(`CREATE TRIGGER crm_opportunity_currency BEFORE INSERT OR UPDATE ON ${o.tableName} FOR EACH ROW EXECUTE FUNCTION crm_opportunity_currency()`).execute(tx);
  await sql.raw(`UPDATE ${o.tableName} SET ${currency} = ${currency} WHERE tenant_id = '${tenantId}' AND (${currency} IS NULL OR ${currency} = '')`).execute(tx);
  await currencyReadOnly(tx, tenantId, o);
}

/**
 * A follow-up is done once anything is logged on the same lead, customer or
 * opportunity at or after the earlier activity: the earlier activities with a
 * pending next follow-up are marked, so the overdue report lists only what is
 * still owed.
 */
async function installFollowupDoneTrigger(tx: Tx, a: ObjectMeta): Promise<void> {
  const [done, next, at] = [col(a, 'followup_done'), col(a, 'next_followup_date'), col(a, 'occurred_at')];
  const same = ['lead', 'customer', 'opportunity'].map((f) => `(NEW.${col(a, f)} IS NOT NULL AND p.${col(a, f)} = NEW.${col(a, f)})`).join(' OR ');
  await sql.raw(`CREATE OR REPLACE FUNCTION crm_followup_done() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE ${a.tableName} p SET ${done} = true
       WHERE p.tenant_id = NEW.tenant_id AND p.id <> NEW.id AND p.${next} IS NOT NULL AND NOT COALESCE(p.${done}, false)
         AND COALESCE(p.${at}, p.created_at) <= COALESCE(NEW.${at}, now()) AND (${same});
      RETURN NULL;
    END $$`).execute(tx);
  await sql.raw(`DROP TRIGGER IF EXISTS crm_followup_done ON ${a.tableName}`).execute(tx);
  await sql.raw(`CREATE TRIGGER crm_followup_done AFTER INSERT ON ${a.tableName} FOR EACH ROW EXECUTE FUNCTION crm_followup_done()`).execute(tx);
}

/**
 * The sales reports as shared reports of the tenant's first active
 * administrator (reports need a real owner), once by name: an admin's edits
 * stay, a deleted one comes back on the next start. A tenant without an
 * administrator yet gets them on a later install (every start installs).
 */
export async function installSalesReports(db: Database, store: MetaStore, tenantId: string): Promise<number> {
  const state = await inTenantTx(db.app, { tenantId }, async (tx) => {
    const have = new Set((await sql<{ name: string }>`SELECT name FROM report WHERE name = ANY(${SALES_REPORTS.map((r) => r.name)}::text[])`.execute(tx)).rows.map((r) => r.name));
    if (have.size === SALES_REPORTS.length) return { have, actor: null };
    const [admin] = await tenantAdmins(tx);
    return { have, actor: admin ? await loadActor(tx, tenantId, admin) : undefined };
  });
  if (state.actor === null) return 0;
  if (!state.actor) {
    logger.warn({ tenantId }, 'no active administrator to own the CRM sales reports yet; installing them on a later start');
    return 0;
  }
  const ctx = { db, store, guard: await guardFor(db, store, state.actor.actor) };
  let made = 0;
  for (const r of SALES_REPORTS) {
    if (state.have.has(r.name)) continue;
    await createReport(ctx, { ...r, shared: true });
    made++;
  }
  return made;
}
