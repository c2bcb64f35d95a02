import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { launchBrowser, logIn } from './browser.ts';
import { filterOf, inDays, recordsVia } from './records.ts';
import { startMosaic, type Mosaic } from './server.ts';
import { pickOption, screenshotOnFailure, textOf, toast } from './ui.ts';

/**
 * Issue 10 from a sales order to the shop floor, as the planner and a worker do it:
 * the planner runs MRP in the browser (progress bar), sees the planned work order
 * pegged to the sales order and the purchase suggestion for the wood, firms both
 * (a draft work order and a purchase requisition) and releases the work order
 * (job cards); on a phone-sized screen the worker reports 6 good + 1 scrapped,
 * then 3 good, with the big buttons.
 */
let mosaic: Mosaic;
let desktop: Awaited<ReturnType<typeof launchBrowser>>;
let phone: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
let phonePage: Page | undefined;
const ids: Record<string, string> = {};
const errors: string[] = [];
const { createdId: create } = recordsVia(() => mosaic.api);


beforeAll(async () => {
  mosaic = await startMosaic();
  ids.RM = await create('warehouse', { code: 'RM', name: '原料仓' });
  ids.FG = await create('warehouse', { code: 'FG', name: '成品仓', allow_negative: true });
  ids.TABLE = await create('item', { code: 'TABLE', name: '餐桌' });
  ids.WOOD = await create('item', { code: 'WOOD', name: '橡木板' });
  await create('item_planning', { item: ids.TABLE, procurement: 'make', lead_time_days: 2 });
  await create('item_planning', { item: ids.WOOD, procurement: 'buy', lead_time_days: 3 });
  const ws = await create('workstation', { code: 'ASSY', name: '总装线', hourly_cost: 60, shifts: [{ name: '白班', hours: 8 }] });
  const routing = await create('routing', { code: 'R-TABLE', name: '餐桌装配', operations: [{ seq: 10, name: '组装', workstation: ws, run_minutes: 30 }] });
  await create('bom', { item: ids.TABLE, is_default: true, routing, lines: [{ item: ids.WOOD, qty: 4 }] });
  const customer = await create('customer', { name: '北京宜居家具有限公司' });
  ids.SO = await create('sales_order', { customer, warehouse: ids.FG, delivery_date: inDays(20), lines: [{ item: ids.TABLE, qty: 10, rate: 800 }] });
  const submitted = await mosaic.api('POST', `/api/v1/records/sales_order/${ids.SO}/submit`, { version: 1 });
  expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);

  desktop = await launchBrowser();
  page = desktop.page;
  page.on('pageerror', (e) => errors.push(e.message));
  await logIn(page, mosaic, '/mfg/mrp');
});

afterAll(async () => {
  await phone?.close();
  await desktop?.close();
  await mosaic?.stop();
});

screenshotOnFailure('manufacturing', () => phonePage ?? page);

const suggestionRows = () => page.getByTestId('mrp-suggestions').locator('.ant-table-tbody .ant-table-row');

describe('planning from the sales order', () => {
  test('runs MRP with a progress bar and lists the planned work order and the purchase suggestion', async () => {
    await page.getByTestId('mrp-run').click();
    await expect.poll(() => page.getByTestId('mrp-progress').getAttribute('aria-valuenow'), { timeout: 20_000 }).toBe('100');
    await expect.poll(() => suggestionRows().count()).toBe(2);
    const texts = await Promise.all([0, 1].map((i) => textOf(suggestionRows().nth(i))));
    // TABLE 10 due on the delivery date, released 2 days before; WOOD 40 due on that release date, ordered 3 days before.
    expect(texts[0]).toContain('计划工单');
    expect(texts[0]).toContain('TABLE');
    expect(texts[0]).toContain(inDays(18));
    expect(texts[0]).toContain(inDays(20));
    expect(texts[0]).toMatch(/SO-\d{4}-\d+/); // pegged to the sales order
    expect(texts[1]).toContain('采购建议');
    expect(texts[1]).toContain('WOOD');
    expect(texts[1]).toContain('40');
    expect(texts[1]).toContain(inDays(15));
  });

  test('firms both: a draft work order and a purchase requisition', async () => {
    await page.getByTestId('mrp-suggestions').locator('thead .ant-checkbox-input').check();
    // One select at a time: the first one's dropdown (listing every warehouse) must be gone before the second opens.
    const openDropdowns = () => page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').count();
    const source = page.locator('.ant-select').filter({ has: page.locator('#mrp-source-warehouse') });
    const fg = page.locator('.ant-select').filter({ has: page.locator('#mrp-fg-warehouse') });
    await pickOption(page, source, '原料仓', '原料');
    await expect.poll(openDropdowns).toBe(0);
    await pickOption(page, fg, '成品仓', '成品');
    await expect.poll(openDropdowns).toBe(0);
    expect(await textOf(source)).toContain('原料仓');
    expect(await textOf(fg)).toContain('成品仓');
    await page.getByTestId('mrp-firm').click();
    await toast(page, '已生成 1 张生产工单');
    await page.getByTestId('mrp-firm-result').waitFor();
    expect(await page.getByTestId('firmed-requisition').count()).toBe(1);
    await expect.poll(async () => (await Promise.all([0, 1].map((i) => textOf(suggestionRows().nth(i))))).every((t) => t.includes('已确认'))).toBe(true);

    const reqs = await mosaic.api<{ data: any[] }>('GET', `/api/v1/records/purchase_requisition?filter=${filterOf({ source: 'mrp' })}&fields=id`);
    expect(reqs.body.data).toHaveLength(1);
    const req = await mosaic.api<any>('GET', `/api/v1/records/purchase_requisition/${reqs.body.data[0].id}`);
    expect(req.body).toMatchObject({ warehouse: ids.RM, status: 'draft' });
    expect(req.body.lines.map((l: any) => [l.item, Number(l.qty), l.required_date])).toEqual([[ids.WOOD, 40, inDays(18)]]);
  });

  test('releases the work order on its page: the job card appears', async () => {
    await page.getByTestId('firmed-work-order').first().click();
    await page.waitForURL(/\/mfg\/work-orders\/[0-9a-f-]{36}$/);
    ids.WO = page.url().split('/').pop()!;
    expect(await textOf(page.getByTestId('wo-progress'))).toBe('计划');
    await page.getByTestId('wo-release').click();
    await toast(page, '工单已下达');
    await expect.poll(() => textOf(page.getByTestId('wo-progress'))).toBe('已下达');
    const cardRow = page.getByTestId('wo-job-cards').locator('.ant-table-tbody .ant-table-row');
    await expect.poll(() => cardRow.count()).toBe(1);
    expect(await textOf(cardRow.first())).toContain('组装');
    expect(await textOf(cardRow.first())).toContain('总装线');
    const wo = await mosaic.api<any>('GET', `/api/v1/records/work_order/${ids.WO}`);
    expect(wo.body).toMatchObject({ status: 'submitted', item: ids.TABLE, qty: '10.000000', sales_order: ids.SO, source_warehouse: ids.RM, fg_warehouse: ids.FG });
    ids.CARD = (await page.getByTestId('wo-report-link').first().getAttribute('href'))!.split('/').pop()!;
  });
});

describe('reporting work on a phone', () => {
  test('reports two batches with big buttons; the work order follows', async () => {
    phone = await launchBrowser({ viewport: { width: 390, height: 844 } });
    phonePage = phone.page;
    phonePage.on('pageerror', (e) => errors.push(e.message));
    const p = phonePage;
    await logIn(p, mosaic, `/mfg/report/${ids.CARD}`);
    // Big targets: the report button at least 56 px high and nearly the screen's width.
    const submit = p.getByTestId('report-submit');
    const box = (await submit.boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(56);
    expect(box.width).toBeGreaterThan(300);
    expect(((await p.getByTestId('report-good-plus').boundingBox())!).height).toBeGreaterThanOrEqual(56);

    // Batch 1: 6 good with the + button, 1 scrapped, 20 minutes typed.
    for (let i = 0; i < 6; i++) await p.getByTestId('report-good-plus').click();
    await p.getByTestId('report-scrap-plus').click();
    await p.fill('#report-minutes', '20');
    await submit.click();
    await toast(p, '报工成功');
    await expect.poll(() => textOf(p.getByTestId('report-so-far'))).toContain('合格 6 / 报废 1');

    // Batch 2: 3 good typed.
    await p.fill('#report-good', '3');
    await submit.click();
    await expect.poll(() => textOf(p.getByTestId('report-so-far'))).toContain('合格 9 / 报废 1');
    await p.getByText('本工序已完成').waitFor(); // 9 + 1 = the 10 ordered

    const wo = await mosaic.api<any>('GET', `/api/v1/records/work_order/${ids.WO}`);
    expect(wo.body).toMatchObject({ progress: 'in_process', produced_qty: '9.000000', scrap_qty: '1.000000' });
    const logs = await mosaic.api<{ data: any[] }>('GET', `/api/v1/records/job_card_log?filter=${filterOf({ job_card: ids.CARD })}&sort=created_at`);
    expect(logs.body.data.map((l) => [Number(l.good_qty), Number(l.scrap_qty), Number(l.minutes)])).toEqual([[6, 1, 20], [3, 0, 0]]);
  });

  test('no script errors on either screen', () => {
    expect(errors).toEqual([]);
  });
});
