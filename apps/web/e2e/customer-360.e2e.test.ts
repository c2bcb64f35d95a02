import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { launchBrowser, logIn } from './browser.ts';
import { recordsVia } from './records.ts';
import { startMosaic, type Mosaic } from './server.ts';
import { screenshotOnFailure, textOf } from './ui.ts';

/**
 * The 客户 360° page (issue 7) and the alert page a KPI alert's notification
 * opens (issue 11), in a real browser as the admin: a customer with an order
 * that was delivered, invoiced (1,130.00 with VAT) and paid in part (500.25)
 * shows exactly 629.75 still owed and each document on its timeline; its
 * contact's phone typed with dashes in the header search lands on that page;
 * an alert raised on invoiced totals opens from the bell on its raised row.
 * The scene is set through the API.
 */
let mosaic: Mosaic;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
const ids: Record<string, string> = {};

const { created, submitted } = recordsVia(() => mosaic.api);

beforeAll(async () => {
  mosaic = await startMosaic();
  const customer = await created('customer', { name: '佛山陶瓷有限公司', phone: '0757-8200 1234', tier: 'A' });
  ids.customer = customer.id;
  ids.contact = (await created('contact', { name: '梁经理', customer: customer.id, phone: '13800138000', title: '采购经理' })).id;
  const wh = await created('warehouse', { code: 'W360', name: '成品仓' });
  const item = await created('item', { code: 'TILE', name: '瓷砖' });
  const receipt = await created('stock_entry', { entry_type: 'receipt', warehouse: wh.id, lines: [{ item: item.id, qty: 50, rate: 40 }] });
  await submitted('stock_entry', receipt.id);
  const so = await created('sales_order', { customer: customer.id, warehouse: wh.id, lines: [{ item: item.id, qty: 10, rate: 100 }] });
  await submitted('sales_order', so.id);
  ids.order = so.id;
  const dn = await created('delivery_note', { customer: customer.id, sales_order: so.id, warehouse: wh.id, lines: [{ item: item.id, qty: 10 }] });
  await submitted('delivery_note', dn.id);
  ids.delivery = dn.id;
  const inv = await created('sales_invoice', { customer: customer.id, sales_order: so.id, lines: [{ item: item.id, qty: 10, rate: 100 }] });
  expect(inv.grand_total).toBe('1130.00'); // 1000 + 13 % VAT
  await submitted('sales_invoice', inv.id);
  ids.invoice = inv.id;
  const accounts = (await mosaic.api('GET', '/api/v1/records/gl_account?pageSize=200&fields=code')).body.data as { id: string; code: string }[];
  const pay = await created('payment', {
    payment_type: 'receive', party_type: 'customer', party: customer.id, account: accounts.find((a) => a.code === '1002')!.id, amount: '500.25',
    allocations: [{ against_type: 'sales_invoice', against_id: inv.id, allocated: '500.25' }],
  });
  await submitted('payment', pay.id);
  ids.payment = pay.id;

  // An alert on invoiced totals per customer, raised by this customer's 1,130.00 and checked now (as the worker would).
  const report = await mosaic.api('POST', '/api/v1/reports', { name: '客户开票额', definition: {
    source: 'sales_invoice', rows: [{ field: 'customer.name', label: { zh: '客户', en: 'Customer' } }],
    measures: [{ name: 'invoiced', fn: 'sum', field: 'grand_total', label: { zh: '开票额', en: 'Invoiced' } }],
  } });
  expect(report.status, JSON.stringify(report.body)).toBe(201);
  ids.report = report.body.id;
  const alert = await mosaic.api('POST', '/api/v1/alerts', { name: '大额开票', reportId: report.body.id, measure: 'invoiced', op: 'gt', threshold: 1000 });
  expect(alert.status, JSON.stringify(alert.body)).toBe(201);
  ids.alert = alert.body.id;
  const checked = await mosaic.api('POST', `/api/v1/alerts/${ids.alert}/evaluate`);
  expect(checked.body.events, JSON.stringify(checked.body)).toHaveLength(1);

  browser = await launchBrowser();
  page = browser.page;
});

afterAll(async () => {
  await browser?.close();
  await mosaic?.stop();
});

screenshotOnFailure('customer-360', () => page);

const path360 = () => `/crm/customers/${ids.customer}/360`;

describe('the customer 360° page', () => {
  test('opens from the customer record and shows exactly what is still owed', async () => {
    await logIn(page, mosaic, `/o/customer/${ids.customer}`);
    await page.getByTestId('open-customer-360').click();
    await page.waitForURL((u) => u.pathname === path360());
    expect(await textOf(page.getByTestId('crm360-title'))).toBe('佛山陶瓷有限公司');
    // 1,130.00 invoiced − 500.25 received: the ledger's figure to the cent, on one open invoice.
    await expect.poll(() => textOf(page.getByTestId('crm360-outstanding-value'))).toBe('¥629.75');
    expect(await textOf(page.getByTestId('crm360-outstanding'))).toContain('1 张发票未结清');
    expect(await textOf(page.getByTestId('crm360-orders-value'))).toBe('1');
    expect(await textOf(page.getByTestId('crm360-orders'))).toContain('¥1,130.00');
    expect(await textOf(page.getByTestId('crm360-contacts'))).toContain('梁经理');
    expect(await textOf(page.locator('[data-testid=crm360-profile] [data-field=tier]'))).toContain('A 类');
  });

  test('lists the order, the delivery, the invoice and the payment on the timeline, each linking to its record', async () => {
    const entry = (kind: string) => page.locator(`[data-testid=crm360-entry][data-kind=${kind}]`);
    await entry('payment').waitFor();
    expect(await entry('sales_order').count()).toBe(1);
    expect(await entry('delivery').count()).toBe(1);
    expect(await entry('sales_invoice').count()).toBe(1);
    expect(await textOf(entry('sales_invoice').getByTestId('crm360-invoice-outstanding'))).toBe('未收 ¥629.75');
    expect(await entry('delivery').getByTestId('crm360-entry-link').getAttribute('href')).toBe(`/o/delivery_note/${ids.delivery}`);
    expect(await entry('payment').getByTestId('crm360-entry-link').getAttribute('href')).toBe(`/o/payment/${ids.payment}`);
    // The orders tab reads the records API: the one order, linking to it.
    await page.getByRole('tab', { name: '订单' }).click();
    await expect.poll(() => page.getByTestId('crm360-row-sales_order').count()).toBe(1);
    await entry('sales_order').getByTestId('crm360-entry-link').click();
    await page.waitForURL((u) => u.pathname === `/o/sales_order/${ids.order}`);
  });

  test('a contact’s phone typed with dashes in the header search lands on its customer’s 360° page', async () => {
    await page.goto(`${mosaic.base}/`);
    await page.getByTestId('global-search').fill('138-0013-8000');
    const hit = page.getByTestId('search-hit').filter({ hasText: '梁经理' });
    await hit.waitFor();
    await hit.click();
    await page.waitForURL((u) => u.pathname === path360());
    await expect.poll(() => textOf(page.getByTestId('crm360-outstanding-value'))).toBe('¥629.75');
  });

  test('stacks its parts on a phone-sized screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await page.goto(`${mosaic.base}${path360()}`);
      await page.getByTestId('crm360-timeline').waitFor();
      const timeline = (await page.getByTestId('crm360-timeline').boundingBox())!;
      const sections = (await page.getByTestId('crm360-sections').boundingBox())!;
      const owed = (await page.getByTestId('crm360-outstanding').boundingBox())!;
      const orders = (await page.getByTestId('crm360-orders').boundingBox())!;
      expect(sections.y).toBeGreaterThanOrEqual(timeline.y + timeline.height - 1); // below, not beside
      expect(orders.y).toBeGreaterThan(owed.y);
      expect(timeline.width).toBeLessThanOrEqual(390);
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  test("shows the figures without a currency of their own in the company's currency", async () => {
    const company = (await mosaic.api('GET', '/api/v1/admin/companies')).body.data[0];
    const setCurrency = async (currency: string) => expect((await mosaic.api('PATCH', `/api/v1/admin/companies/${company.id}`, { currency })).status).toBe(200);
    await setCurrency('USD');
    try {
      await page.goto(`${mosaic.base}${path360()}`); // a new page load reads "me", with the company's currency, again
      await expect.poll(() => textOf(page.getByTestId('crm360-orders'))).toContain('$1,130.00'); // orders carry no currency: the company's
    } finally {
      await setCurrency(company.currency);
    }
  });
});

describe('the alert page', () => {
  test('opens from the notification and shows the raised row', async () => {
    await page.goto(`${mosaic.base}/`);
    await page.getByTestId('bell').click();
    const notice = page.getByTestId('notification').filter({ hasText: '预警：大额开票 佛山陶瓷有限公司' });
    await notice.waitFor();
    await notice.click();
    await page.waitForURL((u) => u.pathname === `/alerts/${ids.alert}`);
    expect(await textOf(page.getByTestId('alert-name'))).toBe('大额开票');
    expect(await page.getByTestId('alert-report').getAttribute('href')).toBe(`/reports/${ids.report}`);
    expect(await textOf(page.getByTestId('alert-condition'))).toBe('开票额 > 1,000');
    expect(await textOf(page.getByTestId('alert-last-checked'))).not.toBe('尚未检查');
    const rows = page.getByTestId('alert-row');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await textOf(rows.first())).toContain('佛山陶瓷有限公司');
    expect(await textOf(rows.first().getByTestId('alert-row-value'))).toBe('1,130.00');
  });

  test('an alert on money shows its threshold and values in its currency, and the rows in another currency it did not compare', async () => {
    await created('item', { code: 'PUMP-US', name: '进口水泵', standard_price: { amount: '2000.00', currency: 'USD' } });
    await created('item', { code: 'PUMP-CN', name: '国产水泵', standard_price: { amount: '5000.00', currency: 'CNY' } });
    const report = await mosaic.api('POST', '/api/v1/reports', { name: '物料标准单价', definition: {
      source: 'item', rows: [{ field: 'name', label: { zh: '物料', en: 'Item' } }],
      measures: [{ name: 'price', fn: 'sum', field: 'standard_price', label: { zh: '标准单价', en: 'Standard price' } }],
    } });
    expect(report.status, JSON.stringify(report.body)).toBe(201);
    const usd = await mosaic.api('POST', '/api/v1/alerts', { name: '美元高价物料', reportId: report.body.id, measure: 'price', op: 'gt', threshold: 1000, thresholdCurrency: 'USD' });
    expect(usd.status, JSON.stringify(usd.body)).toBe(201);
    const checked = await mosaic.api('POST', `/api/v1/alerts/${usd.body.id}/evaluate`);
    expect(checked.body.events.map((e: { rowKey: string }) => e.rowKey)).toEqual(['["进口水泵"]']); // ¥5,000 is not "over 1,000 dollars"
    await page.goto(`${mosaic.base}/alerts/${usd.body.id}`);
    await page.getByTestId('alert-name').waitFor();
    expect(await textOf(page.getByTestId('alert-condition'))).toBe('标准单价 > US$1,000.00');
    const rows = page.getByTestId('alert-row');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await textOf(rows.first())).toContain('进口水泵');
    expect(await textOf(rows.first().getByTestId('alert-row-value'))).toBe('US$2,000.00');
    const problem = await textOf(page.getByTestId('alert-problem'));
    expect(problem).toContain('金额是 CNY，不是阈值的币种 USD');
    expect(problem).toContain('国产水泵');

    // The report's own page lists its alerts with the threshold in its currency, and a new one on money asks for
    // a currency beside the threshold, the company's to start with.
    await page.goto(`${mosaic.base}/reports/${report.body.id}`);
    const listed = page.getByTestId('report-alert');
    await expect.poll(() => listed.count()).toBe(1);
    expect(await textOf(listed.first().getByTestId('report-alert-condition'))).toBe('标准单价 > US$1,000.00');
    await page.getByTestId('add-alert').click();
    await page.getByTestId('alert-form-name').fill('人民币高价物料');
    const modal = page.locator('.ant-modal');
    expect(await textOf(modal.locator('.ant-select[aria-label="currency"], .ant-space-compact .ant-select').first())).toBe('CNY');
    await modal.locator('.ant-input-number input').fill('3000');
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    await expect.poll(() => listed.count()).toBe(2);
    expect(await Promise.all((await listed.all()).map((r) => textOf(r.getByTestId('report-alert-condition'))))).toContain('标准单价 > ¥3,000.00');
    const made = ((await mosaic.api('GET', '/api/v1/alerts')).body.data as { id: string; name: string; threshold: string; thresholdCurrency: string | null }[]).find((x) => x.name === '人民币高价物料');
    expect(made).toMatchObject({ threshold: '3000', thresholdCurrency: 'CNY' });
    const cny = await mosaic.api('POST', `/api/v1/alerts/${made!.id}/evaluate`);
    expect(cny.body.events.map((e: { rowKey: string }) => e.rowKey)).toEqual(['["国产水泵"]']);
  });
});
