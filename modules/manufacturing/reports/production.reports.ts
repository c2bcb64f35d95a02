import { sql } from 'kysely';
import { z } from 'zod';
import { Decimal, parseOrThrow } from '@mosaic/kernel';
import type { RecordsCtx } from '@mosaic/records';
import { mfgTx, todayFor } from '../mfg-context.ts';
import { tableOf } from '../mfg-tables.ts';
import { loadBoms, loadItemInfo } from '../bom/bom.store.ts';
import { bomByItem } from '../bom/bom.rules.ts';
import type { Bom } from '../bom/bom.types.ts';
import { loadWorkstations } from '../routing/routing.store.ts';
import { jobCardLoads } from '../routing/capacity.store.ts';
import { weeklyLoad } from '../routing/capacity.rules.ts';
import { requiredMaterials } from '../work-order/work-order.rules.ts';

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
export const ZRange = z.object({ from: date.optional(), to: date.optional() }).strict();

/**
 * GET /api/v1/manufacturing/reports/production-progress — per live or
 * finished work order: produced / planned, scrap, whether it finished on
 * time (completed on or before its due date); and the on-time rate.
 */
export async function productionProgress(ctx: RecordsCtx, query: unknown) {
  const q = parseOrThrow(ZRange, query);
  return mfgTx(ctx, [['work_order', 'read']], async (tx, objects) => {
    const W = tableOf(objects, 'work_order');
    const I = tableOf(objects, 'item');
    const rows = (await sql<Record<string, any>>`SELECT w.id, w.${W.c('number')} AS number, i.${I.c('code')} AS item, w.${W.c('qty')}::text AS qty,
        coalesce(w.${W.c('produced_qty')}, 0)::text AS produced, coalesce(w.${W.c('scrap_qty')}, 0)::text AS scrap, w.${W.c('progress')} AS progress,
        w.${W.c('due_date')}::text AS due_date, w.${W.c('completed_on')}::text AS completed_on
      FROM ${W.t} w JOIN ${I.t} i ON i.id = w.${W.c('item')}
      WHERE w.status IN ('submitted', 'approved') ${q.from ? sql`AND w.${W.c('due_date')} >= ${q.from}::date` : sql``} ${q.to ? sql`AND w.${W.c('due_date')} <= ${q.to}::date` : sql``}
      ORDER BY w.${W.c('due_date')}, w.${W.c('number')}`.execute(tx)).rows;
    const orders = rows.map((r) => ({
      ...r, percent: Number(new Decimal(r.produced).div(r.qty).times(100).toFixed(1)),
      onTime: r.progress === 'completed' ? !r.due_date || r.completed_on <= r.due_date : null,
    }));
    const finished = orders.filter((o) => o.onTime !== null);
    return { orders, onTimeRate: finished.length ? Number((finished.filter((o) => o.onTime).length / finished.length).toFixed(3)) : null };
  });
}

export const ZAsOf = z.object({ as_of: date.optional() }).strict();

/**
 * GET …/reports/workshop-progress?as_of= — progress per workshop (车间, the
 * workstations' `workshop`), over the job cards of released work orders not
 * yet completed, each card counted in the workshop of its workstation:
 *   openWorkOrders  orders with an unfinished card there;  openJobCards  unfinished cards;
 *   plannedQty / completedQty / scrapQty  operation quantities (Σ for_qty, Σ good, Σ scrap),
 *     so an order passing two operations of a workshop counts twice — the workshop's work;
 *   lateJobCards    unfinished cards planned before as_of (default today);
 *   lateWorkOrders  orders due before as_of with an unfinished card there.
 * Workstations without a workshop are grouped under workshop null.
 */
export async function workshopProgress(ctx: RecordsCtx, query: unknown) {
  const asOf = parseOrThrow(ZAsOf, query).as_of ?? todayFor(ctx);
  return mfgTx(ctx, [['work_order', 'read'], ['job_card', 'read'], ['workstation', 'read']], async (tx, objects) => {
    const W = tableOf(objects, 'work_order');
    const J = tableOf(objects, 'job_card');
    const S = tableOf(objects, 'workstation');
    const open = sql`j.${J.c('state')} IS DISTINCT FROM 'completed'`;
    const rows = (await sql<Record<string, any>>`SELECT nullif(s.${S.c('workshop')}, '') AS workshop,
        count(DISTINCT w.id) FILTER (WHERE ${open})::int AS open_work_orders, count(*) FILTER (WHERE ${open})::int AS open_job_cards,
        sum(j.${J.c('for_qty')})::text AS planned, coalesce(sum(j.${J.c('good_qty')}), 0)::text AS completed, coalesce(sum(j.${J.c('scrap_qty')}), 0)::text AS scrap,
        count(*) FILTER (WHERE ${open} AND j.${J.c('planned_start')} < ${asOf}::date)::int AS late_job_cards,
        count(DISTINCT w.id) FILTER (WHERE ${open} AND w.${W.c('due_date')} < ${asOf}::date)::int AS late_work_orders
      FROM ${J.t} j JOIN ${W.t} w ON w.id = j.${J.c('work_order')} JOIN ${S.t} s ON s.id = j.${J.c('workstation')}
      WHERE w.status IN ('submitted', 'approved') AND w.${W.c('progress')} IS DISTINCT FROM 'completed'
      GROUP BY 1 ORDER BY 1 NULLS LAST`.execute(tx)).rows;
    return {
      asOf,
      workshops: rows.map((r) => ({
        workshop: r.workshop as string | null, openWorkOrders: r.open_work_orders, openJobCards: r.open_job_cards,
        plannedQty: new Decimal(r.planned).toFixed(), completedQty: new Decimal(r.completed).toFixed(), scrapQty: new Decimal(r.scrap).toFixed(),
        percent: Number(new Decimal(r.completed).div(r.planned).times(100).toFixed(1)), lateJobCards: r.late_job_cards, lateWorkOrders: r.late_work_orders,
      })),
    };
  });
}

/** GET …/reports/scrap-rate — scrap ÷ (good + scrap) from the work reports, per item and per workstation. */
export async function scrapRate(ctx: RecordsCtx, query: unknown) {
  const q = parseOrThrow(ZRange, query);
  return mfgTx(ctx, [['job_card_log', 'read']], async (tx, objects) => {
    const L = tableOf(objects, 'job_card_log');
    const J = tableOf(objects, 'job_card');
    const W = tableOf(objects, 'work_order');
    const S = tableOf(objects, 'workstation');
    const I = tableOf(objects, 'item');
    const by = (key: ReturnType<typeof sql>) => sql<{ key: string; good: string; scrap: string }>`SELECT ${key} AS key, sum(l.${L.c('good_qty')})::text AS good, sum(l.${L.c('scrap_qty')})::text AS scrap
      FROM ${L.t} l JOIN ${J.t} j ON j.id = l.${L.c('job_card')} JOIN ${W.t} w ON w.id = l.${L.c('work_order')}
      JOIN ${S.t} s ON s.id = j.${J.c('workstation')} JOIN ${I.t} i ON i.id = w.${W.c('item')}
      WHERE true ${q.from ? sql`AND l.${L.c('report_date')} >= ${q.from}::date` : sql``} ${q.to ? sql`AND l.${L.c('report_date')} <= ${q.to}::date` : sql``}
      GROUP BY 1 ORDER BY 1`.execute(tx);
    const shape = (rows: { key: string; good: string; scrap: string }[]) => rows.map((r) => {
      const total = new Decimal(r.good).plus(r.scrap);
      return { key: r.key, good: r.good, scrap: r.scrap, rate: total.gt(0) ? Number(new Decimal(r.scrap).div(total).toFixed(4)) : 0 };
    });
    return { byItem: shape((await by(sql`i.${I.c('code')}`)).rows), byWorkstation: shape((await by(sql`s.${S.c('code')}`)).rows) };
  });
}

/** GET …/reports/workstation-load — booked hours (job cards) against calendar capacity, per workstation and week; overloads flagged. */
export async function workstationLoad(ctx: RecordsCtx, query: unknown) {
  const q = parseOrThrow(ZRange, query);
  return mfgTx(ctx, [['job_card', 'read'], ['workstation', 'read']], async (tx, objects) => {
    const weeks = weeklyLoad(await jobCardLoads(tx, objects, { openOnly: false, from: q.from, to: q.to }), await loadWorkstations(tx, objects));
    return { weeks: weeks.map(({ sources: _s, ...w }) => w), overloaded: weeks.filter((w) => w.overloaded).length };
  });
}

/**
 * GET …/reports/material-shortages — what released and draft work orders
 * still need (BOM need less issued; the BOM versions in effect on their
 * planned start) against what is available (on hand less
 * reserved) in their material warehouses, per item and warehouse.
 */
export async function materialShortages(ctx: RecordsCtx) {
  return mfgTx(ctx, [['work_order', 'read'], ['stock_balance', 'read']], async (tx, objects) => {
    const W = tableOf(objects, 'work_order');
    const L = tableOf(objects, 'stock_ledger_entry');
    const B = tableOf(objects, 'stock_balance');
    const orders = (await sql<Record<string, any>>`SELECT id, ${W.c('bom')} AS bom, ${W.c('item')} AS item, ${W.c('qty')}::text AS qty, ${W.c('source_warehouse')} AS wh,
        ${W.c('planned_start')}::text AS start FROM ${W.t} WHERE status IN ('draft', 'submitted', 'approved') AND ${W.c('progress')} IS DISTINCT FROM 'completed'`.execute(tx)).rows;
    const issued = new Map((await sql<{ k: string; qty: string }>`SELECT ${L.c('voucher_id')} || '|' || ${L.c('item')} AS k, (-sum(${L.c('qty')}))::text AS qty FROM ${L.t}
      WHERE ${L.c('voucher_type')} = 'work_order' AND ${L.c('qty')} < 0 GROUP BY 1`.execute(tx)).rows.map((r) => [r.k, new Decimal(r.qty)]));
    const boms = await loadBoms(tx, objects, false);
    // The versions in effect on each order's planned start, as the order itself picks them (few distinct dates: cached).
    const inEffect = new Map<string | null, Map<string, Bom>>();
    const effectiveOn = (day: string | null) => inEffect.get(day) ?? inEffect.set(day, bomByItem([...boms.values()].filter((b) => b.isActive), day)).get(day)!;
    const need = new Map<string, { item: string; warehouse: string; need: Decimal; orders: string[] }>();
    for (const o of orders) {
      const active = effectiveOn(o.start ?? null);
      const bom = (o.bom && boms.get(o.bom)) || active.get(o.item);
      if (!bom) continue;
      for (const r of requiredMaterials(bom, new Decimal(o.qty), active)) {
        const left = r.qty.minus(issued.get(`${o.id}|${r.item}`) ?? 0);
        if (left.lte(0)) continue;
        const key = `${r.item}|${o.wh}`;
        const n = need.get(key) ?? { item: r.item, warehouse: o.wh as string, need: new Decimal(0), orders: [] as string[] };
        n.need = n.need.plus(left);
        n.orders.push(o.id as string);
        need.set(key, n);
      }
    }
    const avail = new Map((await sql<{ k: string; qty: string }>`SELECT ${B.c('item')} || '|' || ${B.c('warehouse')} AS k,
        (coalesce(${B.c('on_hand')}, 0) - coalesce(${B.c('reserved')}, 0))::text AS qty FROM ${B.t}`.execute(tx)).rows.map((r) => [r.k, new Decimal(r.qty)]));
    const info = await loadItemInfo(tx, objects, [...need.values()].map((n) => n.item));
    const rows = [...need.entries()].map(([k, n]) => ({ ...n, available: avail.get(k) ?? new Decimal(0) }))
      .filter((n) => n.need.gt(n.available))
      .map((n) => ({ item: n.item, code: info.get(n.item)?.code, warehouse: n.warehouse, need: n.need.toFixed(), available: n.available.toFixed(), short: n.need.minus(Decimal.max(n.available, 0)).toFixed(), workOrders: n.orders }));
    return { shortages: rows.sort((a, b) => String(a.code).localeCompare(String(b.code))) };
  });
}
