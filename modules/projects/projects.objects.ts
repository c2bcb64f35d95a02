import type { TCreateField, TCreateObject } from '@mosaic/meta';

const opt = (value: string, zh: string, en: string) => ({ value, label: { zh, en } });
const label = (zh: string, en: string) => ({ zh, en });
const amount = (apiName: string, zh: string, en: string, extra: Partial<TCreateField> = {}): TCreateField =>
  ({ apiName, type: 'decimal', label: label(zh, en), defaultValue: '0', config: { precision: 18, scale: 2, min: 0 }, ...extra });

/** The cost types a project budgets and collects (成本归集). */
export const COST_TYPES = ['labour', 'material', 'purchase', 'expense'] as const;
export type CostType = (typeof COST_TYPES)[number];
const COST_TYPE_OPTIONS = [opt('labour', '人工', 'Labour'), opt('material', '材料', 'Material'), opt('purchase', '采购', 'Purchase'), opt('expense', '费用', 'Expense')];

/** 项目管理 — API names fixed by issue 11 (project, project_task, timesheet, expense_claim) plus milestones and the cost ledger. */
export const PROJECT_OBJECTS: TCreateObject[] = [
  {
    apiName: 'project', label: label('项目', 'Project'), module: 'projects', titleField: 'name', searchFields: ['code', 'name'],
    listDefaults: { columns: ['code', 'name', 'customer', 'manager', 'stage', 'start_date', 'end_date', 'progress'], sort: { field: 'start_date', direction: 'desc' } },
    fields: [
      { apiName: 'code', type: 'text', label: label('项目编号', 'Code'), required: true, unique: true },
      { apiName: 'name', type: 'text', label: label('项目名称', 'Name'), required: true },
      { apiName: 'customer', type: 'link', label: label('客户', 'Customer'), config: { target: 'customer' } },
      { apiName: 'manager', type: 'user', label: label('项目经理', 'Manager') },
      { apiName: 'stage', type: 'single_select', label: label('阶段', 'Stage'), required: true, defaultValue: 'planning',
        config: { options: [opt('planning', '立项', 'Planning'), opt('active', '执行中', 'Active'), opt('accepted', '已验收', 'Accepted'), opt('closed', '已关闭', 'Closed')] } },
      { apiName: 'start_date', type: 'date', label: label('开始日期', 'Start') },
      { apiName: 'end_date', type: 'date', label: label('结束日期', 'End') },
      { apiName: 'accepted_date', type: 'date', label: label('验收日期', 'Acceptance date') },
      { apiName: 'progress', type: 'percent', label: label('进度', 'Progress'), defaultValue: '0', config: { min: 0, max: 1 } },
      amount('budget_labour', '人工预算', 'Labour budget'),
      amount('budget_material', '材料预算', 'Material budget'),
      amount('budget_purchase', '采购预算', 'Purchase budget'),
      amount('budget_expense', '费用预算', 'Expense budget'),
      { apiName: 'budget_total', type: 'formula', label: label('预算合计', 'Budget total'), config: { formula: 'budget_labour + budget_material + budget_purchase + budget_expense' } },
    ],
    rules: [
      { name: 'dates_in_order', formula: 'OR(ISBLANK(end_date), ISBLANK(start_date), end_date >= start_date)', message: label('结束日期不能早于开始日期', 'The end date must not be before the start date'), field: 'end_date' },
      // 验收: a project is accepted on a day, and not before it started.
      { name: 'accepted_on_a_date', formula: 'OR(stage <> "accepted", NOT ISBLANK(accepted_date))', message: label('验收需填写验收日期', 'An accepted project needs its acceptance date'), field: 'accepted_date' },
      { name: 'accepted_after_start', formula: 'OR(ISBLANK(accepted_date), ISBLANK(start_date), accepted_date >= start_date)', message: label('验收日期不能早于开始日期', 'The acceptance date must not be before the start date'), field: 'accepted_date' },
    ],
  },
  {
    apiName: 'project_task', label: label('项目任务', 'Project task'), module: 'projects', titleField: 'title',
    fields: [
      { apiName: 'project', type: 'link', label: label('项目', 'Project'), required: true, config: { target: 'project', onDelete: 'cascade' } },
      { apiName: 'title', type: 'text', label: label('任务', 'Task'), required: true },
      { apiName: 'parent_task', type: 'link', label: label('上级任务', 'Parent task'), config: { target: 'project_task', onDelete: 'cascade' } },
      { apiName: 'assignee', type: 'link', label: label('负责人', 'Assignee'), config: { target: 'employee' } },
      { apiName: 'start_date', type: 'date', label: label('开始日期', 'Start') },
      { apiName: 'end_date', type: 'date', label: label('结束日期', 'End') },
      { apiName: 'estimate_hours', type: 'decimal', label: label('预估工时', 'Estimate (h)'), config: { precision: 10, scale: 2, min: 0 } },
      { apiName: 'task_status', type: 'single_select', label: label('状态', 'Status'), required: true, defaultValue: 'todo',
        config: { options: [opt('todo', '待办', 'To do'), opt('doing', '进行中', 'In progress'), opt('done', '已完成', 'Done')] } },
      { apiName: 'progress', type: 'percent', label: label('进度', 'Progress'), defaultValue: '0', config: { min: 0, max: 1 } },
      { apiName: 'dependencies', type: 'child_table', label: label('前置任务', 'Depends on'), config: { target: 'project_task_dependency' } },
    ],
    rules: [{ name: 'dates_in_order', formula: 'OR(ISBLANK(end_date), ISBLANK(start_date), end_date >= start_date)', message: label('结束日期不能早于开始日期', 'The end date must not be before the start date'), field: 'end_date' }],
  },
  {
    apiName: 'project_task_dependency', label: label('前置任务', 'Task dependency'), module: 'projects', isChild: true, parentObject: 'project_task', titleField: 'predecessor',
    fields: [
      { apiName: 'predecessor', type: 'link', label: label('前置任务', 'Predecessor'), required: true, config: { target: 'project_task', onDelete: 'cascade' } },
      // Finish-to-start is what a Gantt draws by default; the others are there for the rare plan that needs them.
      { apiName: 'kind', type: 'single_select', label: label('关系', 'Kind'), required: true, defaultValue: 'fs',
        config: { options: [opt('fs', '完成-开始', 'Finish to start'), opt('ss', '开始-开始', 'Start to start'), opt('ff', '完成-完成', 'Finish to finish')] } },
    ],
  },
  {
    apiName: 'timesheet', label: label('工时单', 'Timesheet'), module: 'projects', isDocument: true, titleField: 'number',
    fields: [
      { apiName: 'number', type: 'auto_number', label: label('单号', 'Number'), config: { pattern: 'TS-{YYYY}-{#####}' } },
      { apiName: 'employee', type: 'link', label: label('员工', 'Employee'), required: true, config: { target: 'employee' } },
      { apiName: 'project', type: 'link', label: label('项目', 'Project'), required: true, config: { target: 'project' } },
      { apiName: 'task', type: 'link', label: label('任务', 'Task'), config: { target: 'project_task' } },
      { apiName: 'work_date', type: 'date', label: label('日期', 'Date'), required: true },
      { apiName: 'hours', type: 'decimal', label: label('工时', 'Hours'), required: true, config: { precision: 6, scale: 2, min: '0.25', max: 24 } },
      { apiName: 'description', type: 'long_text', label: label('工作内容', 'Work done') },
      // 进度填报: how far the task is after this work; set on the task when the timesheet is approved.
      { apiName: 'task_progress', type: 'percent', label: label('任务进度', 'Task progress'), config: { min: 0, max: 1 } },
      // Filled when the cost is collected: the employee's hourly cost then, and hours × rate.
      amount('cost_rate', '小时成本', 'Cost rate'),
      amount('cost_amount', '人工成本', 'Labour cost'),
    ],
  },
  {
    apiName: 'expense_claim', label: label('费用报销', 'Expense claim'), module: 'projects', isDocument: true, titleField: 'number',
    fields: [
      { apiName: 'number', type: 'auto_number', label: label('单号', 'Number'), config: { pattern: 'EC-{YYYY}-{#####}' } },
      { apiName: 'employee', type: 'link', label: label('报销人', 'Employee'), required: true, config: { target: 'employee' } },
      { apiName: 'project', type: 'link', label: label('项目', 'Project'), config: { target: 'project' } },
      { apiName: 'expense_date', type: 'date', label: label('费用日期', 'Date'), required: true },
      { apiName: 'category', type: 'single_select', label: label('费用类别', 'Category'), required: true, defaultValue: 'travel',
        config: { options: [opt('travel', '差旅费', 'Travel'), opt('meal', '餐费', 'Meals'), opt('transport', '交通费', 'Transport'), opt('office', '办公费', 'Office'), opt('other', '其他', 'Other')] } },
      amount('amount', '金额', 'Amount', { required: true, defaultValue: undefined, config: { precision: 18, scale: 2, min: '0.01' } }),
      { apiName: 'description', type: 'long_text', label: label('事由', 'Purpose') },
    ],
  },
  {
    apiName: 'project_milestone', label: label('项目里程碑', 'Milestone'), module: 'projects', titleField: 'name',
    fields: [
      { apiName: 'project', type: 'link', label: label('项目', 'Project'), required: true, config: { target: 'project', onDelete: 'cascade' } },
      { apiName: 'name', type: 'text', label: label('里程碑', 'Milestone'), required: true },
      { apiName: 'due_date', type: 'date', label: label('计划日期', 'Due') },
      { apiName: 'billing_item', type: 'link', label: label('开票物料', 'Billing item'), config: { target: 'item' } },
      amount('billing_amount', '开票金额(不含税)', 'Billing amount (net)'),
      { apiName: 'tax_rate', type: 'percent', label: label('税率', 'VAT rate'), defaultValue: '0.06', config: { min: 0, max: 1 } }, // 现代服务 6 %
      { apiName: 'sales_invoice', type: 'link', label: label('销售发票', 'Sales invoice'), config: { target: 'sales_invoice', onDelete: 'set_null' } },
    ],
  },
  {
    // 项目成本明细: written only by the postings that collect cost (timesheets, expense claims, stock issues).
    apiName: 'project_cost', label: label('项目成本明细', 'Project cost'), module: 'projects', titleField: 'description',
    fields: [
      { apiName: 'project', type: 'link', label: label('项目', 'Project'), required: true, config: { target: 'project', onDelete: 'restrict' } },
      { apiName: 'cost_type', type: 'single_select', label: label('成本类型', 'Cost type'), required: true, config: { options: COST_TYPE_OPTIONS } },
      { apiName: 'amount', type: 'decimal', label: label('金额', 'Amount'), required: true, config: { precision: 18, scale: 2 } },
      { apiName: 'posting_date', type: 'date', label: label('日期', 'Date'), required: true },
      { apiName: 'source_type', type: 'text', label: label('来源单据类型', 'Source type'), required: true },
      { apiName: 'source_id', type: 'text', label: label('来源单据', 'Source'), required: true, indexed: true },
      { apiName: 'description', type: 'text', label: label('摘要', 'Description') },
    ],
  },
];

/** Fields this module adds to other modules' documents, so they can be attributed to a project. */
export const PROJECT_LINKS: TCreateObject[] = [
  { apiName: 'stock_entry', label: label('库存单据', 'Stock entry'), fields: [{ apiName: 'project', type: 'link', label: label('项目', 'Project'), config: { target: 'project' } }] },
  { apiName: 'sales_invoice', label: label('销售发票', 'Sales invoice'), fields: [{ apiName: 'project', type: 'link', label: label('项目', 'Project'), config: { target: 'project' } }] },
  // A purchase bought for a project: on the order line, and on the invoice line (else inherited from its order line).
  { apiName: 'purchase_order_line', label: label('订单明细', 'Order line'), isChild: true, parentObject: 'purchase_order',
    fields: [{ apiName: 'project', type: 'link', label: label('项目', 'Project'), config: { target: 'project' } }] },
  { apiName: 'purchase_invoice_line', label: label('发票明细', 'Invoice line'), isChild: true, parentObject: 'purchase_invoice',
    fields: [{ apiName: 'project', type: 'link', label: label('项目', 'Project'), config: { target: 'project' } }] },
];
