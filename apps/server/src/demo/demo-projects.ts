import { Decimal, addDays } from '@mosaic/kernel';
import { EMPLOYEES, EXPENSE_CATEGORIES, PROJECTS } from './demo-catalogue.ts';
import { randomDate, submitted, workdays, type Api } from './demo-api.ts';

/**
 * Projects (项目): a fit-out for the biggest customer and the company's own ERP
 * roll-out, each with its tasks; every month the members book timesheets
 * (costed by the projects module at their hourly cost) and now and then claim
 * an expense — the project cost ledger the cockpit and GET /projects/:id/figures read.
 */
export interface ProjectsMaster { projects: { id: string; code: string; tasks: string[] }[] }

export async function projectsMaster(api: Api, customers: string[], employees: Record<string, string>, first: string, until: string): Promise<ProjectsMaster> {
  const projects: ProjectsMaster['projects'] = [];
  const end = addDays(until, 90);
  for (const p of PROJECTS) {
    const project = await api('POST', '/api/v1/records/project', {
      code: p.code, name: p.name, ...(p.customer === null ? {} : { customer: customers[p.customer] }), stage: 'active',
      start_date: first, end_date: end, budget_labour: p.budget.labour, budget_expense: p.budget.expense,
    });
    const tasks: string[] = [];
    const span = (Date.parse(end) - Date.parse(first)) / 86_400_000 / p.tasks.length;
    for (let i = 0; i < p.tasks.length; i++) {
      tasks.push((await api('POST', '/api/v1/records/project_task', {
        project: project.id, title: p.tasks[i], assignee: employees[p.members[i % p.members.length]],
        start_date: addDays(first, Math.round(span * i)), end_date: addDays(first, Math.round(span * (i + 1)) - 1),
        ...(i > 0 ? { dependencies: [{ predecessor: tasks[i - 1], kind: 'fs' }] } : {}),
      })).id);
    }
    projects.push({ id: project.id, code: p.code, tasks });
  }
  return { projects };
}

export interface ProjectsMonth { timesheets: number; hours: Decimal; labour: Record<string, string>; expense: Record<string, string> }

/** Two timesheets per member on the task of the moment, and an expense claim in about half the months. */
export async function projectsOfMonth(api: Api, master: ProjectsMaster, employees: Record<string, string>, rnd: () => number, start: string, end: string, progress: number): Promise<ProjectsMonth> {
  const out: ProjectsMonth = { timesheets: 0, hours: new Decimal(0), labour: {}, expense: {} };
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
  }
  return out;
}
