import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Decimal, advanceClock, clock, resetClock, todayIn } from '@mosaic/kernel';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { seedDemo, type DemoSummary } from '../src/demo/seed-demo.ts';
import { DEMO_TOKEN_NAME, demoOptionsFrom, seedFirstTenant } from '../src/demo/demo-command.ts';
import { EMPLOYEES, PROJECTS } from '../src/demo/demo-catalogue.ts';

// The demo history generator (issue 6 §7): it writes through the modules' own
// API, so its books must be as consistent as a real company's — the ledger
// balances, the stock ledger and the inventory account agree, receivables are
// exactly the unpaid invoices — and it refuses to run twice. Production, the
// service desk, projects and HR have rows, and the cockpit and the modules'
// reports show exactly what the generator wrote.
let t: TestApp;
let summary: DemoSummary;
const q = (x: unknown) => encodeURIComponent(JSON.stringify(x));
const money = (v: unknown) => new Decimal(String(v ?? 0));

async function ok(url: string) {
  const r = await t.api('GET', url);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
}
async function cockpitWidget(id: string, dateRange = '') {
  const cockpit = (await ok('/api/v1/dashboards')).data.find((d: any) => d.name === '经营驾驶舱');
  const widget = (await ok(`/api/v1/dashboards/${cockpit.id}/data${dateRange}`)).widgets.find((w: any) => w.id === id);
  expect(widget, `cockpit widget ${id}`).toBeTruthy();
  return widget;
}
const count = async (object: string, filter?: unknown) => (await ok(`/api/v1/records/${object}?pageSize=1&fields=id${filter ? `&filter=${q(filter)}` : ''}`)).total as number;
const total = (values: Record<string, string>) => Object.values(values).reduce((s, v) => s.plus(v), new Decimal(0));
async function sum(object: string, measure: string, filter?: unknown): Promise<Decimal> {
  const r = await ok(`/api/v1/records/${object}/aggregate?measures=sum:${measure}${filter ? `&filter=${q(filter)}` : ''}`);
  return money(r.data[0]?.[`sum:${measure}`]);
}

beforeAll(async () => {
  t = await createTestApp();
  // As `npm run seed:demo` does it: as the first administrator, with an API token of its own.
  summary = await seedFirstTenant(t.testDb.db, t.app, { months: 3, ordersPerMonth: 4, until: '2026-10-20', seed: 7 });
}, 600_000);
afterAll(async () => t?.close());

describe('the demo company history', () => {
  it('has three months of orders, each delivered and invoiced, with their purchases', async () => {
    expect(summary.months).toBe(3);
    const orders = await ok(`/api/v1/records/sales_order?filter=${q({ status: 'submitted' })}&pageSize=1&fields=id`);
    const all = await ok('/api/v1/records/sales_order?pageSize=1&fields=id');
    expect(all.total).toBe(summary.salesOrders);
    expect(summary.salesOrders).toBeGreaterThanOrEqual(9); // 4 a month, seasonally shaped
    expect(orders.total).toBe(summary.salesOrders);
    for (const so of (await ok('/api/v1/records/sales_order?pageSize=200&fields=id')).data) {
      expect(await ok(`/api/v1/selling/sales-orders/${so.id}/chain`)).toMatchObject({ perDelivered: '100.00', perInvoiced: '100.00' });
    }
    const dates = (await ok('/api/v1/records/sales_invoice?pageSize=200&fields=posting_date')).data.map((r: any) => r.posting_date as string);
    expect(dates).toHaveLength(summary.invoices);
    expect(dates.every((d: string) => d >= '2026-08-01' && d <= '2026-10-20')).toBe(true);
    expect(new Set(dates.map((d: string) => d.slice(0, 7)))).toEqual(new Set(['2026-08', '2026-09', '2026-10']));
    expect((await ok('/api/v1/records/purchase_receipt?pageSize=1&fields=id')).total).toBeGreaterThanOrEqual(3);
    expect((await ok('/api/v1/records/lead?pageSize=1&fields=id')).total).toBe(summary.leads);
    expect((await ok('/api/v1/records/opportunity?pageSize=1&fields=id')).total).toBe(summary.opportunities);
    // The managers' cockpit is there, and its figures come from this history.
    const cockpit = (await ok('/api/v1/dashboards')).data.find((d: any) => d.name === '经营驾驶舱');
    expect(cockpit).toBeTruthy();
    const stock = (await ok(`/api/v1/dashboards/${cockpit.id}/data`)).widgets.find((w: any) => w.id === 'inventory_value');
    expect(money(stock.result.rows[0].value).toFixed(2)).toBe((await sum('stock_balance', 'value')).toFixed(2));
  });

  it('keeps the books: debits equal credits, and the inventory account equals the stock ledger', async () => {
    const debit = await sum('gl_entry', 'debit');
    const credit = await sum('gl_entry', 'credit');
    expect(debit.gt(0)).toBe(true);
    expect(debit.toFixed(2)).toBe(credit.toFixed(2));
    const accounts = new Map<string, string>((await ok('/api/v1/records/gl_account?pageSize=500&fields=code')).data.map((a: any) => [a.code, a.id]));
    const inventory = (await sum('gl_entry', 'debit', { account: accounts.get('1405') })).minus(await sum('gl_entry', 'credit', { account: accounts.get('1405') }));
    // Each stock voucher is booked at its ledger value to the cent (the ledger keeps sub-cent values: summed
    // over the whole history, those residues may differ from the vouchers' cents by one).
    const byVoucher = await ok('/api/v1/records/stock_ledger_entry/aggregate?groupBy=voucher_id&measures=sum:value_change');
    expect(byVoucher.truncated).toBe(false);
    const ledger = byVoucher.data.reduce((s: Decimal, r: any) => s.plus(money(r['sum:value_change']).toDecimalPlaces(2)), new Decimal(0));
    expect(inventory.toFixed(2)).toBe(ledger.toFixed(2));
    expect((await sum('stock_balance', 'value')).toFixed(6)).toBe((await sum('stock_ledger_entry', 'value_change')).toFixed(6));
    const negative = await ok(`/api/v1/records/stock_balance?filter=${q({ on_hand: { lt: 0 } })}&pageSize=1&fields=id`);
    expect(negative.total).toBe(0);
    // Revenue in the ledger is exactly the invoices' net totals.
    const revenue = (await sum('gl_entry', 'credit', { account: accounts.get('5001') })).minus(await sum('gl_entry', 'debit', { account: accounts.get('5001') }));
    expect(revenue.toFixed(2)).toBe((await sum('sales_invoice', 'net_total')).toFixed(2));
  });

  it('keeps books an accountant accepts: paid-in capital and opening stock against equity, the bank never overdrawn, overhead incurred as absorbed', async () => {
    const balance = (rows: any[], code: string) => {
      const r = rows.find((x) => x.code === code);
      return r ? money(r.closingDebit).minus(r.closingCredit) : new Decimal(0);
    };
    let absorbed = new Decimal(0);
    for (const period of ['2026-08', '2026-09', '2026-10']) {
      const tb = (await ok(`/api/v1/finance/trial-balance?period=${period}`)).rows ?? [];
      expect(balance(tb, '1002').gte(0), `bank 1002 at the end of ${period}: ${balance(tb, '1002')}`).toBe(true);
      absorbed = absorbed.plus(money(tb.find((x: any) => x.code === '4101')?.periodCredit));
      const sheet = await ok(`/api/v1/finance/statements/balance-sheet?period=${period}`);
      expect(sheet.balanced, period).toBe(true);
      const assets = ['cash', 'receivables', 'prepayments', 'other_receivables', 'inventory', 'other_current_assets', 'current_assets', 'total_assets'];
      for (const key of assets) {
        const row = sheet.rows.find((r: any) => r.key === key);
        expect(money(row.closing).gte(0), `${row.label} at the end of ${period}: ${row.closing}`).toBe(true);
        expect(money(row.yearStart).gte(0), `${row.label} at the year's start: ${row.yearStart}`).toBe(true);
      }
      // The opening stock came in against 实收资本, not as a count gain: nothing waits on 待处理财产损溢.
      expect(balance(tb, '1901').toFixed(2), period).toBe('0.00');
    }
    // 制造费用 is incurred (rent, power) about as fast as work orders absorb it: near zero at the end.
    const tb = (await ok('/api/v1/finance/trial-balance?period=2026-10')).rows;
    expect(absorbed.gt(0)).toBe(true);
    expect(balance(tb, '4101').abs().lte(absorbed.times(0.1)), `4101 ends at ${balance(tb, '4101')} of ${absorbed} absorbed`).toBe(true);
    expect(balance(tb, '3001').lt(0)).toBe(true); // the owners' paid-in capital
  });

  it('leaves receivables that are exactly the unpaid invoices, some of them overdue', async () => {
    const invoiced = await sum('sales_invoice', 'grand_total');
    const received = await sum('payment', 'amount', { payment_type: 'receive' });
    const open = (await ok('/api/v1/finance/open-items?party_type=customer&pageSize=500')).data as { outstanding: string }[];
    const outstanding = open.reduce((s, o) => s.plus(o.outstanding), new Decimal(0));
    expect(outstanding.toFixed(2)).toBe(invoiced.minus(received).toFixed(2));
    expect(summary.paid).toBeGreaterThan(0);
    expect(open.length).toBe(summary.invoices - summary.paid);
    expect(open.length).toBeGreaterThan(0);
    // Suppliers are paid in full.
    expect((await ok('/api/v1/finance/open-items?party_type=supplier&pageSize=500')).data).toEqual([]);
  });

  it('makes the lock sets: a work order a month, parts issued, finished goods in stock, as the production report shows', async () => {
    expect(summary.workOrders).toBeGreaterThan(0);
    const progress = await ok('/api/v1/manufacturing/reports/production-progress');
    expect(progress.orders).toHaveLength(summary.workOrders);
    expect(progress.orders.every((o: any) => o.item === 'LS-001' && o.progress === 'completed')).toBe(true);
    expect(progress.orders.reduce((s: Decimal, o: any) => s.plus(o.produced), new Decimal(0)).toFixed(0)).toBe(String(summary.produced));
    expect(progress.onTimeRate).toBe(1);
    const scrap = await ok('/api/v1/manufacturing/reports/scrap-rate');
    expect(money(scrap.byWorkstation.find((w: any) => w.key === 'ZP01')?.scrap).toFixed(0)).toBe(String(summary.scrapped));
    // Finished goods came into stock at the work orders' cost: the stock ledger holds one receipt per order.
    const received = await ok(`/api/v1/records/stock_ledger_entry?filter=${q({ voucher_type: 'work_order', qty: { gt: 0 } })}&pageSize=50&fields=qty`);
    expect(received.data.reduce((s: Decimal, r: any) => s.plus(r.qty), new Decimal(0)).toFixed(0)).toBe(String(summary.produced));
    // The cockpit's production widget over the demo's three months shows the same output and scrap, one bar per month.
    const byMonth = (await cockpitWidget('production_by_month', '?from=2026-08-01&to=2026-10-31')).result.rows as { produced: string; scrapped: string }[];
    expect(byMonth).toHaveLength(summary.workOrders);
    expect(byMonth.reduce((s, r) => s.plus(r.produced), new Decimal(0)).toFixed(0)).toBe(String(summary.produced));
    expect(byMonth.reduce((s, r) => s.plus(r.scrapped), new Decimal(0)).toFixed(0)).toBe(String(summary.scrapped));
  });

  it('answers the service desk: tickets closed, the last month\'s unanswered ones breach their SLA on the cockpit', async () => {
    expect(summary.tickets).toBe(summary.ticketsClosed + summary.ticketsOpen);
    expect(summary.ticketsOpen).toBeGreaterThan(0);
    expect(await count('ticket')).toBe(summary.tickets);
    expect(await count('ticket', { state: 'closed' })).toBe(summary.ticketsClosed);
    // A week later (the clock moved, not waited for) the SLA check finds the open ones late and escalates them.
    // (An API token, which has no idle limit, for the call a week on; the login session would have expired.)
    const token = (await t.api('POST', '/api/v1/auth/tokens', { name: 'sla', expiresInDays: 30 })).body.token;
    advanceClock(8 * 86_400_000);
    try {
      expect((await t.api('POST', '/api/v1/crm/sla/check', undefined, { token })).body).toMatchObject({ breached: summary.ticketsOpen });
    } finally {
      resetClock();
    }
    const sla = (await cockpitWidget('sla')).result.rows[0];
    expect([Number(sla.tickets), Number(sla.breached)]).toEqual([summary.tickets, summary.ticketsOpen]);
    expect(Number(sla.attainment)).toBeCloseTo(1 - summary.ticketsOpen / summary.tickets, 6);
  });

  it('books the projects\' timesheets and expenses: the cockpit and each project\'s figures add up to them', async () => {
    expect(summary.timesheets).toBeGreaterThan(0);
    expect(await count('timesheet', { status: 'approved' })).toBe(summary.timesheets);
    const byType = (await cockpitWidget('project_cost_by_type')).result.rows as { cost_type: string; cost: string }[];
    const cost = (type: string) => money(byType.find((r) => r.cost_type === type)?.cost).toFixed(2);
    expect(cost('labour')).toBe(total(summary.projectLabour).toFixed(2));
    expect(cost('expense')).toBe(total(summary.projectExpense).toFixed(2));
    for (const p of PROJECTS) {
      const id = (await ok(`/api/v1/records/project?filter=${q({ code: p.code })}&fields=id`)).data[0].id;
      const budget = (await ok(`/api/v1/projects/${id}/figures`)).budget as { costType: string; actual: string }[];
      expect(budget.find((l) => l.costType === 'labour')?.actual).toBe(summary.projectLabour[p.code]);
      expect(budget.find((l) => l.costType === 'expense')?.actual).toBe(summary.projectExpense[p.code]);
    }
  });

  it('sells through its reps: opportunities they own, won and lost with reasons, against this quarter\'s targets', async () => {
    const reps = (await ok('/api/v1/admin/users')).data.filter((u: any) => EMPLOYEES.some((e) => e.selling && e.name === u.name));
    expect(reps).toHaveLength(EMPLOYEES.filter((e) => e.selling).length);
    const repIds = reps.map((u: any) => u.id as string);
    expect(await count('opportunity')).toBe(summary.opportunities);
    expect(await count('opportunity', { owner_id: { in: repIds } })).toBe(summary.opportunities); // none is the admin's
    expect(summary.opportunitiesWon).toBeGreaterThan(0);
    expect(await count('opportunity', { won_at: { ne: null } })).toBe(summary.opportunitiesWon);
    expect(summary.opportunitiesLost).toBeGreaterThan(0);
    expect(await count('opportunity', { and: [{ lost_at: { ne: null } }, { close_reason: { ne: null } }] })).toBe(summary.opportunitiesLost);
    expect(await count('opportunity', { and: [{ won_at: null }, { lost_at: null }] })).toBeGreaterThan(0); // the pipeline is not empty
    // Opportunities were opened in every month of the history, not only the last ones.
    const months = (await ok('/api/v1/records/opportunity?pageSize=500&fields=name')).data.map((o: any) => String(o.name).split(' ')[1].slice(0, 7));
    expect(new Set(months)).toEqual(new Set(['2026-08', '2026-09', '2026-10']));
    // The forecast sheet of the quarter the wins count in: every rep has a target, and attainment shows.
    const { timeZone } = (await ok('/api/v1/auth/me')).user;
    const today = todayIn(timeZone, clock.now());
    const period = `${today.slice(0, 4)}-Q${Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1}`;
    const sheet = await ok(`/api/v1/crm/reports/forecast?period=${period}&by=rep`);
    const rows = sheet.rows.filter((r: any) => repIds.includes(r.rep));
    expect(rows.length, JSON.stringify(sheet.rows)).toBe(repIds.length);
    expect(rows.every((r: any) => money(r.target).gt(0))).toBe(true);
    const winners = rows.filter((r: any) => money(r.won).gt(0));
    expect(winners.length).toBeGreaterThan(0);
    expect(winners.every((r: any) => Number(r.attainment) > 0)).toBe(true);
    expect(money(sheet.total.won).toFixed(2)).toBe(total(summary.wonAmount).toFixed(2));
  });

  it('bills the customer\'s project at its milestones, and its tasks show progress on the portfolio', async () => {
    expect(summary.projectInvoices).toBeGreaterThan(0);
    const billed = await ok(`/api/v1/records/project_milestone?filter=${q({ sales_invoice: { ne: null } })}&pageSize=50&fields=sales_invoice`);
    expect(billed.total).toBe(summary.projectInvoices);
    const portfolio = (await ok('/api/v1/projects/portfolio')).data as any[];
    const fitOut = portfolio.find((r) => r.project.code === PROJECTS.find((p) => p.customer !== null)!.code);
    const invoiced = await sum('sales_invoice', 'net_total', { id: { in: billed.data.map((m: any) => m.sales_invoice.id ?? m.sales_invoice) } });
    expect(invoiced.gt(0)).toBe(true);
    expect(fitOut.profit.revenue).toBe(invoiced.toFixed(2));
    expect(money(fitOut.profit.profit).gt(0)).toBe(true);
    for (const row of portfolio) expect(Number(row.project.taskProgress)).toBeGreaterThan(0);
  });

  it('has planned materials: a finished MRP run with its suggestions', async () => {
    const runs = (await ok('/api/v1/records/mrp_run?pageSize=10&fields=state')).data as { id: string; state: string }[];
    expect(runs.map((r) => r.state)).toEqual(['done']);
    expect(summary.mrpSuggestions).toBeGreaterThan(0);
    expect(await count('mrp_suggestion', { mrp_run: runs[0].id })).toBe(summary.mrpSuggestions);
  });

  it('staffs the company: headcount on the cockpit, leave approved, attendance imported from punches', async () => {
    expect(Number((await cockpitWidget('headcount')).result.rows[0].headcount)).toBe(EMPLOYEES.length);
    expect(summary.leaveRequests).toBeGreaterThan(0);
    expect(await count('leave_request', { status: 'approved' })).toBe(summary.leaveRequests);
    expect((await sum('leave_request', 'days')).toFixed(0)).toBe(String(summary.leaveDays));
    expect(await count('attendance', { day_status: { in: ['present', 'late'] } })).toBe(summary.attendanceDays);
    expect(await count('attendance', { day_status: 'late' })).toBe(summary.late);
    const departments = (await ok('/api/v1/admin/departments')).data.map((dep: any) => dep.name);
    expect(departments).toEqual(expect.arrayContaining(['销售部', '生产部', '客服部']));
  });

  it('revokes the API token it acted with', async () => {
    const tokens = (await ok('/api/v1/auth/tokens')).data as { name: string }[];
    expect(tokens.filter((tk) => tk.name === DEMO_TOKEN_NAME)).toEqual([]);
  });

  it('is seeded once: a second run is refused before it writes anything', async () => {
    const before = (await ok('/api/v1/records/item?pageSize=1&fields=id')).total;
    await expect(seedDemo(t.app, t.adminToken, { months: 1, ordersPerMonth: 1 })).rejects.toThrow(/already has the demo data/);
    expect((await ok('/api/v1/records/item?pageSize=1&fields=id')).total).toBe(before);
  });

  it('reads its size from the command line and refuses nonsense', () => {
    expect(demoOptionsFrom(['--years', '2'])).toEqual({ months: 24, ordersPerMonth: 30 });
    expect(demoOptionsFrom(['--months', '6', '--orders-per-month', '10'])).toEqual({ months: 6, ordersPerMonth: 10 });
    expect(() => demoOptionsFrom(['--years', 'two'])).toThrow(/--years: a whole number/);
  });
});
