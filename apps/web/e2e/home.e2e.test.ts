import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { setUpApprovals, type ApprovalsWorld } from './approvals-setup.ts';
import { launchBrowser, logIn } from './browser.ts';
import { inDays, recordsVia } from './records.ts';
import { startMosaic, type Mosaic } from './server.ts';
import { screenshotOnFailure, textOf } from './ui.ts';

/**
 * 首页 as where a user's day starts:
 * 1. 王经理, an approver of 采购申请 and nothing else, finds the request 张三 submitted under 我的待办 → 待我审批
 *    and opens it from there; she has no CRM, so no CRM section is asked for — and nothing on the page answers 4xx.
 * 2. A sales rep (the built-in role) finds their overdue follow-up and their task, and shortcuts to the CRM's daily
 *    objects and pages — not its configuration or logs.
 */
let mosaic: Mosaic;
let world: ApprovalsWorld;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
const rep = { email: 'home-rep@e2e.local', password: 'Home-Rep-Pw-2026', name: '销售小周' };
let docId = '';
let followupId = '';
let cockpitId = '';
/** Responses of the API that answered 4xx/5xx, while a test watches. */
const refused: string[] = [];

async function repApi(): Promise<Mosaic['api']> {
  const login = await fetch(`${mosaic.base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: rep.email, password: rep.password }) });
  expect(login.status).toBe(200);
  const { token } = (await login.json()) as { token: string };
  return async (method, url, body) => {
    const res = await fetch(mosaic.base + url, { method, headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
}

beforeAll(async () => {
  mosaic = await startMosaic();
  world = await setUpApprovals(mosaic);
  docId = await world.submitted('采购投影仪', 5200);

  const roles = await mosaic.api<{ data: { id: string; code: string }[] }>('GET', '/api/v1/admin/roles');
  const salesRep = roles.body.data.find((r) => r.code === 'sales_rep');
  expect(salesRep, JSON.stringify(roles.body)).toBeTruthy();
  const user = await mosaic.api<{ id: string }>('POST', '/api/v1/admin/users', { ...rep, roleIds: [salesRep!.id] });
  expect(user.status, JSON.stringify(user.body)).toBe(201);
  const api = await repApi();
  const { created } = recordsVia(() => api);
  const customer = await created('customer', { name: '宁波港口机械有限公司' });
  // a call logged three days ago, its next follow-up yesterday, nothing logged since: overdue
  followupId = (await created('activity', { kind: 'call', subject: '回访报价意向', customer: customer.id, occurred_at: `${inDays(-3)}T10:00:00+08:00`, next_followup_date: inDays(-1) })).id;
  // one due next week, on another customer (a call logged on the same customer would count as the follow-up): not yet due
  const other = await created('customer', { name: '舟山船舶配件厂' });
  await created('activity', { kind: 'call', subject: '下周再联系', customer: other.id, next_followup_date: inDays(7) });
  await created('task', { subject: '准备港机二期方案', due_at: `${inDays(1)}T18:00:00+08:00`, assignee_id: user.body.id });
  await created('task', { subject: '已经做完的事', done: true, assignee_id: user.body.id });

  // the administrator is also an employee, with a project task of their own (项目任务 are assigned to employees)
  const me = await mosaic.api<{ user: { id: string } }>('GET', '/api/v1/auth/me');
  const admin = recordsVia(() => mosaic.api);
  const employee = await admin.created('employee', { employee_no: 'A01', name: '管理员', hire_date: '2024-01-01', user: me.body.user.id });
  const project = await admin.created('project', { code: 'P-HOME', name: '港机二期' });
  await admin.created('project_task', { project: project.id, title: '现场勘测', assignee: employee.id, end_date: inDays(-2) });
  await admin.created('project_task', { project: project.id, title: '已完成的任务', assignee: employee.id, task_status: 'done' });

  // the shared cockpit, as the demo installs it: everyone may see it
  const cockpit = await mosaic.api<{ id: string }>('POST', '/api/v1/dashboards/cockpit');
  expect(cockpit.status, JSON.stringify(cockpit.body)).toBe(200);
  cockpitId = cockpit.body.id;

  browser = await launchBrowser();
  page = browser.page;
  page.on('response', (r) => {
    // (the login page asks /auth/me before anyone is logged in: 401 is its answer)
    if (r.url().includes('/api/') && r.status() >= 400 && !(r.status() === 401 && r.url().endsWith('/api/v1/auth/me'))) refused.push(`${r.status()} ${r.url()}`);
  });
});

afterAll(async () => {
  await browser?.close();
  await mosaic?.stop();
});

screenshotOnFailure('home', () => page);

describe('the home page', () => {
  test('an approver sees the request waiting for her, opens it from there, and is asked for no CRM section', async () => {
    await logIn(page, { base: mosaic.base, email: world.B.email, password: world.B.password }, '/');
    const approvals = page.getByTestId('todo-approvals');
    await approvals.waitFor();
    expect(await page.getByTestId('todo').getAttribute('data-sections')).toBe('approvals'); // no task, follow-up or ticket section
    expect(await approvals.getByTestId('todo-approvals-count').getAttribute('data-count')).toBe('1');
    const row = page.getByTestId('todo-approval');
    expect(await textOf(row)).toContain('采购投影仪');
    expect(await textOf(row)).toContain('采购审批 · 经理审批');
    expect(await page.getByTestId('todo-followups').count()).toBe(0);
    // her only object is the custom 采购申请: 快捷入口 offers it, and no CRM group
    await page.getByTestId('quick').waitFor();
    expect(await page.getByTestId('quick-crm').count()).toBe(0);
    expect(await page.locator('[data-entry="list:purchase_request"]').count()).toBe(1);
    expect(refused).toEqual([]);
    await row.click();
    await page.waitForURL((u) => u.pathname === `/o/purchase_request/${docId}`);
    await expect.poll(() => textOf(page.getByTestId('detail-title'))).toBe('采购投影仪');
  });

  test('a sales rep sees the overdue follow-up and the open task, and shortcuts to the CRM\'s daily work', async () => {
    await page.context().clearCookies();
    refused.length = 0;
    await logIn(page, { base: mosaic.base, ...rep }, '/');
    await page.getByTestId('todo-followups').waitFor();
    expect(await page.getByTestId('todo').getAttribute('data-sections')).toBe('approvals tasks followups tickets');
    const followups = page.getByTestId('todo-followups-row');
    expect(await followups.count()).toBe(1); // not the one due next week
    expect(await textOf(followups)).toContain('回访报价意向 · 宁波港口机械有限公司');
    expect(await textOf(followups)).toContain('已逾期');
    const tasks = page.getByTestId('todo-tasks-row');
    expect(await tasks.count()).toBe(1); // not the done one
    expect(await textOf(tasks)).toContain('准备港机二期方案');
    expect(await page.getByTestId('todo-approvals').count()).toBe(0); // nothing waits for them: no empty section

    const entries = await page.getByTestId('quick-crm').getByTestId('quick-entry').allTextContents();
    expect(entries.slice(0, 3)).toEqual(['公海', '销售看板', '销售目标与预测']);
    expect(entries).toEqual(expect.arrayContaining(['新建线索', '新建报价单', '客户', '商机', '跟进记录']));
    for (const notDaily of ['公海规则', '销售流程', '阶段变更记录', '公海流转记录', '节假日']) expect(entries).not.toContain(notDaily);
    expect(refused).toEqual([]);
    expect(await page.getByTestId('home-cockpit').getAttribute('href')).toBe(`/dashboards/${cockpitId}`);

    await followups.click();
    await page.waitForURL((u) => u.pathname === `/o/activity/${followupId}`);
  });

  test('an administrator, who may read everything, gets every section, their project task among them, and no refusal', async () => {
    await page.context().clearCookies();
    refused.length = 0;
    await logIn(page, { base: mosaic.base, email: mosaic.email, password: mosaic.password }, '/');
    await page.getByTestId('todo-projectTasks').waitFor();
    expect(await page.getByTestId('todo').getAttribute('data-sections')).toBe('approvals tasks followups tickets projectTasks appraisals');
    const rows = page.getByTestId('todo-projectTasks-row');
    expect(await rows.count()).toBe(1);
    expect(await textOf(rows)).toContain('现场勘测');
    expect(await textOf(rows)).toContain('已逾期');
    expect(refused).toEqual([]);
    await page.context().clearCookies();
    await logIn(page, { base: mosaic.base, ...rep }, '/');
  });

  test('on a phone the page fits the screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${mosaic.base}/`);
    await page.getByTestId('todo-followups').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });
});
