import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { launchBrowser, logIn } from './browser.ts';
import { startMosaic, type Mosaic } from './server.ts';
import { screenshotOnFailure, textOf } from './ui.ts';

/**
 * Issue 11, HR in the browser: the org chart as a tree (departments, their manager, their
 * people) and the team leave calendar (who is away on which day), both from the HR menu.
 */
let mosaic: Mosaic;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
const errors: string[] = [];

const ok = async (r: Promise<{ status: number; body: any }>, status = 201) => {
  const x = await r;
  expect(x.status, JSON.stringify(x.body)).toBe(status);
  return x.body;
};

let managerName = '';

beforeAll(async () => {
  mosaic = await startMosaic();
  const me = (await ok(mosaic.api('GET', '/api/v1/auth/me'), 200)).user;
  managerName = (await ok(mosaic.api('GET', '/api/v1/admin/users'), 200)).data.find((u: { id: string }) => u.id === me.id).name;
  const eng = await ok(mosaic.api('POST', '/api/v1/admin/departments', { name: '工程部', parentId: me.departmentId, managerId: me.id }));
  await ok(mosaic.api('POST', '/api/v1/records/employee', { employee_no: 'H01', name: '周工', hire_date: '2024-01-01', department: eng.id, position: '工程师' }));
  const away = await ok(mosaic.api('POST', '/api/v1/records/employee', { employee_no: 'H02', name: '吴休', hire_date: '2024-01-01', department: eng.id }));
  // A leave type without a balance (不限额), so the request needs no accrual first.
  const type = await ok(mosaic.api('POST', '/api/v1/records/leave_type', { name: '调休(测试)', annual_days: '0', accrual: 'none', paid: true }));
  const req = await ok(mosaic.api('POST', '/api/v1/records/leave_request', { employee: away.id, leave_type: type.id, from_date: '2026-04-07', to_date: '2026-04-08', days: '2', reason: '家事' }));
  const sub = await mosaic.api('POST', `/api/v1/records/leave_request/${req.id}/submit`, { version: req.version });
  expect(sub.status, JSON.stringify(sub.body)).toBe(200);
  browser = await launchBrowser();
  page = browser.page;
  page.on('pageerror', (e) => errors.push(e.message));
  await logIn(page, mosaic, `/o/employee`);
});

afterAll(async () => {
  await browser?.close();
  await mosaic?.stop();
});

screenshotOnFailure('hr', () => page);

describe('HR in the browser', () => {
  test('shows the organisation as a tree: the department, its manager and its people', async () => {
    await page.getByRole('menuitem', { name: '组织架构' }).click();
    await page.waitForURL((u) => u.pathname === '/hr/org-chart');
    const eng = page.locator('[data-testid=org-department][data-name=工程部]');
    await eng.waitFor();
    // The department as shown: its name, its headcount and who manages it, by name.
    expect(managerName).toBeTruthy();
    expect(await textOf(eng)).toMatch(new RegExp(`^工程部\\s*负责人：${managerName}\\s*2 人$`));
    expect(await textOf(page.locator('[data-testid=org-employee][data-name=周工]'))).toBe('周工 H01 · 工程师');
    expect(await textOf(page.locator('[data-testid=org-employee][data-name=吴休]'))).toBe('吴休 H02');
    // Its people hang under it: the tree lists them right after the department, one level deeper.
    const nodes = page.locator('.ant-tree-treenode');
    const names = await nodes.evaluateAll((els) => els.map((el) => ({
      text: (el.querySelector('[data-name]') as HTMLElement | null)?.dataset.name ?? '',
      depth: el.querySelectorAll('.ant-tree-indent-unit').length,
    })));
    const at = names.findIndex((n) => n.text === '工程部');
    expect(names.slice(at + 1, at + 3).map((n) => n.text).sort()).toEqual(['吴休', '周工']);
    expect(names.slice(at + 1, at + 3).every((n) => n.depth === names[at].depth + 1)).toBe(true);
    expect(errors).toEqual([]);
  });

  test('shows who is on leave on each day of the month in the team calendar', async () => {
    await page.goto(`${mosaic.base}/hr/leave-calendar?month=2026-04`);
    const day = (d: string) => page.locator(`[data-testid=leave-day][data-day="${d}"]`);
    // Who and which leave, on exactly the two days asked for; the days around them are empty.
    await expect.poll(() => textOf(day('2026-04-07'))).toMatch(/^吴休 调休\(测试\)/);
    expect(await textOf(day('2026-04-08'))).toMatch(/^吴休 调休\(测试\)/);
    expect(await textOf(day('2026-04-06'))).toBe('');
    expect(await textOf(day('2026-04-09'))).toBe('');
    expect(await textOf(page.getByTestId('leave-day').filter({ hasText: '吴休' }).first())).toBe(await textOf(day('2026-04-07')));
    expect(await page.getByTestId('leave-day').filter({ hasText: '吴休' }).count()).toBe(2);
    expect(errors).toEqual([]);
  });
});
