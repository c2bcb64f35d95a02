import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { setUpApprovals, type ApprovalsWorld, type Person } from './approvals-setup.ts';
import { launchBrowser, logIn } from './browser.ts';
import { startMosaic, type Mosaic } from './server.ts';
import { screenshotOnFailure, textOf, toast } from './ui.ts';

/**
 * Approvals in the browser, on one server (approvals-setup.ts makes the
 * people, roles and the one-step flow 采购审批 → 经理审批):
 *
 * 1. "Approve as another user through the UI" (issue 5): 张三 (a requester,
 *    not an admin) submits a purchase request on its page; 王经理, the
 *    approver, logs in in a browser of her own, finds it under 我的审批, opens
 *    it and approves with a comment; 张三 then sees the request approved and
 *    the step in its history.
 * 2. The approver's other answers: 王经理 transfers (转办) one request to
 *    李主管, picked by searching for her name; 李主管 finds it in her 我的审批
 *    and approves it. On a second request 王经理 adds 李主管 after herself
 *    (加签), then returns it for changes (退回修改) with a comment; the
 *    requester 张三 sees the request back in draft with that comment.
 */
let mosaic: Mosaic;
let world: ApprovalsWorld;
let requester: Awaited<ReturnType<typeof launchBrowser>>;
let approvers: Awaited<ReturnType<typeof launchBrowser>>;
let pageA: Page;
let pageB: Page;
let failing: Page | undefined;
const errors: string[] = [];
let A: Person;
let B: Person;
let C: Person;
let docId = '';
const docs = { projector: '', screen: '' };

/** A fresh session: the approvers' browser is shared by 王经理 and 李主管, one after the other. */
async function logInAs(page: Page, who: { email: string; password: string }, next: string): Promise<void> {
  await page.context().clearCookies();
  await logIn(page, { base: mosaic.base, ...who }, next);
}

beforeAll(async () => {
  mosaic = await startMosaic();
  world = await setUpApprovals(mosaic);
  ({ A, B, C } = world);
  // 张三's draft, made through the API as himself: the first part is about submitting and approving.
  docId = await world.draft('采购笔记本电脑', 8999);

  // Two browsers: two people, two sessions.
  requester = await launchBrowser();
  approvers = await launchBrowser();
  pageA = requester.page;
  pageB = approvers.page;
  for (const p of [pageA, pageB]) {
    p.setDefaultTimeout(10_000);
    p.on('pageerror', (e) => errors.push(e.message));
  }
});

afterAll(async () => {
  await requester?.close();
  await approvers?.close();
  await mosaic?.stop();
});

screenshotOnFailure('approvals', () => failing);

describe('approving as another user', () => {
  test('the requester submits the draft on its page', async () => {
    failing = pageA;
    await logInAs(pageA, A, `/o/purchase_request/${docId}`);
    await expect.poll(() => textOf(pageA.getByTestId('detail-title'))).toBe('采购笔记本电脑');
    await pageA.getByTestId('doc-submit').click();
    await toast(pageA, '已提交，等待审批');
    await expect.poll(() => pageA.locator('.page-header [data-status]').getAttribute('data-status')).toBe('submitted');
    await expect.poll(() => pageA.getByTestId('approval-instance').getAttribute('data-status')).toBe('running');
    // The submitter may withdraw while it runs, but has nothing to decide.
    expect(await pageA.getByTestId('approval-withdraw').count()).toBe(1);
    expect(await pageA.getByTestId('decision-box').count()).toBe(0);
  });

  test('the approver finds it in 我的审批 and approves it with a comment', async () => {
    failing = pageB;
    await logInAs(pageB, B, '/');
    await pageB.locator('.ant-menu-item', { hasText: '我的审批' }).click();
    await pageB.waitForURL(/\/approvals$/);
    const row = pageB.getByTestId('inbox-row').filter({ hasText: '采购笔记本电脑' });
    await expect.poll(() => textOf(row)).toContain('采购审批 · 经理审批');
    expect(await textOf(row)).toContain('张三');
    await row.click();
    await pageB.waitForURL(new RegExp(`/o/purchase_request/${docId}$`));
    await expect.poll(() => textOf(pageB.getByTestId('decision-box'))).toContain('经理审批');
    await pageB.getByTestId('approval-comment').fill('预算内，同意采购');
    await pageB.getByTestId('approval-approve').click();
    await toast(pageB, '已同意');
    await expect.poll(() => pageB.getByTestId('approval-instance').getAttribute('data-status')).toBe('approved');
    expect(await pageB.getByTestId('decision-box').count()).toBe(0);

    // Nothing is left waiting for her; the decision is under 已处理.
    await pageB.goto(`${mosaic.base}/approvals`);
    await expect.poll(() => pageB.getByText('没有等待您审批的单据').count()).toBe(1);
    await pageB.getByRole('tab', { name: '已处理' }).click();
    await expect.poll(() => textOf(pageB.getByTestId('inbox-row').first())).toContain('采购笔记本电脑');
  });

  test('the requester sees the request approved, with who approved it and why', async () => {
    failing = pageA;
    await pageA.reload();
    await expect.poll(() => pageA.locator('.page-header [data-status]').getAttribute('data-status')).toBe('approved');
    const approve = pageA.locator('[data-testid="approval-event"][data-action="approve"]');
    await expect.poll(() => textOf(approve)).toContain('王经理 同意 · 经理审批');
    expect(await textOf(approve.getByTestId('approval-event-comment'))).toBe('“预算内，同意采购”');
    expect(await pageA.locator('[data-testid="approval-event"][data-action="start"]').count()).toBe(1);
    // 我发起的 shows it approved too.
    await pageA.goto(`${mosaic.base}/approvals?box=submitted`);
    await expect.poll(() => pageA.getByTestId('inbox-row').first().locator('[data-status]').first().getAttribute('data-status')).toBe('approved');
    expect(errors).toEqual([]);
  });
});

const event = (page: Page, action: string) => page.locator(`[data-testid="approval-event"][data-action="${action}"]`);

/** Opens the hand-over dialog's user picker, searches, and picks the user shown with `name`. */
async function pickUser(page: Page, search: string, name: string): Promise<void> {
  await page.getByTestId('handover-user').click();
  await page.keyboard.type(search);
  const options = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option');
  // The list is the server's answer to what was typed: only 李主管 matches 李 (the approver herself is never offered).
  await expect.poll(() => options.allTextContents()).toEqual([expect.stringContaining(name)]);
  await options.filter({ hasText: name }).first().click();
}

describe('transfer, 加签 and return for changes', () => {
  beforeAll(async () => {
    // Made now, after the first part: 王经理's box was to be empty there once she had decided.
    docs.projector = await world.submitted('采购投影仪', 8999);
    docs.screen = await world.submitted('采购显示器', 2399);
  });

  test('the approver transfers a request to a colleague found by name', async () => {
    failing = pageB;
    await logInAs(pageB, B, `/o/purchase_request/${docs.projector}`);
    await expect.poll(() => textOf(pageB.getByTestId('decision-box'))).toContain('经理审批');
    await pageB.getByTestId('approval-transfer').click();
    await pickUser(pageB, '李', '李主管');
    await pageB.getByTestId('handover-comment').fill('我出差，请李主管代批');
    await pageB.getByTestId('handover-ok').click();
    await toast(pageB, '已转办');
    // Nothing is left for her to decide; the history says to whom it went and why.
    await expect.poll(() => pageB.getByTestId('decision-box').count()).toBe(0);
    await expect.poll(() => textOf(event(pageB, 'transfer'))).toContain('王经理 转办 · 经理审批 → 李主管');
    expect(await textOf(event(pageB, 'transfer').getByTestId('approval-event-comment'))).toBe('“我出差，请李主管代批”');
  });

  test('the colleague finds it in 我的审批 and approves it', async () => {
    failing = pageB;
    await logInAs(pageB, C, '/');
    await pageB.locator('.ant-menu-item', { hasText: '我的审批' }).click();
    await pageB.waitForURL(/\/approvals$/);
    const row = pageB.getByTestId('inbox-row').filter({ hasText: '采购投影仪' });
    await expect.poll(() => textOf(row)).toContain('采购审批 · 经理审批');
    expect(await pageB.getByTestId('inbox-row').filter({ hasText: '采购显示器' }).count()).toBe(0); // not hers
    await row.click();
    await pageB.waitForURL(new RegExp(`/o/purchase_request/${docs.projector}$`));
    await pageB.getByTestId('approval-comment').fill('同意');
    await pageB.getByTestId('approval-approve').click();
    await toast(pageB, '已同意');
    await expect.poll(() => pageB.getByTestId('approval-instance').getAttribute('data-status')).toBe('approved');
    expect(await textOf(event(pageB, 'approve'))).toContain('李主管 同意 · 经理审批');
  });

  test('the approver adds a colleague after herself, then returns the request for changes with a comment', async () => {
    failing = pageB;
    await logInAs(pageB, B, `/o/purchase_request/${docs.screen}`);
    await expect.poll(() => pageB.getByTestId('decision-box').count()).toBe(1);
    await pageB.getByTestId('approval-add-approver').click();
    await pickUser(pageB, '李', '李主管');
    await pageB.getByTestId('handover-position').getByText('在我之后审批').click();
    await pageB.getByTestId('handover-ok').click();
    await toast(pageB, '已加签');
    await expect.poll(() => textOf(event(pageB, 'add_approver'))).toContain('王经理 加签 · 经理审批 → 李主管 (在我之后审批)');
    // 加签 after keeps her own task open: she can still decide — here, send it back.
    await pageB.getByTestId('approval-return').click();
    await toast(pageB, '退回修改时请在审批意见里写明需要修改什么'); // the comment is required, as the server says
    await pageB.getByTestId('approval-comment').fill('请补充三家报价单');
    await pageB.getByTestId('approval-return').click();
    await toast(pageB, '已退回给提交人修改');
    await expect.poll(() => pageB.getByTestId('approval-instance').getAttribute('data-status')).toBe('returned');
    expect(await pageB.getByTestId('decision-box').count()).toBe(0);
  });

  test('the requester finds the request back in draft, with what to change', async () => {
    failing = pageA;
    await logInAs(pageA, A, `/o/purchase_request/${docs.screen}`);
    await expect.poll(() => pageA.locator('.page-header [data-status]').getAttribute('data-status')).toBe('draft');
    const banner = pageA.getByTestId('approval-sent-back');
    await expect.poll(() => textOf(banner)).toContain('王经理 退回了这张单据，请修改后重新提交');
    expect(await textOf(banner)).toContain('“请补充三家报价单”');
    expect(await textOf(event(pageA, 'return').getByTestId('approval-event-comment'))).toBe('“请补充三家报价单”');
    // He may change it and submit again.
    expect(await pageA.getByTestId('doc-submit').count()).toBe(1);
    expect(errors).toEqual([]);
  });
});
