import { sql } from 'kysely';
import { z } from 'zod';
import { AppError, Decimal, parseOrThrow } from '@mosaic/kernel';
import type { Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import type { RecordsCtx } from '@mosaic/records';
import { postStockMoves, type StockMove } from '@mosaic/stock';
import { mfgTx, todayFor, uuidOrThrow } from '../mfg-context.ts';
import { tableOf } from '../mfg-tables.ts';
import { loadBoms, loadValuationRates } from '../bom/bom.store.ts';
import { bomByItem } from '../bom/bom.rules.ts';
import type { Bom } from '../bom/bom.types.ts';
import { actualCost, completionJournal, issueJournal, issuedPerPrimary, requiredMaterials, withSubstitutes, type Requirement } from './work-order.rules.ts';
import { assertInProductionOrThrow, issuedToOrder, lockWorkOrderOrThrow, postWorkOrderVoucher, setWorkOrder, type WorkOrderRow } from './work-order.store.ts';

const ZIssue = z.object({
  lines: z.array(z.object({ item: z.string().uuid(), qty: z.coerce.number().positive() }).strict()).max(500).optional(),
  posting_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
}).strict();

/**
 * POST /api/v1/manufacturing/work-orders/:id/issue — material issue (领料):
 * the given lines, or by default everything the BOM still needs (required
 * less issued), out of the order's material warehouse through the stock ledger
 * (a shortage is a 409 naming the item), booked Dr 4001 / Cr 1405.
 */
export async function issueMaterials(ctx: RecordsCtx, id: string, body: unknown) {
  const input = parseOrThrow(ZIssue, body ?? {});
  return mfgTx(ctx, [['work_order', 'edit']], async (tx, objects) => {
    const wo = await lockWorkOrderOrThrow(tx, objects, uuidOrThrow(id, 'id'));
    assertInProductionOrThrow(wo);
    const date = input.posting_date ?? todayFor(ctx);
    let lines = input.lines?.map((l) => ({ item: l.item, qty: new Decimal(l.qty) }));
    if (!lines) {
      const { bom, needs } = await orderNeeds(tx, objects, wo);
      const issued = issuedPerPrimary(needs, bom.substitutes, (await issuedToOrder(tx, objects, wo.id)).byItem);
      const remaining = needs.map((n) => ({ item: n.item, qty: n.qty.minus(issued.get(n.item) ?? 0) })).filter((l) => l.qty.gt(0));
      lines = bom.substitutes.length ? withSubstitutes(remaining, bom.substitutes, await availableIn(tx, objects, wo.sourceWarehouse)) : remaining;
    }
    if (!lines.length) throw new AppError('CONFLICT', `Work order ${wo.number} has nothing left to issue.`);
    return postIssue(tx, ctx, objects, wo, date, lines.map((l) => ({ item: l.item, warehouse: wo.sourceWarehouse, qty: l.qty.neg() })));
  });
}

export async function postIssue(tx: Tx, ctx: RecordsCtx, objects: Map<string, ObjectMeta>, wo: WorkOrderRow, date: string, moves: StockMove[]) {
  const posted = await postStockMoves(tx, objects, ctx.guard.actor.tenantId, { type: 'work_order', id: wo.id, postingDate: date }, moves);
  const value = posted.reduce((s, m) => s.minus(m.valueChange), new Decimal(0));
  await postWorkOrderVoucher(tx, ctx, objects, wo, date, '生产领料', (account) => issueJournal(value, account));
  if (wo.progress === 'released') await setWorkOrder(tx, ctx, wo.id, { progress: 'in_process' });
  return { issued: posted.map((m) => ({ item: m.item, qty: m.qty.neg().toFixed(), value: m.valueChange.neg().toFixed(2) })), value: value.toFixed(2) };
}

/** The order's BOM and its material needs for the order quantity. */
export async function orderNeeds(tx: Tx, objects: Map<string, ObjectMeta>, wo: WorkOrderRow): Promise<{ bom: Bom; needs: Requirement[] }> {
  const boms = await loadBoms(tx, objects, false);
  const bom = wo.bom ? boms.get(wo.bom) : undefined;
  if (!bom) throw new AppError('CONFLICT', `Work order ${wo.number} has no BOM.`);
  return { bom, needs: requiredMaterials(bom, wo.qty, bomByItem([...boms.values()].filter((b) => b.isActive), wo.plannedStart)) };
}

/**
 * POST /api/v1/manufacturing/work-orders/:id/complete — 完工: the actual
 * cost (material issued at its stock value, labour and overhead from the
 * work reports' minutes at the workstations' rates, BOM overhead %, less
 * by-products at valuation) is compared with the standard for the quantity
 * produced; finished goods and by-products are received into stock and the
 * voucher posted (labour/overhead into 4001, 4001 out to 1405).
 */
export async function completeWorkOrder(ctx: RecordsCtx, id: string, body: { posting_date?: string } = {}) {
  return mfgTx(ctx, [['work_order', 'edit']], async (tx, objects) => {
    const wo = await lockWorkOrderOrThrow(tx, objects, uuidOrThrow(id, 'id'));
    assertInProductionOrThrow(wo);
    if (wo.producedQty.lte(0)) throw new AppError('CONFLICT', `Work order ${wo.number}: report good quantity on the last operation before completing.`);
    const date = body?.posting_date ?? todayFor(ctx);
    const { bom } = await orderNeeds(tx, objects, wo);
    const time = await reportedTime(tx, objects, wo.id);
    const rates = await loadValuationRates(tx, objects);
    const byProducts = bom.byProducts.map((b) => ({ item: b.item, qty: new Decimal(b.qty).div(bom.quantity).times(wo.producedQty), rate: new Decimal(rates.get(b.item) ?? 0) }));
    const cost = actualCost({
      material: (await issuedToOrder(tx, objects, wo.id)).value, labour: time.labour, overheadAbsorbed: time.overhead, overheadPct: new Decimal(bom.overheadPct),
      byProducts: byProducts.reduce((s, b) => s.plus(b.qty.times(b.rate)), new Decimal(0)), standardUnit: wo.standardCost.div(wo.qty), produced: wo.producedQty,
    });
    await postStockMoves(tx, objects, ctx.guard.actor.tenantId, { type: 'work_order', id: wo.id, postingDate: date }, [
      { item: wo.item, warehouse: wo.fgWarehouse, qty: wo.producedQty, rate: cost.fgRate },
      ...byProducts.filter((b) => b.qty.gt(0)).map((b) => ({ item: b.item, warehouse: wo.fgWarehouse, qty: b.qty, rate: b.rate })),
    ]);
    const voucher = await postWorkOrderVoucher(tx, ctx, objects, wo, date, '完工入库', (account) => completionJournal(cost, account));
    const values = {
      progress: 'completed', completed_on: date, material_cost: cost.material.toFixed(2), labour_cost: cost.labour.toFixed(2), overhead_cost: cost.overhead.toFixed(2),
      actual_cost: cost.actual.toFixed(2), standard_cost: cost.standard.toFixed(2), variance: cost.variance.toFixed(2),
    };
    await setWorkOrder(tx, ctx, wo.id, values);
    return { ...values, produced_qty: wo.producedQty.toFixed(), unit_cost: cost.fgRate.toFixed(6), voucher };
  });
}

/** Labour and overhead of the reported minutes, each at its workstation's rates. */
async function reportedTime(tx: Tx, objects: Map<string, ObjectMeta>, woId: string): Promise<{ labour: Decimal; overhead: Decimal }> {
  const L = tableOf(objects, 'job_card_log');
  const J = tableOf(objects, 'job_card');
  const W = tableOf(objects, 'workstation');
  const r = (await sql<{ labour: string; overhead: string }>`SELECT coalesce(sum(l.${L.c('minutes')} * coalesce(w.${W.c('hourly_cost')}, 0) / 60), 0)::text AS labour,
      coalesce(sum(l.${L.c('minutes')} * coalesce(w.${W.c('overhead_rate')}, 0) / 60), 0)::text AS overhead
    FROM ${L.t} l JOIN ${J.t} j ON j.id = l.${L.c('job_card')} JOIN ${W.t} w ON w.id = j.${J.c('workstation')}
    WHERE l.${L.c('work_order')} = ${woId}`.execute(tx)).rows[0];
  return { labour: new Decimal(r.labour), overhead: new Decimal(r.overhead) };
}

/** Available (on hand − reserved) per item in a warehouse. */
async function availableIn(tx: Tx, objects: Map<string, ObjectMeta>, warehouse: string): Promise<Map<string, Decimal>> {
  const B = tableOf(objects, 'stock_balance');
  const rows = await sql<{ item: string; qty: string }>`SELECT ${B.c('item')} AS item, (coalesce(${B.c('on_hand')}, 0) - coalesce(${B.c('reserved')}, 0))::text AS qty
    FROM ${B.t} WHERE ${B.c('warehouse')} = ${warehouse}`.execute(tx);
  return new Map(rows.rows.map((r) => [r.item, new Decimal(r.qty)]));
}
