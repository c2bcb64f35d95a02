import { sql } from 'kysely';
import { AppError, Decimal } from '@mosaic/kernel';
import type { Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import { systemGuard } from '@mosaic/access';
import { updateRecords, type RecordsCtx } from '@mosaic/records';
import { createPostedVoucher, type JournalLine } from '@mosaic/finance';
import { tableOf } from '../mfg-tables.ts';

export interface WorkOrderRow {
  id: string;
  number: string;
  status: string;
  progress: string;
  item: string;
  bom: string | null;
  qty: Decimal;
  producedQty: Decimal;
  sourceWarehouse: string;
  fgWarehouse: string;
  backflush: boolean;
  plannedStart: string | null;
  standardCost: Decimal;
}

/** The work order, locked: every shop-floor action on one order queues behind the others. */
export async function lockWorkOrderOrThrow(tx: Tx, objects: Map<string, ObjectMeta>, id: string): Promise<WorkOrderRow> {
  const W = tableOf(objects, 'work_order');
  const r = (await sql<Record<string, any>>`SELECT id, ${W.c('number')} AS number, status, ${W.c('progress')} AS progress, ${W.c('item')} AS item, ${W.c('bom')} AS bom,
      ${W.c('qty')}::text AS qty, coalesce(${W.c('produced_qty')}, 0)::text AS produced, ${W.c('source_warehouse')} AS src, ${W.c('fg_warehouse')} AS fg,
      coalesce(${W.c('backflush')}, false) AS backflush, ${W.c('planned_start')}::text AS start, coalesce(${W.c('standard_cost')}, 0)::text AS std
    FROM ${W.t} WHERE id = ${id} FOR UPDATE`.execute(tx)).rows[0];
  if (!r) throw new AppError('RECORD_NOT_FOUND', `No work order ${id}.`);
  return {
    id: r.id, number: r.number, status: r.status, progress: r.progress ?? 'planned', item: r.item, bom: r.bom, qty: new Decimal(r.qty), producedQty: new Decimal(r.produced),
    sourceWarehouse: r.src, fgWarehouse: r.fg, backflush: r.backflush, plannedStart: r.start, standardCost: new Decimal(r.std),
  };
}

/** Shop-floor actions need a released order that is not finished yet. */
export function assertInProductionOrThrow(wo: WorkOrderRow): void {
  if (wo.status !== 'submitted' && wo.status !== 'approved') throw new AppError('CONFLICT', `Work order ${wo.number} is ${wo.status}: release (submit) it first.`);
  if (wo.progress === 'completed') throw new AppError('CONFLICT', `Work order ${wo.number} is completed.`);
}

/** Writes the order's live fields (editable after submit) with the system's rights, audited like any update. */
export async function setWorkOrder(tx: Tx, ctx: RecordsCtx, id: string, values: Record<string, unknown>): Promise<void> {
  await setLockedRecord(tx, ctx, 'work_order', id, values);
}

/**
 * Updates a row this transaction already holds locked (FOR UPDATE), through
 * the records service with the system's rights: its current version is the
 * one to compare, nobody can have changed it since.
 */
export async function setLockedRecord(tx: Tx, ctx: RecordsCtx, object: string, id: string, values: Record<string, unknown>): Promise<void> {
  const table = (await ctx.store.objects(ctx.guard.actor.tenantId)).get(object)!.tableName;
  const { version } = (await sql<{ version: number }>`SELECT version FROM ${sql.id(table)} WHERE id = ${id}`.execute(tx)).rows[0];
  await updateRecords({ ...ctx, guard: systemGuard(ctx.guard.actor) }, object, [{ id, version, values }], { tx });
}

/** Stock value issued to the order so far (positive), from the stock ledger. */
export async function issuedToOrder(tx: Tx, objects: Map<string, ObjectMeta>, id: string): Promise<{ value: Decimal; byItem: Map<string, Decimal> }> {
  const L = tableOf(objects, 'stock_ledger_entry');
  const rows = await sql<{ item: string; qty: string; value: string }>`SELECT ${L.c('item')} AS item, (-sum(${L.c('qty')}))::text AS qty, (-sum(${L.c('value_change')}))::text AS value
    FROM ${L.t} WHERE ${L.c('voucher_type')} = 'work_order' AND ${L.c('voucher_id')} = ${id} AND ${L.c('qty')} < 0 GROUP BY 1`.execute(tx);
  return {
    value: rows.rows.reduce((s, r) => s.plus(r.value), new Decimal(0)),
    byItem: new Map(rows.rows.map((r) => [r.item, new Decimal(r.qty)])),
  };
}

/** A voucher of the work order (业财一体化), account codes resolved in the user's company chart. */
export async function postWorkOrderVoucher(tx: Tx, ctx: RecordsCtx, objects: Map<string, ObjectMeta>, wo: WorkOrderRow, date: string, description: string,
  build: (account: (code: string) => string) => JournalLine[]): Promise<string | null> {
  const A = tableOf(objects, 'gl_account');
  const rows = await sql<{ id: string; code: string }>`SELECT id, ${A.c('code')} AS code FROM ${A.t} WHERE company_id = ${ctx.guard.actor.companyId}`.execute(tx);
  const byCode = new Map(rows.rows.map((r) => [r.code, r.id]));
  const lines = build((code) => {
    const id = byCode.get(code);
    if (!id) throw new AppError('CONFLICT', `The company has no account ${code}; add it to the chart of accounts.`);
    return id;
  });
  if (!lines.length) return null;
  return createPostedVoucher(tx, ctx, { voucherType: '转', postingDate: date, description: `${description} ${wo.number}`, sourceType: 'work_order', sourceId: wo.id, lines });
}
