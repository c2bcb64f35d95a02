import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { launchBrowser, logIn } from './browser.ts';
import { startMosaic, type Mosaic } from './server.ts';
import { pickOption, screenshotOnFailure, toast } from './ui.ts';

/**
 * Issue 5, the designer: an administrator draws a two-step approval on the
 * canvas (React Flow), validates and activates it; a document the admin
 * submits afterwards is approved by another user at both steps, and its
 * history shows them.
 */
let mosaic: Mosaic;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
let approver = { id: '', token: '' };
const APPROVER_PW = 'Approver-Pw-2026!';
const errors: string[] = [];

beforeAll(async () => {
  mosaic = await startMosaic();
  const obj = await mosaic.api('POST', '/api/v1/meta/objects', {
    apiName: 'expense', label: { zh: '费用报销', en: 'Expense' }, module: 'custom', isDocument: true,
    fields: [{ apiName: 'name', type: 'text', label: { zh: '事由', en: 'Subject' } }, { apiName: 'amount', type: 'decimal', label: { zh: '金额', en: 'Amount' } }],
  });
  expect(obj.status, JSON.stringify(obj.body)).toBe(201);
  // The approver: a second user, made through the user admin API, who logs in for herself.
  const u = await mosaic.api('POST', '/api/v1/admin/users', { email: 'li@e2e.local', name: '财务李', password: APPROVER_PW });
  expect(u.status, JSON.stringify(u.body)).toBe(201);
  const login = await fetch(`${mosaic.base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'li@e2e.local', password: APPROVER_PW }) });
  approver = { id: u.body.id, token: (await login.json()).token };
  browser = await launchBrowser();
  page = browser.page;
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (e) => errors.push(e.message));
});

afterAll(async () => {
  await browser?.close();
  await mosaic?.stop();
});

screenshotOnFailure('approval-designer', () => page);

const node = (id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);

/** Drags from one node's bottom handle to another's top handle, as a person connects two nodes. */
async function connect(from: string, to: string): Promise<void> {
  const box = async (l: Locator) => (await l.boundingBox())!;
  const a = await box(node(from).locator('.react-flow__handle.source'));
  const b = await box(node(to).locator('.react-flow__handle.target'));
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 });
  await page.mouse.up();
}

async function approverIsLi(): Promise<void> {
  await pickOption(page, page.getByTestId('node-approvers-kind'), '指定成员', '');
  await pickOption(page, page.getByTestId('node-users'), '财务李', '财务');
  await page.keyboard.press('Escape');
}

describe('the approval designer', () => {
  test('draws, validates and activates a two-step approval', async () => {
    await logIn(page, mosaic, '/settings/approval-flows');
    await page.getByTestId('new-flow').click();
    await pickOption(page, page.getByTestId('new-flow-object'), '费用报销', '');
    await page.getByTestId('new-flow-name').fill('两级审批');
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    await page.waitForURL(/\/settings\/approval-flows\/[0-9a-f-]{36}$/);

    // The starter is start → 部门经理 → end. Make 部门经理 a named user, then put a second step before the end.
    await node('manager').click();
    await approverIsLi();
    await node('end').click();
    await page.getByTestId('node-inspector').getByRole('button', { name: /删除/ }).click();
    await page.getByTestId('add-approval').click();
    await page.getByTestId('node-label').fill('财务复核');
    await approverIsLi();
    await page.getByTestId('add-end').click();
    await page.locator('.react-flow__controls-fitview').click();
    await connect('manager', 'approval_1');
    await connect('approval_1', 'end_1');
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(3);

    await page.getByTestId('flow-validate').click();
    await toast(page, '流程有效');
    await page.getByTestId('flow-activate').click();
    await toast(page, '已启用');
    expect(errors).toEqual([]);
  });

  test('a submitted document goes through both steps, and its history shows them', async () => {
    const doc = await mosaic.api('POST', '/api/v1/records/expense', { name: '差旅费', amount: 1200 });
    const sub = await mosaic.api('POST', `/api/v1/records/expense/${doc.body.id}/submit`, { version: doc.body.version });
    expect(sub.body).toMatchObject({ status: 'submitted', $awaitingApproval: true });
    const asLi = async (method: string, url: string, body?: unknown) => {
      const res = await fetch(mosaic.base + url, { method, headers: { authorization: `Bearer ${approver.token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
      return { status: res.status, body: await res.json() };
    };
    for (const comment of ['同意', '复核通过']) {
      const inbox = await asLi('GET', '/api/v1/approvals/inbox?box=pending');
      const task = inbox.body.data.find((r: any) => r.recordId === doc.body.id).task;
      expect((await asLi('POST', `/api/v1/approvals/tasks/${task.id}/approve`, { comment })).status).toBe(200);
    }
    const history = await mosaic.api('GET', `/api/v1/records/expense/${doc.body.id}/approvals`);
    const [inst] = history.body.data;
    expect(inst).toMatchObject({ status: 'approved', flow: { name: '两级审批' } });
    expect(inst.tasks.map((t: any) => [t.nodeLabel, t.assignee.id, t.status, t.comment])).toEqual([
      ['部门经理', approver.id, 'approved', '同意'],
      ['财务复核', approver.id, 'approved', '复核通过'],
    ]);
    expect((await mosaic.api('GET', `/api/v1/records/expense/${doc.body.id}`)).body.status).toBe('approved');
  });
});
