import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { launchBrowser, logIn } from './browser.ts';
import { filterOf } from './records.ts';
import { startMosaic, type Mosaic } from './server.ts';
import { pickOption, screenshotOnFailure, textOf, toast } from './ui.ts';

/**
 * Issue 11, a project as its manager runs it in the browser: create the project through its
 * form, add tasks (one after the other) on its page, log time, and see the tasks on the Gantt
 * with the hours, and the labour cost in budget vs actual — over budget, so flagged — and the
 * progress reported with the time rolled up into the project's.
 */
let mosaic: Mosaic;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
let projectId: string;
const errors: string[] = [];

beforeAll(async () => {
  mosaic = await startMosaic();
  expect((await mosaic.api('POST', '/api/v1/records/customer', { name: '苏州工业园区管委会' })).status).toBe(201);
  const emp = await mosaic.api('POST', '/api/v1/records/employee', { employee_no: 'E01', name: '陈工', hire_date: '2024-01-01', hourly_cost: '150' });
  expect(emp.status, JSON.stringify(emp.body)).toBe(201);
  browser = await launchBrowser();
  page = browser.page;
  page.on('pageerror', (e) => errors.push(e.message));
  await logIn(page, mosaic, `/o/project`);
});

afterAll(async () => {
  await browser?.close();
  await mosaic?.stop();
});

screenshotOnFailure('projects', () => page);

const row = (task: string) => page.locator(`[data-testid=gantt-row][data-task="${task}"]`);
const budgetRow = (type: string) => page.locator(`[data-testid=budget-vs-actual] tr[data-cost-type=${type}]`);

async function pickDate(selector: string, date: string): Promise<void> {
  await page.fill(selector, date);
  await page.keyboard.press('Enter');
}

describe('a project in the browser', () => {
  test('creates the project through its form', async () => {
    await page.goto(`${mosaic.base}/o/project?edit=new`);
    await page.fill('#record-project_code', 'PRJ-E2E');
    await page.fill('#record-project_name', '园区智能化改造');
    await pickDate('#record-project_start_date', '2026-03-01');
    await pickDate('#record-project_end_date', '2026-04-30');
    await page.fill('#record-project_budget_labour', '1000');
    await page.getByTestId('save-record').click();
    await toast(page, '已保存');
    const saved = await mosaic.api('GET', `/api/v1/records/project?filter=${filterOf({ code: 'PRJ-E2E' })}`);
    expect(saved.body.data).toHaveLength(1);
    projectId = saved.body.data[0].id;
    await page.goto(`${mosaic.base}/o/project/${projectId}`);
    await expect.poll(() => textOf(page.getByTestId('detail-title'))).toBe('园区智能化改造');
    // Nothing spent yet: labour 0 of 1 000.
    await expect.poll(() => textOf(budgetRow('labour'))).toContain('¥1,000.00');
    expect(await budgetRow('labour').getByTestId('actual').textContent()).toBe('¥0.00');
  });

  test('adds two tasks, the second after the first, and draws them on the Gantt', async () => {
    await page.getByTestId('add-task').click();
    await page.fill('#project-task_title', '方案设计');
    await pickDate('#project-task_start_date', '2026-03-02');
    await pickDate('#project-task_end_date', '2026-03-13');
    await page.fill('#project-task_estimate_hours', '40');
    await page.getByTestId('task-save').click();
    await toast(page, '已保存');
    await row('方案设计').waitFor();

    await page.getByTestId('add-task').click();
    await page.fill('#project-task_title', '设备安装');
    await pickOption(page, page.getByTestId('task-predecessor'), '1 方案设计', '');
    await pickOption(page, page.getByTestId('task-assignee'), '陈工', '陈');
    await pickDate('#project-task_start_date', '2026-03-16');
    await pickDate('#project-task_end_date', '2026-04-10');
    await page.fill('#project-task_estimate_hours', '80');
    await page.getByTestId('task-save').click();
    await row('设备安装').waitFor();

    expect(await page.getByTestId('gantt-row').count()).toBe(2);
    expect(await row('设备安装').getAttribute('data-start')).toBe('2026-03-16');
    expect(await row('设备安装').getAttribute('data-end')).toBe('2026-04-10');
    expect(await textOf(row('设备安装'))).toContain('2 设备安装');
    expect(await page.getByTestId('gantt-dependency').count()).toBe(1); // 方案设计 → 设备安装
    // The later task's bar starts to the right of where the earlier one ends.
    const box = async (task: string) => (await row(task).getByTestId('gantt-bar').locator('rect').first().boundingBox())!;
    const [design, install] = [await box('方案设计'), await box('设备安装')];
    expect(install.x).toBeGreaterThan(design.x + design.width);
  });

  test('logs time on a task and sees it on the Gantt and in budget vs actual', async () => {
    await page.getByTestId('log-time').click();
    await pickOption(page, page.getByTestId('log-time-task'), '2 设备安装', '');
    await pickOption(page, page.getByTestId('log-time-employee'), '陈工', '陈');
    await pickDate('#log-time_work_date', '2026-03-17');
    await page.fill('#log-time_hours', '8');
    await page.fill('#log-time_task_progress', '50'); // 进度填报: half done after this day
    await page.getByTestId('log-time-save').click();
    await toast(page, '工时已登记并计入成本'); // no approval flow on timesheets: approved on submit

    await expect.poll(() => row('设备安装').getAttribute('data-hours')).toBe('8.00');
    expect(await textOf(row('设备安装').getByTestId('gantt-hours'))).toBe('8 / 80 h');
    expect(await textOf(row('方案设计').getByTestId('gantt-hours'))).toBe('0 / 40 h');
    // 8 h × 150 = 1 200 of a 1 000 labour budget: over, and flagged.
    await expect.poll(() => budgetRow('labour').getByTestId('actual').textContent()).toBe('¥1,200.00');
    expect(await textOf(budgetRow('labour'))).toContain('-¥200.00');
    expect(await budgetRow('labour').getByTestId('overrun').count()).toBe(1);
    expect(await budgetRow('material').getByTestId('overrun').count()).toBe(0);
    expect(await textOf(page.getByTestId('budget-vs-actual'))).toContain('¥1,200.00'); // the collected cost in the profit line
    // The reported 50 % is on the task; the project's progress weighs it by estimate: 80 h × 50 % of 120 h = 33.3 %.
    await expect.poll(() => textOf(page.getByTestId('project-progress'))).toContain('33.3%');

    // What the page shows is what the server holds.
    const sheets = await mosaic.api('GET', `/api/v1/records/timesheet?filter=${filterOf({ project: projectId })}`);
    expect(sheets.body.data.map((s: any) => [s.status, s.hours, s.cost_amount, s.work_date])).toEqual([['approved', '8.00', '1200.00', '2026-03-17']]);
    expect(errors).toEqual([]);
  });

  test('shows the project in the portfolio from the menu: red for the overrun, with its progress and profit', async () => {
    await page.getByRole('menuitem', { name: '项目组合' }).click();
    await page.waitForURL((u) => u.pathname === '/projects/portfolio');
    const project = page.locator('[data-testid=portfolio-row][data-code=PRJ-E2E]');
    await project.waitFor();
    expect(await project.getAttribute('data-health')).toBe('red');
    expect(await textOf(project)).toContain('33.3%');
    expect(await textOf(project.getByTestId('portfolio-profit'))).toBe('-¥1,200.00'); // nothing billed, 1 200 spent
    expect(errors).toEqual([]);
  });
});
