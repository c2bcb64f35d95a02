import { sql } from 'kysely';
import type { Actor } from '@mosaic/access';
import { createRule, type TCreateRule } from '@mosaic/automation';
import { inTenantTx, type Database } from '@mosaic/db';
import type { MetaStore } from '@mosaic/meta';

/** Rules run as nobody in particular: the nil user, as the rules engine does. */
const SYSTEM_USER_ID = '00000000-0000-0000-0000-000000000000';

/** 入职清单: what HR does for every new hire, one task each for whoever entered the employee, due within the first days. */
export const ONBOARDING_CHECKLIST: { subject: string; days: number }[] = [
  { subject: '签订劳动合同', days: 1 },
  { subject: '开通系统账号与邮箱', days: 1 },
  { subject: '办理社保公积金增员', days: 5 },
  { subject: '发放电脑、工牌与门禁', days: 1 },
  { subject: '入职培训与安全教育', days: 7 },
];

/** 离职清单: what must happen when an employee leaves. */
export const OFFBOARDING_CHECKLIST: { subject: string; days: number }[] = [
  { subject: '工作交接', days: 3 },
  { subject: '停用系统账号', days: 1 },
  { subject: '办理社保公积金减员', days: 5 },
  { subject: '结清工资与报销', days: 10 },
];

const tasks = (prefix: string, list: { subject: string; days: number }[]) =>
  list.map((item) => ({ type: 'create_task' as const, subject: `${prefix}：{{name}}（{{employee_no}}）${item.subject}`, assignee: '$owner', dueIn: { days: item.days } }));

/**
 * The HR rules a tenant starts with, through the automation engine (so an admin sees, edits or
 * disables them like any rule): the onboarding checklist when an employee is entered, the
 * offboarding one when they leave, and 劳动合同到期提醒 30 days before `contract_end`
 * (a date trigger the scheduler fires once per end date; a renewed contract fires again).
 */
export const HR_RULES: TCreateRule[] = [
  {
    name: '入职清单：新员工入职任务', object: 'employee', trigger: { type: 'created' }, condition: 'employment_status = "active"',
    actions: tasks('入职', ONBOARDING_CHECKLIST),
  },
  {
    name: '离职清单：员工离职任务', object: 'employee', trigger: { type: 'updated', fields: ['employment_status'], becomesTrue: true }, condition: 'employment_status = "left"',
    actions: tasks('离职', OFFBOARDING_CHECKLIST),
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

/** Creates each rule the tenant does not have yet (by name), so an admin's edits and deletions stay. */
export async function seedHrRules(db: Database, store: MetaStore, tenantId: string): Promise<void> {
  const facts = await inTenantTx(db.app, { tenantId }, async (tx) => (await sql<{ time_zone: string; company_id: string | null; names: string[] }>`
    SELECT t.time_zone, (SELECT id FROM company ORDER BY created_at, id LIMIT 1) AS company_id,
      ARRAY(SELECT name FROM automation_rule) AS names FROM tenant t`.execute(tx)).rows[0]);
  const actor: Actor = {
    tenantId, userId: SYSTEM_USER_ID, companyId: facts?.company_id ?? null, departmentId: null, departmentIds: [], isAdmin: true, roleIds: [],
    locale: 'zh-CN', timeZone: facts?.time_zone ?? 'Asia/Shanghai',
  };
  const have = new Set(facts?.names ?? []);
  for (const rule of HR_RULES) if (!have.has(rule.name)) await createRule({ db, store }, actor, rule);
}
