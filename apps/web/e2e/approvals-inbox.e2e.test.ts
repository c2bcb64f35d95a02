import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { launchBrowser, logIn } from './browser.ts';
import { startMosaic, type Mosaic } from './server.ts';
import { screenshotOnFailure, textOf, toast } from './ui.ts';

/**
 * Issue 5, "approve as another user through the UI": 张三 (a requester, not an
 * admin) submits a purchase request on its page; 王经理, the approver, logs in
 * in a browser of her own, finds it under 我的审批, opens it and approves with a
 * comment; 张三 then sees the request approved and the step in its history.
 */
let mosaic: Mosaic;
let requester: Awaited<ReturnType<typeof launchBrowser>>;
let approver: Awaited<ReturnType<typeof launchBrowser>>;
let pageA: Page;
let pageB: Page;
let failing: Page | undefined;
const errors: string[] = [];
const A = { email: 'zhang@e2e.local', name: '张三', password: 'Requester-Pw-2026!', id: '', token: '' };
const B = { email: 'wang@e2e.local', name: '王经理', password: 'Approver-Pw-2026!', id: '' };
let docId = '';

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

const logInAs = (page: Page, who: { email: string; password: string }, next: string) => logIn(page, { base: mosaic.base, ...who }, next);

beforeAll(async () => {
  mosaic = await startMosaic();
  await ok(mosaic.api('POST', '/api/v1/meta/objects', {
    apiName: 'purchase_request', label: { zh: '采购申请', en: 'Purchase request' }, module: 'custom', isDocument: true,
    fields: [{ apiName: 'name', type: 'text', label: { zh: '事由', en: 'Subject' } }, { apiName: 'amount', type: 'decimal', label: { zh: '金额', en: 'Amount' } }],
  }), 201);
  const requesterRole = await role('requester', '申请人', ['read', 'create', 'edit', 'submit']);
  const approverRole = await role('approver', '审批人', ['read']);
  A.id = (await ok(mosaic.api('POST', '/api/v1/admin/users', { email: A.email, name: A.name, password: A.password, roleIds: [requesterRole] }), 201)).id;
  B.id = (await ok(mosaic.api('POST', '/api/v1/admin/users', { email: B.email, name: B.name, password: B.password, roleIds: [approverRole] }), 201)).id;
  const flow = await ok(mosaic.api('POST', '/api/v1/approval-flows', {
    object: 'purchase_request', name: '采购审批',
    definition: {
      nodes: [{ id: 'start', type: 'start' }, { id: 'mgr', type: 'approval', label: '经理审批', approvers: { kind: 'users', userIds: [B.id] } }, { id: 'end', type: 'end' }],
      edges: [{ source: 'start', target: 'mgr' }, { source: 'mgr', target: 'end' }],
    },
  }), 201);
  await ok(mosaic.api('POST', `/api/v1/approval-flows/${flow.id}/activate`));
  // 张三's draft, made through the API as himself: the test is about submitting and approving.
  const login = await fetch(`${mosaic.base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: A.email, password: A.password }) });
  A.token = (await login.json()).token;
  const draft = await fetch(`${mosaic.base}/api/v1/records/purchase_request`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${A.token}` }, body: JSON.stringify({ name: '采购笔记本电脑', amount: 8999 }),
  });
  expect(draft.status).toBe(201);
  docId = (await draft.json()).id;

  // Two browsers: two people, two sessions.
  requester = await launchBrowser();
  approver = await launchBrowser();
  pageA = requester.context.pages()[0] ?? (await requester.context.newPage());
  pageB = approver.context.pages()[0] ?? (await approver.context.newPage());
  for (const p of [pageA, pageB]) {
    p.setDefaultTimeout(10_000);
    p.on('pageerror', (e) => errors.push(e.message));
  }
}, 420_000); // a fresh server install is slow when the machine is loaded

afterAll(async () => {
  await requester?.close();
  await approver?.close();
  await mosaic?.stop();
});

screenshotOnFailure('approvals-inbox', () => failing);

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
