import { sql } from 'kysely';
import { systemGuard, type Actor } from '@mosaic/access';
import { inTenantTx, type Database, type Tx } from '@mosaic/db';
import type { MetaStore } from '@mosaic/meta';
import { createRecords, type RecordsCtx } from '@mosaic/records';
import type { ChecklistKind, ResponsibleRole } from './checklist.objects.ts';

type Line = { task: string; responsible_role: ResponsibleRole; days_offset: number };

/** The checklists a company starts with (days from the hire / leaving date). HR edits them as records. */
export const DEFAULT_CHECKLISTS: { name: string; kind: ChecklistKind; lines: Line[] }[] = [
  { name: '标准入职清单', kind: 'onboarding', lines: [
    { task: '签订劳动合同', responsible_role: 'hr', days_offset: 0 },
    { task: '开通系统账号与邮箱', responsible_role: 'hr', days_offset: 0 },
    { task: '发放电脑、工牌与门禁', responsible_role: 'hr', days_offset: 0 },
    { task: '办理社保公积金增员', responsible_role: 'hr', days_offset: 5 },
    { task: '入职培训与安全教育', responsible_role: 'manager', days_offset: 7 },
  ] },
  { name: '标准离职清单', kind: 'offboarding', lines: [
    { task: '工作交接', responsible_role: 'manager', days_offset: -3 },
    { task: '停用系统账号', responsible_role: 'hr', days_offset: 0 },
    { task: '办理社保公积金减员', responsible_role: 'hr', days_offset: 5 },
    { task: '结清工资与报销', responsible_role: 'hr', days_offset: 10 },
  ] },
];

/**
 * Gives every company that has no checklist template of a kind (active or not) the default one,
 * as the system. Run at every install, for companies that existed before HR did; a company
 * created at runtime gets its templates at once, in its set-up (seedCompanyChecklists). HR's
 * edits and deactivations stay (a company with any template of the kind is left alone).
 */
export async function seedChecklistTemplates(db: Database, store: MetaStore, tenantId: string, systemUserId: string): Promise<void> {
  const objects = await store.objects(tenantId);
  const tpl = objects.get('hr_checklist_template');
  if (!tpl) return;
  const companies = await inTenantTx(db.app, { tenantId }, async (tx) =>
    (await sql<{ id: string }>`SELECT id FROM company ORDER BY created_at, id`.execute(tx)).rows);
  for (const c of companies) {
    await inTenantTx(db.app, { tenantId }, async (tx) => {
      const time = (await sql<{ time_zone: string }>`SELECT time_zone FROM tenant`.execute(tx)).rows[0]?.time_zone;
      await seedCompanyChecklists(tx, { db, store, guard: systemGuard(systemActor(tenantId, systemUserId, c.id, time)) });
    });
  }
}

/**
 * The default templates of the kinds the company (the actor's) has none of, in `tx`: what the
 * company set-up runs when an admin creates a company, so its first hire gets a checklist.
 */
export async function seedCompanyChecklists(tx: Tx, ctx: RecordsCtx): Promise<void> {
  const companyId = ctx.guard.actor.companyId;
  const tpl = (await ctx.store.objects(ctx.guard.actor.tenantId)).get('hr_checklist_template');
  if (!tpl || !companyId) return;
  const kindCol = tpl.fields.find((f) => f.apiName === 'kind')!.columnName!;
  const have = new Set((await sql<{ kind: string }>`SELECT DISTINCT ${sql.ref(kindCol)} AS kind FROM ${sql.id(tpl.tableName)} WHERE company_id = ${companyId}`.execute(tx)).rows.map((r) => r.kind));
  const missing = DEFAULT_CHECKLISTS.filter((d) => !have.has(d.kind));
  if (missing.length) await createRecords(ctx, 'hr_checklist_template', missing.map((d) => ({ name: d.name, kind: d.kind, is_active: true, lines: d.lines })), { tx });
}

export const systemActor = (tenantId: string, userId: string, companyId: string | null, timeZone?: string): Actor => ({
  tenantId, userId, companyId, departmentId: null, departmentIds: [], isAdmin: true, roleIds: [], locale: 'zh-CN', timeZone: timeZone ?? 'Asia/Shanghai',
});
