import { AppError } from '@mosaic/kernel';
import type { DemandRef, MrpBom, MrpInput, MrpItem, MrpResult, Peg, PlannedOrder } from './mrp.types.ts';

/**
 * Material requirements planning. Pure — no database: mrp.service.ts loads the
 * inputs and stores the result.
 *
 *   1. low-level codes: an item's level is the deepest place it appears in any
 *      BOM, so all its gross requirements are known before it is netted;
 *   2. level by level, item by item, requirements in date order:
 *        net = gross − on hand − scheduled receipts due by then − earlier lot surplus,
 *        safety stock being a requirement on the planning date;
 *   3. a net requirement on a day becomes one planned order due that day, sized by
 *      the item's lot policy and released lead-time days earlier (with a period
 *      of n days, the requirements of n days are planned together on the first);
 *   4. a planned work order explodes into its components' requirements on its
 *      release date (qty × qty per unit, scrap included), pegged to the order.
 * Every planned order carries pegs to the requirements it covers: independent
 * demands, or parent planned orders — walking up the pegs reaches the sales order.
 */
export function planMrp(input: MrpInput): MrpResult {
  const steps = planSteps(input);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * The same plan, giving the event loop back every `sliceMs` of work: a full-size
 * run (bench/mrp: 20 000 items, 260 000 planned orders) computes for seconds, and
 * the server must keep answering meanwhile. Same steps, same order: same result.
 */
export async function planMrpAsync(input: MrpInput, sliceMs = 50, onFinal?: (orders: readonly PlannedOrder[]) => void): Promise<MrpResult> {
  const orders: PlannedOrder[] = [];
  const steps = planSteps(input, orders);
  let sliceStart = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() - sliceStart >= sliceMs) {
      // Between items every order made so far is final (an item is netted once, all its
      // requirements known): a caller may start storing them while the plan goes on.
      onFinal?.(orders);
      await new Promise<void>((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
}

/** The planning walk; it yields after each item netted, where a caller may pause. */
function* planSteps(input: MrpInput, orders: PlannedOrder[] = []): Generator<void, MrpResult> {
  const today = dayNumber(input.today);
  const items = new Map(input.items.map((i) => [i.id, i]));
  const boms = flattenPhantoms(input.boms);
  const levels = lowLevelCodes(items, boms);
  const reqs = new Map<string, Req[]>();
  const demandRefs: DemandRef[] = [];
  const addReq = (item: string, r: Req) => {
    const list = reqs.get(item);
    if (list) list.push(r);
    else reqs.set(item, [r]);
  };
  for (const d of input.demands) {
    if (!(d.qty > EPS)) continue;
    demandRefs.push(d.ref);
    addReq(d.item, { day: dayNumber(d.date), qty: d.qty, src: -demandRefs.length });
  }
  for (const it of input.items) {
    if (it.safetyStock > EPS) {
      demandRefs.push({ type: 'safety_stock', id: it.id });
      addReq(it.id, { day: today, qty: it.safetyStock, src: -demandRefs.length });
    }
  }
  const receipts = groupReceipts(input.receipts);
  const byLevel = itemsByLevel(levels);
  let done = 0;
  for (const level of byLevel) {
    for (const itemId of level) {
      const item = items.get(itemId) ?? defaultItem(itemId, boms.has(itemId));
      const created = netItem(item, reqs.get(itemId) ?? [], receipts.get(itemId) ?? [], { level: levels.get(itemId) ?? 0, today }, orders, demandRefs);
      reqs.delete(itemId); // its requirements are spent: free them for big runs
      const bom = boms.get(itemId);
      if (bom) for (const o of created) if (o.kind === 'work_order') explode(o, bom, addReq);
      if (++done % 500 === 0) input.onProgress?.(done, items.size);
      yield;
    }
  }
  input.onProgress?.(items.size, items.size);
  return { orders, levels };
}

/** A gross requirement: qty due on `day`; src ≥ 0 is a parent planned order, src < 0 the demand −src − 1. */
interface Req {
  day: number;
  qty: number;
  src: number;
}

/** Supply that may cover requirements: stock, a scheduled receipt, or a planned order's lot surplus. */
interface Supply {
  day: number;
  qty: number;
  order: PlannedOrder | null;
}

const EPS = 1e-9;
export const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;

function netItem(item: MrpItem, gross: Req[], receipts: Supply[], at: { level: number; today: number }, orders: PlannedOrder[], demandRefs: DemandRef[]): PlannedOrder[] {
  const created: PlannedOrder[] = [];
  if (!gross.length) return created;
  gross.sort((a, b) => a.day - b.day || a.src - b.src);
  if (item.periodDays > 1) bucketByPeriod(gross, item.periodDays);
  // FIFO of supply available so far; `head` skips the spent ones (no Array.shift in the hot loop).
  const free: Supply[] = item.onHand > EPS ? [{ day: -Infinity, qty: item.onHand, order: null }] : [];
  let head = 0;
  let r = 0;
  const pegOf = (req: Req, qty: number): Peg => (req.src >= 0 ? { order: req.src, qty: round6(qty) } : { demand: demandRefs[-req.src - 1], qty: round6(qty) });
  for (let i = 0; i < gross.length; ) {
    const day = gross[i].day;
    while (r < receipts.length && receipts[r].day <= day) free.push({ ...receipts[r++] });
    // Everything due on this day: cover from free supply, what is left becomes one planned order.
    const uncovered: [Req, number][] = [];
    let net = 0;
    for (; i < gross.length && gross[i].day === day; i++) {
      const req = gross[i];
      let need = req.qty;
      while (need > EPS && head < free.length) {
        const s = free[head];
        const take = Math.min(s.qty, need);
        s.qty -= take;
        need -= take;
        if (s.order) s.order.pegs.push(pegOf(req, take));
        if (s.qty <= EPS) head++;
      }
      if (need > EPS) {
        uncovered.push([req, need]);
        net += need;
      }
    }
    if (net <= EPS) continue;
    const qty = lotSize(item, round6(net));
    const start = day - item.leadTimeDays;
    const order: PlannedOrder = {
      index: orders.length, item: item.id, kind: item.procurement === 'make' ? 'work_order' : 'purchase',
      qty, startDate: dateOf(start), dueDate: dateOf(day), level: at.level, pastDue: start < at.today, pegs: uncovered.map(([req, q]) => pegOf(req, q)),
    };
    orders.push(order);
    created.push(order);
    if (qty - net > EPS) free.push({ day, qty: qty - net, order });
  }
  return created;
}

/** Requirements of a period (from the first requirement day, `days` long) become due on its first day. Sorted input. */
function bucketByPeriod(gross: Req[], days: number): void {
  let start = -Infinity;
  for (const r of gross) {
    if (r.day >= start + days) start = r.day;
    r.day = start;
  }
}

function explode(order: PlannedOrder, bom: MrpBom, addReq: (item: string, r: Req) => void): void {
  const day = dayNumber(order.startDate);
  for (const line of bom.lines) addReq(line.item, { day, qty: round6(order.qty * line.qtyPer), src: order.index });
}

/**
 * Lot sizing of a net requirement:
 *   lot for lot   exactly the net requirement
 *   fixed         whole lots of `lotSize` (one order of n lots)
 *   min/multiple  at least `minQty`, rounded up to a multiple of `multiple`
 */
export function lotSize(item: Pick<MrpItem, 'lotPolicy' | 'lotSize' | 'minQty' | 'multiple'>, net: number): number {
  const up = (q: number, m: number) => round6(Math.ceil(q / m - EPS) * m);
  if (item.lotPolicy === 'fixed' && item.lotSize > 0) return up(net, item.lotSize);
  if (item.lotPolicy === 'min_multiple') {
    const q = Math.max(net, item.minQty || 0);
    return item.multiple > 0 ? up(q, item.multiple) : round6(q);
  }
  return round6(net);
}

/**
 * Phantom lines (虚拟件) are replaced by the phantom's own components, scaled,
 * so the phantom is never planned or stocked. A phantom without a BOM stays a
 * normal component.
 */
export function flattenPhantoms(boms: Map<string, MrpBom>): Map<string, MrpBom> {
  const memo = new Map<string, MrpBom>();
  const flat = (bom: MrpBom, path: Set<string>): MrpBom => {
    const known = memo.get(bom.item);
    if (known) return known;
    if (!bom.lines.some((l) => l.phantom && boms.has(l.item))) {
      memo.set(bom.item, bom);
      return bom;
    }
    const lines: MrpBom['lines'] = [];
    for (const l of bom.lines) {
      const sub = l.phantom ? boms.get(l.item) : undefined;
      if (!sub) {
        lines.push(l);
        continue;
      }
      if (path.has(sub.item)) throw cycle([...path, sub.item]);
      for (const s of flat(sub, new Set([...path, sub.item])).lines) lines.push({ item: s.item, qtyPer: l.qtyPer * s.qtyPer, phantom: false });
    }
    const out = { item: bom.item, lines };
    memo.set(bom.item, out);
    return out;
  };
  return new Map([...boms].map(([item, b]) => [item, flat(b, new Set([item]))]));
}

/**
 * Low-level codes by a topological walk (Kahn): an item's code is one more
 * than the deepest parent's. Items left over sit on a cycle, which is refused
 * naming them.
 */
export function lowLevelCodes(items: Map<string, unknown>, boms: Map<string, MrpBom>): Map<string, number> {
  const all = new Set<string>(items.keys());
  const parents = new Map<string, number>();
  for (const b of boms.values()) {
    all.add(b.item);
    for (const l of b.lines) {
      all.add(l.item);
      parents.set(l.item, (parents.get(l.item) ?? 0) + 1);
    }
  }
  const level = new Map<string, number>();
  const queue: string[] = [];
  for (const id of all) if (!parents.get(id)) (level.set(id, 0), queue.push(id));
  for (let q = 0; q < queue.length; q++) {
    const id = queue[q];
    const bom = boms.get(id);
    if (!bom) continue;
    const next = level.get(id)! + 1;
    for (const l of bom.lines) {
      if ((level.get(l.item) ?? -1) < next) level.set(l.item, next);
      const left = parents.get(l.item)! - 1;
      parents.set(l.item, left);
      if (left === 0) queue.push(l.item);
    }
  }
  if (queue.length < all.size) throw cycle([...all].filter((id) => (parents.get(id) ?? 0) > 0).slice(0, 5));
  return level;
}

/** The independent demands a planned order serves, found by walking its pegs up through parent orders. */
export function pegRoots(orders: PlannedOrder[], index: number): DemandRef[] {
  const out = new Map<string, DemandRef>();
  const seen = new Set<number>();
  const up = (i: number) => {
    if (seen.has(i)) return;
    seen.add(i);
    for (const p of orders[i].pegs) {
      if (p.demand) out.set(`${p.demand.type}:${p.demand.id}:${p.demand.line ?? ''}`, p.demand);
      else up(p.order!);
    }
  };
  up(index);
  return [...out.values()];
}

function itemsByLevel(levels: Map<string, number>): string[][] {
  const out: string[][] = [];
  for (const [id, l] of levels) (out[l] ??= []).push(id);
  // a stable order inside a level, so the same input plans the same orders
  return out.filter(Boolean).map((ids) => ids.sort());
}

function groupReceipts(receipts: MrpInput['receipts']): Map<string, Supply[]> {
  const out = new Map<string, Supply[]>();
  for (const r of receipts) {
    if (!(r.qty > EPS)) continue;
    const list = out.get(r.item) ?? [];
    list.push({ day: dayNumber(r.date), qty: r.qty, order: null });
    out.set(r.item, list);
  }
  for (const list of out.values()) list.sort((a, b) => a.day - b.day);
  return out;
}

/** An item without planning parameters: made if it has a BOM, else bought; no lead time, lot for lot. */
function defaultItem(id: string, hasBom: boolean): MrpItem {
  return { id, procurement: hasBom ? 'make' : 'buy', leadTimeDays: 0, safetyStock: 0, lotPolicy: 'lot_for_lot', lotSize: 0, minQty: 0, multiple: 0, periodDays: 0, onHand: 0 };
}

function cycle(ids: string[]): AppError {
  return new AppError('FIELD_INVALID', `lines: the BOMs of these items contain themselves: ${ids.join(', ')}`, { field: 'lines' });
}

const DAY = 86_400_000;
const dateCache = new Map<number, string>();
const dayCache = new Map<string, number>();
/** Memoised both ways: a run converts hundreds of thousands of dates, over a few hundred distinct days. */
export function dayNumber(date: string): number {
  let d = dayCache.get(date);
  if (d === undefined) {
    d = Math.round(Date.parse(`${date}T00:00:00Z`) / DAY);
    if (dayCache.size < 100_000) dayCache.set(date, d);
  }
  return d;
}
export function dateOf(day: number): string {
  let s = dateCache.get(day);
  if (!s) {
    s = new Date(day * DAY).toISOString().slice(0, 10);
    dateCache.set(day, s);
  }
  return s;
}
