import { sql } from 'kysely';
import { AppError, Decimal } from '@mosaic/kernel';
import { registerDocumentHooks, type DocumentHookArgs } from '@mosaic/process';
import { systemGuard } from '@mosaic/access';
import { createRecords } from '@mosaic/records';
import { tableOf } from '../mfg-tables.ts';
import { todayFor } from '../mfg-context.ts';
import { loadBoms } from '../bom/bom.store.ts';
import { bomByItem, rollUpCost } from '../bom/bom.rules.ts';
import { costInputs } from '../bom/bom.service.ts';
import { issuedToOrder } from './work-order.store.ts';

/**
 * Submitting a work order releases it (下达): the BOM of its start date is
 * fixed on it, one job card per routing operation is made for the
 * workstations, and its standard cost (the BOM's roll-up × qty) recorded.
 * Cancelling is refused once material was issued or work reported.
 */
export function registerManufacturingHooks(): void {
  registerDocumentHooks('work_order', { validate: fixBom, onSubmit: release, onCancel: refuseCancelIfStarted });
}

async function fixBom({ tx, ctx, record, object }: DocumentHookArgs): Promise<void> {
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const boms = await loadBoms(tx, objects, false);
  const chosen = record.bom ? boms.get(record.bom as string) : bomByItem([...boms.values()].filter((b) => b.isActive), (record.planned_start as string) ?? todayFor(ctx)).get(record.item as string);
  if (!chosen) throw new AppError('FIELD_REQUIRED', 'bom: the item has no BOM in effect; make one or pick a BOM', { field: 'bom' });
  if (chosen.item !== record.item) throw new AppError('FIELD_INVALID', 'bom: is the BOM of another item', { field: 'bom' });
  // still a draft here: the row may change, and the release below reads the BOM from it
  const W = tableOf(objects, 'work_order');
  await sql`UPDATE ${sql.id(object.tableName)} SET ${W.c('bom')} = ${chosen.id} WHERE id = ${record.id as string}`.execute(tx);
  record.bom = chosen.id;
}

async function release({ tx, ctx, record }: DocumentHookArgs): Promise<void> {
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const boms = await loadBoms(tx, objects, false);
  const bom = boms.get(record.bom as string)!;
  const inputs = await costInputs(tx, objects, boms, (record.planned_start as string) ?? todayFor(ctx));
  const qty = new Decimal(record.qty as string);
  const ops = bom.routing ? inputs.routings.get(bom.routing)?.operations ?? [] : [];
  const sys = { ...ctx, guard: systemGuard(ctx.guard.actor) };
  await createRecords(sys, 'job_card', ops.map((op) => ({
    work_order: record.id, seq: op.seq, operation: op.name, workstation: op.workstation, for_qty: qty.toFixed(),
    planned_minutes: new Decimal(op.setupMinutes).plus(qty.times(op.runMinutes)).toFixed(2), planned_start: record.planned_start ?? todayFor(ctx), state: 'open',
  })), { tx });
  const unit = new Decimal(rollUpCost(bom, inputs).unitCost);
  const W = tableOf(objects, 'work_order');
  await sql`UPDATE ${W.t} SET ${W.c('progress')} = 'released', ${W.c('standard_cost')} = ${unit.times(qty).toFixed(2)} WHERE id = ${record.id as string}`.execute(tx);
}

async function refuseCancelIfStarted({ tx, ctx, record }: DocumentHookArgs): Promise<void> {
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const issued = await issuedToOrder(tx, objects, record.id as string);
  const L = tableOf(objects, 'job_card_log');
  const reports = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${L.t} WHERE ${L.c('work_order')} = ${record.id as string}`.execute(tx);
  if (issued.byItem.size || reports.rows[0].n) {
    throw new AppError('CONFLICT', 'Material was issued or work reported on this work order: complete it (or return the material) instead of cancelling.');
  }
}
