import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { launchBrowser, logIn } from './browser.ts';
import { inDays, recordsVia } from './records.ts';
import { startMosaic, type Mosaic } from './server.ts';
import { pickOption, screenshotOnFailure, textOf } from './ui.ts';

/**
 * Issue 10's BOM and planning pages in the browser: a 3-level desk BOM opened
 * from its record, the tree with hand-computed quantities and costs, where-used,
 * the version picker; "can we take this order?" with a quantity that outruns the
 * boards in stock (the late purchase and the earliest date) and with a quantity
 * the server refuses (its field error under the field); the production reports;
 * and the BOM tree and the form on a phone.
 *
 *   DESK (V1, default):  SHELF 2, LEG 4, SCREW 8 at 5 % scrap
 *   SHELF (base qty 2):  BOARD 3 at 10 % scrap, SCREW 8
 *   rates from the receipt: BOARD 50, LEG 12.5, SCREW 0.2
 *   per desk: SHELF 2; BOARD 2 × 3/2 × 1.1 = 3.3; SCREW 2 × 4 = 8 (+ 8 × 1.05 = 8.4 direct); LEG 4
 *   SHELF cost 1.65 × 50 + 4 × 0.2 = 83.30; DESK 2 × 83.30 + 4 × 12.5 + 8.4 × 0.2 = 218.28
 */
let mosaic: Mosaic;
let desktop: Awaited<ReturnType<typeof launchBrowser>>;
let phone: Awaited<ReturnType<typeof launchBrowser>> | undefined;
let page: Page;
let phonePage: Page | undefined;
const ids: Record<string, string> = {};
const errors: string[] = [];
const { createdId: create } = recordsVia(() => mosaic.api);

beforeAll(async () => {
  mosaic = await startMosaic();
  ids.RM = await create('warehouse', { code: 'RM', name: '原料仓' });
  for (const [code, name] of [['DESK', '书桌'], ['SHELF', '搁板'], ['BOARD', '板材'], ['LEG', '桌腿'], ['SCREW', '螺丝']]) ids[code] = await create('item', { code, name });
  await create('item_planning', { item: ids.DESK, procurement: 'make', lead_time_days: 2 });
  await create('item_planning', { item: ids.SHELF, procurement: 'make', lead_time_days: 1 });
  await create('item_planning', { item: ids.BOARD, procurement: 'buy', lead_time_days: 5 });
  await create('item_planning', { item: ids.LEG, procurement: 'buy', lead_time_days: 3 });
  await create('item_planning', { item: ids.SCREW, procurement: 'buy', lead_time_days: 2 });
  const receipt = await create('stock_entry', {
    entry_type: 'receipt', warehouse: ids.RM,
    lines: [{ item: ids.BOARD, qty: 100, rate: 50 }, { item: ids.LEG, qty: 100, rate: '12.5' }, { item: ids.SCREW, qty: 1000, rate: '0.2' }],
  });
  const posted = await mosaic.api('POST', `/api/v1/records/stock_entry/${receipt}/submit`, { version: 1 });
  expect(posted.status, JSON.stringify(posted.body)).toBe(200);
  await create('bom', { item: ids.SHELF, quantity: 2, is_default: true, lines: [{ item: ids.BOARD, qty: 3, scrap_pct: '0.1' }, { item: ids.SCREW, qty: 8 }] });
  ids.DESK_V1 = await create('bom', {
    item: ids.DESK, revision: 'V1', is_default: true,
    lines: [{ item: ids.SHELF, qty: 2 }, { item: ids.LEG, qty: 4 }, { item: ids.SCREW, qty: 8, scrap_pct: '0.05' }],
  });
  ids.DESK_V2 = await create('bom', { item: ids.DESK, revision: 'V2', effective_from: inDays(30), lines: [{ item: ids.LEG, qty: 4 }] });

  desktop = await launchBrowser();
  page = desktop.page;
  page.on('pageerror', (e) => errors.push(e.message));
  await logIn(page, mosaic, `/o/bom/${ids.DESK_V1}`);
});

afterAll(async () => {
  await phone?.close();
  await desktop?.close();
  await mosaic?.stop();
});

screenshotOnFailure('manufacturing-bom', () => phonePage ?? page);

const treeRows = (p: Page = page) => p.getByTestId('bom-tree').locator('.ant-table-tbody .ant-table-row');
/** Each row as [item, qty per parent, qty per desk, cost per desk], as shown. */
const treeTable = async (p: Page = page) => {
  const rows = treeRows(p);
  const out: string[][] = [];
  for (let i = 0; i < (await rows.count()); i++) {
    const r = rows.nth(i);
    out.push(await Promise.all(['bom-node-item', 'bom-qty-per', 'bom-qty', 'bom-cost'].map((id) => textOf(r.getByTestId(id)))));
  }
  return out;
};

describe('the BOM tree', () => {
  test('opens from the BOM record and shows every level with exact quantities and the rolled-up cost', async () => {
    await page.getByTestId('record-page-bom').click();
    await page.waitForURL(new RegExp(`/mfg/boms/${ids.DESK_V1}$`));
    await expect.poll(() => treeRows().count()).toBe(6);
    expect(await treeTable()).toEqual([
      ['DESK 书桌', '', '1', '218.28'],
      ['SHELF 搁板', '2', '2', '166.60'],
      ['BOARD 板材', '1.65', '3.3', '165.00'],
      ['SCREW 螺丝', '4', '8', '1.60'],
      ['LEG 桌腿', '4', '4', '50.00'],
      ['SCREW 螺丝', '8.4', '8.4', '1.68'],
    ]);
    await expect.poll(() => textOf(page.getByTestId('bom-unit-cost'))).toBe('218.28');
    const summary = await textOf(page.getByTestId('bom-summary'));
    expect(summary).toContain('V1');
    expect(summary).toContain('默认');
  });

  test('where-used lists the parents of a component, up to the desk', async () => {
    // the screw under the shelf: used by SHELF (itself used by DESK) and by DESK directly
    await treeRows().nth(3).getByRole('button', { name: '反查（用在哪里）' }).click();
    const nodes = page.getByTestId('where-used').getByTestId('where-used-node');
    await expect.poll(() => nodes.count()).toBe(3);
    const texts = await Promise.all([0, 1, 2].map((i) => textOf(nodes.nth(i))));
    expect(texts.filter((x) => x.startsWith('SHELF 搁板'))).toEqual(['SHELF 搁板 · V1 · 用量 8']);
    expect(texts.filter((x) => x.startsWith('DESK 书桌')).sort()).toEqual(['DESK 书桌 · V1 · 用量 2', 'DESK 书桌 · V1 · 用量 8']);
  });

  test('the version picker lists V1 and V2 with their dates and opens V2', async () => {
    await pickOption(page, page.getByTestId('bom-version').locator('.ant-select'), `V2 · ${inDays(30)}`, '');
    await page.waitForURL(new RegExp(`/mfg/boms/${ids.DESK_V2}$`));
    await expect.poll(() => treeRows().count()).toBe(2);
    expect((await treeTable())[1]).toEqual(['LEG 桌腿', '4', '4', '50.00']);
    expect(await textOf(page.getByTestId('bom-summary'))).toContain(inDays(30));
  });
});

describe('can we take this order?', () => {
  const ask = async (qty: string, date: string) => {
    await page.fill('#can-take-qty', qty);
    await page.click('#can-take-date');
    await page.fill('#can-take-date', date);
    await page.keyboard.press('Enter');
    await page.getByTestId('can-take-ask').click();
  };

  test('a quantity the boards in stock cover is a yes', async () => {
    await page.goto(`${mosaic.base}/mfg/can-take`);
    await pickOption(page, page.locator('.ant-select').filter({ has: page.locator('#can-take-item') }), '书桌', '书桌');
    await ask('2', inDays(5));
    await expect.poll(() => textOf(page.getByTestId('can-take-verdict'))).toContain(`可以接单：${inDays(5)}`);
  });

  test('too many desks: the boards must be bought 3 days ago, so the earliest date is 3 days later', async () => {
    // 100 desks need 330 boards on the shelves' start (day 2); 100 on hand, 230 bought with 5 days' lead → ordered on day −3
    await ask('100', inDays(5));
    await expect.poll(() => textOf(page.getByTestId('can-take-verdict'))).toContain(`物料最早 ${inDays(8)} 才能齐套`);
    const rows = page.getByTestId('can-take-material').locator('.ant-table-tbody .ant-table-row');
    expect(await rows.count()).toBe(1);
    const board = await textOf(rows.first());
    for (const part of ['BOARD', '采购建议', '230', inDays(-3), inDays(2), '3 天']) expect(board).toContain(part);
  });

  test('an invalid quantity shows the server\'s field error under the quantity', async () => {
    const server = await mosaic.api<{ error: { field: string; message: string } }>('POST', '/api/v1/manufacturing/can-we-take', { item: ids.DESK, qty: '-5', date: inDays(5) });
    expect(server.status).toBe(422);
    expect(server.body.error.field).toBe('qty');
    await ask('-5', inDays(5));
    const qtyItem = page.locator('.ant-form-item').filter({ has: page.locator('#can-take-qty') });
    await expect.poll(() => textOf(qtyItem.locator('.ant-form-item-explain-error'))).toBe(server.body.error.message.replace(/^qty: /, ''));
    expect(await page.getByTestId('can-take-answer').count()).toBe(0);
  });
});

describe('production reports and the menu', () => {
  test('the menu offers 能否接单 and 生产报表; the reports page shows the shipped reports in the report table', async () => {
    // a draft work order for 100 desks: its direct materials against the material warehouse
    await create('work_order', { item: ids.DESK, bom: ids.DESK_V1, qty: 100, source_warehouse: ids.RM, fg_warehouse: ids.RM, planned_start: inDays(3), due_date: inDays(5) });
    await page.getByRole('menuitem', { name: '生产报表' }).click();
    await page.waitForURL(/\/mfg\/reports$/);
    await expect.poll(() => textOf(page.getByTestId('mfg-on-time-rate'))).toContain('准时完工率');
    await page.getByRole('tab', { name: '缺料清单' }).click();
    await page.waitForURL(/r=material-shortages/);
    const rows = page.getByTestId('report-table').locator('.ant-table-tbody .ant-table-row');
    await expect.poll(() => rows.count()).toBe(2);
    // LEG 400 needed, 100 on hand; SHELF 200, none; the screws (840 of 1000) are enough
    expect(await rows.nth(0).locator('td').allTextContents()).toEqual(['LEG', '原料仓', '400', '100', '300', '1']);
    expect(await rows.nth(1).locator('td').allTextContents()).toEqual(['SHELF', '原料仓', '200', '0', '200', '1']);
    await page.getByRole('tab', { name: '工作中心负荷' }).click();
    await expect.poll(() => page.getByTestId('report-table').count()).toBe(1);
    expect(await page.getByRole('menuitem', { name: '能否接单' }).count()).toBe(1);
  });
});

describe('on a phone', () => {
  test('the tree scrolls inside its box and the can-take form stacks', async () => {
    phone = await launchBrowser({ viewport: { width: 390, height: 844 } });
    phonePage = phone.page;
    phonePage.on('pageerror', (e) => errors.push(e.message));
    const p = phonePage;
    await logIn(p, mosaic, `/mfg/boms/${ids.DESK_V1}`);
    await expect.poll(() => treeRows(p).count()).toBe(6);
    // the page itself is no wider than the screen; the table scrolls sideways in its own box
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const scroll = await p.getByTestId('bom-tree').locator('.ant-table-content').evaluate((e) => [e.scrollWidth, e.clientWidth]);
    expect(scroll[0]).toBeGreaterThan(scroll[1]);

    await p.goto(`${mosaic.base}/mfg/can-take`);
    const item = (await p.locator('.ant-form-item').filter({ has: p.locator('#can-take-item') }).boundingBox())!;
    const qty = (await p.locator('.ant-form-item').filter({ has: p.locator('#can-take-qty') }).boundingBox())!;
    expect(qty.y).toBeGreaterThan(item.y + item.height - 1); // below, not beside
    expect(qty.width).toBeGreaterThan(300);
  });

  test('no script errors on either screen', () => {
    expect(errors).toEqual([]);
  });
});
