import { sql } from 'kysely';
import { systemGuard } from '@mosaic/access';
import type { Tx } from '@mosaic/db';
import { approveWithoutFlow, checkFilingEmployee, physical, registerFilingEmployeeCheck } from '@mosaic/hr';
import { AppError, Decimal, todayIn } from '@mosaic/kernel';
import { registerDocumentHooks, type DocumentHookArgs } from '@mosaic/process';
import { updateRecords, type RecordsCtx } from '@mosaic/records';
import { onStockPosted } from '@mosaic/stock';
import { collectCost, collectedFor } from '../project/project-cost.service.ts';

/**
 * Where project costs come from (成本归集):
 *   timesheet      labour   = hours × the employee's hourly cost, when approved (and its task_progress, if given, becomes the task's progress)
 *   expense_claim  expense  = the claim's amount, when approved (only claims with a project)
 *   stock_entry    material = the value of an issue attributed to a project, when posted
 * "When approved" means on approval through the approval engine, or on submit when the
 * object has no active approval flow (approveWithoutFlow). Cancelling reverses exactly what was collected.
 */
export function registerCostCollection(): void {
  for (const object of ['timesheet', 'expense_claim'] as const) {
    const collect = object === 'timesheet' ? collectTimesheet : collectExpenseClaim;
    registerFilingEmployeeCheck(object); // on create and edit; on submit below
    registerDocumentHooks(object, {
      async validate(args) {
        await checkFilingEmployee(args.tx, args.ctx, args.object, args.record.id as string);
        if (object === 'timesheet') {
          await checkTaskOfProject(args);
          await priceTimesheet(args);
        }
      },
      onSubmit: approveWithoutFlow,
      async onApprove(args) {
        await collect(args);
        if (object === 'timesheet') await reportTaskProgress(args);
      },
      async onCancel({ tx, ctx, record }) {
        await reverseCollected(tx, ctx, object, record);
      },
    });
  }
  onStockPosted(async ({ tx, ctx, voucher, kind, moves, source }) => {
    if (voucher.type !== 'stock_entry' || source.entry_type !== 'issue' || !source.project) return;
    // An issue's moves carry negative value changes; a reversal's are negated again.
    const value = moves.reduce((s, m) => s.minus(m.valueChange), new Decimal(0));
    await collectCost(tx, ctx, {
      project: source.project as string, costType: 'material', amount: value, postingDate: voucher.postingDate,
      sourceType: 'stock_entry', sourceId: voucher.id, description: `${kind === 'post' ? '' : '冲销 '}领料 ${String(source.number ?? '')}`,
    });
  });
}

/**
 * On submit, while the timesheet is still a draft, the employee's hourly cost of the day is
 * written on it (cost_rate, cost_amount = hours × rate): a later raise does not re-cost old
 * work, and whatever a user typed into those fields is overwritten. An employee without an
 * hourly cost is refused (422 naming `employee`).
 */
async function priceTimesheet({ tx, ctx, record }: DocumentHookArgs): Promise<void> {
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const e = physical(objects, 'employee');
  const ts = physical(objects, 'timesheet');
  const set = (await sql<{ rate: string | null }>`SELECT ${e.ref('hourly_cost')}::text AS rate FROM ${e.table} WHERE id = ${record.employee as string}`.execute(tx)).rows[0]?.rate;
  // No hourly cost is not a cost of 0: the hours would reach the project free and its labour
  // actual and profit would be wrong without anyone noticing. An explicit 0 is allowed.
  if (set === null || set === undefined) {
    throw new AppError('FIELD_INVALID', 'employee: has no hourly cost (employee.hourly_cost); HR must set it before time can be costed to a project', { field: 'employee' });
  }
  const rate = new Decimal(set);
  const cost = rate.times(record.hours as string).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  await sql`UPDATE ${ts.table} SET ${ts.ref('cost_rate')} = ${rate.toFixed(2)}, ${ts.ref('cost_amount')} = ${cost.toFixed(2)} WHERE id = ${record.id as string}`.execute(tx);
}

/** A timesheet's task must be one of its project's tasks (else its hours would show on another project's Gantt). */
async function checkTaskOfProject({ tx, ctx, record }: DocumentHookArgs): Promise<void> {
  if (!record.task) return;
  const t = physical(await ctx.store.objects(ctx.guard.actor.tenantId), 'project_task');
  const project = (await sql<{ project: string }>`SELECT ${t.ref('project')} AS project FROM ${t.table} WHERE id = ${record.task as string}`.execute(tx)).rows[0]?.project;
  if (project !== record.project) throw new AppError('FIELD_INVALID', 'task: not a task of the timesheet\'s project', { field: 'task' });
}

/**
 * 进度填报: an approved timesheet that reports how far its task now is sets the task's progress
 * (a normal change of the task: version, audit, event) — done at 100 %, in progress above 0.
 * The latest approved report wins.
 */
async function reportTaskProgress({ tx, ctx, record }: DocumentHookArgs): Promise<void> {
  if (!record.task || record.task_progress === null || record.task_progress === undefined || record.task_progress === '') return;
  const t = physical(await ctx.store.objects(ctx.guard.actor.tenantId), 'project_task');
  const cur = (await sql<{ version: number; status: string }>`SELECT version, ${t.ref('task_status')} AS status FROM ${t.table} WHERE id = ${record.task as string} FOR UPDATE`.execute(tx)).rows[0];
  if (!cur) return;
  const progress = new Decimal(record.task_progress as string);
  const status = progress.gte(1) ? 'done' : progress.gt(0) ? 'doing' : cur.status;
  await updateRecords({ ...ctx, guard: systemGuard(ctx.guard.actor) }, 'project_task', [{ id: record.task as string, version: cur.version, values: { progress: progress.toFixed(), task_status: status } }], { tx });
}

async function collectTimesheet({ tx, ctx, record }: DocumentHookArgs): Promise<void> {
  if (!(await collectedFor(tx, ctx, record.id as string)).isZero()) return; // collected once
  const ts = physical(await ctx.store.objects(ctx.guard.actor.tenantId), 'timesheet');
  const priced = (await sql<{ rate: string; cost: string }>`SELECT ${ts.ref('cost_rate')}::text AS rate, ${ts.ref('cost_amount')}::text AS cost
    FROM ${ts.table} WHERE id = ${record.id as string}`.execute(tx)).rows[0];
  await collectCost(tx, ctx, {
    project: record.project as string, costType: 'labour', amount: new Decimal(priced.cost), postingDate: record.work_date as string,
    sourceType: 'timesheet', sourceId: record.id as string, description: `工时 ${String(record.number)} ${String(record.hours)}h × ${priced.rate}`,
  });
}

async function collectExpenseClaim({ tx, ctx, record }: DocumentHookArgs): Promise<void> {
  if (!record.project || !(await collectedFor(tx, ctx, record.id as string)).isZero()) return;
  await collectCost(tx, ctx, {
    project: record.project as string, costType: 'expense', amount: new Decimal(record.amount as string), postingDate: record.expense_date as string,
    sourceType: 'expense_claim', sourceId: record.id as string, description: `报销 ${String(record.number)}`,
  });
}

async function reverseCollected(tx: Tx, ctx: RecordsCtx, object: string, record: Record<string, unknown>): Promise<void> {
  const collected = await collectedFor(tx, ctx, record.id as string);
  if (collected.isZero() || !record.project) return;
  const today = todayIn(ctx.guard.actor.timeZone);
  await collectCost(tx, ctx, {
    project: record.project as string, costType: object === 'timesheet' ? 'labour' : 'expense', amount: collected.neg(), postingDate: today,
    sourceType: object, sourceId: record.id as string, description: `冲销 ${String(record.number)}`,
  });
}
