import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '@mosaic/kernel';
import { systemGuard } from '@mosaic/access';
import { inTenantTx, sql } from '@mosaic/db';
import { hashPassword, insertUser } from '@mosaic/identity';
import { COCKPIT_WIDGETS, cockpitWidgets, dashboardData, dashboardFilterOptions, defaultDashboard, installCockpit, refreshCockpit } from '@mosaic/reporting';
import { createReportFixture, ownRecordsGuard, setOwner, type ReportFixture } from './report-fixture.ts';

// Dashboards: widgets from saved reports and inline definitions, every widget's
// data in one call with the global filters, the refresh version, role defaults.
let f: ReportFixture;
let dashId: string;
let reportId: string;
beforeAll(async () => {
  f = await createReportFixture();
  const report = await f.t.api('POST', '/api/v1/reports', {
    name: '区域销售', definition: { source: 'rpt_order', rows: [{ field: 'customer.region.name' }], measures: [{ name: 'revenue', fn: 'sum', field: 'amount' }] },
  });
  reportId = report.body.id;
  const gone = await f.t.api('POST', '/api/v1/reports', { name: 'gone', definition: { source: 'rpt_order', measures: [{ name: 'n', fn: 'count' }] } });
  const dash = await f.t.api('POST', '/api/v1/dashboards', {
    name: '销售看板', globalFilters: ['date', 'owner'],
    widgets: [
      { id: 'kpi', chart: 'kpi', title: '销售额', layout: { x: 0, y: 0, w: 6, h: 4 }, dateField: 'order_date', definition: { source: 'rpt_order', measures: [{ name: 'revenue', fn: 'sum', field: 'amount' }] } },
      { id: 'by_region', chart: 'bar', layout: { x: 6, y: 0, w: 12, h: 8 }, dateField: 'order_date', reportId },
      { id: 'trend', chart: 'line', layout: { x: 0, y: 8, w: 24, h: 8 }, definition: { source: 'rpt_order', rows: [{ field: 'order_date', bucket: 'month' }], measures: [{ name: 'orders', fn: 'count' }] } },
      { id: 'broken', chart: 'table', layout: { x: 0, y: 16, w: 6, h: 4 }, reportId: gone.body.id },
    ],
  });
  expect(dash.status, JSON.stringify(dash.body)).toBe(201);
  dashId = dash.body.id;
  await f.t.api('DELETE', `/api/v1/reports/${gone.body.id}`);
});
afterAll(async () => {
  await f?.t.close();
});

describe('dashboards', () => {
  it('returns every widget\'s data in one call, the global date range applied to each', async () => {
    const r = await f.t.api('GET', `/api/v1/dashboards/${dashId}/data?from=2026-01-01&to=2026-01-31`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const w = Object.fromEntries(r.body.widgets.map((x: { id: string }) => [x.id, x]));
    expect(w.kpi.result.rows).toEqual([{ revenue: '450.00' }]);
    expect(w.by_region.result.rows).toEqual([{ 'customer.region.name': '华南', revenue: '450.00' }]);
    expect(w.trend).toMatchObject({ ok: true, dateApplied: true });
    expect(w.trend.result.rows).toEqual([{ 'order_date:month': '2026-01-01', orders: 2 }]);
    // One widget failing leaves the others standing.
    expect(w.broken).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(r.body.version).toMatch(/^1\.\d+$/);
  });

  it('applies the owner filter to every widget', async () => {
    const r = await f.t.api('GET', `/api/v1/dashboards/${dashId}/data?owner=${newId()}`);
    const w = Object.fromEntries(r.body.widgets.map((x: { id: string }) => [x.id, x]));
    expect(w.kpi.result.rows).toEqual([{ revenue: null }]);
    expect(w.by_region.result.rows).toEqual([]);
    const bad = await f.t.api('GET', `/api/v1/dashboards/${dashId}/data?from=2026-01-01`);
    expect(bad.status).toBe(400);
  });

  it('drills from a widget\'s figure to its records, with the dashboard\'s date range', async () => {
    const amounts = async (q: string) => {
      const d = await f.t.api('GET', `/api/v1/dashboards/${dashId}/widgets/${q}`);
      expect(d.status, JSON.stringify(d.body)).toBe(200);
      expect(d.body.object).toBe('rpt_order');
      const list = await f.t.api('GET', `/api/v1/records/rpt_order?filter=${encodeURIComponent(JSON.stringify(d.body.filter))}&sort=order_date&fields=amount`);
      return list.body.data.map((r: { amount: string }) => r.amount);
    };
    const south = encodeURIComponent(JSON.stringify({ 'customer.region.name': '华南' }));
    // The 华南 bar of January: the two orders its 450.00 adds up.
    expect(await amounts(`by_region/drill?cell=${south}&measure=revenue&from=2026-01-01&to=2026-01-31`)).toEqual(['300.00', '150.00']);
    expect(await amounts(`by_region/drill?cell=${south}&measure=revenue`)).toEqual(['100.00', '300.00', '150.00', '50.00', '250.00']);
    // A month bucket and the dashboard range both hold: February, from the 15th.
    const feb = encodeURIComponent(JSON.stringify({ 'order_date:month': '2026-02-01' }));
    expect(await amounts(`trend/drill?cell=${feb}&from=2026-02-15&to=2026-03-31`)).toEqual(['50.00']);
    const bad = await f.t.api('GET', `/api/v1/dashboards/${dashId}/widgets/by_region/drill?cell=[1]`);
    expect(bad.body.error).toMatchObject({ code: 'BAD_REQUEST', field: 'cell' });
    expect((await f.t.api('GET', `/api/v1/dashboards/${dashId}/widgets/nope/drill`)).status).toBe(404);
  });

  it('changes its version when data of its objects changes, not for other objects', async () => {
    const v1 = (await f.t.api('GET', `/api/v1/dashboards/${dashId}/version`)).body.version;
    await f.t.api('POST', '/api/v1/meta/objects', { apiName: 'memo', label: '备忘', fields: [{ apiName: 'name', type: 'text', label: '名称' }] });
    await f.t.api('POST', '/api/v1/records/memo', { name: 'unrelated' });
    expect((await f.t.api('GET', `/api/v1/dashboards/${dashId}/version`)).body.version).toBe(v1);
    await f.t.api('POST', '/api/v1/records/rpt_region', { name: '华北', code: 'north' }); // the by-region widget reads region
    const v2 = (await f.t.api('GET', `/api/v1/dashboards/${dashId}/version`)).body.version;
    expect(v2).not.toBe(v1);
    await f.t.api('POST', '/api/v1/records/rpt_order', { order_date: '2026-04-01', customer: f.customerIds.A, amount: 10, cost: 5 });
    expect((await f.t.api('GET', `/api/v1/dashboards/${dashId}/version`)).body.version).not.toBe(v2);
  });

  it('checks widgets when saved, and updates with the version', async () => {
    const bad = await f.t.api('POST', '/api/v1/dashboards', {
      name: 'x', widgets: [{ id: 'a', chart: 'pie', layout: { x: 0, y: 0, w: 6, h: 4 }, definition: { source: 'rpt_order', rows: [{ field: 'nope' }], measures: [{ name: 'n', fn: 'count' }] } }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'FIELD_UNKNOWN', field: 'widgets.0.nope' });
    const chart = await f.t.api('POST', '/api/v1/dashboards', { name: 'x', widgets: [{ id: 'a', chart: 'radar', layout: { x: 0, y: 0, w: 6, h: 4 }, reportId }] });
    expect(chart.status).toBe(422);
    const up = await f.t.api('PATCH', `/api/v1/dashboards/${dashId}`, { version: 1, name: '销售看板 2' });
    expect(up.body).toMatchObject({ name: '销售看板 2', version: 2 });
    expect((await f.t.api('GET', '/api/v1/dashboards')).body.data).toHaveLength(1);
  });

  it('finds the default dashboard of a user\'s role', async () => {
    const role = newId();
    const made = await f.t.api('POST', '/api/v1/dashboards', { name: '经营驾驶舱', defaultRoleIds: [role], shared: true, widgets: [] });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const guard = systemGuard({ ...f.actor(newId()), roleIds: [role] });
    expect((await defaultDashboard(f.ctx(guard)))?.id).toBe(made.body.id);
    expect(await defaultDashboard(f.ctx(systemGuard({ ...f.actor(newId()), roleIds: [newId()] })))).toBeNull();
  });
});

describe('company, department and owner filters', () => {
  // A second company with its department under the root one; orders 4 (400) and 6 (250) move there.
  const c2 = newId();
  const d2 = newId();
  const seller = newId();
  let kpiDash: string;
  const revenue = async (g: Record<string, string>, guard?: ReturnType<typeof systemGuard>) => {
    const data = await dashboardData(f.ctx(guard), kpiDash, g);
    const w = data.widgets[0];
    if (!w.ok) throw new Error(JSON.stringify(w.error));
    return w.result.rows[0].revenue;
  };
  beforeAll(async () => {
    const { tenantId, departmentId: root } = f.t.tenant;
    await inTenantTx(f.t.testDb.db.owner, { tenantId }, async (tx) => {
      await sql`INSERT INTO company (tenant_id, id, name, currency) VALUES (${tenantId}, ${c2}, '华东子公司', 'CNY')`.execute(tx);
      await sql`INSERT INTO department (tenant_id, id, company_id, parent_id, name, path) VALUES (${tenantId}, ${d2}, ${c2}, ${root}, '华东销售部', ARRAY[${root}, ${d2}]::uuid[])`.execute(tx);
      await sql`UPDATE o_rpt_order SET company_id = ${c2}, department_id = ${d2} WHERE id = ANY(${[f.orderIds[4], f.orderIds[6]]}::uuid[])`.execute(tx);
      await insertUser(tx, tenantId, { id: seller, email: `seller-${tenantId.slice(0, 8)}@test.local`, name: '销售小李', passwordHash: await hashPassword('Seller-Pw-2026!') });
    });
    await setOwner(f, 'o_rpt_order', [f.orderIds[0], f.orderIds[1]], seller); // 100 + 200, in the first company
    const made = await f.t.api('POST', '/api/v1/dashboards', {
      name: '公司看板', shared: true, globalFilters: ['company', 'department', 'owner'],
      widgets: [{ id: 'kpi', chart: 'kpi', layout: { x: 0, y: 0, w: 6, h: 4 }, definition: { source: 'rpt_order', measures: [{ name: 'revenue', fn: 'sum', field: 'amount' }] } }],
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    kpiDash = made.body.id;
  });

  it('changes the figures: a company, a department (and those below it), an owner', async () => {
    const all = await revenue({});
    expect(await revenue({ company: c2 })).toBe('650.00');
    expect(await revenue({ company: f.t.tenant.companyId })).toBe((Number(all) - 650).toFixed(2));
    expect(await revenue({ department: d2 })).toBe('650.00');
    expect(await revenue({ department: f.t.tenant.departmentId })).toBe(all); // the root department holds 华东销售部
    expect(await revenue({ owner: seller })).toBe('300.00');
    expect(await revenue({ company: c2, owner: seller })).toBeNull();
    const bad = await f.t.api('GET', `/api/v1/dashboards/${kpiDash}/data?company=nope`);
    expect(bad.body.error).toMatchObject({ code: 'BAD_REQUEST', field: 'company' });
  });

  it('offers as choices the companies, departments and owners of the records counted', async () => {
    const r = await f.t.api('GET', `/api/v1/dashboards/${kpiDash}/filter-options`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.company.map((c: { id: string }) => c.id).sort()).toEqual([c2, f.t.tenant.companyId].sort());
    expect(r.body.company.find((c: { id: string }) => c.id === c2).name).toBe('华东子公司');
    expect(r.body.department.find((d: { id: string }) => d.id === d2).name).toBe('华东销售部');
    expect(r.body.owner.map((o: { id: string }) => o.id).sort()).toEqual([seller, f.t.tenant.adminId].sort());
    expect(r.body.owner.find((o: { id: string }) => o.id === seller).name).toBe('销售小李');
    expect((await f.t.api('GET', `/api/v1/dashboards/${newId()}/filter-options`)).status).toBe(404);
  });

  it('computes only the kinds the dashboard offers, and only the one asked for', async () => {
    const ownerOnly = await f.t.api('POST', '/api/v1/dashboards', {
      name: '负责人看板', globalFilters: ['date', 'owner'],
      widgets: [{ id: 'kpi', chart: 'kpi', layout: { x: 0, y: 0, w: 6, h: 4 }, definition: { source: 'rpt_order', measures: [{ name: 'revenue', fn: 'sum', field: 'amount' }] } }],
    });
    expect(ownerOnly.status, JSON.stringify(ownerOnly.body)).toBe(201);
    // The records have two companies and two departments, but this dashboard offers neither: no query runs for them.
    const r = await f.t.api('GET', `/api/v1/dashboards/${ownerOnly.body.id}/filter-options`);
    expect(r.body.company).toEqual([]);
    expect(r.body.department).toEqual([]);
    expect(r.body.owner.map((o: { id: string }) => o.id).sort()).toEqual([seller, f.t.tenant.adminId].sort());
    expect((await f.t.api('GET', `/api/v1/dashboards/${ownerOnly.body.id}/filter-options?kind=company`)).body.company).toEqual([]);
    // ?kind=: the picker the viewer opened, alone.
    const one = await f.t.api('GET', `/api/v1/dashboards/${kpiDash}/filter-options?kind=department`);
    expect(one.body.company).toEqual([]);
    expect(one.body.owner).toEqual([]);
    expect(one.body.department.map((d: { id: string }) => d.id)).toContain(d2);
    const bad = await f.t.api('GET', `/api/v1/dashboards/${kpiDash}/filter-options?kind=region`);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'BAD_REQUEST', field: 'kind' });
  });

  it('never widens a viewer past their record scope: filters only narrow what they may see', async () => {
    const own = ownRecordsGuard(f.actor(seller)); // sees their own orders only
    expect(await revenue({}, own)).toBe('300.00');
    expect(await revenue({ company: f.t.tenant.companyId }, own)).toBe('300.00'); // not the company's whole total
    expect(await revenue({ department: f.t.tenant.departmentId }, own)).toBe('300.00');
    expect(await revenue({ owner: f.t.tenant.adminId }, own)).toBeNull(); // someone else's records: nothing
    expect(await revenue({ company: c2 }, own)).toBeNull();
    // Their choices hold only what their own records show: themselves, their company — no directory of the tenant.
    const choices = await dashboardFilterOptions(f.ctx(own), kpiDash);
    expect(choices.owner).toEqual([{ id: seller, name: '销售小李' }]);
    expect(choices.company.map((c) => c.id)).toEqual([f.t.tenant.companyId]);
  });
});

describe('widget parameters', () => {
  let paramReport: string;
  beforeAll(async () => {
    const r = await f.t.api('POST', '/api/v1/reports', {
      name: '区域销售额（参数）', definition: {
        source: 'rpt_order', measures: [{ name: 'revenue', fn: 'sum', field: 'amount' }],
        params: [{ name: 'p_region', type: 'text' }, { name: 'p_min', type: 'number' }],
        filter: { and: [{ field: 'customer.region.name', op: 'eq', value: { var: '$param.p_region' } }, { field: 'amount', op: 'gte', value: { var: '$param.p_min' } }] },
      },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    paramReport = r.body.id;
  });
  const widget = (params?: Record<string, unknown>) => ({ id: 'w', chart: 'kpi', layout: { x: 0, y: 0, w: 6, h: 4 }, reportId: paramReport, ...(params ? { params } : {}) });

  it('keeps a widget\'s parameter values with the dashboard and applies them on load', async () => {
    const made = await f.t.api('POST', '/api/v1/dashboards', { name: '参数看板', widgets: [widget({ p_region: '华东' })] });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const figure = async () => (await f.t.api('GET', `/api/v1/dashboards/${made.body.id}/data`)).body.widgets[0].result.rows[0].revenue;
    expect(await figure()).toBe('600.00'); // C's two orders: 200 + 400
    const up = await f.t.api('PATCH', `/api/v1/dashboards/${made.body.id}`, { version: made.body.version, widgets: [widget({ p_region: '华东', p_min: '300' })] });
    expect(up.status, JSON.stringify(up.body)).toBe(200);
    expect(up.body.widgets[0].params).toEqual({ p_region: '华东', p_min: '300' });
    expect(await figure()).toBe('400.00');
  });

  it('refuses a parameter the report does not have, or a value of the wrong type, naming it', async () => {
    const unknown = await f.t.api('POST', '/api/v1/dashboards', { name: 'x', widgets: [widget({ nope: 1 })] });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error).toMatchObject({ code: 'FIELD_INVALID', field: 'widgets.0.params.nope' });
    const wrong = await f.t.api('POST', '/api/v1/dashboards', { name: 'x', widgets: [widget({ p_min: 'abc' })] });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error).toMatchObject({ code: 'FIELD_INVALID', field: 'widgets.0.params.p_min' });
  });
});

describe('what a figure is called and shows', () => {
  it('names a measure by its field (记录数 for a count) and gives its digits, unless the definition labels it', async () => {
    const r = await f.t.api('POST', '/api/v1/reports/run', { definition: { source: 'rpt_order', measures: [
      { name: 'revenue', fn: 'sum', field: 'amount' }, { name: 'n', fn: 'count' },
      { name: 'margin', formula: 'revenue - cost_sum' }, { name: 'cost_sum', fn: 'sum', field: 'cost', label: { zh: '总成本', en: 'Total cost' } },
    ] } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const col = (key: string) => r.body.columns.find((c: { key: string }) => c.key === key);
    expect(col('revenue')).toMatchObject({ label: { zh: '金额' }, scale: 2 });
    expect(col('n')).toMatchObject({ label: { zh: '记录数', en: 'Count' }, scale: 0 });
    expect(col('cost_sum')).toMatchObject({ label: { zh: '总成本', en: 'Total cost' }, scale: 2 });
    expect(col('margin').label).toBeUndefined(); // a formula has no field to be named after
  });

  it('refuses a kpi widget whose measure is not one of its report\'s, naming `measure`', async () => {
    const inline = await f.t.api('POST', '/api/v1/dashboards', { name: 'x', widgets: [{ id: 'k', chart: 'kpi', layout: { x: 0, y: 0, w: 6, h: 4 }, measure: 'profit',
      definition: { source: 'rpt_order', measures: [{ name: 'revenue', fn: 'sum', field: 'amount' }] } }] });
    expect(inline.status).toBe(422);
    expect(inline.body.error).toMatchObject({ code: 'FIELD_INVALID', field: 'widgets.0.measure' });
    expect(inline.body.error.message).toContain('revenue');
    const saved = await f.t.api('POST', '/api/v1/dashboards', { name: 'x', widgets: [{ id: 'k', chart: 'kpi', layout: { x: 0, y: 0, w: 6, h: 4 }, measure: 'nope', reportId }] });
    expect(saved.status).toBe(422);
    expect(saved.body.error).toMatchObject({ code: 'FIELD_INVALID', field: 'widgets.0.measure' });
    const good = await f.t.api('POST', '/api/v1/dashboards', { name: 'x', widgets: [{ id: 'k', chart: 'kpi', layout: { x: 0, y: 0, w: 6, h: 4 }, measure: 'revenue', reportId }] });
    expect(good.status, JSON.stringify(good.body)).toBe(201);
    expect(good.body.widgets[0].measure).toBe('revenue');
  });
});

describe('the cockpit', () => {
  it('headlines each kpi and gauge with the figure its title promises, not a helper measure', () => {
    const headline = Object.fromEntries(COCKPIT_WIDGETS.filter((c) => ['kpi', 'gauge'].includes(c.widget.chart))
      .map((c) => [c.widget.id, c.widget.measure ?? c.widget.definition!.measures[0].name]));
    expect(headline).toMatchObject({ gross_profit_month: 'gross_profit', receivables_open: 'receivables', on_time_delivery: 'rate', sla: 'attainment', revenue_month: 'revenue' });
    // Every measure the cockpit shows is labelled (a kpi or gauge with a headline shows only that one): no API name reaches the screen.
    for (const c of COCKPIT_WIDGETS) {
      for (const m of c.widget.definition!.measures.filter((x) => !c.widget.measure || x.name === c.widget.measure)) expect(m.label, `${c.widget.id}.${m.name}`).toBeTruthy();
    }
  });


  it('shows the widgets whose modules are installed, each one running', async () => {
    const cockpit = await installCockpit(f.ctx());
    const objects = await f.t.store.objects(f.t.tenant.tenantId);
    expect(cockpit.widgets.map((w) => w.id)).toEqual(cockpitWidgets(objects).map((w) => w.id));
    // Every module the cockpit reads is installed now (CRM, service desk, projects, HR): every widget shows.
    expect(cockpit.widgets.map((w) => w.id)).toEqual(COCKPIT_WIDGETS.map((c) => c.widget.id));
    const data = await f.t.api('GET', `/api/v1/dashboards/${cockpit.id}/data`);
    expect(data.status, JSON.stringify(data.body)).toBe(200);
    for (const w of data.body.widgets) expect(w, JSON.stringify(w)).toMatchObject({ ok: true });
    expect((await installCockpit(f.ctx())).id).toBe(cockpit.id); // installing again refreshes it in place
  });

  it('brings an installed cockpit\'s built-in widgets up to date on install, keeping its layout and what an admin added', async () => {
    const cockpit = await installCockpit(f.ctx());
    // A cockpit installed by older code: 本月毛利 without its headline measure, moved by the admin, beside a widget of their own.
    const stale = cockpit.widgets.map((w) => (w.id === 'gross_profit_month' ? { ...w, measure: undefined, title: '旧标题', layout: { ...w.layout, y: 40 } } : w));
    const own = { id: 'mine', chart: 'kpi' as const, layout: { x: 0, y: 60, w: 6, h: 4 }, reportId };
    await inTenantTx(f.t.testDb.db.app, { tenantId: f.t.tenant.tenantId }, (tx) =>
      sql`UPDATE dashboard SET widgets = ${JSON.stringify([...stale, own])}::jsonb WHERE id = ${cockpit.id}`.execute(tx));
    expect(await refreshCockpit(f.t.testDb.db, f.t.store, f.t.tenant.tenantId)).toBe(true);
    const after = (await f.t.api('GET', `/api/v1/dashboards/${cockpit.id}`)).body;
    const gp = after.widgets.find((w: { id: string }) => w.id === 'gross_profit_month');
    expect(gp).toMatchObject({ measure: 'gross_profit', title: { zh: '本月毛利' }, layout: { y: 40 } });
    expect(after.widgets.find((w: { id: string }) => w.id === 'mine')).toMatchObject(own);
    expect(after.version).toBeGreaterThan(cockpit.version);
    expect(await refreshCockpit(f.t.testDb.db, f.t.store, f.t.tenant.tenantId)).toBe(false); // current: nothing written
  });

  it('counts the people employed as headcount, not those who left', async () => {
    const cockpit = await installCockpit(f.ctx());
    const headcount = async () => {
      const data = await f.t.api('GET', `/api/v1/dashboards/${cockpit.id}/data`);
      return data.body.widgets.find((w: { id: string }) => w.id === 'headcount').result.rows[0].headcount as number;
    };
    const before = await headcount();
    for (const [no, status] of [['HC-1', 'active'], ['HC-2', 'left']]) {
      const r = await f.t.api('POST', '/api/v1/records/employee', { employee_no: no, name: no, hire_date: '2026-01-05', employment_status: status });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    }
    expect(await headcount()).toBe(before + 1);
  });
});
