import { describe, expect, it } from 'vitest';
import type { ModuleInfo, ObjectMeta } from '../../api/types.ts';
import { menuGroups } from '../../layout/modules.tsx';
import { cockpitOf, quickEntries, todoSections } from './home-model.ts';

const LINKS: Record<string, string> = { customer: 'customer', lead: 'lead', employee: 'employee', assignee: 'employee' };
const obj = (apiName: string, module: string, fields: string[] = [], extra: Partial<ObjectMeta> = {}) =>
  ({ apiName, module, label: { zh: apiName, en: apiName }, isChild: false, archived: false, titleField: 'name',
    fields: fields.map((f) => (LINKS[f] ? { apiName: f, type: 'link', config: { target: LINKS[f] } } : { apiName: f, type: 'text', config: {} })), ...extra }) as unknown as ObjectMeta;
const manifest = (name: string, group: string, order: number, objectModules: string[] = [name]): ModuleInfo =>
  ({ name, label: { zh: name, en: name }, depends: [], menu: { group, label: { zh: name, en: name }, order }, objectModules });
const modules = [
  manifest('crm', 'crm', 10), manifest('stock', 'stock', 20), manifest('selling', 'stock', 21), manifest('finance', 'finance', 30),
  manifest('automation', 'automation', 90), manifest('calendar', 'admin', 96),
];

const TASK = obj('task', 'automation', ['subject', 'due_at', 'done', 'assignee_id', 'owner_id']);
const ACTIVITY = obj('activity', 'crm', ['subject', 'next_followup_date', 'followup_done', 'customer', 'owner_id']);
const TICKET = obj('ticket', 'crm', ['number', 'subject', 'assignee', 'state', 'sla_state', 'resolution_due', 'owner_id']);
const CRM = [
  obj('crm_pipeline', 'crm'), obj('customer', 'crm'), obj('crm_pool_rule', 'crm'), obj('opportunity_stage_log', 'crm'), obj('lead', 'crm'),
  obj('quote', 'crm'), obj('quote_line', 'crm', [], { isChild: true }), obj('pool_move', 'crm'), ACTIVITY, TICKET,
];
const SUPPLY = [obj('stock_ledger_entry', 'stock'), obj('item', 'stock'), obj('sales_order', 'selling'), obj('uom', 'stock')];
const everything = [...CRM, ...SUPPLY, obj('journal_entry', 'finance'), obj('gl_account', 'finance'), TASK, obj('company_holiday', 'calendar'), obj('machine', 'custom')];

const entries = (objects: ObjectMeta[], isAdmin = false) =>
  quickEntries(objects, menuGroups(modules, isAdmin), isAdmin).map((g) => [g.group.key, g.entries.map((e) => e.key)]);

describe('快捷入口', () => {
  it('offers per menu group, in menu order, the module pages, 新建 for daily documents and the daily objects — no config or log objects', () => {
    expect(entries(everything)).toEqual([
      ['crm', ['/crm/pool', '/crm/pipeline', '/crm/sales-forecast', 'new:lead', 'new:quote',
        'list:customer', 'list:lead', 'list:activity', 'list:quote', 'list:ticket']],
      ['stock', ['new:sales_order', 'list:item', 'list:sales_order']], // stock's objects before selling's, as the menu files them
      ['finance', ['/finance/statements', 'list:journal_entry']],
      ['custom', ['list:machine']], // an administrator's own objects are all daily work
      ['automation', ['list:task']],
    ]);
  });

  it('leaves out the groups of modules the user may read nothing of, and 设置 for an administrator', () => {
    expect(entries(SUPPLY).map((g) => g[0])).toEqual(['stock']);
    expect(entries(everything, true).map((g) => g[0])).not.toContain('settings');
    // a non-admin finds the calendar module's object under its own group, but it is not daily work
    expect(entries(everything, false).map((g) => g[0])).not.toContain('calendar');
  });

  it('links a list, a new record\'s form and a page', () => {
    const crm = quickEntries(CRM, menuGroups(modules, false), false)[0].entries;
    expect(crm.find((e) => e.key === 'new:quote')?.path).toBe('/o/quote?edit=new');
    expect(crm.find((e) => e.key === 'list:customer')?.path).toBe('/o/customer');
    expect(crm.find((e) => e.key === '/crm/pipeline')).toMatchObject({ kind: 'page', label: 'crm.pipeline.menu' });
  });
});

describe('我的待办 sections', () => {
  it('gives each section only when its object and fields are readable', () => {
    expect(todoSections(everything).map((s) => s.key)).toEqual(['tasks', 'followups', 'tickets']);
    // a role without CRM: tasks only (HR checklists make tasks too); a role with neither: none (approvals need no object)
    expect(todoSections([...SUPPLY, TASK]).map((s) => s.key)).toEqual(['tasks']);
    expect(todoSections(SUPPLY)).toEqual([]);
    // the ticket's assignee hidden by a field rule: no ticket section (its filter would answer 400)
    const hidden = obj('ticket', 'crm', ['number', 'subject', 'state', 'sla_state', 'resolution_due']);
    expect(todoSections([hidden]).map((s) => s.key)).toEqual([]);
  });

  it('gives 项目任务 through the employee who is the user, and 绩效考核 at the reviewer\'s step', () => {
    const PROJECT_TASK = obj('project_task', 'projects', ['title', 'assignee', 'task_status', 'end_date']);
    const APPRAISAL = obj('appraisal', 'hr', ['employee', 'reviewer', 'stage', 'period']);
    const EMPLOYEE = obj('employee', 'hr', ['name', 'user']);
    const [tasks, appraisals] = todoSections([PROJECT_TASK, APPRAISAL, EMPLOYEE]);
    expect(tasks.filter).toEqual({ and: [{ field: 'assignee.user', op: 'eq', value: { var: '$user' } }, { field: 'task_status', op: 'in', value: ['todo', 'doing'] }] });
    expect(appraisals.filter).toEqual({ and: [{ field: 'reviewer', op: 'eq', value: { var: '$user' } }, { field: 'stage', op: 'eq', value: 'manager_review' }] });
    expect(appraisals.fields).toEqual(['period', 'employee.name']);
    expect(appraisals.titleOf({ id: '1', period: '2026-Q4', 'employee.name': '王芳' })).toBe('王芳 · 2026-Q4');
    // a project member who may not read employees (or their user): no project section, whose filter would walk them
    expect(todoSections([PROJECT_TASK]).map((s) => s.key)).toEqual([]);
    expect(todoSections([PROJECT_TASK, obj('employee', 'hr', ['name'])]).map((s) => s.key)).toEqual([]);
  });

  it('asks the server for the user\'s own and due, by its $user and its day', () => {
    const [tasks, followups, tickets] = todoSections(everything);
    expect(tasks.filter).toEqual({ and: [
      { field: 'done', op: 'eq', value: false },
      { or: [{ field: 'assignee_id', op: 'eq', value: { var: '$user' } }, { and: [{ field: 'assignee_id', op: 'isNull', value: true }, { field: 'owner_id', op: 'eq', value: { var: '$user' } }] }] },
    ] });
    expect(followups.filter).toEqual({ and: [
      { field: 'owner_id', op: 'eq', value: { var: '$user' } }, { field: 'next_followup_date', op: 'lte', value: 'today' }, { field: 'followup_done', op: 'eq', value: false },
    ] });
    expect(tickets.filter).toMatchObject({ and: [{ field: 'assignee', op: 'eq', value: { var: '$user' } }, { field: 'state', op: 'in' }, { field: 'sla_state', op: 'in', value: ['warning', 'breached'] }] });
    // without crm_sales' followup_done every passed follow-up date counts
    const bare = obj('activity', 'crm', ['subject', 'next_followup_date', 'owner_id']);
    expect(todoSections([bare])[0].filter).toEqual({ and: [{ field: 'owner_id', op: 'eq', value: { var: '$user' } }, { field: 'next_followup_date', op: 'lte', value: 'today' }] });
  });

  it('names a row by its title fields', () => {
    const [, followups, tickets] = todoSections(everything);
    expect(followups.fields).toContain('customer.name'); // the customer's title field, as lists ask for a link's name
    expect(followups.titleOf({ id: '1', subject: '回访', 'customer.name': '宁波港机' })).toBe('回访 · 宁波港机');
    // the customer object not readable: no name asked for
    const [, alone] = todoSections([TASK, ACTIVITY]);
    expect(alone.fields).toEqual(['subject', 'next_followup_date']);
    expect(alone.titleOf({ id: '1', subject: '回访' })).toBe('回访');
    expect(tickets.titleOf({ id: '1', number: 'TK-2026-00001', subject: '无法开机' })).toBe('TK-2026-00001 无法开机');
  });
});

describe('the cockpit link', () => {
  it('is the shared cockpit among the dashboards the user may see, else none', () => {
    expect(cockpitOf([{ id: 'a', name: '我的看板' }, { id: 'b', name: '经营驾驶舱' }])?.id).toBe('b');
    expect(cockpitOf([{ id: 'a', name: '我的看板' }])).toBeUndefined();
    expect(cockpitOf(undefined)).toBeUndefined();
  });
});
