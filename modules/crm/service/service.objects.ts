import type { TCreateField, TCreateObject } from '@mosaic/meta';
import type { TCreateRule } from '@mosaic/automation';
import { ISO_WEEKDAYS_PATTERN } from '@mosaic/kernel';

const opt = (value: string, zh: string, en: string) => ({ value, label: { zh, en } });
const f = (apiName: string, type: TCreateField['type'], zh: string, en: string, extra: Partial<TCreateField> = {}): TCreateField =>
  ({ apiName, type, label: { zh, en }, ...extra });
const msg = (zh: string, en: string) => ({ zh, en });
const HHMM = '^([01][0-9]|2[0-3]):[0-5][0-9]$';
const blankOrLunch = 'OR(ISBLANK(lunch_start), ISBLANK(lunch_end)';

/**
 * The service desk's additions to the CRM objects (merged into crm.objects.ts'
 * definitions by `mergeObjectDefs`, so the CRM's own list stays as it was):
 *
 * - an SLA policy's working day — start and end ("HH:MM"), an optional lunch
 *   break (the clock stops over it), the working weekdays (ISO 1–7). The holiday
 *   table still decides holidays and 调休 days; a 调休 day works the policy's hours.
 * - a ticket's assignee (处理人), which the assignment rule fills when a
 *   ticket comes in without one, and the routing table it uses.
 */
export const SERVICE_OBJECTS: TCreateObject[] = [
  {
    apiName: 'sla_policy', label: { zh: 'SLA 策略', en: 'SLA policy' }, module: 'crm',
    fields: [
      f('work_start', 'text', '上班时间', 'Working day starts', { required: true, defaultValue: '09:00', config: { regex: HHMM } }),
      f('work_end', 'text', '下班时间', 'Working day ends', { required: true, defaultValue: '18:00', config: { regex: HHMM } }),
      f('lunch_start', 'text', '午休开始', 'Lunch break from', { config: { regex: HHMM } }),
      f('lunch_end', 'text', '午休结束', 'Lunch break until', { config: { regex: HHMM } }),
      // ISO weekdays, e.g. "1,2,3,4,5,6" for a six-day week.
      f('work_weekdays', 'text', '工作日（周一=1）', 'Working weekdays (Monday = 1)', { required: true, defaultValue: '1,2,3,4,5', config: { regex: ISO_WEEKDAYS_PATTERN } }),
    ],
    rules: [
      { name: 'work_day_in_order', formula: 'work_end > work_start', field: 'work_end', message: msg('下班时间必须晚于上班时间', 'The working day must end after it starts') },
      { name: 'lunch_both_or_none', formula: 'ISBLANK(lunch_start) = ISBLANK(lunch_end)', field: 'lunch_end', message: msg('午休开始和结束要么都填，要么都不填', 'Give both ends of the lunch break, or neither') },
      { name: 'lunch_in_order', formula: `${blankOrLunch}, lunch_end > lunch_start)`, field: 'lunch_end', message: msg('午休结束必须晚于午休开始', 'The lunch break must end after it starts') },
      { name: 'lunch_inside_day', formula: `${blankOrLunch}, AND(lunch_start > work_start, lunch_end < work_end))`, field: 'lunch_start', message: msg('午休必须在工作时间之内', 'The lunch break must lie inside the working day') },
    ],
  },
  {
    apiName: 'ticket', label: { zh: '工单', en: 'Ticket' }, module: 'crm',
    fields: [{ apiName: 'assignee', type: 'user', label: { zh: '处理人', en: 'Assignee' }, indexed: true }],
  },
  {
    // 工单分派规则: the first active route (by sequence) whose category and product match (blank = any) names the group.
    apiName: 'crm_ticket_route', label: { zh: '工单分派规则', en: 'Ticket route' }, module: 'crm', titleField: 'name',
    fields: [
      f('name', 'text', '名称', 'Name', { required: true }),
      f('sequence', 'integer', '顺序', 'Order', { defaultValue: 10 }),
      f('category', 'text', '工单分类', 'Ticket category'),
      { apiName: 'team', type: 'department', label: { zh: '处理组', en: 'Group' }, required: true },
      { apiName: 'strategy', type: 'single_select', label: { zh: '分派方式', en: 'Strategy' }, defaultValue: 'round_robin',
        config: { options: [opt('round_robin', '轮流分派', 'Round robin'), opt('least_load', '未结工单最少者', 'Fewest open tickets')] } },
      f('active', 'boolean', '启用', 'Active', { defaultValue: true }),
    ],
  },
];

/** The rule the service desk ships (crm.seed.ts installs it with the CRM's others). */
export const SERVICE_RULES: TCreateRule[] = [
  {
    name: '新工单：按分类/产品分派到处理组并轮流分配',
    description: '未指定处理人的工单：按「工单分派规则」找到处理组，组内轮流（或分给未结工单最少者）分配；没有匹配的规则时不动。',
    object: 'ticket', trigger: { type: 'created' }, condition: 'ISBLANK(assignee)',
    actions: [{ type: 'crm_assign_ticket' }],
  },
];

/** With the supply chain (crm_sales): tickets and routes may name a product. */
export const SERVICE_SALES_OBJECTS: TCreateObject[] = [
  { apiName: 'ticket', label: { zh: '工单', en: 'Ticket' }, module: 'crm', fields: [{ apiName: 'product', type: 'link', label: { zh: '产品', en: 'Product' }, config: { target: 'item', onDelete: 'set_null' } }] },
  { apiName: 'crm_ticket_route', label: { zh: '工单分派规则', en: 'Ticket route' }, module: 'crm', fields: [{ apiName: 'product', type: 'link', label: { zh: '产品', en: 'Product' }, config: { target: 'item', onDelete: 'set_null' } }] },
];
