import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { pdfText } from '@mosaic/print/test-kit';
import { launchBrowser, logIn } from './browser.ts';
import { startMosaic, type Mosaic } from './server.ts';
import { screenshotOnFailure } from './ui.ts';

/**
 * Printing from the record page, as a user would: open a sales invoice, press
 * 打印, get the PDF as a download; its text carries the customer and the 大写 total.
 */
let mosaic: Mosaic;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
let invoiceId: string;

beforeAll(async () => {
  mosaic = await startMosaic();
  const customer = await mosaic.api<{ id: string }>('POST', '/api/v1/records/customer', { name: '成都天府软件有限公司' });
  const item = await mosaic.api<{ id: string }>('POST', '/api/v1/records/item', { code: 'SW-1', name: '软件授权' });
  const inv = await mosaic.api<{ id: string }>('POST', '/api/v1/records/sales_invoice', { customer: customer.body.id, lines: [{ item: item.body.id, qty: 2, rate: '500' }] });
  expect(inv.status, JSON.stringify(inv.body)).toBe(201);
  invoiceId = inv.body.id;
  browser = await launchBrowser();
  page = browser.page;
});

afterAll(async () => {
  await browser?.close();
  await mosaic?.stop();
});

screenshotOnFailure('print', () => page);

describe('printing', () => {
  test('downloads the invoice PDF from the record page', async () => {
    await logIn(page, mosaic, `/o/sales_invoice/${invoiceId}`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('print-record').locator('button').first().click()]);
    expect(download.suggestedFilename()).toMatch(/^销售发票-SI-\d{4}-\d+\.pdf$/);
    const text = await pdfText(fs.readFileSync((await download.path())!));
    expect(text).toContain('成都天府软件有限公司');
    expect(text).toContain('软件授权');
    expect(text).toContain('¥1,130.00'); // 1,000.00 + 13 % VAT
    expect(text).toContain('壹仟壹佰叁拾元整');
  });
});
