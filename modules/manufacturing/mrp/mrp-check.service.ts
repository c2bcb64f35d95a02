import { z } from 'zod';
import { dateOrThrow, parseOrThrow } from '@mosaic/kernel';
import type { RecordsCtx } from '@mosaic/records';
import { mfgTx, todayFor } from '../mfg-context.ts';
import { loadMrpInput, MRP_INPUT_READS, versionsByItem } from './mrp.inputs.ts';
import { planMrp } from './mrp.rules.ts';
import { pickBom } from '../bom/bom.rules.ts';
import { loadItemInfo } from '../bom/bom.store.ts';
import { loadRoutings, loadWorkstations } from '../routing/routing.store.ts';
import { jobCardLoads, unreleasedWorkOrders } from '../routing/capacity.store.ts';
import { capacityDate, routingLoads, weeklyLoad, type Load } from '../routing/capacity.rules.ts';
import { dateOf, dayNumber } from './mrp.rules.ts';
import type { PlannedOrder } from './mrp.types.ts';

export const ZCanWeTake = z.object({
  item: z.string().uuid(),
  qty: z.coerce.number().positive().max(1e12),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
}).strict();

/**
 * What the answer is made of, each needing the right to read it: the plan's
 * inputs (MRP_INPUT_READS: material), routings, workstations and the
 * open job cards (capacity).
 */
const CAN_WE_TAKE_READS = [...MRP_INPUT_READS, 'routing', 'workstation', 'job_card'] as const;

/**
 * POST /api/v1/manufacturing/can-we-take { item, qty, date } — "can we take
 * this order?" (the seeds' MIS question). A what-if MRP run: today's plan plus
 * this demand, nothing stored. The answer lists
 *   material shortages: orders the new demand needs that should have been
 *     released before today (bought or made too late), with how many days late;
 *   capacity shortages: workstation-weeks over capacity where the new
 *     demand's work orders add load (open job cards, unreleased work orders
 *     and all planned work orders, each routed by its BOM version of its start);
 *   capacity delays and `earliestDate`: the new orders forward-loaded behind
 *     that booked work on the workstation calendars (capacity.rules.ts,
 *     capacityDate); the earliest date is the later of the material date and
 *     the capacity date (null when a workstation has no room within two years).
 */
export async function canWeTake(ctx: RecordsCtx, body: unknown) {
  const q = parseOrThrow(ZCanWeTake, body);
  dateOrThrow(q.date, 'date'); // 2026-02-30 passes the pattern
  const today = todayFor(ctx);
  return mfgTx(ctx, CAN_WE_TAKE_READS.map((o) => [o, 'read']), async (tx, objects) => {
    const input = await loadMrpInput(tx, objects, today);
    input.demands.push({ item: q.item, qty: q.qty, date: q.date, ref: { type: 'what_if', id: 'what_if' } });
    const result = planMrp(input);
    const forNew = servesWhatIf(result.orders);
    const info = await loadItemInfo(tx, objects, [...new Set(result.orders.filter((o) => forNew[o.index]).map((o) => o.item))]);
    const materialShortages = result.orders.filter((o) => forNew[o.index] && o.pastDue).map((o) => ({
      item: o.item, code: info.get(o.item)?.code, kind: o.kind, qty: o.qty, releaseBy: o.startDate, dueDate: o.dueDate, daysLate: dayNumber(today) - dayNumber(o.startDate),
    }));
    // Each order's routing is its BOM version's on the order's own start, as its work order will pick it.
    const versions = versionsByItem(input.bomDefs.values());
    const routings = await loadRoutings(tx, objects);
    const routingAt = (item: string, bom: string | null, day: string) => {
      const id = ((bom && input.bomDefs.get(bom)) || pickBom(versions.get(item) ?? [], day))?.routing;
      return id ? routings.get(id) : undefined;
    };
    // Booked: what released orders' job cards still have to do, unreleased work orders and the plan's other orders.
    const booked: Load[] = await jobCardLoads(tx, objects, { openOnly: true });
    for (const wo of await unreleasedWorkOrders(tx, objects)) booked.push(...routingLoads(routingAt(wo.item, wo.bom, wo.start), wo.qty, wo.start, wo.number));
    const added: Load[] = [];
    for (const o of result.orders) {
      if (o.kind !== 'work_order') continue;
      (forNew[o.index] ? added : booked).push(...routingLoads(routingAt(o.item, null, o.startDate), o.qty, o.startDate, forNew[o.index] ? 'new' : 'planned'));
    }
    const workstations = await loadWorkstations(tx, objects);
    const capacityShortages = weeklyLoad([...booked, ...added], workstations).filter((w) => w.overloaded && w.sources.includes('new'))
      .map(({ sources: _s, ...w }) => ({ ...w, shortHours: Math.round((w.loadHours - w.capacityHours) * 100) / 100 }));
    const capacity = capacityDate(q.date, booked, added, workstations, today);
    const material = earliestMaterialDate(q.date, materialShortages);
    const earliestDate = capacity.date === null ? null : capacity.date > material ? capacity.date : material;
    return { ok: !materialShortages.length && !capacityShortages.length && !capacity.delays.length, earliestDate, materialShortages, capacityShortages, capacityDelays: capacity.delays };
  });
}

/**
 * The earliest date the material side can meet: the wanted date moved by the
 * longest delay, so that every late order starts today (lead times are
 * calendar days; a later date only frees more supply). The capacity side is
 * capacityDate's; canWeTake answers the later of the two. The wanted date when
 * nothing is late.
 */
export function earliestMaterialDate(wanted: string, shortages: { daysLate: number }[]): string {
  const late = Math.max(0, ...shortages.map((s) => s.daysLate));
  return dateOf(dayNumber(wanted) + late);
}

/** Which planned orders serve the what-if demand: pegged to it, or to an order that is (parents come first). */
function servesWhatIf(orders: PlannedOrder[]): boolean[] {
  const out = new Array<boolean>(orders.length).fill(false);
  for (const o of orders) out[o.index] = o.pegs.some((p) => (p.demand ? p.demand.type === 'what_if' : out[p.order!]));
  return out;
}
