import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { pdfText } from '@mosaic/print/test-kit';
import { launchBrowser } from './browser.ts';
import { filterOf, recordsVia } from './records.ts';
import { startMosaic, type Mosaic } from './server.ts';
import { pickOption, screenshotOnFailure, textOf, toast } from './ui.ts';

/**
 * A sales rep's day (issue 7), as a new user works it, through the menus:
 * logs in, claims a lead from the public pool (公海), logs a call on it, drags
 * an opportunity to the next stage on the pipeline board (filling the fields
 * the stage requires when asked), and downloads the quote as a PDF whose text
 * carries the customer and the 大写 total. The admin only sets the scene
 * through the API: the rep's account, a lead in the pool, the rep's customer,
 * opportunity and quote.
 */
let mosaic: Mosaic;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
const rep = { email: 'rep@e2e.local', password: 'Rep-E2e-Pw-2026', name: '销售小李' };
let repApi: Mosaic['api'];
let leadId: string;
let opportunityId: string;
let quoteId: string;

/** Calls the API as the rep (the scene the rep owns is made with their own token). */
async function loginAs(base: string, email: string, password: string): Promise<Mosaic['api']> {
  const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  const { token } = (await login.json()) as { token: string };
  expect(login.status).toBe(200);
  return async (method, url, body) => {
    const res = await fetch(base + url, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
}

beforeAll(async () => {
  mosaic = await startMosaic();
  const roles = await mosaic.api<{ data: { id: string; code: string }[] }>('GET', '/api/v1/admin/roles');
  const salesRep = roles.body.data.find((r) => r.code === 'sales_rep');
  expect(salesRep, JSON.stringify(roles.body)).toBeTruthy();
  const user = await mosaic.api('POST', '/api/v1/admin/users', { ...rep, roleIds: [salesRep!.id] });
  expect(user.status, JSON.stringify(user.body)).toBe(201);
  repApi = await loginAs(mosaic.base, rep.email, rep.password);

  // A lead nobody followed up, back in the pool.
  const lead = await mosaic.api('POST', '/api/v1/records/lead', { company: '杭州云栖数据科技有限公司', name: '周经理', phone: '0571-87000000', industry: '软件' });
  expect(lead.status, JSON.stringify(lead.body)).toBe(201);
  leadId = lead.body.id;
  const released = await mosaic.api('POST', `/api/v1/crm/pool/lead/${leadId}/release`, { reason: '7 天未跟进' });
  expect(released.status, JSON.stringify(released.body)).toBe(200);

  // The rep's own customer, opportunity (in the first stage) and quote.
  const { created } = recordsVia(() => repApi);
  const customer = await created('customer', { name: '宁波港口机械有限公司', phone: '0574-86000000' });
  opportunityId = (await created('opportunity', { name: '港机二期改造', customer: customer.id })).id;
  quoteId = (await created('quote', {
    customer: customer.id, opportunity: opportunityId, valid_until: '2026-12-31',
    lines: [{ description: '门座起重机改造', qty: 1, list_price: '80000', discount: '0.05' }, { description: '现场调试', qty: 2, list_price: '3000' }],
  })).id;

  browser = await launchBrowser();
  page = browser.page;
});

afterAll(async () => {
  await browser?.close();
  await mosaic?.stop();
});

screenshotOnFailure('crm-rep', () => page);

/** Opens a page of the 客户关系 menu group by its label. */
async function openCrmMenu(label: string): Promise<void> {
  const item = page.getByRole('menuitem', { name: label, exact: true });
  if (!(await item.isVisible())) await page.getByRole('menuitem', { name: '客户关系' }).click();
  await item.click();
}

describe("a sales rep's day", () => {
  test('logs in as the rep', async () => {
    await page.goto(`${mosaic.base}/login`);
    await page.fill('#login_email', rep.email);
    await page.fill('#login_password', rep.password);
    await page.click('button[type=submit]');
    await page.getByTestId('user-menu').waitFor();
  });

  test('claims a lead from the public pool', async () => {
    await openCrmMenu('公海');
    await page.waitForURL(/\/crm\/pool$/);
    const row = page.getByTestId('pool-row').filter({ hasText: '杭州云栖数据科技有限公司' });
    await row.waitFor();
    await row.getByTestId('pool-claim').click();
    await toast(page, /已领取“杭州云栖数据科技有限公司”/);
    await expect.poll(() => page.getByTestId('pool-row').filter({ hasText: '杭州云栖数据科技有限公司' }).count()).toBe(0);
    const lead = await repApi('GET', `/api/v1/records/lead/${leadId}`);
    expect(lead.status).toBe(200);
    expect(lead.body.in_pool).toBe(false);
  });

  test('logs a call on the claimed lead', async () => {
    await openCrmMenu('跟进记录');
    await page.waitForURL(/\/o\/activity/);
    await page.getByTestId('new-record').first().click();
    await pickOption(page, page.locator('#record-activity_kind'), '电话', '');
    await page.fill('#record-activity_subject', '首次电话沟通：了解数据平台需求');
    await page.fill('#record-activity_content', '周经理下月预算评审，约下周上门演示。');
    await pickOption(page, page.locator('#record-activity_lead'), '杭州云栖数据科技有限公司', '云栖');
    await page.getByTestId('save-record').click();
    await toast(page, '已保存');
    const calls = await repApi('GET', `/api/v1/records/activity?filter=${filterOf({ lead: leadId })}&fields=kind,subject`);
    expect(calls.body.data).toEqual([expect.objectContaining({ kind: 'call', subject: '首次电话沟通：了解数据平台需求' })]);
    // The call is a follow-up: the pool's clock for the lead restarts.
    expect((await repApi('GET', `/api/v1/records/lead/${leadId}`)).body.last_followup_at).toBeTruthy();
  });

  test('moves the opportunity on the pipeline board, filling what the stage requires', async () => {
    await openCrmMenu('销售看板');
    await page.waitForURL(/\/crm\/pipeline$/);
    const column = (stage: string) => page.locator(`[data-testid=pipeline-column][data-stage="${stage}"]`);
    const card = column('初步接洽').getByTestId('pipeline-card').filter({ hasText: '港机二期改造' });
    await card.waitFor();
    expect(await textOf(column('需求确认').getByTestId('pipeline-count'))).toBe('0');
    await page.getByTestId('pipeline-board').scrollIntoViewIfNeeded();
    await card.dragTo(column('需求确认').locator('header'));
    // 需求确认 requires the amount and the expected close date: the board asks for them.
    await page.locator('.ant-modal').filter({ hasText: '进入“需求确认”需要填写' }).waitFor();
    await page.fill('#stage-fields_amount', '86000');
    await page.fill('#stage-fields_expected_close_date', '2026-12-20');
    await page.keyboard.press('Enter');
    await page.getByTestId('stage-fields-ok').click();
    await toast(page, '“港机二期改造”已移到“需求确认”');
    await expect.poll(() => column('需求确认').getByTestId('pipeline-card').filter({ hasText: '港机二期改造' }).count()).toBe(1);
    expect(await textOf(column('初步接洽').getByTestId('pipeline-count'))).toBe('0');
    const opp = await repApi('GET', `/api/v1/records/opportunity/${opportunityId}`);
    expect(opp.body).toMatchObject({ amount: { amount: '86000.00', currency: 'CNY' }, expected_close_date: '2026-12-20', probability: '0.300000' });
    // The stage's money total (its amounts per currency, over every card) follows the card that moved in.
    await expect.poll(() => textOf(column('需求确认').getByTestId('pipeline-amount'))).toBe('¥86,000.00');
    expect(await textOf(column('初步接洽').getByTestId('pipeline-amount'))).toBe('¥0.00');
  });

  test('downloads the quote as a PDF from the quote page', async () => {
    await openCrmMenu('报价单');
    await page.waitForURL(/\/o\/quote/);
    await page.getByTestId('record-title').first().click();
    await page.waitForURL(new RegExp(`/o/quote/${quoteId}$`));
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('print-record').locator('button').first().click()]);
    expect(download.suggestedFilename()).toMatch(/^报价单-QT-\d{4}-\d+\.pdf$/);
    const text = await pdfText(fs.readFileSync((await download.path())!));
    // 80,000 × 95 % + 2 × 3,000 = 82,000 net, 13 % VAT 10,660 → 92,660.
    for (const expected of ['报价单', '宁波港口机械有限公司', '门座起重机改造', '5%', '76,000', '¥92,660.00', '玖万贰仟陆佰陆拾元整']) {
      expect(text, `missing ${expected} in:\n${text}`).toContain(expected);
    }
  });
});
