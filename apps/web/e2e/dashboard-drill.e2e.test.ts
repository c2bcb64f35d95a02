import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { launchBrowser, logIn } from './browser.ts';
import { startMosaic, type Mosaic } from './server.ts';
import { pickOption, screenshotOnFailure, textOf, toast } from './ui.ts';

/**
 * Issue 6 in the browser: build "sales by province by month" in the report
 * builder, put it on a dashboard as a bar chart beside a KPI, set the
 * dashboard's date range and see the figures change, then click a bar and land
 * on the records behind it.
 */
let mosaic: Mosaic;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
const errors: string[] = [];

const SALES: [string, string, string, number][] = [
  ['GD-1', 'gd', '2026-01-10', 100], ['GD-2', 'gd', '2026-02-05', 200], ['GD-0', 'gd', '2025-12-20', 1000],
  ['ZJ-1', 'zj', '2026-01-15', 50], ['ZJ-0', 'zj', '2025-11-11', 500],
];

beforeAll(async () => {
  mosaic = await startMosaic();
  const obj = await mosaic.api('POST', '/api/v1/meta/objects', {
    apiName: 'sale', label: { zh: '销售单', en: 'Sale' }, module: 'custom',
    fields: [
      { apiName: 'name', type: 'text', label: { zh: '单号', en: 'No.' } },
      { apiName: 'province', type: 'single_select', label: { zh: '省份', en: 'Province' },
        config: { options: [{ value: 'gd', label: { zh: '广东', en: 'Guangdong' } }, { value: 'zj', label: { zh: '浙江', en: 'Zhejiang' } }] } },
      { apiName: 'order_date', type: 'date', label: { zh: '日期', en: 'Date' } },
      { apiName: 'amount', type: 'decimal', label: { zh: '金额', en: 'Amount' }, config: { scale: 2 } },
    ],
  });
  expect(obj.status, JSON.stringify(obj.body)).toBe(201);
  const records = SALES.map(([name, province, order_date, amount]) => ({ name, province, order_date, amount }));
  expect((await mosaic.api('POST', '/api/v1/records/sale/bulk', { records })).status).toBe(201);
  browser = await launchBrowser();
  page = browser.page;
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (e) => errors.push(e.message));
  await logIn(page, mosaic, '/reports');
});

afterAll(async () => {
  await browser?.close();
  await mosaic?.stop();
});

screenshotOnFailure('dashboard-drill', () => page);

const widget = (title: string) => page.getByTestId('widget').filter({ hasText: title });

describe('from a report to the records behind a figure', () => {
  test('builds sales by province by month', async () => {
    await page.getByTestId('new-report').click();
    await page.waitForURL(/\/reports\/new$/);
    await pickOption(page, page.getByTestId('report-object'), '销售单');
    await pickOption(page, page.getByTestId('report-dimensions'), '省份');
    // The dropdown stays open: search on for the date, which groups by month by default.
    await page.keyboard.type('日期');
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: '日期' }).click();
    await page.keyboard.press('Escape');
    await page.getByTestId('add-measure').click(); // the sum of the first number field: 金额
    await page.getByTestId('report-measure').first().locator('.anticon-minus-circle').click(); // no count, only the sum
    const table = page.getByTestId('report-table');
    await expect.poll(() => textOf(table)).toMatch(/广东\s*2026-02\s*200\.00/);
    const text = await textOf(table);
    expect(text).toMatch(/广东\s*合计\s*1,300/);
    expect(text).toMatch(/合计\s*合计\s*1,850/);
    await page.getByTestId('save-report').click();
    await page.fill('#save-report_name', '各省月度销售');
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    await toast(page, '报表已保存');
    await page.waitForURL(/\/reports\/[0-9a-f-]{36}$/);
  });

  test('puts it on a dashboard as a chart and a KPI; the date range changes the figures', async () => {
    await page.goto(mosaic.base + '/dashboards');
    await page.getByTestId('new-dashboard').click();
    await page.fill('#dashboard_name', '销售看板');
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    await page.waitForURL(/\/dashboards\/[0-9a-f-]{36}$/);
    for (const [chart, title] of [['柱状图', '各省销售图'], ['指标卡', '销售额']]) {
      await page.getByTestId('add-widget').click();
      await pickOption(page, page.getByTestId('widget-report'), '各省月度销售');
      await pickOption(page, page.getByTestId('widget-chart'), chart, '');
      await page.fill('#widget_title', title);
      await page.locator('.ant-modal-footer .ant-btn-primary').click();
      await widget(title).waitFor();
    }
    await expect.poll(() => textOf(widget('销售额').getByTestId('kpi'))).toContain('1,850');
    const points = async () => JSON.parse((await widget('各省销售图').getByTestId('chart').getAttribute('data-points')) ?? '[]') as { label: string; x: number; y: number }[];
    await expect.poll(async () => (await points()).length).toBe(5);

    // January 2026 only.
    const range = page.getByTestId('dashboard-range').locator('input');
    await range.first().click();
    await range.first().fill('2026-01-01');
    await page.keyboard.press('Enter');
    await range.nth(1).fill('2026-01-31');
    await page.keyboard.press('Enter');
    await page.waitForURL(/from=2026-01-01&to=2026-01-31/);
    await expect.poll(() => textOf(widget('销售额').getByTestId('kpi'))).toContain('150');
    await expect.poll(async () => (await points()).map((p) => p.label)).toEqual(['广东 / 2026-01', '浙江 / 2026-01']);
  });

  test('clicking a bar opens the records behind it', async () => {
    const chart = widget('各省销售图').getByTestId('chart');
    const gd = (JSON.parse((await chart.getAttribute('data-points'))!) as { label: string; x: number; y: number }[]).find((p) => p.label.startsWith('广东'))!;
    await chart.click({ position: { x: gd.x, y: gd.y } });
    await page.waitForURL(/\/o\/sale\?drill=/);
    await page.getByTestId('drill-banner').waitFor();
    const rows = page.locator('.ant-table-tbody tr.ant-table-row');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await textOf(rows.first())).toContain('GD-1');
    // Clearing the drill-down shows the whole list again.
    await page.getByTestId('drill-clear').click();
    await expect.poll(() => rows.count()).toBe(5);
    expect(errors).toEqual([]);
  });
});

describe('the report builder and the role editor', () => {
  test('a pivot (省份 × 月) with a parameter the viewer fills in', async () => {
    await page.goto(mosaic.base + '/reports/new');
    await pickOption(page, page.getByTestId('report-object'), '销售单');
    await pickOption(page, page.getByTestId('report-dimensions'), '省份');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').count()).toBe(0); // closed, not closing
    await pickOption(page, page.getByTestId('report-columns'), '日期');
    await page.keyboard.press('Escape');
    await page.getByTestId('add-measure').click();
    await page.getByTestId('report-measure').first().locator('.anticon-minus-circle').click();
    const pivot = page.getByTestId('pivot-table');
    // Columns are the months, then the total; each province's row ends with its total (金额 at its scale, 2).
    const cells = (row: ReturnType<Page['locator']>) => row.locator('td').allTextContents();
    await expect.poll(async () => (await pivot.locator('thead th').allTextContents()).filter(Boolean)).toEqual(['省份', '2025-11', '2025-12', '2026-01', '2026-02', '合计']);
    await expect.poll(() => cells(pivot.locator('tbody tr', { hasText: '广东' }))).toEqual(['广东', '', '1,000.00', '100.00', '200.00', '1,300.00']);
    expect(await cells(pivot.locator('tbody tr', { hasText: '合计' }).last())).toEqual(['合计', '500.00', '1,000.00', '150.00', '200.00', '1,850.00']);

    // A parameter: 省份 in (the viewer picks).
    await page.getByTestId('add-param').click();
    await pickOption(page, page.getByTestId('param-field'), '省份');
    await pickOption(page, page.getByTestId('param-p_province').locator('.ant-select'), '浙江', '');
    await expect.poll(() => pivot.locator('tbody tr', { hasText: '广东' }).count()).toBe(0);
    await expect.poll(() => cells(pivot.locator('tbody tr', { hasText: '合计' }).last())).toEqual(['合计', '500.00', '50.00', '550.00']); // the table may be re-rendering
    await page.getByTestId('save-report').click();
    await page.fill('#save-report_name', '省份月度透视');
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    await toast(page, '报表已保存');
    const saved = (await mosaic.api('GET', '/api/v1/reports')).body.data.find((r: any) => r.name === '省份月度透视');
    expect(saved.definition).toMatchObject({
      columns: [{ field: 'order_date', bucket: 'month' }],
      params: [{ name: 'p_province', type: 'list' }],
      filter: { field: 'province', op: 'in', value: { var: '$param.p_province' } },
    });
    // The saved report answers per viewer's value.
    const run = await mosaic.api('GET', `/api/v1/reports/${saved.id}/run?p_province=gd`);
    expect(run.body.rows.filter((r: any) => !r.$totals?.length).map((r: any) => r.province)).toEqual(['gd', 'gd', 'gd']);
  });

  test('a role whose read scope is a custom filter sees only the records matching it', async () => {
    const role = await mosaic.api('POST', '/api/v1/admin/roles', { code: 'gd_sales', label: { zh: '广东销售' } });
    await page.goto(`${mosaic.base}/settings/roles/${role.body.id}`);
    await page.getByTestId('permission-matrix').waitFor();
    // The matrix lists every object (well over a hundred): search it down to 销售单, then pick from its native select.
    await page.getByTestId('perm-search').fill('销售单');
    await expect.poll(() => page.getByTestId('permission-matrix').locator('tbody tr.ant-table-row').count()).toBeLessThan(5);
    await page.getByTestId('perm-sale-read').selectOption('filter');
    await page.getByTestId('perm-filter-sale-read').click();
    const editor = page.getByTestId('scope-filter');
    await editor.getByTestId('add-filter').click();
    await pickOption(page, page.getByTestId('condition-editor').getByTestId('filter-field'), '省份', '省份', { inModal: true });
    await pickOption(page, page.getByTestId('condition-editor').locator('.ant-select').nth(2), '广东', '', { inModal: true });
    await page.getByTestId('filter-apply').dispatchEvent('click'); // the option list may cover the button
    await expect.poll(() => textOf(editor.getByTestId('filter-chip'))).toContain('广东');
    await page.getByTestId('scope-filter-ok').click();
    await page.getByTestId('save-role').click();
    await toast(page, '权限已保存');
    const perms = (await mosaic.api('GET', `/api/v1/admin/roles/${role.body.id}`)).body.permissions;
    expect(perms).toHaveLength(1);
    expect(perms[0]).toMatchObject({ object: 'sale', action: 'read', scope: 'filter' });
    expect(JSON.stringify(perms[0].filter)).toMatch(/"province".*"gd"/);

    const pw = 'Gd-Sales-Pw-2026!';
    expect((await mosaic.api('POST', '/api/v1/admin/users', { email: 'gd@e2e.local', name: '广东销售小陈', password: pw, roleIds: [role.body.id] })).status).toBe(201);
    const login = await fetch(`${mosaic.base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'gd@e2e.local', password: pw }) });
    const token = (await login.json()).token;
    const list = await fetch(`${mosaic.base}/api/v1/records/sale?sort=name`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await list.json()).data as { name: string }[]).map((r) => r.name)).toEqual(['GD-0', 'GD-1', 'GD-2']);
    expect(errors).toEqual([]);
  });
});

describe('dashboard filters and widget parameters', () => {
  // By the exact title: 销售额 is also part of 参数销售额.
  const kpi = async (title: string) => (await textOf(page.locator(`[data-testid="widget"][data-title="${title}"] .ant-statistic-content`))).replace(/\.00$/, '');
  const dashboardUrl = async () => `${mosaic.base}/dashboards/${(await mosaic.api('GET', '/api/v1/dashboards')).body.data.find((d: any) => d.name === '销售看板').id}`;

  test('the dashboard offers an owner filter; picking an owner narrows the figures to their records', async () => {
    // A second seller, with one sale of their own.
    const rep = await mosaic.api('POST', '/api/v1/admin/roles', { code: 'sale_rep', label: { zh: '销售员' } });
    await mosaic.api('PUT', `/api/v1/admin/roles/${rep.body.id}/permissions`, { permissions: ['read', 'create'].map((action) => ({ object: 'sale', action, scope: 'own' })) });
    const pw = 'Sale-Rep-Pw-2026!';
    expect((await mosaic.api('POST', '/api/v1/admin/users', { email: 'xiao@e2e.local', name: '销售员小王', password: pw, roleIds: [rep.body.id] })).status).toBe(201);
    const login = await fetch(`${mosaic.base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'xiao@e2e.local', password: pw }) });
    const token = (await login.json()).token;
    const sale = await fetch(`${mosaic.base}/api/v1/records/sale`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ name: 'ZJ-2', province: 'zj', order_date: '2026-01-20', amount: 30 }),
    });
    expect(sale.status).toBe(201);

    const optionCalls: string[] = [];
    page.on('request', (r) => { if (r.url().includes('/filter-options')) optionCalls.push(new URL(r.url()).search); });
    await page.goto(await dashboardUrl());
    await expect.poll(() => kpi('销售额')).toBe('1,880');
    expect(await page.getByTestId('dashboard-filter-owner').count()).toBe(0); // not offered yet
    await page.getByTestId('dashboard-edit').click();
    await page.getByTestId('dashboard-filter-kinds').getByText('负责人').click();
    await page.getByTestId('dashboard-filter-owner').waitFor();
    expect(optionCalls).toEqual([]); // the choices are asked for when the picker opens, not with the page
    await pickOption(page, page.getByTestId('dashboard-filter-owner'), '销售员小王', '小王');
    expect(optionCalls).toEqual(['?kind=owner']); // one kind, once
    await page.waitForURL(/owner=[0-9a-f-]{36}/);
    await expect.poll(() => kpi('销售额')).toBe('30');
    const saved = (await mosaic.api('GET', '/api/v1/dashboards')).body.data.find((d: any) => d.name === '销售看板');
    expect(saved.globalFilters).toEqual(['date', 'owner']);
  });

  test('a widget\'s report parameter, set in edit mode, changes its figure and is kept with the dashboard', async () => {
    const report = await mosaic.api('POST', '/api/v1/reports', {
      name: '省份销售额', definition: {
        source: 'sale', measures: [{ name: 'revenue', fn: 'sum', field: 'amount' }],
        params: [{ name: 'p_province', type: 'list', label: { zh: '省份', en: 'Province' } }],
        filter: { field: 'province', op: 'in', value: { var: '$param.p_province' } },
      },
    });
    expect(report.status, JSON.stringify(report.body)).toBe(201);
    await page.goto(await dashboardUrl()); // without the owner filter
    await page.getByTestId('add-widget').click();
    await pickOption(page, page.getByTestId('widget-report'), '省份销售额');
    await pickOption(page, page.getByTestId('widget-chart'), '指标卡', '');
    await page.fill('#widget_title', '参数销售额');
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    await expect.poll(() => kpi('参数销售额')).toBe('1,880'); // no value: every province

    await page.getByTestId('dashboard-edit').click();
    await page.locator('[data-testid="widget"][data-title="参数销售额"]').getByTestId('widget-params-edit').click();
    await pickOption(page, page.getByTestId('widget-param-p_province').locator('.ant-select'), '浙江', '');
    await page.locator('.ant-modal-title').click(); // closes the option list
    await page.getByTestId('widget-params-ok').click();
    await expect.poll(() => kpi('参数销售额')).toBe('580'); // 50 + 500 + 30
    expect(await kpi('销售额')).toBe('1,880'); // the other widget keeps its own

    await page.reload();
    await expect.poll(() => kpi('参数销售额')).toBe('580');
    const dash = (await mosaic.api('GET', '/api/v1/dashboards')).body.data.find((d: any) => d.name === '销售看板');
    expect(dash.widgets.find((w: any) => w.title === '参数销售额').params).toEqual({ p_province: ['zj'] });
    expect(errors).toEqual([]);
  });

  test('a refused save keeps the parameters dialog open with the server\'s reason', async () => {
    await page.goto(await dashboardUrl());
    await page.getByTestId('dashboard-edit').click();
    await page.locator('[data-testid="widget"][data-title="参数销售额"]').getByTestId('widget-params-edit').click();
    await page.getByTestId('widget-params').waitFor();
    // Someone else saves the dashboard meanwhile: this page's version is now stale.
    const dash = (await mosaic.api('GET', '/api/v1/dashboards')).body.data.find((d: any) => d.name === '销售看板');
    expect((await mosaic.api('PATCH', `/api/v1/dashboards/${dash.id}`, { version: dash.version, description: '别人改过' })).status).toBe(200);
    await pickOption(page, page.getByTestId('widget-param-p_province').locator('.ant-select'), '广东', '');
    await page.locator('.ant-modal-title').click();
    await page.getByTestId('widget-params-ok').click();
    await expect.poll(() => textOf(page.getByTestId('widget-params-error'))).toContain('记录已被他人修改');
    expect(await textOf(page.getByTestId('widget-params-error'))).toContain('The dashboard was changed by someone else');
    expect(await page.getByTestId('widget-params').isVisible()).toBe(true); // still open, the choice still there
    expect(await textOf(page.getByTestId('widget-param-p_province'))).toContain('广东');
    const after = (await mosaic.api('GET', '/api/v1/dashboards')).body.data.find((d: any) => d.name === '销售看板');
    expect(after.widgets.find((w: any) => w.title === '参数销售额').params).toEqual({ p_province: ['zj'] });
    await page.keyboard.press('Escape');
    expect(errors).toEqual([]);
  });
});

describe('every chart type a widget may have', () => {
  test('offers all thirteen and draws each as itself, the map by province', async () => {
    const dash = await mosaic.api('POST', '/api/v1/dashboards', { name: '图表看板', widgets: [] });
    expect(dash.status, JSON.stringify(dash.body)).toBe(201);
    await page.goto(`${mosaic.base}/dashboards/${dash.body.id}`);
    await page.getByTestId('add-widget').click();
    await page.getByTestId('widget-chart').click();
    const options = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option');
    await expect.poll(() => options.allTextContents()).toEqual(['柱状图', '堆叠柱状图', '折线图', '面积图', '饼图', '环形图', '漏斗图', '仪表盘图', '散点图', '中国地图（按省份）', '指标卡', '表格', '透视表']);
    await page.keyboard.press('Escape');
    await page.locator('.ant-modal-footer .ant-btn:not(.ant-btn-primary)').click();

    const kinds: [string, string][] = [['堆叠柱状图', 'stacked_bar'], ['面积图', 'area'], ['散点图', 'scatter'], ['仪表盘图', 'gauge'], ['环形图', 'donut'], ['中国地图', 'map_china']];
    for (const [label, kind] of kinds) {
      await page.getByTestId('add-widget').click();
      await pickOption(page, page.getByTestId('widget-report'), '各省月度销售');
      await pickOption(page, page.getByTestId('widget-chart'), label, '', { inModal: true }); // the lower options sit at the modal's edge
      await page.fill('#widget_title', `图-${kind}`);
      await page.locator('.ant-modal-footer .ant-btn-primary').click();
      const chart = widget(`图-${kind}`).getByTestId('chart');
      await expect.poll(() => chart.getAttribute('data-kind')).toBe(kind);
    }
    // Stacked by month within each province: one bar per province, not one per province and month.
    const stacked = widget('图-stacked_bar').getByTestId('chart');
    await expect.poll(async () => (JSON.parse((await stacked.getAttribute('data-points')) ?? '[]') as { label: string }[]).map((p) => p.label)).toEqual(['广东', '浙江']);
    // The map loads its provinces and places both (广东, 浙江): nothing left off it.
    await expect.poll(() => widget('图-map_china').getByTestId('chart').getAttribute('data-ready')).toBe('yes');
    expect(await widget('图-map_china').getByTestId('map-unplaced').count()).toBe(0);
    const saved = (await mosaic.api('GET', `/api/v1/dashboards/${dash.body.id}`)).body;
    expect(saved.widgets.map((w: any) => w.chart)).toEqual(kinds.map(([, k]) => k));
    expect(errors).toEqual([]);
  });
});

describe('money in two currencies', () => {
  test('a table shows a mixed cell per currency with 混合币种, a one-currency cell in its currency; a chart says it cannot draw them', async () => {
    const obj = await mosaic.api('POST', '/api/v1/meta/objects', {
      apiName: 'ccy_deal', label: { zh: '外币商机', en: 'FX deal' }, module: 'custom',
      fields: [{ apiName: 'region', type: 'text', label: { zh: '区域', en: 'Region' } }, { apiName: 'amount', type: 'money', label: { zh: '金额', en: 'Amount' } }],
    });
    expect(obj.status, JSON.stringify(obj.body)).toBe(201);
    const records = [['华南', '100000.00', 'CNY'], ['华南', '20000.00', 'USD'], ['华东', '3000.00', 'CNY']].map(([region, amount, currency]) => ({ region, amount: { amount, currency } }));
    expect((await mosaic.api('POST', '/api/v1/records/ccy_deal/bulk', { records })).status).toBe(201);
    const definition = { source: 'ccy_deal', rows: [{ field: 'region' }], measures: [{ name: 'total', fn: 'sum', field: 'amount', label: '金额合计' }] };
    const dash = await mosaic.api('POST', '/api/v1/dashboards', { name: '外币看板', widgets: [
      { id: 'ccy_table', title: '外币表', chart: 'table', layout: { x: 0, y: 0, w: 12, h: 8 }, definition },
      { id: 'ccy_bar', title: '外币柱', chart: 'bar', layout: { x: 12, y: 0, w: 12, h: 8 }, definition },
    ] });
    expect(dash.status, JSON.stringify(dash.body)).toBe(201);
    await page.goto(`${mosaic.base}/dashboards/${dash.body.id}`);
    const table = widget('外币表').getByTestId('report-table');
    await expect.poll(() => textOf(table)).toMatch(/华东\s*¥3,000\.00/);
    const text = await textOf(table);
    expect(text).toMatch(/华南\s*¥100,000\.00 · (US)?\$20,000\.00\s*混合币种/);
    expect(text).not.toContain('120,000');
    await expect.poll(() => widget('外币柱').getByTestId('chart-mixed').count()).toBe(1);
    expect(await widget('外币柱').getByTestId('chart').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
