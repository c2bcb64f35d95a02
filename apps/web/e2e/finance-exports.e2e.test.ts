import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { pdfText } from '@mosaic/print/test-kit';
import { launchBrowser, logIn } from './browser.ts';
import { startMosaic, type Mosaic } from './server.ts';
import { pickOption, screenshotOnFailure, textOf } from './ui.ts';

/**
 * The finance pages as an accountant uses them: a sales invoice of 1,000.00 +
 * 13 % VAT is booked this month; on 财务报表 the 科目余额表 downloads as XLSX
 * (read back with exceljs: 1122 and the balanced totals) and the 利润表 as PDF
 * (its text: the company, the title and the revenue). On 财务设置 an admin
 * creates a company on the IFRS-style chart and sees it listed with that chart.
 */
let mosaic: Mosaic;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
let companyName = '';
const errors: string[] = [];

beforeAll(async () => {
  mosaic = await startMosaic();
  const ok = <T>(r: { status: number; body: T }) => {
    expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
    return r.body;
  };
  companyName = ok(await mosaic.api<{ data: { name: string }[] }>('GET', '/api/v1/admin/companies')).data[0].name;
  const customer = ok(await mosaic.api<{ id: string }>('POST', '/api/v1/records/customer', { name: '苏州园区精密机械有限公司' })).id;
  const item = ok(await mosaic.api<{ id: string }>('POST', '/api/v1/records/item', { code: 'FIN-1', name: '精密轴承' })).id;
  // Posted today: the statements page opens on the current month.
  const inv = ok(await mosaic.api<{ id: string; version: number }>('POST', '/api/v1/records/sales_invoice', { customer, lines: [{ item, qty: 4, rate: '250' }] }));
  ok(await mosaic.api('POST', `/api/v1/records/sales_invoice/${inv.id}/submit`, { version: inv.version }));
  browser = await launchBrowser();
  page = browser.page;
  page.on('pageerror', (e) => errors.push(e.message));
});

afterAll(async () => {
  await browser?.close();
  await mosaic?.stop();
});

screenshotOnFailure('finance-exports', () => page);

const downloadOf = async (testId: string) => {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  return { name: download.suggestedFilename(), body: fs.readFileSync((await download.path())!) };
};

describe('finance statements and exports', () => {
  test('downloads the 科目余额表 as XLSX with the invoice on 1122 and balanced totals', async () => {
    await logIn(page, mosaic, `/finance/statements`);
    await page.getByRole('tab', { name: '科目余额表' }).click();
    await expect.poll(() => page.getByTestId('fin-trial-balance').textContent()).toContain('应收账款');
    const file = await downloadOf('fin-trial-balance-xlsx');
    expect(file.name).toMatch(/^trial-balance-\d{4}-\d{2}\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.body as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    const rows: unknown[][] = [];
    ws.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
    expect(rows[1]).toEqual(['单位', '元']); // what the figures are counted in, as the PDF says
    expect(rows[2]).toEqual(['科目编码', '科目名称', '期初借方', '期初贷方', '本期借方', '本期贷方', '期末借方', '期末贷方']);
    expect(rows.find((r) => r[0] === '1122')).toEqual(['1122', '应收账款', 0, 0, 1130, 0, 1130, 0]);
    expect(rows.find((r) => r[0] === '5001')?.slice(4)).toEqual([0, 1000, 0, 1000]);
    const total = rows.find((r) => r[1] === '合计')!;
    expect(total[4]).toBe(total[5]); // period debit = period credit
    expect(total[6]).toBe(total[7]); // closing debit = closing credit
    expect(total[4]).toBe(1130);
  });

  test('downloads the 利润表 as a PDF carrying the company, the title and the revenue', async () => {
    await page.getByRole('tab', { name: '利润表' }).click();
    await expect.poll(() => page.getByTestId('fin-income-statement').textContent()).toContain('1,000.00');
    const file = await downloadOf('fin-income-statement-pdf');
    expect(file.name).toMatch(/^income-statement-\d{4}-\d{2}\.pdf$/);
    expect(file.body.subarray(0, 5).toString()).toBe('%PDF-');
    const text = await pdfText(file.body);
    expect(text).toContain('利润表');
    expect(text).toContain(companyName);
    expect(text).toContain('一、营业收入');
    expect(text).toContain('1,000.00');
  });

  test('creates a company on the IFRS-style chart from 财务设置 and lists it with that chart', async () => {
    await page.goto(`${mosaic.base}/finance/settings`);
    await page.getByTestId('fin-new-company-name').fill('Mosaic Pacific Pte Ltd');
    await page.getByTestId('fin-new-company-chart').click();
    await page.getByTitle('国际财务报告准则（通用科目表）').click();
    await page.getByTestId('fin-new-company').click();
    await expect.poll(() => page.getByTestId('fin-chart-Mosaic Pacific Pte Ltd').count()).toBe(1);
    await expect.poll(() => page.getByTestId('fin-chart-Mosaic Pacific Pte Ltd').textContent()).toContain('国际财务报告准则');
    const charts = (await mosaic.api<{ data: { name: string; template: string; posted: boolean }[] }>('GET', '/api/v1/finance/chart-setup')).body.data;
    expect(charts.find((c) => c.name === 'Mosaic Pacific Pte Ltd')).toMatchObject({ template: 'ifrs', posted: false });
    expect(errors).toEqual([]);
  });

  test('preselects the chart the server would give a company of that currency', async () => {
    const chart = page.getByTestId('fin-new-company-chart');
    await expect.poll(() => chart.textContent()).toContain('小企业会计准则'); // CNY, the form's currency
    await page.locator('#currency').fill('USD');
    await expect.poll(() => chart.textContent()).toContain('国际财务报告准则');
    await page.locator('#currency').fill('CNY');
    await expect.poll(() => chart.textContent()).toContain('小企业会计准则');
  });

  test('picks the company whose statements are shown: the new company has no revenue', async () => {
    await page.goto(`${mosaic.base}/finance/statements`);
    await page.getByRole('tab', { name: '利润表' }).click();
    await expect.poll(() => page.getByTestId('fin-income-statement').textContent()).toContain('1,000.00');
    expect(await textOf(page.getByTestId('fin-company'))).toContain(companyName);
    await pickOption(page, page.getByTestId('fin-company'), 'Mosaic Pacific Pte Ltd', '');
    await expect.poll(() => page.getByTestId('fin-income-statement').textContent()).toContain('一、营业收入');
    expect(await page.getByTestId('fin-income-statement').textContent()).not.toContain('1,000.00');
    expect(errors).toEqual([]);
  });

  test('an accountant sees 财务报表 but not 财务设置 (an administrator\'s page), and only their company to pick', async () => {
    const roles = (await mosaic.api<{ data: { id: string; code: string }[] }>('GET', '/api/v1/admin/roles')).body.data;
    const password = 'Accountant-Pw-2026!';
    const made = await mosaic.api('POST', '/api/v1/admin/users', { email: 'kuaiji@e2e.local', name: '会计小周', password, roleIds: [roles.find((r) => r.code === 'accountant')!.id] });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    await page.context().clearCookies();
    await logIn(page, { base: mosaic.base, email: 'kuaiji@e2e.local', password }, '/finance/statements');
    await expect.poll(() => page.getByRole('menuitem', { name: '财务报表' }).count()).toBe(1);
    expect(await page.getByRole('menuitem', { name: '财务设置' }).count()).toBe(0);
    await page.getByTestId('fin-company').click();
    const options = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option');
    await expect.poll(() => options.allTextContents()).toEqual([`${companyName} (CNY)`]);
    expect(errors).toEqual([]);
  });
});
