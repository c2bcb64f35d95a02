import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { launchBrowser } from './browser.ts';
import { startMosaic, type Mosaic } from './server.ts';
import { pickOption, screenshotOnFailure, textOf, toast, selectOf } from './ui.ts';

/**
 * Issue 4, as a new user would: log in; build a custom object "设备" with a
 * formula and a link; add a record through the form; find it with a filter;
 * edit it; switch the language to English and back; use it on a phone.
 * The steps share one browser session and run in order.
 */
let mosaic: Mosaic;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
const errors: string[] = [];

beforeAll(async () => {
  mosaic = await startMosaic();
  // A custom object to link to, made through the API as an integrator would
  // (not `supplier`: the buying module ships that one).
  const supplier = await mosaic.api('POST', '/api/v1/meta/objects', {
    apiName: 'vendor', label: { zh: '协作厂商', en: 'Vendor' }, module: 'custom',
    fields: [{ apiName: 'name', type: 'text', label: { zh: '名称', en: 'Name' }, required: true }],
  });
  expect(supplier.status).toBe(201);
  for (const name of ['华东机电有限公司', '南方设备厂']) expect((await mosaic.api('POST', '/api/v1/records/vendor', { name })).status).toBe(201);
  browser = await launchBrowser();
  page = browser.page;
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (e) => errors.push(e.message));
});

afterAll(async () => {
  await browser?.close();
  await mosaic?.stop();
});

screenshotOnFailure('new-user', () => page);

describe('a new user', () => {
  test('logs in', async () => {
    await page.goto(mosaic.base + '/o/vendor');
    await page.waitForURL(/\/login\?next=/);
    await page.fill('#login_email', mosaic.email);
    await page.fill('#login_password', 'wrong password');
    await page.click('button[type=submit]');
    await expect.poll(() => page.locator('[role=alert]').count()).toBe(1);
    expect(await textOf(page.locator('[role=alert]'))).toContain('邮箱或密码错误');
    await page.fill('#login_password', mosaic.password);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/o\/vendor$/); // back where they wanted to go
    await page.getByTestId('record-title').first().waitFor();
    expect(await textOf(page.locator('nav[aria-label=main]'))).toContain('设置');
  });

  test('creates the object 设备 with fields of seven types, a formula and a link among them', async () => {
    await openMenuItem(page, '设置', '应用搭建');
    await page.getByTestId('new-object').click();
    await page.fill('#new-object_zh', '设备');
    await page.fill('#new-object_en', 'Equipment');
    expect(await page.inputValue('#new-object_apiName')).toBe('equipment');
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    await page.waitForURL(/\/settings\/objects\/equipment$/);

    await addField(page, { zh: '型号', en: 'Model', type: '单行文本' });
    await addField(page, { zh: '设备状态', en: 'Condition', type: '单选', options: [['在用', 'in_use'], ['闲置', 'idle']] });
    await addField(page, { zh: '购入日期', en: 'Purchase date', type: '日期' });
    await addField(page, { zh: '单价', en: 'Price', type: '金额' });
    await addField(page, { zh: '数量', en: 'Qty', type: '整数' });
    await addField(page, { zh: '供应商', en: 'Supplier', type: '关联', target: '协作厂商' });
    await addField(page, { zh: '总价', en: 'Total', type: '公式', formula: true });

    expect(await page.getByTestId('field-row').count()).toBe(8); // 名称 + seven
    // The menu shows the new object at once, without a reload.
    await expect.poll(() => textOf(page.locator('nav[aria-label=main]'))).toContain('设备');
  });

  test('adds a record through the form', async () => {
    await openMenuItem(page, '自定义', '设备');
    await page.waitForURL(/\/o\/equipment$/);
    await expect.poll(() => textOf(page.locator('.page-card'))).toContain('还没有设备'); // the empty state's call to action
    await page.getByTestId('new-record').first().click();
    await page.fill('#record-equipment_model', 'CNC-2000');
    await pickOption(page, selectOf(page, 'record-equipment_condition'), '在用', '');
    await page.fill('#record-equipment_purchase_date', '2026-03-15');
    await page.keyboard.press('Enter');
    await page.fill('#record-equipment_price', '12345.6');
    await page.fill('#record-equipment_qty', '3');
    await pickOption(page, selectOf(page, 'record-equipment_supplier'), '华东机电有限公司', '华东');
    await page.fill('#record-equipment_name', '数控机床 A1');
    await page.keyboard.press('Enter'); // Enter saves
    await toast(page, '已保存');
    const row = page.locator('tr', { hasText: '数控机床 A1' });
    await row.waitFor();
    const text = await textOf(row);
    expect(text).toContain('¥12,345.60'); // money per locale
    expect(text).toContain('37,036.8'); // the formula, computed by the server
    expect(text).toContain('华东机电有限公司'); // the link shows the supplier's name
    expect(text).toContain('在用');
  });

  test('finds it in the list with a filter', async () => {
    for (const [name, model] of [['三坐标测量仪', 'CMM-500'], ['激光切割机', 'LC-3015']]) {
      expect((await mosaic.api('POST', '/api/v1/records/equipment', { name, model, qty: 1 })).status).toBe(201);
    }
    await page.reload();
    await expect.poll(() => page.locator('tbody tr.ant-table-row').count()).toBe(3);
    await page.getByTestId('add-filter').click();
    await pickOption(page, page.getByTestId('filter-field'), '型号');
    await page.getByTestId('filter-value').fill('CNC');
    await page.getByTestId('filter-apply').click();
    await expect.poll(() => page.locator('tbody tr.ant-table-row').count()).toBe(1);
    expect(await textOf(page.locator('tbody tr.ant-table-row'))).toContain('数控机床 A1');
    expect(await textOf(page.getByTestId('filter-chip'))).toContain('型号 包含 CNC');
    expect(decodeURIComponent(page.url())).toContain('"op":"contains"'); // the filter lives in the URL
    // The quick search looks in the title field.
    await page.getByRole('button', { name: '清除筛选' }).click();
    // All three back first: else the filtered list's one row would pass the count below.
    await expect.poll(() => page.locator('tbody tr.ant-table-row').count()).toBe(3);
    await page.locator('input[data-testid=quick-search], [data-testid=quick-search] input').first().fill('激光');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('tbody tr.ant-table-row').count()).toBe(1);
    await expect.poll(() => textOf(page.locator('tbody tr.ant-table-row'))).toContain('激光切割机');
  });

  test('edits it on its page and sees the change', async () => {
    await page.getByRole('button', { name: '清除筛选' }).click();
    await page.getByTestId('record-title').filter({ hasText: '数控机床 A1' }).click();
    await page.waitForURL(/\/o\/equipment\/[0-9a-f-]{36}$/);
    expect(await textOf(page.locator('[data-field=purchase_date]'))).toBe('2026年3月15日');
    await page.getByTestId('edit-record').click();
    await page.fill('#record-equipment_qty', '5');
    await page.locator('#record-equipment_qty').press('Enter');
    await toast(page, '已保存');
    await expect.poll(() => textOf(page.locator('[data-field=total]'))).toBe('61,728');
    expect(await textOf(page.locator('[data-field=qty]'))).toBe('5');
  });

  test('imports 1,000 rows from an XLSX file, two bad rows reported', async () => {
    const file = path.join(os.tmpdir(), `mosaic-e2e-${process.pid}.xlsx`);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('设备');
    ws.addRow(['名称', '型号', '数量']);
    for (let i = 1; i <= 1000; i++) ws.addRow([`导入设备 ${i}`, `IMP-${i}`, i === 500 || i === 800 ? '很多' : i]);
    await wb.xlsx.writeFile(file);
    await page.goto(mosaic.base + '/o/equipment');
    await page.getByTestId('import').click();
    await page.locator('.ant-modal input[type=file]').setInputFiles(file);
    await page.getByTestId('import-check').waitFor({ timeout: 30_000 });
    await expect.poll(() => textOf(page.getByTestId('import-summary')), { timeout: 30_000 }).toContain('998 行可导入，2 行有错误');
    const errorsText = await textOf(page.getByTestId('import-errors'));
    expect(errorsText).toContain('501'); // file rows: data row 500 is line 501 under the header
    expect(errorsText).toContain('801');
    await page.getByTestId('import-run').click();
    await expect.poll(() => textOf(page.getByTestId('import-summary')), { timeout: 60_000 }).toContain('已导入 998 行');
    await page.locator('.ant-modal-footer, .ant-modal').getByRole('button', { name: /关\s*闭/ }).click();
    await expect.poll(() => textOf(page.locator('.ant-pagination'))).toContain('共 1001 条');
    fs.rmSync(file, { force: true });
  });

  test('exports the list', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      (async () => {
        await page.getByTestId('export').hover();
        await page.locator('.ant-dropdown-menu-item', { hasText: '导出 Excel' }).click();
      })(),
    ]);
    const saved = path.join(os.tmpdir(), `mosaic-e2e-export-${process.pid}.xlsx`);
    await download.saveAs(saved);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(saved);
    expect(wb.worksheets[0].rowCount).toBe(1002); // a header and every record, not just the page
    fs.rmSync(saved, { force: true });
  });

  test('switches the language to English and back', async () => {
    await page.goto(mosaic.base + '/o/equipment');
    await page.getByTestId('record-title').filter({ hasText: '数控机床 A1' }).click();
    await switchLanguage(page, 'English');
    await expect.poll(() => textOf(page.locator('nav[aria-label=main]'))).toContain('Settings');
    expect(await textOf(page.locator('nav[aria-label=main]'))).toContain('Equipment');
    expect(await textOf(page.locator('[data-field=purchase_date]'))).toBe('Mar 15, 2026');
    expect(await textOf(page.getByTestId('edit-record'))).toBe('Edit');
    await page.reload(); // the choice is kept
    await expect.poll(() => textOf(page.locator('nav[aria-label=main]'))).toContain('Settings');
    await switchLanguage(page, '简体中文');
    await expect.poll(() => textOf(page.locator('nav[aria-label=main]'))).toContain('设置');
    expect(await textOf(page.locator('[data-field=purchase_date]'))).toBe('2026年3月15日');
  });

  test('uses it on a phone: drawer menu, cards', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(mosaic.base + '/o/equipment');
    await page.getByTestId('record-card').first().waitFor();
    expect(await page.getByTestId('record-card').count()).toBe(20); // the first page
    await page.getByTestId('menu-toggle').click();
    await openMenuItem(page, '自定义', '协作厂商', '.ant-drawer ');
    await page.waitForURL(/\/o\/vendor$/);
    await page.setViewportSize({ width: 1366, height: 860 });
    expect(errors).toEqual([]);
  });
});

async function addField(page: Page, f: { zh: string; en: string; type: string; options?: [string, string][]; target?: string; formula?: boolean }) {
  await page.getByTestId('field-row').first().waitFor();
  const before = await page.getByTestId('field-row').count();
  await page.getByTestId('new-field').click();
  await page.fill('#field-editor_zh', f.zh);
  await page.fill('#field-editor_en', f.en);
  await pickOption(page, page.getByTestId('field-type'), f.type);
  for (const [i, [label, value]] of (f.options ?? []).entries()) {
    await page.getByTestId('add-option').click();
    await page.fill(`#field-editor_options_${i}_zh`, label);
    await page.fill(`#field-editor_options_${i}_value`, value);
  }
  if (f.target) await pickOption(page, page.getByTestId('link-target'), f.target);
  if (f.formula) {
    // The editor checks as you type and marks where a syntax error is.
    await page.getByTestId('formula-input').fill('price * (qty');
    await page.getByTestId('formula-marker').waitFor();
    expect(await textOf(page.getByTestId('formula-status'))).toContain('公式语法错误');
    await page.getByTestId('formula-input').fill('price * qty');
    await expect.poll(() => textOf(page.getByTestId('formula-status'))).toContain('公式正确');
  }
  await page.getByTestId('save-field').click();
  await toast(page, '字段已保存');
  await expect.poll(() => page.getByTestId('field-row').count()).toBe(before + 1);
}

/** Clicks a menu entry, opening its group first when it is closed. */
async function openMenuItem(page: Page, group: string, item: string, scope = '') {
  const nav = page.locator(`${scope}nav[aria-label=main]`);
  const entry = nav.locator('.ant-menu-item').filter({ hasText: new RegExp(`^${item}$`) });
  if (!(await entry.isVisible())) await nav.locator('.ant-menu-submenu-title', { hasText: group }).click();
  await entry.click();
}

async function switchLanguage(page: Page, to: 'English' | '简体中文') {
  await page.getByTestId('user-menu').click();
  await page.locator('.ant-dropdown-menu-submenu-title').first().hover();
  await page.locator('.ant-dropdown-menu-item', { hasText: to }).click();
}
