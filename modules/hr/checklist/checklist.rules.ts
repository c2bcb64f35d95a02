import { addDays } from '@mosaic/kernel';
import type { ChecklistKind, ResponsibleRole } from './checklist.objects.ts';

export interface TemplateLine {
  task: string;
  responsible: ResponsibleRole;
  /** A named person; takes precedence over the role. */
  assignee: string | null;
  daysOffset: number;
  description: string | null;
}

/** What the checklist needs of the employee: who is who, and the day it counts from. */
export interface EmployeeFacts {
  name: string;
  employeeNo: string;
  /** The employee record's owner: the HR person who entered them. */
  owner: string | null;
  /** The employee's own user, if they have one. */
  user: string | null;
  /** The user of their line manager (employee.manager.user). */
  managerUser: string | null;
  /** YYYY-MM-DD: the hire date (onboarding) or the leaving date (offboarding). */
  baseDate: string;
}

export interface ChecklistTask {
  subject: string;
  description: string | null;
  dueDate: string;
  assignee: string | null;
}

const PREFIX: Record<ChecklistKind, string> = { onboarding: '入职', offboarding: '离职' };

/**
 * The tasks a template gives one employee, in the template's order. Pure.
 * Due: base date + days. Whoever the role names; without such a person (no manager,
 * no user of their own) the task falls to HR, so nothing is left unassigned.
 */
export function checklistTasks(kind: ChecklistKind, lines: TemplateLine[], e: EmployeeFacts): ChecklistTask[] {
  return lines.map((l) => ({
    subject: `${PREFIX[kind]}：${e.name}（${e.employeeNo}）${l.task}`,
    description: l.description,
    dueDate: addDays(e.baseDate, l.daysOffset),
    assignee: l.assignee ?? responsibleUser(l.responsible, e) ?? e.owner,
  }));
}

function responsibleUser(role: ResponsibleRole, e: EmployeeFacts): string | null {
  if (role === 'manager') return e.managerUser;
  if (role === 'employee') return e.user;
  return e.owner;
}

