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
});
