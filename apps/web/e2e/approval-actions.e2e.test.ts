import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { launchBrowser, logIn } from './browser.ts';
import { startMosaic, type Mosaic } from './server.ts';
import { screenshotOnFailure, textOf, toast } from './ui.ts';

/**
 * The approver's other answers, in the browser: 王经理 transfers (转办) one
 * request to 李主管, picked by searching for her name; 李主管 finds it in her
 * 我的审批 and approves it. On a second request 王经理 adds 李主管 after
 * herself (加签), then returns it for changes (退回修改) with a comment; the
 * requester 张三 sees the request back in draft with that comment.
 */
let mosaic: Mosaic;
let requester: Awaited<ReturnType<typeof launchBrowser>>;
let approvers: Awaited<ReturnType<typeof launchBrowser>>;
let pageA: Page;
let pageB: Page;
let failing: Page | undefined;
const errors: string[] = [];
const A = { email: 'zhang@e2e.local', name: '张三', password: 'Requester-Pw-2026!', id: '' };
const B = { email: 'wang@e2e.local', name: '王经理', password: 'Approver-Pw-2026!', id: '' };
const C = { email: 'li@e2e.local', name: '李主管', password: 'Deputy-Pw-2026!', id: '' };
const docs = { laptop: '', screen: '' };

async function ok<T = any>(p: Promise<{ status: number; body: T }>, status = 200): Promise<T> {
  const r = await p;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r.body;
}

async function role(code: string, zh: string, actions: string[]): Promise<string> {
  const r = await ok(mosaic.api('POST', '/api/v1/admin/roles', { code, label: { zh } }), 201);
  await ok(mosaic.api('PUT', `/api/v1/admin/roles/${r.id}/permissions`, { permissions: actions.map((action) => ({ object: 'purchase_request', action, scope: 'all' })) }));
  return r.id;
}

/** A fresh session: the approvers' browser is shared by 王经理 and 李主管, one after the other. */
async function logInAs(page: Page, who: { email: string; password: string }, next: string): Promise<void> {
  await page.context().clearCookies();
  await logIn(page, { base: mosaic.base, ...who }, next);
}

/** 张三 makes and submits a request through the API as himself (submitting in the browser is approvals-inbox's test). */
async function submittedRequest(token: string, name: string, amount: number): Promise<string> {
  const call = async (url: string, body: unknown) => {
    const r = await fetch(`${mosaic.base}${url}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
    const json = await r.json();
    expect(r.status, JSON.stringify(json)).toBeLessThan(300);
    return json;
  };
  const draft = await call('/api/v1/records/purchase_request', { name, amount });
  await call(`/api/v1/records/purchase_request/${draft.id}/submit`, { version: draft.version });
  return draft.id;
}

beforeAll(async () => {
  mosaic = await startMosaic();
  await ok(mosaic.api('POST', '/api/v1/meta/objects', {
    apiName: 'purchase_request', label: { zh: '采购申请', en: 'Purchase request' }, module: 'custom', isDocument: true,
    fields: [{ apiName: 'name', type: 'text', label: { zh: '事由', en: 'Subject' } }, { apiName: 'amount', type: 'decimal', label: { zh: '金额', en: 'Amount' } }],
  }), 201);
  const requesterRole = await role('requester', '申请人', ['read', 'create', 'edit', 'submit']);
  const approverRole = await role('approver', '审批人', ['read']);
  for (const [who, roleId] of [[A, requesterRole], [B, approverRole], [C, approverRole]] as const) {
    who.id = (await ok(mosaic.api('POST', '/api/v1/admin/users', { email: who.email, name: who.name, password: who.password, roleIds: [roleId] }), 201)).id;
  }
  const flow = await ok(mosaic.api('POST', '/api/v1/approval-flows', {
    object: 'purchase_request', name: '采购审批',
    definition: {
      nodes: [{ id: 'start', type: 'start' }, { id: 'mgr', type: 'approval', label: '经理审批', approvers: { kind: 'users', userIds: [B.id] } }, { id: 'end', type: 'end' }],
      edges: [{ source: 'start', target: 'mgr' }, { source: 'mgr', target: 'end' }],
    },
  }), 201);
  await ok(mosaic.api('POST', `/api/v1/approval-flows/${flow.id}/activate`));
  const login = await fetch(`${mosaic.base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: A.email, password: A.password }) });
  const token = (await login.json()).token;
  docs.laptop = await submittedRequest(token, '采购笔记本电脑', 8999);
  docs.screen = await submittedRequest(token, '采购显示器', 2399);

  requester = await launchBrowser();
  approvers = await launchBrowser();
  pageA = requester.context.pages()[0] ?? (await requester.context.newPage());
  pageB = approvers.context.pages()[0] ?? (await approvers.context.newPage());
  for (const p of [pageA, pageB]) {
    p.setDefaultTimeout(10_000);
    p.on('pageerror', (e) => errors.push(e.message));
  }
}, 420_000); // a fresh server install is slow when the machine is loaded

afterAll(async () => {
  await requester?.close();
  await approvers?.close();
  await mosaic?.stop();
});

screenshotOnFailure('approval-actions', () => failing);

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
  test('the approver transfers a request to a colleague found by name', async () => {
    failing = pageB;
    await logInAs(pageB, B, `/o/purchase_request/${docs.laptop}`);
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
    const row = pageB.getByTestId('inbox-row').filter({ hasText: '采购笔记本电脑' });
    await expect.poll(() => textOf(row)).toContain('采购审批 · 经理审批');
    expect(await pageB.getByTestId('inbox-row').filter({ hasText: '采购显示器' }).count()).toBe(0); // not hers
    await row.click();
    await pageB.waitForURL(new RegExp(`/o/purchase_request/${docs.laptop}$`));
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
