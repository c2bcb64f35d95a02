import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { launchBrowser, logIn } from './browser.ts';
import { startMosaic, type Mosaic } from './server.ts';
import { pickOption, screenshotOnFailure, textOf, toast } from './ui.ts';

/**
 * Issue 4, the administrator's side on one server: departments, a role with
 * object and field rights, inviting a user into it and deactivating them;
 * then reports, dashboards and automation rules; attachments on a form.
 */
let mosaic: Mosaic;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
const errors: string[] = [];

beforeAll(async () => {
  mosaic = await startMosaic();
  const deal = await mosaic.api('POST', '/api/v1/meta/objects', {
    apiName: 'deal', label: { zh: '商机', en: 'Deal' }, module: 'custom',
    fields: [
      { apiName: 'name', type: 'text', label: { zh: '名称', en: 'Name' }, required: true },
      { apiName: 'stage', type: 'single_select', label: { zh: '阶段', en: 'Stage' },
        config: { options: [{ value: 'lead', label: { zh: '线索', en: 'Lead' } }, { value: 'won', label: { zh: '赢单', en: 'Won' } }] } },
      { apiName: 'amount', type: 'money', label: { zh: '金额', en: 'Amount' } },
      { apiName: 'files', type: 'attachment', label: { zh: '附件', en: 'Files' } },
    ],
  });
  expect(deal.status, JSON.stringify(deal.body)).toBe(201);
  const records = [['甲', 'lead', '1000'], ['乙', 'won', '2500'], ['丙', 'won', '4000']].map(([name, stage, amount]) => ({ name, stage, amount: { amount, currency: 'CNY' } }));
  expect((await mosaic.api('POST', '/api/v1/records/deal/bulk', { records })).status).toBe(201);
  browser = await launchBrowser();
  page = browser.page;
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (e) => errors.push(e.message));
  await logIn(page, mosaic, '/settings/departments');
});

afterAll(async () => {
  await browser?.close();
  await mosaic?.stop();
});

screenshotOnFailure('admin', () => page);

const login = async (email: string, password: string) => {
  const r = await fetch(`${mosaic.base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  return { status: r.status, token: ((await r.json()) as { token?: string }).token ?? '' };
};
const getAs = async (token: string, url: string) => {
  const r = await fetch(mosaic.base + url, { headers: { authorization: `Bearer ${token}` } });
  return { status: r.status, body: await r.json().catch(() => null) };
};

describe('settings', () => {
  test('adds a sub-department in the tree', async () => {
    const root = page.getByTestId('department').first();
    await root.waitFor();
    const rootName = (await root.getAttribute('data-name'))!;
    await root.getByTestId('add-child').click();
    await page.fill('#department_name', '华南销售组');
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    await page.locator('[data-testid=department][data-name=华南销售组]').waitFor();
    const depts = (await mosaic.api('GET', '/api/v1/admin/departments')).body.data;
    const child = depts.find((d: any) => d.name === '华南销售组');
    expect(depts.find((d: any) => d.id === child.parentId).name).toBe(rootName);
  });

  test('creates a role that reads every deal but not its amount', async () => {
    await page.goto(mosaic.base + '/settings/roles');
    await page.getByTestId('new-role').click();
    await page.fill('#new-role_zh', '销售助理');
    await page.fill('#new-role_code', 'sales_assistant');
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    await page.waitForURL(/\/settings\/roles\/[0-9a-f-]{36}$/);
    await expect.poll(() => textOf(page.locator('h5'))).toContain('销售助理'); // the new role's editor, not the first role's
    await page.getByTestId('perm-deal-read').selectOption({ label: '全部' });
    await page.getByRole('tab', { name: '字段权限' }).click();
    await pickOption(page, page.getByTestId('rule-object'), '商机');
    await page.getByTestId('rule-amount').getByText('隐藏').click();
    await page.getByTestId('save-role').click();
    await toast(page, '权限已保存');
    const role = (await mosaic.api('GET', '/api/v1/admin/roles')).body.data.find((r: any) => r.code === 'sales_assistant');
    expect(role.permissions).toEqual([{ object: 'deal', action: 'read', scope: 'all' }]);
    expect(role.fieldRules).toEqual([{ object: 'deal', field: 'amount', rule: 'hidden' }]);
  });

  test('invites a user into the role and department, then deactivates them', async () => {
    await page.goto(mosaic.base + '/settings/users');
    await page.getByTestId('invite-user').click();
    await page.fill('#invite_email', 'zhou@e2e.local');
    await page.fill('#invite_name', '周助理');
    await page.getByTestId('invite-department').click();
    await page.locator('.ant-select-tree-title', { hasText: '华南销售组' }).click();
    await pickOption(page, page.getByTestId('invite-roles'), '销售助理');
    await page.locator('.ant-modal-title').click(); // a multi-select stays open after a pick: click elsewhere
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    const password = await textOf(page.getByTestId('initial-password'));
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    const zhou = await login('zhou@e2e.local', password);
    expect(zhou.status).toBe(200);
    const deals = await getAs(zhou.token, '/api/v1/records/deal?sort=name');
    expect(deals.status).toBe(200);
    expect(deals.body.data).toHaveLength(3);
    expect(deals.body.data[0]).not.toHaveProperty('amount'); // the field rule holds
    const row = page.getByTestId('users').locator('tr', { hasText: '周助理' });
    expect(await textOf(row)).toContain('销售助理');
    await row.getByTestId('deactivate-user').click();
    await page.locator('.ant-popconfirm .ant-btn-primary').click();
    await toast(page, '已停用');
    await expect.poll(() => textOf(row)).toContain('已停用');
    expect((await getAs(zhou.token, '/api/v1/records/deal')).status).toBe(401); // out at once
  });
});

describe('reports, dashboards and rules', () => {
  test('builds a report: amount by stage, as a table and a chart', async () => {
    await page.goto(mosaic.base + '/reports');
    await page.getByTestId('new-report').click();
    await page.waitForURL(/\/reports\/new$/);
    await pickOption(page, page.getByTestId('report-object'), '商机');
    await pickOption(page, page.getByTestId('report-dimensions'), '阶段');
    await page.keyboard.press('Escape');
    await page.getByTestId('add-measure').click(); // sum of the first money field: 金额
    const table = page.getByTestId('report-table');
    await expect.poll(() => textOf(table)).toContain('赢单');
    const text = await textOf(table);
    expect(text).toMatch(/线索\s*1\s*¥1,000\.00/);
    expect(text).toMatch(/赢单\s*2\s*¥6,500\.00/);
    expect(text).toMatch(/合计\s*3\s*¥7,500\.00/);
    await page.getByTestId('report-display').getByText('柱状图').click();
    await page.getByTestId('chart').locator('canvas').waitFor();
    await page.getByTestId('save-report').click();
    await page.fill('#save-report_name', '各阶段金额');
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    await toast(page, '报表已保存');
    await page.waitForURL(/\/reports\/[0-9a-f-]{36}$/);
    const saved = (await mosaic.api('GET', '/api/v1/reports')).body.data;
    // Besides the reports modules install (e.g. 项目预算执行, the projects module's alert report): the one just saved.
    expect(saved.filter((r: any) => r.name === '各阶段金额').map((r: any) => [r.name, r.definition.rows])).toEqual([['各阶段金额', [{ field: 'stage' }]]]);
  });

  test('puts it on a dashboard that refreshes when a deal is added', async () => {
    await page.goto(mosaic.base + '/dashboards');
    await page.getByTestId('new-dashboard').click();
    await page.fill('#dashboard_name', '销售看板');
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    await page.waitForURL(/\/dashboards\/[0-9a-f-]{36}$/);
    await page.getByTestId('add-widget').click();
    await pickOption(page, page.getByTestId('widget-report'), '各阶段金额');
    await pickOption(page, page.getByTestId('widget-chart'), '表格', '');
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    const widget = page.getByTestId('widget').filter({ hasText: '各阶段金额' });
    await expect.poll(() => textOf(widget)).toMatch(/赢单\s*2\s*¥6,500\.00/);
    expect((await mosaic.api('POST', '/api/v1/records/deal', { name: '丁', stage: 'won', amount: { amount: '1000', currency: 'CNY' } })).status).toBe(201);
    // No reload: the dashboard's event stream reports a new data version.
    await expect.poll(() => textOf(widget), { timeout: 20_000 }).toMatch(/赢单\s*3\s*¥7,500\.00/);
  });

  test('writes an automation rule that notifies the owner of big won deals', async () => {
    await page.goto(mosaic.base + '/settings/automation');
    await page.getByTestId('new-rule').click();
    await page.fill('#rule_name', '大单提醒');
    await pickOption(page, page.getByTestId('rule-object'), '商机');
    await page.fill('#rule_condition', 'stage = "won"');
    await page.getByTestId('notify-title').fill('赢单啦：{{name}}');
    await page.getByTestId('save-rule').click();
    const row = page.getByTestId('rules').locator('tr', { hasText: '大单提醒' });
    await row.waitFor();
    expect(await textOf(row)).toContain('新建记录后');
    expect(await textOf(row)).toContain('通知负责人');
    for (const [name, stage] of [['戊', 'lead'], ['己', 'won']]) expect((await mosaic.api('POST', '/api/v1/records/deal', { name, stage })).status).toBe(201);
    await expect.poll(async () => (await mosaic.api('GET', '/api/v1/notifications')).body.data.map((n: any) => n.title), { timeout: 30_000 }).toEqual(['赢单啦：己']);
    // A condition that does not parse is refused, on the field.
    await row.getByText('大单提醒').click();
    await page.fill('#rule_condition', 'stage = (');
    await page.getByTestId('save-rule').click();
    await expect.poll(() => page.locator('#rule_condition_help, .ant-form-item-explain-error').count()).toBeGreaterThan(0);
    await page.keyboard.press('Escape');
    expect(errors).toEqual([]);
  });

  test('splits a money sum by currency: 金额币种 as a dimension, never yuan and dollars added', async () => {
    expect((await mosaic.api('POST', '/api/v1/records/deal', { name: '庚', stage: 'won', amount: { amount: '300', currency: 'USD' } })).status).toBe(201);
    await page.goto(mosaic.base + '/reports/new');
    await pickOption(page, page.getByTestId('report-object'), '商机');
    await pickOption(page, page.getByTestId('report-dimensions'), '金额币种');
    await page.keyboard.press('Escape');
    await page.getByTestId('add-measure').click(); // sum of 金额
    const table = page.getByTestId('report-table');
    await expect.poll(() => textOf(table)).toContain('USD');
    const text = await textOf(table);
    expect(text).toMatch(/CNY\s*4\s*¥8,500\.00/); // 1,000 + 2,500 + 4,000 + 1,000 (丁), 戊 and 己 have no amount
    expect(text).toMatch(/USD\s*1\s*US\$300\.00/);
  });
});

describe('the form', () => {
  test('uploads an attachment with progress, saves it, downloads it from the record page', async () => {
    const file = path.join(os.tmpdir(), `合同-${process.pid}.txt`);
    fs.writeFileSync(file, '甲方：广东星河五金\n'.repeat(20_000)); // ~0.5 MB: the progress bar has something to show
    await page.goto(mosaic.base + '/o/deal?sort=name');
    await page.getByTestId('record-title').filter({ hasText: '甲' }).click();
    await page.waitForURL(/\/o\/deal\/[0-9a-f-]{36}$/);
    await page.getByTestId('edit-record').click();
    await page.getByTestId('attachment-input').locator('input[type=file]').setInputFiles(file);
    await expect.poll(() => page.locator('.ant-upload-list-item-done', { hasText: path.basename(file) }).count(), { timeout: 20_000 }).toBe(1);
    await page.getByTestId('save-record').click();
    await toast(page, '已保存');
    const link = page.getByTestId('attachment-link').filter({ hasText: path.basename(file) });
    await link.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const saved = path.join(os.tmpdir(), `dl-${process.pid}.txt`);
    await download.saveAs(saved);
    expect(fs.readFileSync(saved, 'utf8')).toBe(fs.readFileSync(file, 'utf8'));
    // Editing again shows the file by name, and removing it saves an empty list.
    await page.getByTestId('edit-record').click();
    const item = page.locator('.ant-upload-list-item', { hasText: path.basename(file) });
    await item.waitFor();
    await item.hover();
    await item.locator('button, .anticon-delete').first().click();
    await page.getByTestId('save-record').click();
    await toast(page, '已保存');
    await expect.poll(() => page.getByTestId('attachment-link').count()).toBe(0);
    for (const f of [file, saved]) fs.rmSync(f, { force: true });
  });

  test('shows row totals in the child grid as lines are typed, the same the server stores', async () => {
    expect((await mosaic.api('POST', '/api/v1/meta/objects', { apiName: 'hw_quote', label: { zh: '报价单', en: 'Quote' }, module: 'custom',
      fields: [{ apiName: 'name', type: 'text', label: { zh: '名称', en: 'Name' } }] })).status).toBe(201);
    const line = await mosaic.api('POST', '/api/v1/meta/objects', { apiName: 'hw_quote_line', label: { zh: '报价明细', en: 'Quote line' }, isChild: true, parentObject: 'hw_quote',
      fields: [
        { apiName: 'item', type: 'text', label: { zh: '物料', en: 'Item' } },
        { apiName: 'qty', type: 'decimal', label: { zh: '数量', en: 'Qty' } },
        { apiName: 'price', type: 'decimal', label: { zh: '单价', en: 'Price' } },
        { apiName: 'amount', type: 'formula', label: { zh: '金额', en: 'Amount' }, config: { formula: 'ROUND(qty * price, 2)' } },
      ] });
    expect(line.status, JSON.stringify(line.body)).toBe(201);
    expect((await mosaic.api('POST', '/api/v1/meta/objects/hw_quote/fields', { apiName: 'lines', type: 'child_table', label: { zh: '明细', en: 'Lines' }, config: { target: 'hw_quote_line' } })).status).toBe(201);
    await page.goto(mosaic.base + '/o/hw_quote?edit=new');
    await page.fill('#record-hw_quote_name', '五金报价');
    const grid = page.getByTestId('child-lines');
    for (const [i, [item, qty, price]] of [['螺栓', '3', '1.005'], ['垫片', '2.5', '0.3']].entries()) {
      await grid.getByRole('button', { name: /添加/ }).click();
      await page.fill(`#record-hw_quote_lines_${i}_item`, item);
      await page.fill(`#record-hw_quote_lines_${i}_qty`, qty);
      await page.fill(`#record-hw_quote_lines_${i}_price`, price);
    }
    const totals = grid.getByTestId('row-total-amount');
    await expect.poll(() => totals.nth(0).textContent()).toBe('3.02'); // 3 × 1.005 = 3.015 → 3.02, exactly
    expect(await totals.nth(1).textContent()).toBe('0.75');
    expect(await grid.getByTestId('grid-total-amount').textContent()).toBe('3.77');
    await page.getByTestId('save-record').click();
    await toast(page, '已保存');
    const saved = (await mosaic.api('GET', '/api/v1/records/hw_quote')).body.data[0];
    const full = (await mosaic.api('GET', `/api/v1/records/hw_quote/${saved.id}`)).body;
    expect(full.lines.map((l: any) => String(Number(l.amount)))).toEqual(['3.02', '0.75']); // the server's ROUND agrees
  });
});

describe('list views', () => {
  const headers = async () => (await page.locator('.ant-table-thead th').allTextContents()).map((s) => s.trim()).filter(Boolean);

  test('opens the sales orders newest first, with their status and total', async () => {
    const ok = <T>(r: { status: number; body: T }) => {
      expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
      return r.body;
    };
    const customer = ok(await mosaic.api<{ id: string }>('POST', '/api/v1/records/customer', { name: '列表测试客户' })).id;
    const warehouse = ok(await mosaic.api<{ id: string }>('POST', '/api/v1/records/warehouse', { code: 'LV', name: '列表仓' })).id;
    const item = ok(await mosaic.api<{ id: string }>('POST', '/api/v1/records/item', { code: 'LV-1', name: '列表物料' })).id;
    for (const [order_date, rate] of [['2025-12-01', '100'], ['2026-02-20', '300'], ['2026-01-15', '200']]) {
      ok(await mosaic.api('POST', '/api/v1/records/sales_order', { customer, warehouse, order_date, lines: [{ item, qty: 1, rate, tax_rate: 0.13 }] }));
    }
    await page.goto(mosaic.base + '/o/sales_order');
    await page.locator('.ant-table-tbody .ant-table-row').first().waitFor();
    await expect.poll(headers).toEqual(expect.arrayContaining(['订单号', '客户', '下单日期', '状态', '价税合计']));
    await expect.poll(() => page.url()).toContain('sort=-order_date');
    const dates = await page.locator('.ant-table-tbody .ant-table-row').evaluateAll((rows) => rows.map((r) => r.textContent ?? ''));
    expect(dates.map((d) => d.match(/\d{4}年\d{1,2}月\d{1,2}日/)?.[0])).toEqual(['2026年2月20日', '2026年1月15日', '2025年12月1日']);
    expect(dates[0]).toContain('草稿');
    expect(dates[0]).toMatch(/339/); // 300 + 13 % VAT
  });

  test('an admin picks the default columns in the designer and the list opens with them', async () => {
    await page.goto(mosaic.base + '/settings/objects/sales_order');
    await page.getByTestId('tab-list-view').click();
    const designer = page.getByTestId('list-view-designer');
    await designer.getByTestId('ld-column').filter({ hasText: '客户' }).getByTestId('ld-remove').click();
    await pickOption(page, designer.getByTestId('ld-add-column'), '允许缺货下单');
    await expect.poll(() => designer.getByTestId('ld-column').allTextContents()).toContain('允许缺货下单');
    await expect.poll(async () => (await page.getByTestId('ld-preview').locator('thead th').allTextContents()).map((s) => s.trim())).toContain('允许缺货下单');
    await designer.getByTestId('ld-save').click();
    await toast(page, '列表视图已保存');
    const meta = (await mosaic.api('GET', '/api/v1/meta/objects/sales_order')).body;
    expect(meta.listDefaultsCustom).toBe(true);
    expect(meta.listDefaults.columns).toContain('allow_backorder');
    expect(meta.listDefaults.columns).not.toContain('customer');
    await page.getByTestId('ld-open-list').click();
    await page.waitForURL(/\/o\/sales_order/);
    await expect.poll(headers).toContain('允许缺货下单');
    expect(await headers()).not.toContain('客户');
    await expect.poll(() => page.url()).toContain('sort=-order_date'); // the shipped sort stays
  });
});
