import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { pdfText } from '@mosaic/print/test-kit';
import { launchBrowser, logIn } from './browser.ts';
import { startMosaic, type Mosaic } from './server.ts';
import { pickOption, screenshotOnFailure, textOf, toast, selectOf } from './ui.ts';
import { today } from './records.ts';

/**
 * Issue 8, order to cash through the web app as a new user would: a sales order
 * with three lines typed into the form, submitted (stock reserved), a delivery
 * made from it with one click and submitted (stock out), an invoice made from
 * the delivery and submitted (receivable booked), and its PDF downloaded — the
 * PDF's text names the customer and gives the total in Chinese capitals.
 * Master data (customer, warehouse, items in stock) comes through the API.
 */
let mosaic: Mosaic;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
const errors: string[] = [];
const CUSTOMER = '杭州西湖贸易有限公司';
// 10 × 5 + 20 × 2.5 + 4 × 100 = 500.00 net, 65.00 VAT at 13 %, 565.00 in all.
const LINES = [['六角螺栓', '10', '5'], ['平垫片', '20', '2.5'], ['扭力扳手', '4', '100']] as const;
let orderId = '';

beforeAll(async () => {
  mosaic = await startMosaic();
  const ok = <T>(r: { status: number; body: T }) => {
    expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
    return r.body;
  };
  ok(await mosaic.api('POST', '/api/v1/records/customer', { name: CUSTOMER }));
  const wh = ok(await mosaic.api<{ id: string }>('POST', '/api/v1/records/warehouse', { code: 'FG', name: '成品仓' })).id;
  const items = [];
  for (const [i, [name]] of LINES.entries()) items.push(ok(await mosaic.api<{ id: string }>('POST', '/api/v1/records/item', { code: `OTC-${i + 1}`, name })).id);
  const receipt = ok(await mosaic.api<{ id: string; version: number }>('POST', '/api/v1/records/stock_entry', {
    entry_type: 'receipt', warehouse: wh, lines: items.map((item) => ({ item, qty: 50, rate: 1 })),
  }));
  ok(await mosaic.api('POST', `/api/v1/records/stock_entry/${receipt.id}/submit`, { version: receipt.version }));
  browser = await launchBrowser();
  page = browser.page;
  page.on('pageerror', (e) => errors.push(e.message));
});

afterAll(async () => {
  await browser?.close();
  await mosaic?.stop();
});

screenshotOnFailure('order-to-cash', () => page);

const select = (id: string) => selectOf(page, id);

/** Submits the document on screen and waits for its status tag to say so. */
async function submitShown(): Promise<void> {
  await page.getByTestId('doc-submit').click();
  await toast(page, '已提交');
  await expect.poll(() => textOf(page.getByTestId('document-status'))).toBe('已提交');
}

/** Clicks a "生成…" action and waits for the new draft's page. */
async function makeNext(target: string): Promise<string> {
  await page.getByTestId(`make-${target}`).click();
  await page.waitForURL(new RegExp(`/o/${target}/[0-9a-f-]{36}$`));
  await expect.poll(() => textOf(page.getByTestId('document-status'))).toBe('草稿');
  return page.url().split('/').pop()!;
}

describe('order to cash in the browser', () => {
  test('logs in and types a sales order with three lines', async () => {
    await logIn(page, mosaic, `/o/sales_order`);
    await page.getByTestId('new-record').first().click();
    await page.fill('#record-sales_order_order_date', today()); // the tenant's day (Shanghai), not UTC's
    await page.keyboard.press('Enter');
    await pickOption(page, select('record-sales_order_customer'), CUSTOMER, '西湖');
    await pickOption(page, select('record-sales_order_warehouse'), '成品仓', '成品');
    const grid = page.getByTestId('child-lines');
    for (const [i, [name, qty, rate]] of LINES.entries()) {
      await grid.getByRole('button', { name: /添加/ }).click();
      await pickOption(page, select(`record-sales_order_lines_${i}_item`), name);
      await page.fill(`#record-sales_order_lines_${i}_qty`, qty);
      await page.fill(`#record-sales_order_lines_${i}_rate`, rate);
      await page.fill(`#record-sales_order_lines_${i}_tax_rate`, '13'); // percent fields take points
    }
    await page.getByTestId('save-record').click();
    await toast(page, '已保存');
    await page.locator('tbody tr.ant-table-row', { hasText: CUSTOMER }).waitFor();
    const saved = (await mosaic.api<{ data: { id: string }[] }>('GET', '/api/v1/records/sales_order')).body.data;
    const order = (await mosaic.api('GET', `/api/v1/records/sales_order/${saved[0].id}`)).body;
    expect(order).toMatchObject({ net_total: '500.00', tax_total: '65.00', grand_total: '565.00', status: 'draft' }); // computed by the server
    expect(order.lines).toHaveLength(3);
  });

  test('submits the order: its three lines reserve stock', async () => {
    await page.locator('tbody tr.ant-table-row', { hasText: CUSTOMER }).getByTestId('record-title').click();
    await page.waitForURL(/\/o\/sales_order\/[0-9a-f-]{36}$/);
    orderId = page.url().split('/').pop()!;
    expect(await textOf(page.getByTestId('document-status'))).toBe('草稿');
    await submitShown();
    expect(await page.getByTestId('edit-record').count()).toBe(0); // submitted: immutable
    const balances = (await mosaic.api<{ data: { reserved: string }[] }>('GET', '/api/v1/records/stock_balance')).body.data;
    expect(balances.map((b) => Number(b.reserved)).sort((a, b) => a - b)).toEqual([4, 10, 20]);
  });

  test('makes the delivery from the order with one click and submits it', async () => {
    const dn = await makeNext('delivery_note');
    const lines = page.locator('.ant-card', { hasText: '明细' }).locator('tbody tr.ant-table-row');
    await expect.poll(() => lines.count()).toBe(3); // everything left to deliver
    await submitShown();
    const draft = (await mosaic.api('GET', `/api/v1/records/delivery_note/${dn}`)).body;
    expect(draft).toMatchObject({ sales_order: orderId, status: 'submitted' });
    const balances = (await mosaic.api<{ data: { on_hand: string; reserved: string }[] }>('GET', '/api/v1/records/stock_balance')).body.data;
    expect(balances.map((b) => [Number(b.on_hand), Number(b.reserved)]).sort((a, b) => a[0] - b[0])).toEqual([[30, 0], [40, 0], [46, 0]]);
  });

  test('makes the invoice from the delivery, submits it and downloads its PDF', async () => {
    const inv = await makeNext('sales_invoice');
    await submitShown();
    const invoice = (await mosaic.api('GET', `/api/v1/records/sales_invoice/${inv}`)).body;
    expect(invoice).toMatchObject({ net_total: '500.00', tax_total: '65.00', grand_total: '565.00', status: 'submitted' });
    const chain = (await mosaic.api('GET', `/api/v1/selling/sales-orders/${orderId}/chain`)).body;
    expect(chain).toMatchObject({ perDelivered: '100.00', perInvoiced: '100.00', perPaid: '0.00', deliveryNotes: [expect.any(String)], salesInvoices: [inv] });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('print-record').locator('button').first().click()]);
    expect(download.suggestedFilename()).toMatch(/^销售发票-SI-\d{4}-\d+\.pdf$/);
    const text = await pdfText(fs.readFileSync((await download.path())!));
    expect(text).toContain(CUSTOMER);
    for (const [name] of LINES) expect(text).toContain(name);
    expect(text).toContain('¥565.00');
    expect(text).toContain('伍佰陆拾伍元整');
    expect(errors).toEqual([]);
  });
});
