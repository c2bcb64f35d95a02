import { sql } from 'kysely';
import { inTenantTx, type Database } from '@mosaic/db';
import { systemGuard, type Actor } from '@mosaic/access';
import type { MetaStore } from '@mosaic/meta';
import { createRecords } from '@mosaic/records';
import { createRule, SYSTEM_USER_ID, tenantFacts, type TCreateRule } from '@mosaic/automation';
import { physical } from '../../gl/physical.ts';
import { DEFAULT_LEVELS } from './dunning.objects.ts';

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
  if (!present.rule) await createRule({ db, store }, actor, DUNNING_RULE);
}
