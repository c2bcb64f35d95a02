import { sql } from 'kysely';
import { inTenantTx, type Database } from '@mosaic/db';
import { systemGuard, type Actor } from '@mosaic/access';
import type { MetaStore } from '@mosaic/meta';
import { logger } from '@mosaic/kernel';
import { createRecords, updateRecords, type RecordsCtx } from '@mosaic/records';
import { createRule, SYSTEM_USER_ID, tenantFacts, type TCreateRule } from '@mosaic/automation';
import { physical } from '../../gl/physical.ts';
import { DEFAULT_LEVELS, FORMER_LEVEL_TEXTS } from './dunning.objects.ts';

/** The shipped rule: every morning at 09:07 (off the round minute), remind what became overdue. Admins may edit or disable it. */
export const DUNNING_RULE: TCreateRule = {
  name: '催款提醒：逾期应收按级别发邮件给客户',
  description: '每天早上检查逾期未收的销售发票，按逾期天数发对应级别的催款邮件；同一发票同一级别只发一次，已收款的不发。',
  object: null, trigger: { type: 'schedule', cron: '7 9 * * *' }, actions: [{ type: 'finance_dunning' }],
};

/**
 * Idempotent, after the objects: a unique index on (invoice, level) of the
 * notices — the database's own "never twice" —, the default levels and the
 * daily rule when the tenant has none. (Notice states a tenant installed before
 * the mail outbox lacks are added by installObjects, like any declared option.)
 */
export async function installDunning(db: Database, store: MetaStore, tenantId: string): Promise<void> {
  const objects = await store.objects(tenantId);
  const n = physical(objects, 'dunning_notice');
  await db.owner.transaction().execute(async (tx) => {
    await sql`CREATE UNIQUE INDEX IF NOT EXISTS ${sql.id(`${n.table}_once`)} ON ${n.t} (tenant_id, ${n.c('sales_invoice')}, ${n.c('level')})`.execute(tx);
  });
  const facts = await inTenantTx(db.app, { tenantId }, (tx) => tenantFacts(tx));
  const actor: Actor = { tenantId, userId: SYSTEM_USER_ID, companyId: facts.companyId, departmentId: null, departmentIds: [], isAdmin: true, roleIds: [], locale: 'zh-CN', timeZone: facts.timeZone };
  const ctx = { db, store, guard: systemGuard(actor) };
  const l = physical(objects, 'dunning_level');
  const present = await inTenantTx(db.app, { tenantId }, async (tx) => ({
    levels: Number((await sql<{ n: string }>`SELECT count(*) AS n FROM ${l.t}`.execute(tx)).rows[0].n),
    rule: (await sql`SELECT 1 FROM automation_rule WHERE name = ${DUNNING_RULE.name}`.execute(tx)).rows.length > 0,
  }));
  if (!present.levels) await createRecords(ctx, 'dunning_level', DEFAULT_LEVELS);
  else await upgradeLevelTexts(ctx);
  if (!present.rule) await createRule({ db, store }, actor, DUNNING_RULE);
}

/** A text that names the currency it asks for (a placeholder of it): what no reminder in dollars can do without. */
const NAMES_CURRENCY = /\{\{\s*currency(_unit)?\s*\}\}/;

/**
 * The levels' e-mail texts earlier versions shipped said 元 whatever the invoice's currency: a level whose
 * body is still exactly one of them gets the text that replaced it (through the records service, so the change
 * is in the level's history); a body an administrator wrote is theirs and stays as it is — the log says how
 * many stayed, and how many of those name no currency (a USD invoice's reminder from them says no 美元).
 * Idempotent: a second run finds nothing to upgrade.
 */
export async function upgradeLevelTexts(ctx: RecordsCtx): Promise<{ upgraded: number; leftAlone: number; leftAloneNamingNoCurrency: number }> {
  const tenantId = ctx.guard.actor.tenantId;
  const l = physical(await ctx.store.objects(tenantId), 'dunning_level');
  const current = new Set(DEFAULT_LEVELS.map((d) => d.body));
  const result = await inTenantTx(ctx.db.app, { tenantId }, async (tx) => {
    // Locked as read: an administrator's edit meanwhile waits, and is not overwritten by a text decided before it.
    const levels = (await sql<{ id: string; version: number; body: string }>`SELECT id, version, ${l.c('body')} AS body FROM ${l.t} ORDER BY ${l.c('level')} FOR UPDATE`.execute(tx)).rows;
    const upgrades = levels.filter((x) => FORMER_LEVEL_TEXTS.has(x.body)).map((x) => ({ id: x.id, version: Number(x.version), values: { body: FORMER_LEVEL_TEXTS.get(x.body) } }));
    if (upgrades.length) await updateRecords(ctx, 'dunning_level', upgrades, { tx });
    const edited = levels.filter((x) => !FORMER_LEVEL_TEXTS.has(x.body) && !current.has(x.body));
    return { upgraded: upgrades.length, leftAlone: edited.length, leftAloneNamingNoCurrency: edited.filter((x) => !NAMES_CURRENCY.test(x.body)).length };
  });
  if (result.upgraded || result.leftAloneNamingNoCurrency) {
    logger.info({ tenantId, ...result }, `dunning levels: ${result.upgraded} built-in e-mail text(s) now name the invoice's currency; `
      + `${result.leftAlone} edited by an administrator left alone, ${result.leftAloneNamingNoCurrency} of them naming no currency ({{currency_unit}})`);
  }
  return result;
}
