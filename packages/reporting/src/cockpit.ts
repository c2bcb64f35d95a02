import { isDeepStrictEqual } from 'node:util';
import { resolvePath, type MetaStore, type ObjectMeta } from '@mosaic/meta';
import { inTenantTx, sql, type Database } from '@mosaic/db';
import type { RecordsCtx } from '@mosaic/records';
import type { TWidget } from './dashboard.schema.ts';
import { createDashboard, updateDashboard, type Dashboard } from './dashboards.service.ts';

/**
 * The cockpit (经营驾驶舱) as data: widget templates over the modules' objects,
 * each with the fields it needs. A widget appears once its module is installed
 * (its paths resolve), so the cockpit grows as CRM, supply chain, finance,
 * projects and HR land — adding a number is adding an entry here.
 */
export interface CockpitWidget {
  widget: Omit<TWidget, 'layout'> & { size: 'kpi' | 'half' | 'full' };
  /** `object` or `object.path` entries that must exist. */
  requires: string[];
}

const booked = { field: 'status', op: 'in', value: ['submitted', 'approved'] };
const REVENUE_ACCOUNTS = ['5001', '5051'];
const COST_ACCOUNTS = ['5401', '5402'];
const REVENUE = { zh: '收入', en: 'Revenue' };
const STOCK_VALUE = { zh: '库存金额', en: 'Stock value' };
const SIZE = { kpi: { w: 6, h: 4 }, half: { w: 12, h: 8 }, full: { w: 24, h: 8 } } as const;

export const COCKPIT_WIDGETS: CockpitWidget[] = [
  { requires: ['sales_invoice.net_total', 'sales_invoice.posting_date'], widget: { id: 'revenue_month', chart: 'kpi', size: 'kpi', title: { zh: '本月收入（同比）', en: 'Revenue this month vs last year' },
    definition: { source: 'sales_invoice', filter: booked, period: { field: 'posting_date', from: { relative: 'this_month' }, to: { relative: 'this_month' } }, compare: 'previous_year',
      measures: [{ name: 'revenue', fn: 'sum', field: 'net_total', label: REVENUE }] } } },
  { requires: ['sales_order.grand_total', 'sales_order.order_date'], widget: { id: 'orders_month', chart: 'kpi', size: 'kpi', title: { zh: '本月订单', en: 'Orders this month' },
    definition: { source: 'sales_order', filter: booked, period: { field: 'order_date', from: { relative: 'this_month' }, to: { relative: 'this_month' } }, compare: 'previous_period',
      measures: [{ name: 'orders', fn: 'count', label: { zh: '订单数', en: 'Orders' } }, { name: 'amount', fn: 'sum', field: 'grand_total', label: { zh: '订单金额', en: 'Order amount' } }] } } },
  { requires: ['stock_balance.value'], widget: { id: 'inventory_value', chart: 'kpi', size: 'kpi', title: { zh: '库存金额', en: 'Inventory value' },
    definition: { source: 'stock_balance', measures: [{ name: 'value', fn: 'sum', field: 'value', label: STOCK_VALUE }] } } },
  { requires: ['customer.tier'], widget: { id: 'customers_by_tier', chart: 'donut', size: 'kpi', title: { zh: '客户等级', en: 'Customers by tier' },
    definition: { source: 'customer', rows: [{ field: 'tier' }], measures: [{ name: 'customers', fn: 'count', label: { zh: '客户数', en: 'Customers' } }] } } },
  { requires: ['sales_invoice.net_total', 'sales_invoice.posting_date'], widget: { id: 'revenue_trend', chart: 'line', size: 'half', title: { zh: '月度收入（同比）', en: 'Monthly revenue vs last year' },
    definition: { source: 'sales_invoice', filter: booked, period: { field: 'posting_date', from: { relative: 'this_year' }, to: { relative: 'this_year' } }, compare: 'previous_year',
      rows: [{ field: 'posting_date', bucket: 'month' }], measures: [{ name: 'revenue', fn: 'sum', field: 'net_total', label: REVENUE }] } } },
  { requires: ['sales_invoice.customer', 'sales_invoice.net_total'], widget: { id: 'top_customers', chart: 'bar', size: 'half', title: { zh: '客户收入 Top 10', en: 'Top 10 customers' },
    definition: { source: 'sales_invoice', filter: booked, period: { field: 'posting_date', from: { relative: 'this_year' }, to: { relative: 'this_year' } },
      rows: [{ field: 'customer' }], measures: [{ name: 'revenue', fn: 'sum', field: 'net_total', label: REVENUE }], sort: [{ by: 'revenue', desc: true }], limit: 10 } } },
  { requires: ['stock_balance.warehouse', 'stock_balance.value'], widget: { id: 'inventory_by_warehouse', chart: 'bar', size: 'half', title: { zh: '各仓库存金额', en: 'Inventory by warehouse' },
    definition: { source: 'stock_balance', rows: [{ field: 'warehouse' }], measures: [{ name: 'value', fn: 'sum', field: 'value', label: STOCK_VALUE }] } } },
  // From the ledger itself, so the figure is what the books say: 主营/其他业务收入 (5001, 5051) less 主营/其他业务成本 (5401, 5402).
  { requires: ['gl_entry.account', 'gl_entry.debit', 'gl_entry.credit', 'gl_entry.posting_date', 'gl_account.code'], widget: { id: 'gross_profit_month', chart: 'kpi', size: 'kpi', measure: 'gross_profit', title: { zh: '本月毛利', en: 'Gross profit this month' },
    definition: { source: 'gl_entry', filter: { 'account.code': { in: [...REVENUE_ACCOUNTS, ...COST_ACCOUNTS] } }, period: { field: 'posting_date', from: { relative: 'this_month' }, to: { relative: 'this_month' } },
      measures: [
        { name: 'revenue_cr', fn: 'sum', field: 'credit', filter: { 'account.code': { in: REVENUE_ACCOUNTS } } },
        { name: 'revenue_dr', fn: 'sum', field: 'debit', filter: { 'account.code': { in: REVENUE_ACCOUNTS } } },
        { name: 'cost_dr', fn: 'sum', field: 'debit', filter: { 'account.code': { in: COST_ACCOUNTS } } },
        { name: 'cost_cr', fn: 'sum', field: 'credit', filter: { 'account.code': { in: COST_ACCOUNTS } } },
        { name: 'gross_profit', formula: '(revenue_cr - revenue_dr) - (cost_dr - cost_cr)', label: { zh: '毛利', en: 'Gross profit' } },
      ] } } },
  // Open receivables: the balance of 1122 应收账款 and its sub-accounts — every invoice less every payment and credit note settled on it.
  { requires: ['gl_entry.account', 'gl_entry.debit', 'gl_entry.credit', 'gl_account.code'], widget: { id: 'receivables_open', chart: 'kpi', size: 'kpi', measure: 'receivables', title: { zh: '应收账款余额', en: 'Open receivables' },
    definition: { source: 'gl_entry', filter: { 'account.code': { startsWith: '1122' } },
      measures: [{ name: 'debit', fn: 'sum', field: 'debit' }, { name: 'credit', fn: 'sum', field: 'credit' }, { name: 'receivables', formula: 'debit - credit', label: { zh: '应收余额', en: 'Receivables' } }] } } },
  // Deliveries against orders this month and how many shipped by the order's delivery date (delivery_note.on_time, set on submit).
  { requires: ['delivery_note.on_time', 'delivery_note.sales_order', 'delivery_note.posting_date'], widget: { id: 'on_time_delivery', chart: 'gauge', size: 'kpi', measure: 'rate', title: { zh: '本月按期交货率', en: 'On-time delivery this month' },
    definition: { source: 'delivery_note', filter: { and: [booked, { field: 'sales_order', op: 'isNull', value: false }] }, period: { field: 'posting_date', from: { relative: 'this_month' }, to: { relative: 'this_month' } },
      measures: [{ name: 'deliveries', fn: 'count' }, { name: 'on_time', fn: 'count', filter: { on_time: true } }, { name: 'rate', formula: 'on_time / deliveries', label: { zh: '按期交货率', en: 'On-time rate' } }] } } },
  // 项目成本: the project cost ledger by cost type — every project's budget-vs-actual figures (GET /projects/:id/figures) added up.
  { requires: ['project_cost.cost_type', 'project_cost.amount'], widget: { id: 'project_cost_by_type', chart: 'bar', size: 'half', title: { zh: '项目成本（按类型）', en: 'Project costs by type' },
    definition: { source: 'project_cost', rows: [{ field: 'cost_type' }], measures: [{ name: 'cost', fn: 'sum', field: 'amount', label: { zh: '成本', en: 'Cost' } }] } } },
    { requires: ['opportunity.amount', 'opportunity.probability'], widget: { id: 'weighted_pipeline', chart: 'funnel', size: 'half', title: { zh: '商机漏斗', en: 'Pipeline' },
    definition: { source: 'opportunity', rows: [{ field: 'stage' }], measures: [{ name: 'amount', fn: 'sum', field: 'amount', label: { zh: '商机金额', en: 'Amount' } }, { name: 'deals', fn: 'count', label: { zh: '商机数', en: 'Deals' } }] } } },
  // The service desk's tickets opened this month and how many breached their SLA (ticket.sla_state, set by the SLA check).
  { requires: ['ticket.sla_state'], widget: { id: 'sla', chart: 'gauge', size: 'kpi', measure: 'attainment', title: { zh: 'SLA 达成率', en: 'SLA attainment' },
    definition: { source: 'ticket', period: { field: 'created_at', from: { relative: 'this_month' }, to: { relative: 'this_month' } },
      measures: [{ name: 'tickets', fn: 'count' }, { name: 'breached', fn: 'count', filter: { sla_state: 'breached' } }, { name: 'attainment', formula: '1 - breached / tickets', label: { zh: 'SLA 达成率', en: 'SLA attainment' } }] } } },
  // What the shop floor finished, month by month: good output and scrap of completed work orders, by the day each was completed.
  { requires: ['work_order.produced_qty', 'work_order.scrap_qty', 'work_order.completed_on', 'work_order.progress'], widget: { id: 'production_by_month', chart: 'bar', size: 'half', title: { zh: '月度完工产量', en: 'Production output by month' },
    definition: { source: 'work_order', filter: { progress: 'completed' }, period: { field: 'completed_on', from: { relative: 'this_year' }, to: { relative: 'this_year' } },
      rows: [{ field: 'completed_on', bucket: 'month' }], measures: [{ name: 'produced', fn: 'sum', field: 'produced_qty', label: { zh: '完工数量', en: 'Produced' } }, { name: 'scrapped', fn: 'sum', field: 'scrap_qty', label: { zh: '报废数量', en: 'Scrapped' } }] } } },
  // 在职: people who have left (employment_status 'left') are not headcount.
  { requires: ['employee.employment_status'], widget: { id: 'headcount', chart: 'kpi', size: 'kpi', title: { zh: '在职人数', en: 'Headcount' },
    definition: { source: 'employee', filter: { employment_status: 'active' }, measures: [{ name: 'headcount', fn: 'count', label: { zh: '在职人数', en: 'Headcount' } }] } } },
];

/** The cockpit widgets whose objects and fields exist, laid out on the 24-column grid. */
export function cockpitWidgets(objects: Map<string, ObjectMeta>): TWidget[] {
  const present = COCKPIT_WIDGETS.filter((c) => c.requires.every((r) => resolves(objects, r)));
  let x = 0;
  let y = 0;
  let rowH = 0;
  return present.map(({ widget: { size, ...w } }) => {
    const { w: width, h } = SIZE[size];
    if (x + width > 24) [x, y, rowH] = [0, y + rowH, 0];
    const placed: TWidget = { ...w, layout: { x, y, w: width, h } };
    x += width;
    rowH = Math.max(rowH, h);
    return placed;
  });
}

function resolves(objects: Map<string, ObjectMeta>, req: string): boolean {
  const [object, ...rest] = req.split('.');
  const obj = objects.get(object);
  if (!obj || obj.archived) return false;
  if (!rest.length) return true;
  try {
    resolvePath(objects, obj, rest.join('.'));
    return true;
  } catch {
    return false;
  }
}

export const COCKPIT_NAME = '经营驾驶舱';

/** Creates the tenant's shared cockpit dashboard, or refreshes its widgets to what the installed modules offer. */
export async function installCockpit(ctx: RecordsCtx, defaultRoleIds: string[] = []): Promise<Dashboard> {
  const widgets = cockpitWidgets(await ctx.store.objects(ctx.guard.actor.tenantId));
  const existing = await inTenantTx(ctx.db.app, { tenantId: ctx.guard.actor.tenantId }, async (tx) =>
    (await sql<{ id: string; version: number }>`SELECT id, version FROM dashboard WHERE name = ${COCKPIT_NAME} ORDER BY created_at LIMIT 1`.execute(tx)).rows[0]);
  if (existing) return updateDashboard(ctx, existing.id, { version: existing.version, widgets, shared: true });
  return createDashboard(ctx, { name: COCKPIT_NAME, description: '老板和管理层的跨模块经营数据', widgets, shared: true, defaultRoleIds, globalFilters: ['date', 'company', 'department'] });
}

/**
 * Brings an installed cockpit's built-in widgets up to this code's (run by the module install, so after every
 * upgrade): a widget with a built-in id takes the built-in's chart, title, definition and headline measure — a
 * fix to a figure (本月毛利 showing its first helper measure) reaches tenants whose cockpit was installed before.
 * Its place on the grid, its parameter values and options stay, and so do widgets an administrator added or
 * removed. A built-in whose fields no longer resolve is left as it is. Whether it changed the cockpit.
 */
export async function refreshCockpit(db: Database, store: MetaStore, tenantId: string): Promise<boolean> {
  const objects = await store.objects(tenantId);
  const builtIn = new Map(COCKPIT_WIDGETS.filter((c) => c.requires.every((r) => resolves(objects, r))).map((c) => [c.widget.id, c.widget]));
  return inTenantTx(db.app, { tenantId }, async (tx) => {
    const row = (await sql<{ id: string; widgets: TWidget[] }>`SELECT id, widgets FROM dashboard WHERE name = ${COCKPIT_NAME}
      ORDER BY created_at LIMIT 1 FOR UPDATE`.execute(tx)).rows[0];
    if (!row) return false;
    let changed = false;
    const widgets = row.widgets.map((w) => {
      const b = builtIn.get(w.id);
      if (!b) return w;
      const { measure: _old, ...kept } = w;
      const next: TWidget = { ...kept, chart: b.chart, title: b.title, definition: b.definition, ...(b.measure ? { measure: b.measure } : {}) };
      if (isDeepStrictEqual(JSON.parse(JSON.stringify(next)), w)) return w;
      changed = true;
      return next;
    });
    if (changed) await sql`UPDATE dashboard SET widgets = ${JSON.stringify(widgets)}::jsonb, version = version + 1, updated_at = now() WHERE id = ${row.id}`.execute(tx);
    return changed;
  });
}
