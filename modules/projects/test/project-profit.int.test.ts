import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenantTx, sql } from '@mosaic/db';
import { Decimal, advanceClock, clock, resetClock } from '@mosaic/kernel';
import { createTestApp, spyStatements, testTopology, type TestApp } from '@mosaic/testing';

// A project on real PostgreSQL: WBS tasks with a dependency, timesheets costed
// at each employee's hourly cost (one collected on submit, one through an
// approval flow), an expense claim, a stock issue attributed to the project, a
// service bought for it (counted on its invoice) and a stock item bought for it (counted
// only when issued), a milestone billed through a sales invoice — and the profit, the
// budget vs actual per cost type, the overrun alert (the report engine's), the portfolio and the cockpit.
let t: TestApp;
const ids: Record<string, string> = {};

const make = async (object: string, values: Record<string, unknown>) => {
  const r = await t.api('POST', `/api/v1/records/${object}`, values);
  expect(r.status, `${object}: ${JSON.stringify(r.body)}`).toBe(201);
  return r.body;
};
const submit = async (object: string, id: string) => {
  const cur = await t.api('GET', `/api/v1/records/${object}/${id}`);
  const r = await t.api('POST', `/api/v1/records/${object}/${id}/submit`, { version: cur.body.version });
  expect(r.status, `${object} submit: ${JSON.stringify(r.body)}`).toBe(200);
  return r.body;
};
const figures = async () => {
  const r = await t.api('GET', `/api/v1/projects/${ids.project}/figures`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
};
const actual = async (type: string) => (await figures()).budget.find((l: any) => l.costType === type).actual;
const voucherOf = (sourceId: string) => inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, async (tx) =>
  (await sql<{ code: string; debit: string; credit: string; party: string | null }>`SELECT a.c_code AS code, g.c_debit::text AS debit, g.c_credit::text AS credit, g.c_party AS party
    FROM o_journal_entry j JOIN o_gl_entry g ON g.c_journal_entry = j.id JOIN o_gl_account a ON a.id = g.c_account
    WHERE j.c_source_id = ${sourceId} ORDER BY j.created_at, a.c_code`.execute(tx)).rows);
/** The installed 项目预算超支 alert: a report-engine KPI alert like any other. */
const overrunAlert = async () => (await t.api('GET', '/api/v1/alerts')).body.data.find((a: any) => a.installKey === 'projects.budget_overrun');
/**
 * The alert's notifications after it is checked — "check now", as the worker would on its next tick (it
 * evaluates alerts whose report reads a changed object; the test does not wait for its 15 s interval).
 */
const overrunNotices = async () => {
  const alert = await overrunAlert();
  const checked = await t.api('POST', `/api/v1/alerts/${alert.id}/evaluate`, {});
  expect(checked.status, JSON.stringify(checked.body)).toBe(200);
  return (await t.api('GET', '/api/v1/notifications')).body.data.filter((n: any) => n.object === 'kpi_alert' && n.recordId === alert.id);
};

/** A user with no role: told of no alert. */
let otherToken: string | undefined;
/** A user of the tenant with no role (made once). */
async function otherUserToken(): Promise<string> {
  if (otherToken) return otherToken;
  const email = `nobody-${t.tenant.tenantId.slice(0, 8)}@test.local`;
  const u = await t.api('POST', '/api/v1/admin/users', { email, name: '旁人', password: 'Project-Test-Pw-2026', roleIds: [], departmentId: t.tenant.departmentId, companyId: t.tenant.companyId });
  expect(u.status, JSON.stringify(u.body)).toBe(201);
  otherToken = (await t.api('POST', '/api/v1/auth/login', { email, password: 'Project-Test-Pw-2026' }, { token: null })).body.token as string;
  return otherToken;
}

beforeAll(async () => {
  t = await createTestApp();
  ids.customer = (await make('customer', { name: '杭州云栖建设有限公司' })).id;
  ids.service = (await make('item', { code: 'SVC-IMPL', name: '实施服务', item_type: 'service' })).id;
  ids.steel = (await make('item', { code: 'STEEL', name: '钢材' })).id;
  ids.wh = (await make('warehouse', { code: 'MAT', name: '材料仓' })).id;
  const receipt = await make('stock_entry', { entry_type: 'receipt', warehouse: ids.wh, lines: [{ item: ids.steel, qty: 100, rate: 50 }] });
  await submit('stock_entry', receipt.id);
  ids.chen = (await make('employee', { employee_no: 'P01', name: '陈工', hire_date: '2024-01-01', hourly_cost: '200' })).id;
  ids.lin = (await make('employee', { employee_no: 'P02', name: '林工', hire_date: '2024-01-01', hourly_cost: '150' })).id;
  ids.project = (await make('project', {
    code: 'PRJ-001', name: '云栖园区弱电工程', customer: ids.customer, manager: t.tenant.adminId, stage: 'active',
    start_date: '2026-03-01', end_date: '2026-06-30', budget_labour: '3000', budget_material: '1000', budget_purchase: '3500', budget_expense: '500',
  })).id;
});

afterAll(async () => {
  await t?.close();
});

describe('a project from tasks to profit', () => {
  it('keeps a WBS of tasks with a dependency and draws it as Gantt data', async () => {
    ids.design = (await make('project_task', { project: ids.project, title: '方案设计', start_date: '2026-03-01', end_date: '2026-03-20', estimate_hours: '40' })).id;
    ids.survey = (await make('project_task', { project: ids.project, title: '现场勘察', parent_task: ids.design, start_date: '2026-03-02', end_date: '2026-03-06', assignee: ids.chen })).id;
    ids.build = (await make('project_task', {
      project: ids.project, title: '施工', start_date: '2026-03-21', end_date: '2026-05-31', assignee: ids.lin, task_status: 'doing', progress: '0.25',
      dependencies: [{ predecessor: ids.design, kind: 'fs' }],
    })).id;
    const g = await t.api('GET', `/api/v1/projects/${ids.project}/gantt`);
    expect(g.status, JSON.stringify(g.body)).toBe(200);
    expect(g.body.project).toEqual({ id: ids.project, name: '云栖园区弱电工程', start: '2026-03-01', end: '2026-06-30' });
    expect(g.body.tasks.map((x: any) => [x.wbs, x.title, x.parent, x.start, x.end, x.dependencies])).toEqual([
      ['1', '方案设计', null, '2026-03-01', '2026-03-20', []],
      ['1.1', '现场勘察', ids.design, '2026-03-02', '2026-03-06', []],
      ['2', '施工', null, '2026-03-21', '2026-05-31', [{ predecessor: ids.design, kind: 'fs' }]],
    ]);
    expect(g.body.tasks[2]).toMatchObject({ progress: '0.250000', status: 'doing', assignee: ids.lin });
    const bad = await t.api('POST', '/api/v1/records/project_task', { project: ids.project, title: '倒序', start_date: '2026-04-02', end_date: '2026-04-01' });
    expect(bad.status).toBe(422);
    expect(bad.body.error.field).toBe('end_date');
  });

  it('costs a timesheet at the employee\'s hourly cost when submitted (no approval flow)', async () => {
    const ts = await make('timesheet', { employee: ids.chen, project: ids.project, task: ids.survey, work_date: '2026-03-03', hours: '10' });
    // Without an approval flow, submitting is approving.
    expect((await submit('timesheet', ts.id)).status).toBe('approved');
    // 10 h × 200 = 2 000, within the 3 000 labour budget: no alert yet.
    expect((await t.api('GET', `/api/v1/records/timesheet/${ts.id}`)).body).toMatchObject({ cost_rate: '200.00', cost_amount: '2000.00' });
    expect(await actual('labour')).toBe('2000.00');
    expect(await overrunNotices()).toEqual([]);
  });

  it('costs a timesheet when approved through the flow, and alerts the manager when labour goes over budget', async () => {
    const flow = await t.api('POST', '/api/v1/approval-flows', {
      object: 'timesheet', name: '工时审批',
      definition: { nodes: [{ id: 'start', type: 'start' }, { id: 'pm', type: 'approval', label: '项目经理', approvers: { kind: 'role', role: 'system_admin' } }, { id: 'end', type: 'end' }],
        edges: [{ source: 'start', target: 'pm' }, { source: 'pm', target: 'end' }] },
    });
    expect(flow.status, JSON.stringify(flow.body)).toBe(201);
    expect((await t.api('POST', `/api/v1/approval-flows/${flow.body.id}/activate`)).status).toBe(200);
    const ts = await make('timesheet', { employee: ids.lin, project: ids.project, task: ids.build, work_date: '2026-03-23', hours: '8' });
    const s = await submit('timesheet', ts.id);
    expect(s.status).toBe('submitted');
    expect(await actual('labour')).toBe('2000.00'); // not approved yet: not a cost yet
    const inbox = await t.api('GET', '/api/v1/approvals/inbox?box=pending&pageSize=50');
    const task = inbox.body.data.find((x: any) => x.recordId === ts.id);
    expect((await t.api('POST', `/api/v1/approvals/tasks/${task.task.id}/approve`, {})).status).toBe(200);
    // 8 h × 150 = 1 200 → labour 3 200 > 3 000
    expect(await actual('labour')).toBe('3200.00');
    const notices = await overrunNotices();
    expect(notices).toHaveLength(1);
    const alert = await overrunAlert();
    // The cost type by its label (人工), not its stored value (labour); the manager and owner columns name who is told, not the row.
    expect(notices[0]).toMatchObject({ title: '预警：项目预算超支 PRJ-001 / 云栖园区弱电工程 / 人工', body: '超支 = 200.00（阈值 > 0）', link: `/alerts/${alert.id}` });
    // What the link opens: the row raised now, its values shown by label, and the report to open.
    const raised = await t.api('GET', `/api/v1/alerts/${alert.id}/raised`);
    expect(raised.status, JSON.stringify(raised.body)).toBe(200);
    expect(raised.body).toMatchObject({ alert: { id: alert.id, name: '项目预算超支', op: 'gt', lastCheckedAt: expect.any(String) }, report: { id: alert.reportId }, measureLabel: '超支' });
    expect(raised.body.dimensions.map((d: any) => d.label).slice(0, 3)).toEqual(['项目编号', '项目名称', '成本类型']);
    expect(raised.body.rows.map((r: any) => [r.display.slice(0, 3), r.values[2], r.value])).toEqual([[['PRJ-001', '云栖园区弱电工程', '人工'], 'labour', '200.00']]);
    // Raised for that row, and sent to the project's manager (the alert itself names nobody else).
    const events = (await t.api('GET', `/api/v1/alerts/${alert.id}/events`)).body.data;
    expect(events).toEqual([expect.objectContaining({ kind: 'raise', value: '200.00', recipientIds: [t.tenant.adminId] })]);
    expect(JSON.parse(events[0].rowKey).slice(0, 3)).toEqual(['PRJ-001', '云栖园区弱电工程', 'labour']);
    // The Gantt shows the approved hours on each task: 10 h on 现场勘察, 8 h on 施工 (a draft or pending sheet would not count).
    const g = await t.api('GET', `/api/v1/projects/${ids.project}/gantt`);
    expect(g.body.tasks.map((x: any) => [x.title, x.loggedHours])).toEqual([['方案设计', '0.00'], ['现场勘察', '10.00'], ['施工', '8.00']]);
  });

  it('collects an expense claim and a stock issue attributed to the project; cancelling a claim reverses it', async () => {
    const claim = await make('expense_claim', { employee: ids.chen, project: ids.project, expense_date: '2026-03-05', category: 'travel', amount: '300' });
    await submit('expense_claim', claim.id);
    const issue = await make('stock_entry', { entry_type: 'issue', warehouse: ids.wh, project: ids.project, lines: [{ item: ids.steel, qty: 10 }] });
    await submit('stock_entry', issue.id);
    expect([await actual('expense'), await actual('material')]).toEqual(['300.00', '500.00']); // 10 × 50 at moving average
    // The approved claim is owed to the employee: Dr 5602 管理费用, Cr 2241 其他应付款 with the employee as party.
    expect(await voucherOf(claim.id)).toEqual([
      { code: '2241', debit: '0.00', credit: '300.00', party: ids.chen },
      { code: '5602', debit: '300.00', credit: '0.00', party: null },
    ]);

    const wrong = await make('expense_claim', { employee: ids.lin, project: ids.project, expense_date: '2026-03-06', category: 'meal', amount: '88' });
    await submit('expense_claim', wrong.id);
    expect(await actual('expense')).toBe('388.00');
    const approved = (await t.api('GET', `/api/v1/records/expense_claim/${wrong.id}`)).body;
    expect(approved.status).toBe('approved');
    // The reversal is dated the kernel clock's day in the caller's zone (04:00Z is noon in Shanghai), not the wall clock's.
    advanceClock(Date.parse('2026-04-10T04:00:00Z') - clock.now().getTime());
    try {
      const c = await t.api('POST', `/api/v1/records/expense_claim/${wrong.id}/cancel`, { version: approved.version, reason: '重复报销' });
      expect(c.status, JSON.stringify(c.body)).toBe(200);
    } finally {
      resetClock();
    }
    const dates = await inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, async (tx) =>
      (await sql<{ d: string }>`SELECT c_posting_date::text AS d FROM o_journal_entry WHERE c_source_id = ${wrong.id} ORDER BY c_posting_date`.execute(tx)).rows.map((r) => r.d));
    // The test clock is this process's: under MOSAIC_TEST_TOPOLOGY=multi the server processes keep real time.
    if (testTopology() !== 'multi') expect(dates).toEqual(['2026-03-06', '2026-04-10']);
    else expect(dates).toHaveLength(2);
    expect(await actual('expense')).toBe('300.00');
    expect((await voucherOf(wrong.id)).map((l) => [l.code, l.debit, l.credit])).toEqual([
      ['2241', '0.00', '88.00'], ['5602', '88.00', '0.00'], ['2241', '0.00', '-88.00'], ['5602', '-88.00', '0.00'],
    ]);
  });

  it('collects a service bought for the project once, on its invoice; cancelling the invoice reverses it', async () => {
    const supplier = (await make('supplier', { code: 'S-NET', name: '华为网络代理商' })).id;
    ids.supplier = supplier;
    const install = (await make('item', { code: 'SVC-SUB', name: '网络布线分包', item_type: 'service' })).id;
    const paper = (await make('item', { code: 'PAPER', name: '复印纸' })).id;
    // One order, two lines: the subcontracted cabling is for the project, the paper is the office's.
    const po = await make('purchase_order', { supplier, warehouse: ids.wh, lines: [
      { item: install, qty: 2, rate: '1500', tax_rate: '0.06', project: ids.project },
      { item: paper, qty: 10, rate: '20', tax_rate: '0.13' },
    ] });
    await submit('purchase_order', po.id);
    // A service is never received: the receipt takes the paper only.
    const receipt = await t.api('POST', `/api/v1/buying/purchase_order/${po.id}/purchase_receipt`, {});
    expect(receipt.status, JSON.stringify(receipt.body)).toBe(201);
    expect(receipt.body.lines.map((l: any) => [l.item, Number(l.qty)])).toEqual([[paper, 10]]);
    await submit('purchase_receipt', receipt.body.id);
    expect(await actual('purchase')).toBe('0.00'); // ordered, not yet invoiced: no purchase cost yet

    const invoice = async () => {
      const inv = await t.api('POST', `/api/v1/buying/purchase_order/${po.id}/purchase_invoice`, {});
      expect(inv.status, JSON.stringify(inv.body)).toBe(201);
      expect(inv.body.lines.map((l: any) => [l.item, Number(l.qty)])).toEqual([[install, 2], [paper, 10]]);
      return (await submit('purchase_invoice', inv.body.id)) as { id: string; version: number };
    };
    // The invoice's lines come from the order without a project of their own: they inherit the order line's.
    // 2 × 1 500 net = 3 000 (VAT 180 is input tax, not cost); the paper's 200 is no project's.
    const first = await invoice();
    expect(await actual('purchase')).toBe('3000.00');
    // The books: the service is spent (5602), the paper clears its receipt's estimate (220202); VAT 180 + 26.
    expect((await voucherOf(first.id)).map((l) => [l.code, l.debit, l.credit])).toEqual([
      ['2202', '0.00', '3406.00'], ['220202', '200.00', '0.00'], ['22210101', '206.00', '0.00'], ['5602', '3000.00', '0.00'],
    ]);
    const c = await t.api('POST', `/api/v1/records/purchase_invoice/${first.id}/cancel`, { version: first.version, reason: '发票开错' });
    expect(c.status, JSON.stringify(c.body)).toBe(200);
    expect(await actual('purchase')).toBe('0.00');
    await invoice(); // the correct invoice
    expect(await actual('purchase')).toBe('3000.00');
    const ledger = (await t.api('GET', `/api/v1/records/project_cost?filter=${encodeURIComponent(JSON.stringify({ project: ids.project, cost_type: 'purchase' }))}&sort=created_at&fields=amount,source_type`)).body.data;
    expect(ledger.map((r: any) => [r.source_type, r.amount])).toEqual([['purchase_invoice', '3000.00'], ['purchase_invoice', '-3000.00'], ['purchase_invoice', '3000.00']]);
    expect(await overrunNotices()).toHaveLength(1); // 3 000 of 3 500: still only the labour alert
  });

  it('costs a stock item bought for the project once: into stock when received, material when issued', async () => {
    // A fresh item, so the moving average is the purchase price: 10 @ 12.50.
    const cable = (await make('item', { code: 'CAT6', name: '六类网线' })).id;
    const po = await make('purchase_order', { supplier: ids.supplier, warehouse: ids.wh, lines: [{ item: cable, qty: 10, rate: '12.50', tax_rate: '0.13', project: ids.project }] });
    await submit('purchase_order', po.id);
    const receipt = await t.api('POST', `/api/v1/buying/purchase_order/${po.id}/purchase_receipt`, {});
    expect(receipt.status, JSON.stringify(receipt.body)).toBe(201);
    await submit('purchase_receipt', receipt.body.id);
    const inv = await t.api('POST', `/api/v1/buying/purchase_order/${po.id}/purchase_invoice`, {});
    expect(inv.status, JSON.stringify(inv.body)).toBe(201);
    await submit('purchase_invoice', inv.body.id);
    // Bought for the project, received and invoiced — but still in stock: no cost of the project yet.
    expect([await actual('purchase'), await actual('material')]).toEqual(['3000.00', '500.00']);
    const fromInvoice = (await t.api('GET', `/api/v1/records/project_cost?filter=${encodeURIComponent(JSON.stringify({ source_id: inv.body.id }))}`)).body.data;
    expect(fromInvoice).toEqual([]);

    const issue = await make('stock_entry', { entry_type: 'issue', warehouse: ids.wh, project: ids.project, lines: [{ item: cable, qty: 6 }] });
    await submit('stock_entry', issue.id);
    // 6 × 12.50 = 75.00, once, as material; the 4 left are still stock.
    expect([await actual('purchase'), await actual('material')]).toEqual(['3000.00', '575.00']);
    // Cancelling the issue gives the goods back to stock and the cost back; issuing again costs them again, once.
    const posted = (await t.api('GET', `/api/v1/records/stock_entry/${issue.id}`)).body;
    const back = await t.api('POST', `/api/v1/records/stock_entry/${issue.id}/cancel`, { version: posted.version, reason: '领错项目' });
    expect(back.status, JSON.stringify(back.body)).toBe(200);
    expect(await actual('material')).toBe('500.00');
    const again = await make('stock_entry', { entry_type: 'issue', warehouse: ids.wh, project: ids.project, lines: [{ item: cable, qty: 6 }] });
    await submit('stock_entry', again.id);
    const fromIssue = (await t.api('GET', `/api/v1/records/project_cost?filter=${encodeURIComponent(JSON.stringify({ project: ids.project, cost_type: 'material' }))}&sort=created_at&fields=amount,source_type`)).body.data;
    expect(fromIssue.map((r: any) => [r.source_type, r.amount])).toEqual([['stock_entry', '500.00'], ['stock_entry', '75.00'], ['stock_entry', '-75.00'], ['stock_entry', '75.00']]);
    expect(await actual('material')).toBe('575.00');
  });

  it('bills a milestone through a sales invoice and gives profit = billed revenue − collected costs', async () => {
    const ms = await make('project_milestone', { project: ids.project, name: '初验', due_date: '2026-04-30', billing_item: ids.service, billing_amount: '10000', tax_rate: '0.06' });
    const bill = await t.api('POST', `/api/v1/projects/milestones/${ms.id}/bill`, { posting_date: '2026-04-30' });
    expect(bill.status, JSON.stringify(bill.body)).toBe(201);
    expect(bill.body).toMatchObject({ customer: ids.customer, project: ids.project, status: 'draft', net_total: '10000.00', tax_total: '600.00', grand_total: '10600.00' });
    expect((await t.api('GET', `/api/v1/records/project_milestone/${ms.id}`)).body.sales_invoice).toBe(bill.body.id);
    expect((await t.api('POST', `/api/v1/projects/milestones/${ms.id}/bill`, {})).body.error).toMatchObject({ code: 'CONFLICT', field: 'sales_invoice' });
    // A draft invoice is not revenue yet.
    expect((await figures()).profit.revenue).toBe('0.00');
    await submit('sales_invoice', bill.body.id);

    const f = await figures();
    // costs: labour 3 200 + material 575 + purchase 3 000 + expense 300 = 7 075; profit 10 000 − 7 075 = 2 925, margin 29.25 %
    expect(f.profit).toEqual({ revenue: '10000.00', cost: '7075.00', profit: '2925.00', margin: '0.2925' });
    expect(f.budget).toEqual([
      { costType: 'labour', budget: '3000.00', actual: '3200.00', variance: '-200.00', usage: '1.0667', overrun: true },
      { costType: 'material', budget: '1000.00', actual: '575.00', variance: '425.00', usage: '0.5750', overrun: false },
      { costType: 'purchase', budget: '3500.00', actual: '3000.00', variance: '500.00', usage: '0.8571', overrun: false },
      { costType: 'expense', budget: '500.00', actual: '300.00', variance: '200.00', usage: '0.6000', overrun: false },
    ]);
    // Only the crossing was announced, not every later cost.
    expect(await overrunNotices()).toHaveLength(1);
  });

  it('shows the project in the portfolio, red for the overrun, and refuses a milestone without a customer', async () => {
    const calm = (await make('project', { code: 'PRJ-002', name: '内部培训', stage: 'planning', budget_expense: '1000' })).id;
    const p = await t.api('GET', '/api/v1/projects/portfolio');
    expect(p.status, JSON.stringify(p.body)).toBe(200);
    expect(p.body.data.map((r: any) => [r.project.code, r.health, r.profit.profit])).toEqual([['PRJ-001', 'red', '2925.00'], ['PRJ-002', 'green', '0.00']]);
    expect(p.body.totals).toMatchObject({ revenue: '10000.00', cost: '7075.00', profit: '2925.00' });
    // The project page's budget vs actual, the portfolio and the cockpit's project-cost widget read one ledger: they agree.
    const panel = Object.fromEntries((await figures()).budget.map((l: any) => [l.costType, l.actual]));
    expect(panel).toEqual({ labour: '3200.00', material: '575.00', purchase: '3000.00', expense: '300.00' });
    const summed = (type: string) => p.body.data.reduce((s: Decimal, r: any) => s.plus(r.budget.find((l: any) => l.costType === type).actual), new Decimal(0)).toFixed(2);
    expect(Object.fromEntries(Object.keys(panel).map((k) => [k, summed(k)]))).toEqual(panel);
    const dash = await t.api('POST', '/api/v1/dashboards/cockpit');
    expect(dash.status, JSON.stringify(dash.body)).toBe(200);
    const data = await t.api('GET', `/api/v1/dashboards/${dash.body.id}/data`);
    const widget = data.body.widgets.find((x: any) => x.id === 'project_cost_by_type');
    expect(widget, JSON.stringify(data.body)).toMatchObject({ ok: true });
    const cockpit = Object.fromEntries(widget.result.rows.filter((r: any) => !r.$totals && !r.$compare).map((r: any) => [r.cost_type, new Decimal(r.cost).toFixed(2)]));
    expect(cockpit).toEqual(panel);
    const ms = await make('project_milestone', { project: calm, name: '结项', billing_item: ids.service, billing_amount: '100' });
    expect((await t.api('POST', `/api/v1/projects/milestones/${ms.id}/bill`, {})).body.error).toMatchObject({ code: 'FIELD_REQUIRED', field: 'customer' });
  });

  it('accepts a project (验收) only with its acceptance date; accepted, it is finished and no longer late', async () => {
    const late = await make('project', { code: 'PRJ-003', name: '机房改造', customer: ids.customer, stage: 'active', start_date: '2025-01-01', end_date: '2025-06-30', progress: '1' });
    ids.late = late.id;
    const health = async () => (await t.api('GET', '/api/v1/projects/portfolio')).body.data.find((r: any) => r.project.code === 'PRJ-003').health;
    expect(await health()).toBe('red'); // past its end date and not accepted
    const noDate = await t.api('PATCH', `/api/v1/records/project/${late.id}`, { version: late.version, stage: 'accepted' });
    expect([noDate.status, noDate.body.error?.field]).toEqual([422, 'accepted_date']);
    const early = await t.api('PATCH', `/api/v1/records/project/${late.id}`, { version: late.version, stage: 'accepted', accepted_date: '2024-12-31' });
    expect([early.status, early.body.error?.field]).toEqual([422, 'accepted_date']);
    const ok = await t.api('PATCH', `/api/v1/records/project/${late.id}`, { version: late.version, stage: 'accepted', accepted_date: '2025-07-10' });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(await health()).toBe('green');
  });

  it('reverses an approved timesheet\'s labour cost when it is cancelled', async () => {
    const ts = await make('timesheet', { employee: ids.chen, project: ids.project, task: ids.survey, work_date: '2026-03-04', hours: '1.5' });
    expect((await submit('timesheet', ts.id)).status).toBe('submitted'); // the approval flow set up above
    const task = (await t.api('GET', '/api/v1/approvals/inbox?box=pending&pageSize=50')).body.data.find((x: any) => x.recordId === ts.id);
    expect((await t.api('POST', `/api/v1/approvals/tasks/${task.task.id}/approve`, {})).status).toBe(200);
    expect(await actual('labour')).toBe('3500.00'); // + 1.5 h × 200
    const cur = (await t.api('GET', `/api/v1/records/timesheet/${ts.id}`)).body;
    expect(cur.status).toBe('approved');
    const c = await t.api('POST', `/api/v1/records/timesheet/${ts.id}/cancel`, { version: cur.version, reason: '重复填报' });
    expect(c.status, JSON.stringify(c.body)).toBe(200);
    expect(await actual('labour')).toBe('3200.00');
  });

  it('takes progress reported with an approved timesheet onto the task, and rolls the tasks up into the project\'s progress', async () => {
    // Leaf tasks 现场勘察 0 % and 施工 25 %, no estimates (1 h each); 方案设计 is their parent and does not count.
    expect((await figures()).project.taskProgress).toBe('0.1250');
    const ts = await make('timesheet', { employee: ids.lin, project: ids.project, task: ids.build, work_date: '2026-04-01', hours: '2', task_progress: '0.6' });
    expect((await submit('timesheet', ts.id)).status).toBe('submitted');
    expect(Number((await t.api('GET', `/api/v1/records/project_task/${ids.build}`)).body.progress)).toBe(0.25); // not approved yet
    const task = (await t.api('GET', '/api/v1/approvals/inbox?box=pending&pageSize=50')).body.data.find((x: any) => x.recordId === ts.id);
    expect((await t.api('POST', `/api/v1/approvals/tasks/${task.task.id}/approve`, {})).status).toBe(200);
    const build = (await t.api('GET', `/api/v1/records/project_task/${ids.build}`)).body;
    expect([Number(build.progress), build.task_status]).toEqual([0.6, 'doing']);
    expect((await figures()).project.taskProgress).toBe('0.3000');
    // A task of another project is refused, naming the field.
    const other = await make('project_task', { project: ids.late, title: '拆旧' });
    const wrong = await make('timesheet', { employee: ids.lin, project: ids.project, task: other.id, work_date: '2026-04-02', hours: '1' });
    const refused = await t.api('POST', `/api/v1/records/timesheet/${wrong.id}/submit`, { version: wrong.version });
    expect([refused.status, refused.body.error?.code, refused.body.error?.field]).toEqual([422, 'FIELD_INVALID', 'task']);
  });

  it("the overrun alert is the report engine's: it tells a manager-less project's owner, and an edit of its threshold clears a row", async () => {
    // A project manager's own project without a manager set: the alert falls back to the project's owner.
    const role = (await t.api('GET', '/api/v1/admin/roles')).body;
    const pmRole = (role.data ?? role).find((r: any) => r.code === 'project_manager');
    const email = `pm-${t.tenant.tenantId.slice(0, 8)}@test.local`;
    const pm = await t.api('POST', '/api/v1/admin/users', { email, name: '项目经理', password: 'Project-Test-Pw-2026', locale: 'en', roleIds: [pmRole.id], departmentId: t.tenant.departmentId, companyId: t.tenant.companyId });
    expect(pm.status, JSON.stringify(pm.body)).toBe(201);
    const token = (await t.api('POST', '/api/v1/auth/login', { email, password: 'Project-Test-Pw-2026' }, { token: null })).body.token;
    const own = await t.api('POST', '/api/v1/records/project', { code: 'PRJ-009', name: '机房改造', stage: 'active', budget_expense: '100' }, { token });
    expect(own.status, JSON.stringify(own.body)).toBe(201);
    const claim = await make('expense_claim', { employee: ids.chen, project: own.body.id, expense_date: '2026-04-03', category: 'travel', amount: '150' });
    await submit('expense_claim', claim.id);
    await overrunNotices();
    const theirs = (await t.api('GET', '/api/v1/notifications', undefined, { token })).body.data.filter((n: any) => n.object === 'kpi_alert');
    // In their own language (English here): the cost type and the measure by their English labels.
    expect(theirs.map((n: any) => [n.title, n.body])).toEqual([['Alert: 项目预算超支 PRJ-009 / 机房改造 / Expense', 'Overrun = 50.00 (threshold > 0)']]);
    // The alert is not theirs, but the row it told them of opens from the notification's link — that row only.
    const seen = await t.api('GET', `/api/v1/alerts/${(await overrunAlert()).id}/raised`, undefined, { token });
    expect(seen.status, JSON.stringify(seen.body)).toBe(200);
    expect(seen.body.rows.map((r: any) => r.display.slice(0, 3))).toEqual([['PRJ-009', '机房改造', 'Expense']]);
    expect(seen.body.dimensions[2].label).toBe('Cost type');
    // Someone told of nothing sees no alert there.
    const other = await t.api('GET', `/api/v1/alerts/${(await overrunAlert()).id}/raised`, undefined, { token: await otherUserToken() });
    expect(other.status).toBe(404);

    // Edited like any alert: with 600 of leeway, labour (3 500 of 3 000) and PRJ-009's expense (150 of 100) are within it and clear, once.
    const alert = await overrunAlert();
    const edit = await t.api('PATCH', `/api/v1/alerts/${alert.id}`, { threshold: 600 });
    expect(edit.status, JSON.stringify(edit.body)).toBe(200);
    const r = await t.api('POST', `/api/v1/alerts/${alert.id}/evaluate`, {});
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.events.map((e: any) => [JSON.parse(e.rowKey).slice(0, 3), e.kind, e.value])).toEqual([
      [['PRJ-001', '云栖园区弱电工程', 'labour'], 'clear', '500.00'], [['PRJ-009', '机房改造', 'expense'], 'clear', '50.00'],
    ]);
    expect((await overrunNotices()).map((n: any) => n.title)).toContain('预警解除：项目预算超支 PRJ-001 / 云栖园区弱电工程 / 人工');
    expect((await t.api('GET', `/api/v1/alerts/${alert.id}/raised`)).body.rows).toEqual([]);
    // The manager's clearing notification links to the same page: it opens, with nothing raised.
    const cleared = await t.api('GET', `/api/v1/alerts/${alert.id}/raised`, undefined, { token });
    expect([cleared.status, cleared.body.rows]).toEqual([200, []]);
    expect((await t.api('GET', `/api/v1/alerts/${alert.id}/raised`, undefined, { token: await otherUserToken() })).status).toBe(404);
    // A row user must be one of the report's row dimensions.
    const bad = await t.api('PATCH', `/api/v1/alerts/${alert.id}`, { notifyRowUsers: ['customer.owner_id'] });
    expect([bad.status, bad.body.error.field]).toEqual([422, 'notifyRowUsers.0']);
  });

  it('refuses billing and the figures to an employee who may only log time', async () => {
    const roles = (await t.api('GET', '/api/v1/admin/roles')).body;
    const role = (roles.data ?? roles).find((r: any) => r.code === 'employee_self');
    const email = `staff-${t.tenant.tenantId.slice(0, 8)}@test.local`;
    expect((await t.api('POST', '/api/v1/admin/users', { email, name: '员工', password: 'Project-Test-Pw-2026', roleIds: [role.id], departmentId: t.tenant.departmentId, companyId: t.tenant.companyId })).status).toBe(201);
    const token = (await t.api('POST', '/api/v1/auth/login', { email, password: 'Project-Test-Pw-2026' }, { token: null })).body.token;
    const as = (method: string, url: string, body?: unknown) => t.api(method, url, body, { token });
    expect((await as('GET', `/api/v1/records/project/${ids.project}`)).status).toBe(200); // may see the project to log time on it
    const ms = (await t.api('GET', '/api/v1/records/project_milestone')).body.data[0];
    for (const [method, url] of [['POST', `/api/v1/projects/milestones/${ms.id}/bill`], ['GET', `/api/v1/projects/${ids.project}/figures`], ['GET', '/api/v1/projects/portfolio']]) {
      const r = await as(method, url, method === 'POST' ? {} : undefined);
      expect([url, r.status, r.body.error?.code]).toEqual([url, 404, 'OBJECT_UNKNOWN']);
    }
  });

  it('counts a foreign-currency invoice as revenue at its booked rate, not its face amount', async () => {
    const before = new Decimal((await figures()).profit.revenue);
    // USD 1 000 at the invoice's own 7.1 = 7 100; USD 500 at the day's rate (7.2 from 1 May) = 3 600.
    await make('currency_rate', { currency: 'USD', rate: '7.2', rate_date: '2026-05-01' });
    for (const [amount, exchangeRate] of [['1000', '7.1'], ['500', null]] as const) {
      const inv = await make('sales_invoice', {
        customer: ids.customer, project: ids.project, posting_date: '2026-05-10', currency: 'USD', ...(exchangeRate ? { exchange_rate: exchangeRate } : {}),
        lines: [{ item: ids.service, qty: 1, rate: amount, tax_rate: '0' }],
      });
      await submit('sales_invoice', inv.id);
    }
    expect(new Decimal((await figures()).profit.revenue).minus(before).toFixed(2)).toBe('10700.00');
  });

  it('converts invoices in two foreign currencies at each one\'s day rate, with one rate query however many invoices', async () => {
    await make('currency_rate', { currency: 'EUR', rate: '7.8', rate_date: '2026-05-01' });
    await make('currency_rate', { currency: 'EUR', rate: '7.9', rate_date: '2026-06-01' });
    await make('currency_rate', { currency: 'USD', rate: '7.15', rate_date: '2026-05-12' });
    await make('currency_rate', { currency: 'USD', rate: '7.25', rate_date: '2026-06-01' });
    const bill = async (list: [string, string, string][]) => {
      for (const [currency, amount, day] of list) {
        const inv = await make('sales_invoice', { customer: ids.customer, project: ids.project, posting_date: day, currency, lines: [{ item: ids.service, qty: 1, rate: amount, tax_rate: '0' }] });
        await submit('sales_invoice', inv.id);
      }
    };
    /** The figures' revenue, and how many statements the request cost (after a first call, so caches are warm). */
    const measured = async () => {
      await figures();
      const { statements, result } = await spyStatements(figures);
      return { revenue: new Decimal(result.profit.revenue), statements: statements.length };
    };
    const before = await measured();
    // USD 100 on 3 June at 7.25 = 725.00; EUR 200 on 20 May at 7.8 = 1 560.00; EUR 33.33 on 2 June at 7.9 = 263.307 → 263.31.
    await bill([['USD', '100', '2026-06-03'], ['EUR', '200', '2026-05-20'], ['EUR', '33.33', '2026-06-02']]);
    const three = await measured();
    expect(three.revenue.minus(before.revenue).toFixed(2)).toBe('2548.31');
    // Three more, on other days: USD 10 on 15 May at 7.15 = 71.50; EUR 10 on 10 June at 7.9 = 79.00; EUR 1.11 on 2 May at 7.8 = 8.658 → 8.66.
    await bill([['USD', '10', '2026-05-15'], ['EUR', '10', '2026-06-10'], ['EUR', '1.11', '2026-05-02']]);
    const six = await measured();
    expect(six.revenue.minus(three.revenue).toFixed(2)).toBe('159.16');
    // Twice the foreign invoices, each on a day of its own: not one statement more.
    expect(six.statements).toBe(three.statements);
  });

  it('refuses to cost a timesheet for an employee without an hourly cost, naming the employee', async () => {
    const before = await actual('labour');
    const nobody = (await make('employee', { employee_no: 'P09', name: '无费率', hire_date: '2024-01-01' })).id;
    const ts = await make('timesheet', { employee: nobody, project: ids.project, work_date: '2026-05-11', hours: '8' });
    const r = await t.api('POST', `/api/v1/records/timesheet/${ts.id}/submit`, { version: ts.version });
    expect([r.status, r.body.error?.code, r.body.error?.field]).toEqual([422, 'FIELD_INVALID', 'employee']);
    expect((await t.api('GET', `/api/v1/records/timesheet/${ts.id}`)).body.status).toBe('draft');
    // An hourly cost of 0, set on purpose, is a cost like any other.
    const emp = (await t.api('GET', `/api/v1/records/employee/${nobody}`)).body;
    expect((await t.api('PATCH', `/api/v1/records/employee/${nobody}`, { version: emp.version, hourly_cost: '0' })).status).toBe(200);
    expect((await submit('timesheet', ts.id)).status).toMatch(/^(submitted|approved)$/);
    expect(await actual('labour')).toBe(before);
  });

  it('lets an employee file time, expenses and leave only for themselves, naming the employee when refused', async () => {
    const roles = (await t.api('GET', '/api/v1/admin/roles')).body;
    const role = (roles.data ?? roles).find((r: any) => r.code === 'employee_self');
    const email = `self-${t.tenant.tenantId.slice(0, 8)}@test.local`;
    const user = await t.api('POST', '/api/v1/admin/users', { email, name: '自助', password: 'Project-Test-Pw-2026', roleIds: [role.id], departmentId: t.tenant.departmentId, companyId: t.tenant.companyId });
    expect(user.status, JSON.stringify(user.body)).toBe(201);
    const token = (await t.api('POST', '/api/v1/auth/login', { email, password: 'Project-Test-Pw-2026' }, { token: null })).body.token;
    const me = (await make('employee', { employee_no: 'P10', name: '自助', hire_date: '2024-01-01', hourly_cost: '100', user: user.body.id })).id;
    const leaveType = (await make('leave_type', { name: '调休', accrual: 'none' })).id;
    const as = (method: string, url: string, body?: unknown) => t.api(method, url, body, { token });
    const fileAndSubmit = async (object: string, values: Record<string, unknown>) => {
      const draft = await as('POST', `/api/v1/records/${object}`, values);
      if (draft.status !== 201) return draft;
      return as('POST', `/api/v1/records/${object}/${draft.body.id}/submit`, { version: draft.body.version });
    };
    const papers = (employee: string): [string, Record<string, unknown>][] => [
      ['timesheet', { employee, project: ids.project, work_date: '2026-05-12', hours: '2' }],
      ['expense_claim', { employee, project: ids.project, expense_date: '2026-05-12', category: 'meal', amount: '80' }],
      ['leave_request', { employee, leave_type: leaveType, from_date: '2026-05-13', to_date: '2026-05-13', days: '1' }],
    ];
    const labour = await actual('labour');
    for (const [object, values] of papers(ids.chen)) {
      const r = await fileAndSubmit(object, values); // refused on create: not even a draft for 陈工
      expect([object, r.status, r.body.error?.code, r.body.error?.field]).toEqual([object, 403, 'FORBIDDEN', 'employee']);
    }
    expect(await actual('labour')).toBe(labour); // nothing at 陈工's rate
    for (const [object, values] of papers(me)) {
      const r = await fileAndSubmit(object, values);
      expect([object, r.status], JSON.stringify(r.body)).toEqual([object, 200]);
      // Nor may a draft of one's own be turned into a colleague's.
      const draft = await as('POST', `/api/v1/records/${object}`, values);
      const moved = await as('PATCH', `/api/v1/records/${object}/${draft.body.id}`, { version: draft.body.version, employee: ids.chen });
      expect([object, moved.status, moved.body.error?.field], JSON.stringify(moved.body)).toEqual([object, 403, 'employee']);
    }
  });
});
