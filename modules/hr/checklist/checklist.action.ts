import { sql } from 'kysely';
import { z } from 'zod';
import { AppError, todayIn } from '@mosaic/kernel';
import { ActionFailure, registerAction, setOwner, zonedInstant, type ActionContext } from '@mosaic/automation';
import { createRecords } from '@mosaic/records';
import { physical } from '../physical.ts';
import { CHECKLIST_KINDS, type ChecklistKind, type ResponsibleRole } from './checklist.objects.ts';
import { checklistTasks, type EmployeeFacts, type TemplateLine } from './checklist.rules.ts';

/**
 * hr_checklist — the rule action behind 入职清单 / 离职清单: the employee's tasks from the
 * active checklist template (hr_checklist_template) that fits them best, one `task` per line,
 * linked to the employee, given to the line's person and due at 18:00 (tenant time) on the
 * hire/leaving date + the line's days. Which template: active, of the kind, of the employee's
 * company (or of none), for the employee's department or one above it (or for any) — the
 * deepest department first, then a company's over a tenant-wide one, then the latest edited.
 * No template fits → no tasks (the run log says so).
 */
const ZChecklist = z.object({ type: z.literal('hr_checklist'), kind: z.enum(CHECKLIST_KINDS) }).strict();
const DUE_HOUR = 18;

registerAction('hr_checklist', {
  schema: ZChecklist,
  mode: 'tx',
  validate(_a, v) {
    if (v.obj?.apiName !== 'employee') throw new AppError('VALIDATION_FAILED', `${v.at}: a checklist is made for an employee; the rule's object must be employee`, { field: v.at });
    if (!v.objects.has('task') || !v.objects.has('hr_checklist_template')) throw new AppError('VALIDATION_FAILED', `${v.at}: the task or checklist template object is not installed`, { field: v.at });
  },
  async run(ctx, a) {
    if (!ctx.record) throw new ActionFailure('this rule has no employee');
    const employee = await employeeFacts(ctx, ctx.record.id, a.kind);
    if (!employee) throw new ActionFailure(`employee ${ctx.record.id} no longer exists`);
    const template = await bestTemplate(ctx, a.kind, employee.companyId, employee.departmentId);
    if (!template) return { template: null, tasks: [] };
    const tasks = checklistTasks(a.kind, await templateLines(ctx, template), employee);
    if (!tasks.length) return { template, tasks: [] };
    const values = tasks.map((t) => ({
      subject: t.subject, description: t.description, due_at: dueAt(t.dueDate, ctx.ev.timeZone), done: false,
      related_object: 'employee', related_id: ctx.record!.id, assignee_id: t.assignee,
    }));
    const created = await createRecords(ctx.rctx, 'task', values, { tx: ctx.tx });
    const taskObj = ctx.objects.get('task')!;
    for (const [i, { id }] of created.entries()) if (tasks[i].assignee) await setOwner(ctx.tx, ctx.rctx, taskObj, id, tasks[i].assignee!);
    return { template, tasks: created.map((c) => c.id) };
  },
});

const dueAt = (date: string, timeZone: string) => {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(zonedInstant(y, m, d, DUE_HOUR, 0, 0, timeZone)).toISOString();
};

type Facts = EmployeeFacts & { companyId: string | null; departmentId: string | null };

async function employeeFacts(ctx: ActionContext, id: string, kind: ChecklistKind): Promise<Facts | null> {
  const e = physical(ctx.objects, 'employee');
  const r = (await sql<{ company_id: string | null; owner_id: string | null; user: string | null; department: string | null; name: string; no: string; base: string | null; manager_user: string | null }>`
    SELECT e.company_id, e.owner_id, ${e.ref('user', 'e')} AS user, ${e.ref('department', 'e')} AS department, ${e.ref('name', 'e')} AS name, ${e.ref('employee_no', 'e')} AS no,
      to_char(${kind === 'onboarding' ? e.ref('hire_date', 'e') : e.ref('leave_date', 'e')}, 'YYYY-MM-DD') AS base, ${e.ref('user', 'm')} AS manager_user
    FROM ${e.table} e LEFT JOIN ${e.table} m ON m.id = ${e.ref('manager', 'e')} WHERE e.id = ${id}`.execute(ctx.tx)).rows[0];
  if (!r) return null;
  return {
    companyId: r.company_id, departmentId: r.department, name: r.name, employeeNo: r.no, owner: r.owner_id, user: r.user, managerUser: r.manager_user,
    // No leaving date typed: the checklist counts from the day they were marked as left.
    baseDate: r.base ?? todayIn(ctx.ev.timeZone, ctx.ev.now),
  };
}

async function bestTemplate(ctx: ActionContext, kind: ChecklistKind, companyId: string | null, departmentId: string | null): Promise<string | null> {
  const t = physical(ctx.objects, 'hr_checklist_template');
  const r = await sql<{ id: string }>`SELECT t.id FROM ${t.table} t LEFT JOIN department d ON d.id = ${t.ref('department', 't')}
    WHERE ${t.ref('kind', 't')} = ${kind} AND ${t.ref('is_active', 't')}
      AND (t.company_id IS NULL OR t.company_id = ${companyId})
      AND (${t.ref('department', 't')} IS NULL OR EXISTS (SELECT 1 FROM department ed WHERE ed.id = ${departmentId} AND ed.path @> ARRAY[${t.ref('department', 't')}]))
    ORDER BY COALESCE(array_length(d.path, 1), 0) DESC, (t.company_id IS NOT NULL) DESC, t.updated_at DESC, t.id LIMIT 1`.execute(ctx.tx);
  return r.rows[0]?.id ?? null;
}

async function templateLines(ctx: ActionContext, templateId: string): Promise<TemplateLine[]> {
  const l = physical(ctx.objects, 'hr_checklist_template_line');
  const rows = (await sql<{ task: string; role: ResponsibleRole; assignee: string | null; days: number; description: string | null }>`
    SELECT ${l.ref('task')} AS task, ${l.ref('responsible_role')} AS role, ${l.ref('assignee')} AS assignee, ${l.ref('days_offset')} AS days, ${l.ref('description')} AS description
    FROM ${l.table} WHERE parent_id = ${templateId} ORDER BY idx`.execute(ctx.tx)).rows;
  return rows.map((r) => ({ task: r.task, responsible: r.role ?? 'hr', assignee: r.assignee, daysOffset: Number(r.days ?? 0), description: r.description }));
}
