import type { TCreateObject } from '@mosaic/meta';

const opt = (value: string, zh: string, en: string) => ({ value, label: { zh, en } });
const label = (zh: string, en: string) => ({ zh, en });

export const CHECKLIST_KINDS = ['onboarding', 'offboarding'] as const;
export type ChecklistKind = (typeof CHECKLIST_KINDS)[number];
export const RESPONSIBLE_ROLES = ['hr', 'manager', 'employee'] as const;
export type ResponsibleRole = (typeof RESPONSIBLE_ROLES)[number];

/**
 * 入职/离职清单模板: what has to be done when someone joins or leaves, as data HR edits in the
 * generic views. A template belongs to the company it was made in (the record's company) and,
 * optionally, to a department and those below it; the rules use the most specific active one
 * (checklist.action.ts). Each line: a task, who does it, and when — days from the hire date
 * (onboarding) or the leaving date (offboarding), negative for before.
 */
export const CHECKLIST_OBJECTS: TCreateObject[] = [
  {
    apiName: 'hr_checklist_template', label: label('入离职清单模板', 'Checklist template'), module: 'hr', titleField: 'name',
    fields: [
      { apiName: 'name', type: 'text', label: label('模板名称', 'Name'), required: true },
      { apiName: 'kind', type: 'single_select', label: label('类型', 'Kind'), required: true, defaultValue: 'onboarding',
        config: { options: [opt('onboarding', '入职清单', 'Onboarding'), opt('offboarding', '离职清单', 'Offboarding')] } },
      { apiName: 'department', type: 'department', label: label('适用部门(含下级)', 'Department (and below)') },
      { apiName: 'is_active', type: 'boolean', label: label('启用', 'Active'), defaultValue: true },
      { apiName: 'description', type: 'long_text', label: label('说明', 'Description') },
      { apiName: 'lines', type: 'child_table', label: label('清单事项', 'Tasks'), config: { target: 'hr_checklist_template_line' } },
    ],
  },
  {
    apiName: 'hr_checklist_template_line', label: label('清单事项', 'Checklist task'), module: 'hr', isChild: true, parentObject: 'hr_checklist_template', titleField: 'task',
    fields: [
      { apiName: 'task', type: 'text', label: label('事项', 'Task'), required: true, config: { maxLength: 200 } },
      { apiName: 'responsible_role', type: 'single_select', label: label('负责角色', 'Responsible'), required: true, defaultValue: 'hr',
        config: { options: [opt('hr', '人事(员工档案负责人)', 'HR (the employee record\'s owner)'), opt('manager', '直属上级', 'Line manager'), opt('employee', '员工本人', 'The employee')] } },
      // A named person instead of the role, e.g. the IT administrator who opens accounts.
      { apiName: 'assignee', type: 'user', label: label('指定负责人', 'Assignee') },
      { apiName: 'days_offset', type: 'integer', label: label('完成期限(天)', 'Due (days)'), required: true, defaultValue: 0, config: { min: -365, max: 365 } },
      { apiName: 'description', type: 'long_text', label: label('说明', 'Description') },
    ],
  },
];
