import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { launchBrowser, logIn } from './browser.ts';
import { filterOf, recordsVia, today } from './records.ts';
import { startMosaic, type Mosaic } from './server.ts';
import { pickOption, screenshotOnFailure, textOf, toast, selectOf } from './ui.ts';

/**
 * Mends from a review of the web app, in a real browser as the admin, the scene set through the API:
 *   报价单      a product picked on a line, then another: the line takes the new product's price, price
 *              list and VAT rate, not the old one's (a product without a price leaves the price empty).
 *   列表新鲜度   a customer renamed elsewhere shows when its list is opened again 2 s later.
 *   客户 360    after the company's currency became USD, the page opened in the app (no reload, "me"
 *              still the old one) shows its figures in the reply's currency: dollars.
 *   登录        logging in through the form reads "me" again: the pipeline's amounts, in the company's
 *              currency, show in dollars at once, not in yuan until a reload.
 */
let mosaic: Mosaic;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
const ids: Record<string, string> = {};

const { created } = recordsVia(() => mosaic.api);

beforeAll(async () => {
  mosaic = await startMosaic();
  const vat9 = (await mosaic.api('GET', `/api/v1/records/tax_rate?filter=${filterOf({ code: 'VAT9' })}`)).body.data as { id: string }[];
  expect(vat9).toHaveLength(1);
  ids.pump = (await created('item', { code: 'PUMP', name: '离心泵' })).id; // the company's standard rate: 13 %
  ids.valve = (await created('item', { code: 'VALVE', name: '截止阀', tax_rate: vat9[0].id })).id; // 9 %
  ids.bolt = (await created('item', { code: 'BOLT', name: '地脚螺栓' })).id; // on no price list
  ids.list = (await created('price_list', { name: '标准价', list_type: 'selling', prices: [{ item: ids.pump, rate: '100' }, { item: ids.valve, rate: '50' }] })).id;
  ids.customer = (await created('customer', { name: '远航机械有限公司' })).id;
  // In US dollars (amount is money): the 360 test below views it once the company's currency is USD too.
  await created('opportunity', { name: '远航水泵改造', customer: ids.customer, amount: { amount: '1000', currency: 'USD' }, expected_close_date: today() });
  ids.company = (await mosaic.api('GET', '/api/v1/admin/companies')).body.data[0].id;
  browser = await launchBrowser();
  page = browser.page;
});

afterAll(async () => {
  await browser?.close();
  await mosaic?.stop();
});

screenshotOnFailure('currency-freshness', () => page);

const select = (id: string) => selectOf(page, id);
const setCurrency = async (currency: string) => expect((await mosaic.api('PATCH', `/api/v1/admin/companies/${ids.company}`, { currency })).status).toBe(200);

describe('the quote form', () => {
  test('another product picked on a line takes its own price, price list and VAT rate, not the first one’s', async () => {
    await logIn(page, mosaic, '/o/quote');
    await page.getByTestId('new-record').first().click();
    await page.fill('#record-quote_quote_date', today());
    await page.keyboard.press('Enter');
    await pickOption(page, select('record-quote_customer'), '远航机械有限公司', '远航');
    await page.getByTestId('child-lines').getByRole('button', { name: /添加/ }).click();
    await page.fill('#record-quote_lines_0_qty', '2');
    await page.fill('#record-quote_lines_0_discount', '0');
    await pickOption(page, select('record-quote_lines_0_item'), '离心泵', '离心');
    await expect.poll(() => page.inputValue('#record-quote_lines_0_list_price')).toBe('100');
    await expect.poll(() => page.inputValue('#record-quote_lines_0_tax_rate')).toBe('13');
    // A product no list prices: the pump's 100 is not its price.
    await pickOption(page, select('record-quote_lines_0_item'), '地脚螺栓', '螺栓');
    await expect.poll(() => page.inputValue('#record-quote_lines_0_list_price')).toBe('');
    // The valve: its list price, and its own 9 % — not the 13 % the line had.
    await pickOption(page, select('record-quote_lines_0_item'), '截止阀', '截止');
    await expect.poll(() => page.inputValue('#record-quote_lines_0_list_price')).toBe('50');
    await expect.poll(() => page.inputValue('#record-quote_lines_0_tax_rate')).toBe('9');
    await page.getByTestId('save-record').click();
    await toast(page, '已保存');
    const quotes = (await mosaic.api('GET', `/api/v1/records/quote?filter=${filterOf({ customer: ids.customer })}`)).body.data as { id: string }[];
    const line = (await mosaic.api('GET', `/api/v1/records/quote/${quotes[0].id}`)).body.lines[0];
    expect([line.item, Number(line.list_price), Number(line.tax_rate), line.price_list]).toEqual([ids.valve, 50, 0.09, ids.list]);
  });
});

describe('list freshness', () => {
  test('a record changed elsewhere shows when its list is opened again a couple of seconds later', async () => {
    await page.goto(`${mosaic.base}/o/customer`);
    const row = page.locator('tbody tr.ant-table-row', { hasText: '远航机械' });
    await row.waitFor();
    await row.click(); // to its page, in the app: the list's page stays in the cache
    await page.waitForURL((u) => u.pathname === `/o/customer/${ids.customer}`);
    const cur = (await mosaic.api('GET', `/api/v1/records/customer/${ids.customer}`)).body;
    expect((await mosaic.api('PATCH', `/api/v1/records/customer/${ids.customer}`, { name: '远航重工有限公司', version: cur.version })).status).toBe(200);
    await page.waitForTimeout(2_000);
    await page.goBack();
    await page.waitForURL((u) => u.pathname === '/o/customer');
    await expect.poll(() => page.locator('tbody tr.ant-table-row').allTextContents().then((x) => x.join('|'))).toContain('远航重工有限公司');
  });
});

describe("the company's currency", () => {
  test('the 360° page opened in the app shows its figures in the currency of its reply', async () => {
    await page.goto(`${mosaic.base}/o/customer/${ids.customer}`); // "me" read now: CNY
    await page.getByTestId('open-customer-360').waitFor();
    await setCurrency('USD');
    await page.getByTestId('open-customer-360').click();
    await page.waitForURL((u) => u.pathname === `/crm/customers/${ids.customer}/360`);
    // The open opportunity is in US dollars, now the company's currency: the server's sum, in the reply's currency.
    await expect.poll(() => textOf(page.getByTestId('crm360-weighted-value'))).toMatch(/^(US)?\$\d[\d,]*\.\d\d$/);
    expect(await textOf(page.getByTestId('crm360-opportunities'))).toContain('$1,000.00');
  });

  test('a login through the form reads "me" again: amounts in the company currency show in it at once', async () => {
    await page.context().clearCookies();
    await logIn(page, mosaic, '/crm/pipeline');
    const card = page.getByTestId('pipeline-card').filter({ hasText: '远航水泵改造' });
    await expect.poll(() => textOf(card)).toContain('$1,000.00');
  });
});
