import { sql } from 'kysely';
import type { Tx } from '@mosaic/db';
import { approveWithoutFlow, physical } from '@mosaic/hr';
import { Decimal } from '@mosaic/kernel';
import { registerDocumentHooks, type DocumentHookArgs } from '@mosaic/process';
import type { RecordsCtx } from '@mosaic/records';
import { onStockPosted } from '@mosaic/stock';
import { collectCost, collectedFor } from '../project/project-cost.service.ts';

/**
 * Where project costs come from (成本归集):
 *   timesheet      labour   = hours × the employee's hourly cost, when approved
 *   expense_claim  expense  = the claim's amount, when approved (only claims with a project)
 *   stock_entry    material = the value of an issue attributed to a project, when posted
 * "When approved" means on approval through the approval engine, or on submit when the
 * object has no active approval flow (approveWithoutFlow). Cancelling reverses exactly what was collected.
 */
export function registerCostCollection(): void {
  for (const object of ['timesheet', 'expense_claim'] as const) {
    const collect = object === 'timesheet' ? collectTimesheet : collectExpenseClaim;
    registerDocumentHooks(object, {
      async validate(args) {
        if (object === 'timesheet') await priceTimesheet(args);
      },
      onSubmit: approveWithoutFlow,
      async onApprove(args) {
        await collect(args);
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
 * work, and whatever a user typed into those fields is overwritten.
 */
async function priceTimesheet({ tx, ctx, record }: DocumentHookArgs): Promise<void> {
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const e = physical(objects, 'employee');
  const ts = physical(objects, 'timesheet');
  const rate = new Decimal((await sql<{ rate: string | null }>`SELECT ${e.ref('hourly_cost')}::text AS rate FROM ${e.table} WHERE id = ${record.employee as string}`.execute(tx)).rows[0]?.rate ?? 0);
  const cost = rate.times(record.hours as string).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  await sql`UPDATE ${ts.table} SET ${ts.ref('cost_rate')} = ${rate.toFixed(2)}, ${ts.ref('cost_amount')} = ${cost.toFixed(2)} WHERE id = ${record.id as string}`.execute(tx);
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
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: ctx.guard.actor.timeZone }).format(new Date());
  await collectCost(tx, ctx, {
    project: record.project as string, costType: object === 'timesheet' ? 'labour' : 'expense', amount: collected.neg(), postingDate: today,
    sourceType: object, sourceId: record.id as string, description: `冲销 ${String(record.number)}`,
  });
}
