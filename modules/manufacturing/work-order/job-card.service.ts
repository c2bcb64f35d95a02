import { sql } from 'kysely';
import { z } from 'zod';
import { AppError, Decimal, parseOrThrow } from '@mosaic/kernel';
import { systemGuard } from '@mosaic/access';
import { createRecords, type RecordsCtx } from '@mosaic/records';
import { mfgTx, todayFor, uuidOrThrow } from '../mfg-context.ts';
import { tableOf } from '../mfg-tables.ts';
import { checkReport } from './work-order.rules.ts';
import { assertInProductionOrThrow, lockWorkOrderOrThrow, setLockedRecord, setWorkOrder } from './work-order.store.ts';
import { orderNeeds, postIssue } from './work-order.service.ts';

export const ZReport = z.object({
  good_qty: z.coerce.number().min(0),
  scrap_qty: z.coerce.number().min(0).default(0),
  minutes: z.coerce.number().min(0).max(100_000),
  operator: z.string().uuid().optional(),
  report_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
}).strict();

/**
 * POST /api/v1/manufacturing/job-cards/:id/report — 报工, in as many partial
 * batches as the floor likes: good and scrapped quantity, minutes, operator.
 * The order's produced quantity is the last operation's good output, its scrap
 * the sum over operations. With backflush (倒冲), the components consumed at
 * this operation leave stock for what it processed (good + scrap).
 */
export async function reportWork(ctx: RecordsCtx, jobCardId: string, body: unknown) {
  const input = parseOrThrow(ZReport, body);
  return mfgTx(ctx, [['job_card', 'edit'], ['job_card_log', 'create']], async (tx, objects) => {
    const J = tableOf(objects, 'job_card');
    const card = (await sql<{ wo: string; seq: number }>`SELECT ${J.c('work_order')} AS wo, ${J.c('seq')} AS seq FROM ${J.t} WHERE id = ${uuidOrThrow(jobCardId, 'id')}`.execute(tx)).rows[0];
    if (!card) throw new AppError('RECORD_NOT_FOUND', `No job card ${jobCardId}.`);
    const wo = await lockWorkOrderOrThrow(tx, objects, card.wo);
    assertInProductionOrThrow(wo);
    const ops = (await sql<Record<string, any>>`SELECT id, ${J.c('seq')} AS seq, coalesce(${J.c('good_qty')}, 0)::text AS good, coalesce(${J.c('scrap_qty')}, 0)::text AS scrap,
        coalesce(${J.c('actual_minutes')}, 0)::text AS minutes FROM ${J.t} WHERE ${J.c('work_order')} = ${wo.id} ORDER BY ${J.c('seq')}`.execute(tx)).rows
      .map((r) => ({ id: r.id as string, seq: Number(r.seq), good: new Decimal(r.good), scrap: new Decimal(r.scrap), minutes: new Decimal(r.minutes) }));
    const good = new Decimal(input.good_qty);
    const scrap = new Decimal(input.scrap_qty);
    checkReport(ops, wo.qty, card.seq, good, scrap);
    const date = input.report_date ?? todayFor(ctx);
    const sys = { ...ctx, guard: systemGuard(ctx.guard.actor) };
    await createRecords(sys, 'job_card_log', [{
      job_card: jobCardId, work_order: wo.id, good_qty: good.toFixed(), scrap_qty: scrap.toFixed(), minutes: String(input.minutes), operator: input.operator ?? ctx.guard.actor.userId, report_date: date,
    }], { tx });
    const op = ops.find((o) => o.seq === card.seq)!;
    op.good = op.good.plus(good);
    op.scrap = op.scrap.plus(scrap);
    const reached = ops[0].seq === card.seq ? wo.qty : ops[ops.findIndex((o) => o.seq === card.seq) - 1].good;
    // the job card's work order is locked above: its cards change only under that lock
    await setLockedRecord(tx, ctx, 'job_card', jobCardId, {
      good_qty: op.good.toFixed(), scrap_qty: op.scrap.toFixed(), actual_minutes: op.minutes.plus(input.minutes).toFixed(2),
      state: op.good.plus(op.scrap).gte(reached) ? 'completed' : 'in_process',
    });
    const backflushed = wo.backflush ? await backflush(tx, ctx, objects, wo, card.seq, ops[0].seq, good.plus(scrap), date) : null;
    const produced = ops[ops.length - 1].good;
    await setWorkOrder(tx, ctx, wo.id, { progress: 'in_process', produced_qty: produced.toFixed(), scrap_qty: ops.reduce((s, o) => s.plus(o.scrap), new Decimal(0)).toFixed() });
    return { work_order: wo.id, operation: card.seq, good_qty: op.good.toFixed(), scrap_qty: op.scrap.toFixed(), produced_qty: produced.toFixed(), backflushed };
  });
}

/** Components consumed at this operation (or, unassigned, at the first) for `processed` units. */
async function backflush(tx: Parameters<typeof orderNeeds>[0], ctx: RecordsCtx, objects: Parameters<typeof orderNeeds>[1], wo: Awaited<ReturnType<typeof lockWorkOrderOrThrow>>,
  seq: number, firstSeq: number, processed: Decimal, date: string) {
  const { needs } = await orderNeeds(tx, objects, wo);
  const here = needs.filter((n) => (n.operationSeq ?? firstSeq) === seq);
  if (!here.length) return null;
  const moves = here.map((n) => ({ item: n.item, warehouse: wo.sourceWarehouse, qty: n.qty.div(wo.qty).times(processed).neg() }));
  return postIssue(tx, ctx, objects, wo, date, moves);
}
