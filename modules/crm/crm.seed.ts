import { sql } from 'kysely';
import type { Database } from '@mosaic/db';
import type { MetaStore } from '@mosaic/meta';
import { createRecords } from '@mosaic/records';
import { createRule, type TCreateRule } from '@mosaic/automation';
import { systemCtx, txOf } from './shared/system-ctx.ts';
import { SERVICE_RULES } from './service/service.objects.ts';

/**
 * What a new tenant's CRM starts with (each part only when the tenant has
 * none, so an admin's changes stay): the standard pipeline (标准销售流程) with
 * its stages, win probabilities and fields required to enter each; the pool
 * rules (leads idle 7 days, customers idle 30 days return to 公海); and the
 * default automation rules.
 */
export async function seedCrm(db: Database, store: MetaStore, tenantId: string): Promise<void> {
  const ctx = await systemCtx(db, store, tenantId);
  const count = (table: string) => txOf(ctx, async (tx) => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.id(table)}`.execute(tx)).rows[0].n));
  const objects = await store.objects(tenantId);
  if ((await count(objects.get('crm_pipeline')!.tableName)) === 0) {
    await txOf(ctx, async (tx) => {
      const [p] = await createRecords(ctx, 'crm_pipeline', [{ name: '标准销售流程', is_default: true }], { tx });
      await createRecords(ctx, 'crm_stage', STAGES.map((s, i) => ({ pipeline: p.id, sequence: (i + 1) * 10, ...s })), { tx });
    });
  }
  if ((await count(objects.get('crm_pool_rule')!.tableName)) === 0) {
    await createRecords(ctx, 'crm_pool_rule', [
      { name: '线索 7 天未跟进退回公海', target: 'lead', idle_days: 7, claim_limit: 20 },
      { name: '客户 30 天未跟进退回公海', target: 'customer', idle_days: 30, claim_limit: 50 },
    ]);
  }
}

export const STAGES = [
  { name: '初步接洽', probability: '0.1', outcome: 'open' },
  { name: '需求确认', probability: '0.3', outcome: 'open', required_fields: 'amount,expected_close_date' },
  { name: '方案报价', probability: '0.6', outcome: 'open', required_fields: 'contact,decision_maker' },
  { name: '商务谈判', probability: '0.8', outcome: 'open', required_fields: 'budget_confirmed' },
  { name: '赢单', probability: '1', outcome: 'won' },
  { name: '输单', probability: '0', outcome: 'lost', required_fields: 'close_reason' },
];

/** The rules the CRM ships (issue 7): lead intake, pool recycling and the SLA clock — admins may edit or disable them. */
export const DEFAULT_RULES: TCreateRule[] = [
  {
    name: '新线索：按区域轮流分配并创建首次联系任务',
    description: '表单、导入、接口进来的线索：按地区找到销售团队，团队内轮流分配；给负责人建「首次联系」任务，1 个工作日内完成。',
    object: 'lead', trigger: { type: 'created' }, condition: 'source <> "manual"',
    actions: [{ type: 'crm_assign_territory' }, { type: 'crm_followup_task', subject: '首次联系：{{company}} {{name}}', workingDays: 1 }],
  },
  {
    name: '跟进提醒：下次跟进日期当天 9 点提醒负责人', object: 'activity',
    trigger: { type: 'date_reached', dateField: 'next_followup_date', offset: { at: '09:00' } },
    actions: [{ type: 'notify', users: ['$owner'], title: '今日跟进：{{subject}}' }],
  },
  {
    name: '合同到期提醒：到期前 30 天提醒负责人', object: 'contract',
    trigger: { type: 'date_reached', dateField: 'end_date', offset: { days: -30, at: '09:00' } },
    condition: 'state = "active"',
    actions: [{ type: 'notify', users: ['$owner'], title: '合同 30 天后到期：{{title}}' }],
  },
  // Off the round minutes, so they do not pile onto every tenant's hourly and five-minute rules at once.
  { name: '公海回收：未跟进的线索和客户退回公海', object: null, trigger: { type: 'schedule', cron: '17 * * * *' }, actions: [{ type: 'crm_pool_recycle' }] },
  { name: '工单 SLA：预警与升级', object: null, trigger: { type: 'schedule', cron: '3-59/5 * * * *' }, actions: [{ type: 'crm_sla_check' }] },
];

export async function seedCrmRules(db: Database, store: MetaStore, tenantId: string): Promise<void> {
  const ctx = await systemCtx(db, store, tenantId);
  const have = new Set(await txOf(ctx, async (tx) => (await sql<{ name: string }>`SELECT name FROM automation_rule`.execute(tx)).rows.map((r) => r.name)));
  for (const rule of [...DEFAULT_RULES, ...SERVICE_RULES]) {
    if (!have.has(rule.name)) await createRule({ db, store }, ctx.guard.actor, rule);
  }
}
