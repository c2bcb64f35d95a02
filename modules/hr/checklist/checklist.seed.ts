import { sql } from 'kysely';
import { systemGuard, type Actor } from '@mosaic/access';
import { inTenantTx, type Database } from '@mosaic/db';
import type { MetaStore } from '@mosaic/meta';
import { createRecords } from '@mosaic/records';
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
 * as the system. Run at every install, so a company added later gets its templates at the next
 * start; HR's edits and deactivations stay (a company with any template of the kind is left alone).
 */
export async function seedChecklistTemplates(db: Database, store: MetaStore, tenantId: string, systemUserId: string): Promise<void> {
  const objects = await store.objects(tenantId);
  const tpl = objects.get('hr_checklist_template');
  if (!tpl) return;
  const kindCol = tpl.fields.find((f) => f.apiName === 'kind')!.columnName!;
  const missing = await inTenantTx(db.app, { tenantId }, async (tx) => (await sql<{ company_id: string; kind: ChecklistKind; time_zone: string }>`
    SELECT c.id AS company_id, k.kind, (SELECT time_zone FROM tenant) AS time_zone FROM company c CROSS JOIN unnest(${DEFAULT_CHECKLISTS.map((d) => d.kind)}::text[]) AS k(kind)
    WHERE NOT EXISTS (SELECT 1 FROM ${sql.id(tpl.tableName)} t WHERE t.company_id = c.id AND t.${sql.ref(kindCol)} = k.kind)
    ORDER BY c.created_at, c.id, k.kind`.execute(tx)).rows);
  for (const m of missing) {
    const actor: Actor = { tenantId, userId: systemUserId, companyId: m.company_id, departmentId: null, departmentIds: [], isAdmin: true, roleIds: [], locale: 'zh-CN', timeZone: m.time_zone ?? 'Asia/Shanghai' };
    const d = DEFAULT_CHECKLISTS.find((x) => x.kind === m.kind)!;
    await createRecords({ db, store, guard: systemGuard(actor) }, 'hr_checklist_template', [{ name: d.name, kind: d.kind, is_active: true, lines: d.lines }]);
  }
}
