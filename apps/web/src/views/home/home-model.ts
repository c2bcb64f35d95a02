import type { FilterNode, ObjectMeta, RecordData } from '../../api/types.ts';
import { groupObjects, SETTINGS_KEY, type MenuGroup } from '../../layout/modules.tsx';
import { pagesOf } from '../../layout/menu-pages.ts';
import { titlePath } from '../../fields/display-paths.ts';

/**
 * What the home page (首页) shows, as pure functions of what the user may read: the 我的待办 sections
 * their objects and fields allow, the 快捷入口 of their menu groups, and the cockpit if they may see it.
 */

/**
 * The objects people work in every day, per module, in the order a user reaches for them. Configuration
 * (销售流程, 公海规则, SLA 策略 …) and logs (阶段变更记录, 公海流转记录, 库存流水 …) are left to the menu.
 * Objects of modules not named here (an administrator's own, 自定义) are all daily: somebody built them to work in.
 */
export const DAILY_OBJECTS: Record<string, string[]> = {
  crm: ['customer', 'contact', 'lead', 'opportunity', 'activity', 'quote', 'contract', 'ticket'],
  selling: ['sales_order', 'delivery_note', 'sales_invoice', 'sales_return'],
  buying: ['purchase_requisition', 'purchase_order', 'purchase_receipt', 'purchase_invoice', 'supplier'],
  stock: ['item', 'stock_balance', 'stock_entry', 'stock_transfer', 'stock_count'],
  finance: ['journal_entry', 'payment_entry', 'payment', 'bank_statement'],
  manufacturing: ['work_order', 'job_card', 'production_plan'],
  hr: ['employee', 'leave_request', 'attendance', 'payroll_run', 'appraisal', 'candidate'],
  projects: ['project', 'project_task', 'timesheet', 'expense_claim'],
  automation: ['task'],
  calendar: [],
};

/** Documents a user starts often enough to be offered 新建 on the home page (the list's form opens with ?edit=new). */
export const QUICK_NEW = ['lead', 'quote', 'sales_order', 'purchase_order', 'leave_request', 'expense_claim'];

/** Menu groups that are not a module's daily work: 设置 (an administrator's), 经营看板 (the cockpit link has it). */
const NOT_QUICK = [SETTINGS_KEY, 'mis'];

export interface QuickEntry {
  key: string;
  path: string;
  /** An i18n key (a module page, 新建 …) or an object's label. */
  kind: 'page' | 'new' | 'list';
  /** The page's i18n key (kind 'page'). */
  label?: string;
  object?: ObjectMeta;
}

export interface QuickGroup {
  group: MenuGroup;
  entries: QuickEntry[];
}

const isDaily = (o: ObjectMeta) => !(o.module in DAILY_OBJECTS) || DAILY_OBJECTS[o.module].includes(o.apiName);
const dailyRank = (o: ObjectMeta) => (o.module in DAILY_OBJECTS ? DAILY_OBJECTS[o.module].indexOf(o.apiName) : Number.MAX_SAFE_INTEGER);

/**
 * 快捷入口, in menu order: per group the module's own pages (as the menu offers them), then 新建 for its
 * documents of QUICK_NEW, then the lists of its daily objects. A group with nothing the user may open is left out.
 */
export function quickEntries(objects: ObjectMeta[], groups: MenuGroup[], isAdmin: boolean): QuickGroup[] {
  return groupObjects(objects, groups)
    .filter((g) => !NOT_QUICK.includes(g.key))
    .map((g) => {
      const daily = g.objects.filter(isDaily);
      // within a group, modules keep the menu's order; a module's objects take DAILY_OBJECTS' order
      daily.sort((a, b) => g.modules.indexOf(a.module) - g.modules.indexOf(b.module) || dailyRank(a) - dailyRank(b));
      const creatable = QUICK_NEW.map((name) => daily.find((o) => o.apiName === name)).filter((o): o is ObjectMeta => !!o);
      const entries: QuickEntry[] = [
        // a module's pages are shown only beside objects of the module: the menu's rule (SideMenu)
        ...(g.objects.length ? pagesOf(g.key, isAdmin).map((p) => ({ key: p.path, path: p.path, kind: 'page' as const, label: p.label })) : []),
        ...creatable.map((o) => ({ key: `new:${o.apiName}`, path: `/o/${o.apiName}?edit=new`, kind: 'new' as const, object: o })),
        ...daily.map((o) => ({ key: `list:${o.apiName}`, path: `/o/${o.apiName}`, kind: 'list' as const, object: o })),
      ];
      return { group: g, entries };
    })
    .filter((g) => g.entries.length > 0);
}

/** One 我的待办 section read through the records API: what is the user's and due, soonest first. */
export interface TodoSection {
  key: 'tasks' | 'followups' | 'tickets' | 'projectTasks' | 'appraisals';
  object: string;
  /** The menu group the object belongs to ('crm' for follow-ups and tickets): the section's module. */
  module: string;
  filter: FilterNode;
  sort: string;
  fields: string[];
  /** The date or date-time the row is due by (shown, and red when past), if it has one. */
  dueField?: string;
  /** What the row is called. */
  titleOf(row: RecordData): string;
}

const me = { var: '$user' };
const has = (o: ObjectMeta, ...fields: string[]) => fields.every((f) => o.fields.some((x) => x.apiName === f));

/**
 * The sections of 我的待办 that this user's objects and fields allow — an object they may not read, or a field
 * hidden from them, gives no section (and no request that would answer 403). The filters use the server's
 * `$user` and `$today` (the tenant's day), so "mine" and "due" are decided where the clock is.
 */
export function todoSections(objects: ObjectMeta[]): TodoSection[] {
  const by = new Map(objects.map((o) => [o.apiName, o]));
  const out: TodoSection[] = [];
  const task = by.get('task');
  if (task && has(task, 'subject', 'due_at', 'done', 'owner_id')) {
    // a task is the assignee's (rules set its owner to the assignee too); one without an assignee is its owner's
    const mine: FilterNode = has(task, 'assignee_id')
      ? { or: [{ field: 'assignee_id', op: 'eq', value: me }, { and: [{ field: 'assignee_id', op: 'isNull', value: true }, { field: 'owner_id', op: 'eq', value: me }] }] }
      : { field: 'owner_id', op: 'eq', value: me };
    out.push({
      key: 'tasks', object: 'task', module: task.module, sort: 'due_at', fields: ['subject', 'due_at'], dueField: 'due_at',
      filter: { and: [{ field: 'done', op: 'eq', value: false }, mine] },
      titleOf: (r) => String(r.subject ?? ''),
    });
  }
  const activity = by.get('activity');
  if (activity && has(activity, 'subject', 'next_followup_date', 'owner_id')) {
    // followup_done (crm_sales) marks a follow-up logged since; without it every past date still counts
    const open: FilterNode[] = has(activity, 'followup_done') ? [{ field: 'followup_done', op: 'eq', value: false }] : [];
    // whom to follow up: the customer's name, when the user may read it (else the lead's)
    const whom = ['customer', 'lead'].map((f) => activity.fields.find((x) => x.apiName === f)).map((f) => (f ? titlePath(f, objects) : null)).find((p) => !!p);
    out.push({
      key: 'followups', object: 'activity', module: activity.module, sort: 'next_followup_date', fields: ['subject', 'next_followup_date', ...(whom ? [whom] : [])], dueField: 'next_followup_date',
      filter: { and: [{ field: 'owner_id', op: 'eq', value: me }, { field: 'next_followup_date', op: 'lte', value: 'today' }, ...open] },
      titleOf: (r) => [r.subject, whom ? r[whom] : null].filter(Boolean).join(' · '),
    });
  }
  const ticket = by.get('ticket');
  if (ticket && has(ticket, 'assignee', 'state', 'sla_state', 'resolution_due', 'subject')) {
    out.push({
      key: 'tickets', object: 'ticket', module: ticket.module, sort: 'resolution_due', fields: ['number', 'subject', 'sla_state', 'resolution_due'], dueField: 'resolution_due',
      filter: { and: [
        { field: 'assignee', op: 'eq', value: me },
        { field: 'state', op: 'in', value: ['new', 'open', 'pending'] },
        { field: 'sla_state', op: 'in', value: ['warning', 'breached'] },
      ] },
      titleOf: (r) => [r.number, r.subject].filter(Boolean).join(' '),
    });
  }
  // 项目任务 are assigned to an employee: theirs when the employee is the user (and the user may read who that is)
  const projectTask = by.get('project_task');
  const employee = by.get('employee');
  if (projectTask && employee && has(projectTask, 'title', 'assignee', 'task_status', 'end_date') && has(employee, 'user')) {
    out.push({
      key: 'projectTasks', object: 'project_task', module: projectTask.module, sort: 'end_date', fields: ['title', 'end_date'], dueField: 'end_date',
      filter: { and: [{ field: 'assignee.user', op: 'eq', value: me }, { field: 'task_status', op: 'in', value: ['todo', 'doing'] }] },
      titleOf: (r) => String(r.title ?? ''),
    });
  }
  // 绩效考核 at the reviewer's step
  const appraisal = by.get('appraisal');
  if (appraisal && has(appraisal, 'reviewer', 'stage', 'period')) {
    const who = appraisal.fields.find((f) => f.apiName === 'employee');
    const name = who ? titlePath(who, objects) : null;
    out.push({
      key: 'appraisals', object: 'appraisal', module: appraisal.module, sort: 'period', fields: ['period', ...(name ? [name] : [])],
      filter: { and: [{ field: 'reviewer', op: 'eq', value: me }, { field: 'stage', op: 'eq', value: 'manager_review' }] },
      titleOf: (r) => [name ? r[name] : null, r.period].filter(Boolean).join(' · '),
    });
  }
  return out;
}

/** The cockpit (经营驾驶舱, packages/reporting/src/cockpit.ts COCKPIT_NAME) among the dashboards the user may see. */
export const COCKPIT_NAME = '经营驾驶舱';

export function cockpitOf<D extends { id: string; name: string }>(dashboards: D[] | undefined): D | undefined {
  return dashboards?.find((d) => d.name === COCKPIT_NAME);
}
