import { Decimal, addDays } from '@mosaic/kernel';
import { EMPLOYEES, EXPENSE_CATEGORIES, PROJECTS } from './demo-catalogue.ts';
import { dated, randomDate, submitted, workdays, type Api, type DemoApi } from './demo-api.ts';

/**
 * Projects (项目): a fit-out for the biggest customer and the company's own ERP
 * roll-out, each with its tasks; every month the members book timesheets
 * (costed by the projects module at their hourly cost) and now and then claim
 * an expense — the project cost ledger the cockpit and GET /projects/:id/figures read.
 * The tasks' progress follows the calendar (a task past its end is done), and
 * the customer's project bills a milestone at the end of each task through the
 * projects module (milestone → sales invoice), so it has revenue as well as cost.
 */
export interface ProjectsMaster {
  projects: { id: string; code: string; customer?: string; tasks: string[]; taskDates?: { start: string; end: string }[]; milestones?: { id: string; due: string }[] }[];
}

/** What the contract is worth over the budgeted cost, and its share billed at the end of each task. */
const CONTRACT_MARKUP = '1.4';
const MILESTONE_SHARES = ['0.3', '0.3', '0.3', '0.1'];

export async function projectsMaster(api: Api, customers: string[], employees: Record<string, string>, first: string, until: string): Promise<ProjectsMaster> {
  const projects: ProjectsMaster['projects'] = [];
  const end = addDays(until, 90);
  const service = PROJECTS.some((p) => p.customer !== null)
    ? (await api('POST', '/api/v1/records/item', { code: 'FW-AZ01', name: '五金安装服务', category: '服务', item_type: 'service' })).id as string
    : null;
  for (const p of PROJECTS) {
    const project = await api('POST', '/api/v1/records/project', {
      code: p.code, name: p.name, ...(p.customer === null ? {} : { customer: customers[p.customer] }), stage: 'active',
      start_date: first, end_date: end, budget_labour: p.budget.labour, budget_expense: p.budget.expense,
    });
    const tasks: string[] = [];
    const taskDates: { start: string; end: string }[] = [];
    const span = (Date.parse(end) - Date.parse(first)) / 86_400_000 / p.tasks.length;
    for (let i = 0; i < p.tasks.length; i++) {
      taskDates.push({ start: addDays(first, Math.round(span * i)), end: addDays(first, Math.round(span * (i + 1)) - 1) });
      tasks.push((await api('POST', '/api/v1/records/project_task', {
        project: project.id, title: p.tasks[i], assignee: employees[p.members[i % p.members.length]],
        start_date: taskDates[i].start, end_date: taskDates[i].end,
        ...(i > 0 ? { dependencies: [{ predecessor: tasks[i - 1], kind: 'fs' }] } : {}),
      })).id);
    }
    const milestones: { id: string; due: string }[] = [];
    if (p.customer !== null && service) {
      const contract = new Decimal(p.budget.labour).plus(p.budget.expense).times(CONTRACT_MARKUP);
      for (let i = 0; i < p.tasks.length; i++) {
        const due = taskDates[i].end;
        const share = MILESTONE_SHARES[Math.min(i, MILESTONE_SHARES.length - 1)];
        milestones.push({ id: (await api('POST', '/api/v1/records/project_milestone', {
          project: project.id, name: `${p.tasks[i]}完成`, due_date: due, billing_item: service, billing_amount: contract.times(share).toFixed(2), tax_rate: '0.06',
        })).id, due });
      }
    }
    projects.push({ id: project.id, code: p.code, ...(p.customer === null ? {} : { customer: customers[p.customer] }), tasks, taskDates, milestones });
  }
  return { projects };
}

export interface ProjectsMonth {
  timesheets: number; hours: Decimal; labour: Record<string, string>; expense: Record<string, string>;
  /** The milestone invoices of the month, submitted (the receivables the customer pays like any other). */
  billed: { id: string; customer: string; gross: string; posted: string }[];
}

/** Two timesheets per member on the task of the moment, and an expense claim in about half the months. */
export async function projectsOfMonth(d: DemoApi, master: ProjectsMaster, employees: Record<string, string>, rnd: () => number, start: string, end: string, progress: number): Promise<ProjectsMonth> {
  const { api } = d;
  const out: ProjectsMonth = { timesheets: 0, hours: new Decimal(0), labour: {}, expense: {}, billed: [] };
  const days = workdays(start, end);
  for (let pi = 0; pi < PROJECTS.length; pi++) {
    const p = PROJECTS[pi];
    const project = master.projects[pi];
    const task = project.tasks[Math.min(project.tasks.length - 1, Math.floor(progress * project.tasks.length))];
    let labour = new Decimal(0);
    let expense = new Decimal(0);
    for (const no of p.members) {
      for (let k = 0; k < 2 && days.length; k++) {
        const hours = new Decimal(2 + Math.floor(rnd() * 13) / 2); // 2 … 8 h in half hours
        const ts = await api('POST', '/api/v1/records/timesheet', {
          employee: employees[no], project: project.id, task, work_date: days[Math.floor(rnd() * days.length)], hours: hours.toFixed(2), description: p.tasks[project.tasks.indexOf(task)],
        });
        await submitted(api, 'timesheet', ts.id, ts.version);
        out.timesheets++;
        out.hours = out.hours.plus(hours);
        labour = labour.plus(hours.times(EMPLOYEES.find((e) => e.no === no)!.hourly));
      }
    }
    if (rnd() < 0.5) {
      const amount = new Decimal(Math.round(80 + rnd() * 900));
      const claim = await api('POST', '/api/v1/records/expense_claim', {
        employee: employees[p.members[0]], project: project.id, expense_date: randomDate(rnd, start, end), category: EXPENSE_CATEGORIES[Math.floor(rnd() * EXPENSE_CATEGORIES.length)],
        amount: amount.toFixed(2), description: `${p.name} 现场费用`,
      });
      await submitted(api, 'expense_claim', claim.id, claim.version);
      expense = expense.plus(amount);
    }
    out.labour[project.code] = labour.toFixed(2);
    out.expense[project.code] = expense.toFixed(2);
    await taskProgress(api, project, start, end);
    for (const ms of project.milestones ?? []) {
      if (ms.due < start || ms.due > end || !project.customer) continue;
      // Billing has no Idempotency-Key support: a run that lost its reply finds the invoice on the milestone.
      const billed = async () => (await d.live(`/api/v1/records/project_milestone/${ms.id}?fields=sales_invoice`)).sales_invoice as string | { id: string } | null;
      const draft = await api('POST', `/api/v1/projects/milestones/${ms.id}/bill`, { posting_date: ms.due }, async () => Boolean(await billed()));
      const link = draft ? draft.id as string : await billed();
      const inv = await dated(api, 'sales_invoice', typeof link === 'object' && link ? link.id : link!, { invoice_date: ms.due });
      out.billed.push({ id: inv.id, customer: project.customer, gross: inv.grand_total, posted: ms.due });
    }
  }
  return out;
}

/** Each task's progress at the month's end, by the calendar (elapsed share of its days; done past its end), written when it changed. */
async function taskProgress(api: Api, project: ProjectsMaster['projects'][number], start: string, end: string): Promise<void> {
  const at = (t: { start: string; end: string }, day: string) => {
    if (day >= t.end) return '1.00';
    if (day < t.start) return '0.00';
    const share = (Date.parse(day) - Date.parse(t.start) + 86_400_000) / (Date.parse(t.end) - Date.parse(t.start) + 86_400_000);
    return new Decimal(share).toDecimalPlaces(2, Decimal.ROUND_DOWN).toFixed(2);
  };
  for (const [i, t] of (project.taskDates ?? []).entries()) {
    const now = at(t, end);
    if (now === at(t, addDays(start, -1))) continue;
    const { version } = await api('GET', `/api/v1/records/project_task/${project.tasks[i]}?fields=version`);
    await api('PATCH', `/api/v1/records/project_task/${project.tasks[i]}`, { version, progress: now, task_status: now === '1.00' ? 'done' : 'doing' });
  }
}
