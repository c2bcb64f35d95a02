import { sql } from 'kysely';
import { SYSTEM_USER_ID, type Actor } from '@mosaic/access';
import { createRule, updateRule, type TCreateRule } from '@mosaic/automation';
import { inTenantTx, type Database } from '@mosaic/db';
import type { MetaStore } from '@mosaic/meta';
import { seedChecklistTemplates } from '../checklist/checklist.seed.ts';
import '../checklist/checklist.action.ts';

/** Rules run as the system user of @mosaic/access, as the rules engine does. */
export { SYSTEM_USER_ID };

/**
 * The HR rules a tenant starts with, through the automation engine (so an admin sees, edits or
 * disables them like any rule): the onboarding checklist when an employee is entered, the
 * offboarding one when they leave — both from the checklist templates HR edits
 * (hr_checklist_template, the `hr_checklist` action) — and 劳动合同到期提醒 30 days before
 * `contract_end` (a date trigger the scheduler fires once per end date; a renewed contract fires again).
 */
export const HR_RULES: TCreateRule[] = [
  {
    name: '入职清单：新员工入职任务', object: 'employee', trigger: { type: 'created' }, condition: 'employment_status = "active"',
    actions: [{ type: 'hr_checklist', kind: 'onboarding' }],
  },
  {
    name: '离职清单：员工离职任务', object: 'employee', trigger: { type: 'updated', fields: ['employment_status'], becomesTrue: true }, condition: 'employment_status = "left"',
    actions: [{ type: 'hr_checklist', kind: 'offboarding' }],
  },
  {
    name: '劳动合同到期提醒：到期前 30 天', object: 'employee',
    trigger: { type: 'date_reached', dateField: 'contract_end', offset: { days: -30, at: '09:00' } }, condition: 'employment_status = "active"',
    actions: [
      { type: 'notify', users: ['$owner'], title: '劳动合同 30 天后到期：{{name}}（{{employee_no}}）', body: '到期日 {{contract_end}}，请确定续签或终止。' },
      { type: 'create_task', subject: '续签或终止劳动合同：{{name}}（{{employee_no}}）', assignee: '$owner', dueIn: { days: 20 } },
    ],
  },
];

/**
 * Creates each rule the tenant does not have yet (by name), so an admin's edits stay; and the
 * default checklist templates of every company. A checklist rule still holding the fixed task
 * list it was first shipped with (create_task actions only, subjects 入职：/离职：…) is moved to the
 * templates; one an admin changed otherwise is left as it is.
 */
export async function seedHrRules(db: Database, store: MetaStore, tenantId: string): Promise<void> {
  await seedChecklistTemplates(db, store, tenantId, SYSTEM_USER_ID);
  const facts = await inTenantTx(db.app, { tenantId }, async (tx) => (await sql<{ time_zone: string; company_id: string | null }>`
    SELECT t.time_zone, (SELECT id FROM company ORDER BY created_at, id LIMIT 1) AS company_id FROM tenant t`.execute(tx)).rows[0]);
  const existing = await inTenantTx(db.app, { tenantId }, async (tx) =>
    (await sql<{ id: string; name: string; version: number; actions: { type: string; subject?: string }[] }>`SELECT id, name, version, actions FROM automation_rule`.execute(tx)).rows);
  const actor: Actor = {
    tenantId, userId: SYSTEM_USER_ID, companyId: facts?.company_id ?? null, departmentId: null, departmentIds: [], isAdmin: true, roleIds: [],
    locale: 'zh-CN', timeZone: facts?.time_zone ?? 'Asia/Shanghai',
  };
  for (const rule of HR_RULES) {
    const have = existing.find((r) => r.name === rule.name);
    if (!have) await createRule({ db, store }, actor, rule);
    else if (rule.actions[0].type === 'hr_checklist' && isFixedChecklist(have.actions)) await updateRule({ db, store }, actor, have.id, { version: have.version, actions: rule.actions });
  }
}

const FIXED_SUBJECT = /^(入职|离职)：\{\{name\}\}（\{\{employee_no\}\}）/;
const isFixedChecklist = (actions: { type: string; subject?: string }[]) =>
  actions.length > 0 && actions.every((a) => a.type === 'create_task' && FIXED_SUBJECT.test(a.subject ?? ''));
