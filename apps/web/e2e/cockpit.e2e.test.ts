import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { launchBrowser, logIn } from './browser.ts';
import { startMosaic, type Mosaic } from './server.ts';
import { screenshotOnFailure, textOf } from './ui.ts';

/**
 * The managers' cockpit (经营驾驶舱) in the browser: its widgets carry
 * bilingual titles and chart types beyond the basic four (donut, gauge), and
 * every one of them must render — a title object handed to React as a child
 * once blanked the whole page.
 */
let mosaic: Mosaic;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
let cockpit: { id: string; widgets: { id: string }[] };
const errors: string[] = [];

beforeAll(async () => {
  mosaic = await startMosaic();
  const ok = async <T,>(method: string, url: string, body?: unknown) => {
    const r = await mosaic.api<T>(method, url, body);
    expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
    return r.body;
  };
  const wh = await ok<{ id: string }>('POST', '/api/v1/records/warehouse', { code: 'CP1', name: '驾驶舱仓' });
  const item = await ok<{ id: string }>('POST', '/api/v1/records/item', { code: 'CP-ITEM', name: '驾驶舱物料' });
  const entry = await ok<{ id: string; version: number }>('POST', '/api/v1/records/stock_entry', { entry_type: 'receipt', warehouse: wh.id, lines: [{ item: item.id, qty: 10, rate: '120' }] });
  await ok('POST', `/api/v1/records/stock_entry/${entry.id}/submit`, { version: entry.version });
  // This month's books: revenue 1,000.00 and its cost 600.00, so 毛利 is 400.00 — a figure no helper measure equals.
  const codes = ['1122', '5001', '22210102', '5401', '1405'];
  const accounts = (await ok<{ data: { id: string; code: string }[] }>('GET', `/api/v1/records/gl_account?filter=${encodeURIComponent(JSON.stringify({ code: { in: codes } }))}&fields=id,code&pageSize=50`)).data;
  const acct = (code: string) => accounts.find((a) => a.code === code)!.id;
  const today = new Date().toISOString().slice(0, 10);
  for (const lines of [
    [{ account: acct('1122'), debit: '1130.00' }, { account: acct('5001'), credit: '1000.00' }, { account: acct('22210102'), credit: '130.00' }],
    [{ account: acct('5401'), debit: '600.00' }, { account: acct('1405'), credit: '600.00' }],
  ]) {
    const je = await ok<{ id: string; version: number }>('POST', '/api/v1/records/journal_entry', { posting_date: today, lines });
    await ok('POST', `/api/v1/records/journal_entry/${je.id}/submit`, { version: je.version });
  }
  cockpit = await ok('POST', '/api/v1/dashboards/cockpit');
  browser = await launchBrowser();
  page = browser.page;
  page.setDefaultTimeout(20_000);
  page.on('pageerror', (e) => errors.push(e.message));
});

afterAll(async () => {
  await browser?.close();
  await mosaic?.stop();
});

screenshotOnFailure('cockpit', () => page);

describe('the cockpit', () => {
  test('renders every widget with its Chinese title, and the stock figure from the ledger', async () => {
    await logIn(page, mosaic, `/dashboards/${cockpit.id}`);
    const cards = page.getByTestId('widget');
    await expect.poll(() => cards.count()).toBe(cockpit.widgets.length);
    await expect.poll(() => page.locator('[data-testid=widget] .ant-skeleton').count(), { timeout: 30_000 }).toBe(0);
    const stock = page.locator('[data-testid=widget][data-title="库存金额"]');
    await expect.poll(() => textOf(stock)).toContain('1,200');
    expect(await page.locator('[data-testid=widget][data-title="本月收入（同比）"]').count()).toBe(1);
    expect(await page.locator('[data-testid=widget] .ant-alert-warning').count()).toBe(0); // no widget failed
    expect(errors).toEqual([]);
  });

  test('headlines each card with the figure its title promises, named in Chinese, with the comparison it asks for', async () => {
    const card = (title: string) => page.locator(`[data-testid=widget][data-title="${title}"]`);
    // 本月毛利 is revenue less cost (not the revenue credited, the first input); 应收账款余额 the balance (not the debits).
    await expect.poll(() => textOf(card('本月毛利').getByTestId('kpi'))).toBe('毛利400.00');
    await expect.poll(() => textOf(card('应收账款余额').getByTestId('kpi'))).toBe('应收余额1,130.00');
    expect(await card('本月毛利').getByTestId('kpi-secondary').count()).toBe(0); // its helper measures are not shown
    // A stock value of 1,200 to the cent, under its own name rather than the measure's API name.
    expect(await textOf(card('库存金额').getByTestId('kpi'))).toBe('库存金额1,200.00');
    // 本月订单 compares with the previous period, and shows its second figure, the orders' amount, beneath.
    expect(await textOf(card('本月订单').getByTestId('kpi-compare'))).toContain('上期');
    expect(await textOf(card('本月订单').getByTestId('kpi-secondary'))).toContain('订单金额');
    expect(await textOf(card('本月收入（同比）').getByTestId('kpi-compare'))).toContain('去年同期');
    // The gauges draw the rate they are named after, not a table of their helper counts.
    for (const title of ['本月按期交货率', 'SLA 达成率']) {
      expect(await card(title).locator('canvas').count(), title).toBeGreaterThan(0);
      expect(await card(title).getByTestId('report-table').count(), title).toBe(0);
    }
  });
});
