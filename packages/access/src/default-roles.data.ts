import type { Label } from '@mosaic/meta';
import type { Action } from './access.types.ts';
import type { FieldRule, Scope } from './policy.types.ts';

/**
 * The built-in roles, as data (Odoo's ir.model.access.csv): role × object ×
 * action → record scope, plus field rules. Keyed by object API name; objects
 * that do not exist in a tenant yet (modules of later issues) are skipped and
 * picked up when the defaults are applied again after those modules install.
 * `*` is every object; `admin.*` are the admin areas (policy.types.ts).
 * Field rules of an object, and of its child tables, come with its permissions.
 */
export type Grants = Partial<Record<Action, Scope>>;

export interface DefaultRole {
  code: string;
  label: Label;
  description: string;
  permissions: Record<string, Grants>;
  fieldRules?: Record<string, Record<string, FieldRule>>;
}

const grants = (actions: Action[], scope: Scope, extra: Grants = {}): Grants => ({ ...Object.fromEntries(actions.map((a) => [a, scope])), ...extra });
const each = (objects: string[], g: Grants): Record<string, Grants> => Object.fromEntries(objects.map((o) => [o, g]));

const SELLING = ['lead', 'customer', 'contact', 'opportunity', 'activity', 'quote', 'contract', 'ticket', 'task', 'opportunity_stage_log', 'sales_order'];
// The CRM's configuration and reference data: every salesperson reads it.
const CRM_REFERENCE = ['crm_pipeline', 'crm_stage', 'campaign', 'crm_segment', 'kb_article', 'sla_policy', 'crm_holiday', 'company_holiday', 'crm_pool_rule', 'crm_territory', 'crm_settings'];
const SALES_FOLLOW_UP = ['delivery_note', 'sales_invoice', 'payment_entry', 'payment', 'sales_return'];
const CATALOGUE = ['item', 'uom', 'warehouse', 'stock_balance', 'price_list', 'payment_term'];
const MANUFACTURING = ['bom', 'routing', 'workstation', 'item_planning', 'work_order', 'job_card', 'job_card_log', 'production_plan', 'demand_forecast', 'mrp_run', 'mrp_suggestion'];
const BOOKS = ['journal_entry', 'sales_invoice', 'purchase_invoice', 'payment_entry', 'payment', 'credit_note', 'currency_rate', 'tax_rate', 'fixed_asset', 'asset_category', 'bank_account', 'bank_statement', 'cost_center', 'budget',
  'payment_term', 'dunning_level', 'dunning_notice'];
const HR_RECORDS = ['employee', 'social_insurance_policy', 'shift', 'salary_structure', 'payroll_run', 'attendance', 'leave_type', 'leave_balance', 'leave_request', 'appraisal', 'job_opening', 'candidate',
  'hr_checklist_template'];
const PROJECT_RECORDS = ['project', 'project_task', 'project_milestone', 'timesheet', 'expense_claim'];
const EVERY_ACTION: Action[] = ['read', 'create', 'edit', 'delete', 'submit', 'cancel', 'export', 'print', 'import'];
const ADMIN: Action[] = ['read', 'create', 'edit', 'delete'];

// Sales see what stock is available but not what it is worth.
const STOCK_VALUE_HIDDEN = { stock_balance: { value: 'hidden', fifo_layers: 'hidden' } } as const;

export const DEFAULT_ROLES: DefaultRole[] = [
  {
    code: 'sales_rep',
    label: { zh: '销售员', en: 'Sales representative' },
    description: 'Own leads, customers, quotes and orders; reads the catalogue and stock.',
    permissions: {
      ...each(SELLING, grants(['read', 'edit', 'delete', 'submit', 'print'], 'own', { create: 'all' })),
      ...each(SALES_FOLLOW_UP, grants(['read', 'print'], 'own')),
      ...each(CATALOGUE, grants(['read'], 'all')),
      ...each(CRM_REFERENCE, grants(['read'], 'all')),
      sales_target: grants(['read'], 'own'), // their own quarter's target (the target's owner is its rep)
    },
    fieldRules: { ...STOCK_VALUE_HIDDEN, customer: { credit_limit: 'read_only' } },
  },
  {
    code: 'sales_manager',
    label: { zh: '销售经理', en: 'Sales manager' },
    description: 'Everything of the sales team: their department and the departments below it.',
    permissions: {
      ...each(SELLING, grants(['read', 'edit', 'delete', 'submit', 'cancel', 'print', 'export', 'import'], 'department_tree', { create: 'all' })),
      ...each(SALES_FOLLOW_UP, grants(['read', 'print', 'export'], 'department_tree')),
      ...each(CATALOGUE, grants(['read'], 'all')),
      ...each(CRM_REFERENCE, grants(['read'], 'all')),
      pool_move: grants(['read'], 'department_tree'),
      // Targets for the team: create and edit are checked on the written row too (rep/team are its scope links, write-scope.ts).
      sales_target: grants(['read', 'create', 'edit', 'delete', 'export'], 'department_tree'),
    },
    fieldRules: STOCK_VALUE_HIDDEN,
  },
  {
    code: 'warehouse_keeper',
    label: { zh: '仓管员', en: 'Warehouse keeper' },
    description: 'Items, warehouses and stock movements of their company; reads the orders to ship and receive.',
    permissions: {
      ...each(['item', 'uom', 'warehouse', 'location'], grants(['read', 'create', 'edit', 'print', 'export', 'import'], 'all')),
      ...each(['stock_entry', 'delivery_note', 'purchase_receipt', 'stock_transfer', 'stock_count', 'sales_return'], grants(['read', 'edit', 'delete', 'submit', 'cancel', 'print', 'export'], 'company', { create: 'all' })),
      ...each(['stock_ledger_entry', 'stock_balance'], grants(['read', 'print', 'export'], 'company')),
      ...each(['sales_order', 'purchase_order'], grants(['read', 'print'], 'company')),
      replenishment_suggestion: grants(['read', 'edit', 'print', 'export'], 'company'),
    },
    // Warehouses ship quantities; what the order is worth is none of their business.
    fieldRules: {
      item: { standard_price: 'read_only' },
      sales_order: { net_total: 'hidden', tax_total: 'hidden', grand_total: 'hidden' },
      sales_order_line: { rate: 'hidden', net: 'hidden', tax: 'hidden', gross: 'hidden' },
    },
  },
  {
    code: 'buyer',
    label: { zh: '采购员', en: 'Buyer' },
    description: 'Procure-to-pay of their company: suppliers, requisitions, RFQs, quotations, orders, receipts, invoices, returns.',
    permissions: {
      ...each(['supplier', 'buying_settings'], grants(['read', 'create', 'edit', 'print', 'export', 'import'], 'company')),
      ...each(['purchase_requisition', 'rfq', 'supplier_quotation', 'purchase_order', 'purchase_receipt', 'purchase_invoice', 'purchase_return'],
        grants(['read', 'edit', 'delete', 'submit', 'cancel', 'print', 'export'], 'company', { create: 'all' })),
      shipping_update: grants(['read', 'print', 'export'], 'company'),
      ...each(CATALOGUE, grants(['read'], 'all')),
    },
  },
  {
    code: 'accountant',
    label: { zh: '会计', en: 'Accountant' },
    description: "The books of their company: vouchers, invoices, payments; reads what they are posted from.",
    permissions: {
      ...each(['gl_account', 'fiscal_period'], grants(['read', 'create', 'edit', 'print', 'export'], 'company')),
      ...each(BOOKS, grants(EVERY_ACTION, 'company')),
      gl_entry: grants(['read', 'print', 'export'], 'company'),
      ...each(['customer', 'supplier', 'sales_order', 'purchase_order', 'delivery_note', 'purchase_receipt', 'item', 'stock_balance', 'stock_ledger_entry',
        'sales_return', 'stock_transfer', 'stock_count'],
        grants(['read', 'print', 'export'], 'company')),
    },
  },
  {
    code: 'production_manager',
    label: { zh: '生产主管', en: 'Production manager' },
    description: 'BOMs, routings, workstations, MRP and work orders of their company; reads stock and the orders behind the plan.',
    permissions: {
      ...each(MANUFACTURING, grants(EVERY_ACTION, 'company')),
      ...each(CATALOGUE, grants(['read'], 'all')),
      company_holiday: grants(['read'], 'all'), // the workstations' calendars fall back to it
      ...each(['sales_order', 'purchase_order', 'stock_ledger_entry'], grants(['read', 'print'], 'company')),
    },
  },
  {
    code: 'shop_floor_operator',
    label: { zh: '车间操作工', en: 'Shop-floor operator' },
    description: 'Reads released work orders and reports work (报工) on their job cards.',
    permissions: {
      ...each(['work_order', 'workstation', 'routing', 'bom'], grants(['read'], 'company')),
      job_card: grants(['read', 'edit'], 'company'),
      job_card_log: grants(['read'], 'own', { create: 'all' }),
      ...each(['item'], grants(['read'], 'all')),
    },
  },
  {
    code: 'finance_manager',
    label: { zh: '财务经理', en: 'Finance manager' },
    description: "The accountant's rights, plus reopening closed periods (反结账).",
    permissions: {
      ...each(['gl_account'], grants(['read', 'create', 'edit', 'print', 'export'], 'company')),
      fiscal_period: grants(['read', 'create', 'edit', 'cancel', 'print', 'export'], 'company'),
      ...each(BOOKS, grants(EVERY_ACTION, 'company')),
      gl_entry: grants(['read', 'print', 'export'], 'company'),
    },
  },
  {
    code: 'hr_manager',
    label: { zh: '人事经理', en: 'HR manager' },
    description: 'Employees, attendance, leave, payroll, appraisals, recruitment and the onboarding/offboarding checklist templates of their company.',
    permissions: {
      ...each(HR_RECORDS, grants(EVERY_ACTION, 'company')),
      // Payslips are calculated by the payroll run, never typed in: HR reads and prints them.
      payslip: grants(['read', 'print', 'export'], 'company'),
    },
  },
  {
    code: 'employee_self',
    label: { zh: '员工自助', en: 'Employee self-service' },
    description: 'Their own payslips, leave requests, timesheets and expense claims; reads the leave types and projects.',
    permissions: {
      payslip: grants(['read', 'print', 'export'], 'own'),
      attendance: grants(['read'], 'own'), // the days they punched in the web app are theirs
      ...each(['leave_request', 'timesheet', 'expense_claim'], grants(['read', 'edit', 'delete', 'submit', 'print'], 'own', { create: 'all' })),
      ...each(['leave_type', 'shift', 'project', 'project_task'], grants(['read'], 'all')),
    },
  },
  {
    code: 'project_manager',
    label: { zh: '项目经理', en: 'Project manager' },
    description: 'Projects, tasks, milestones, timesheets and expense claims of their department and below.',
    permissions: {
      ...each(PROJECT_RECORDS, grants(['read', 'edit', 'delete', 'submit', 'cancel', 'print', 'export', 'import'], 'department_tree', { create: 'all' })),
      project_cost: grants(['read', 'print', 'export'], 'department_tree'),
      ...each(['employee', 'customer', 'item'], grants(['read'], 'company')),
    },
  },
  {
    code: 'general_manager',
    label: { zh: '总经理', en: 'General manager' },
    description: 'Reads, prints and exports everything.',
    permissions: { '*': grants(['read', 'print', 'export'], 'all') },
  },
  {
    code: 'system_admin',
    label: { zh: '系统管理员', en: 'System administrator' },
    description: 'Every action on every object, and the users, roles and organisation.',
    permissions: {
      '*': grants(EVERY_ACTION, 'all'),
      ...each(['admin.roles', 'admin.users', 'admin.org'], grants(ADMIN, 'all')),
    },
  },
];
