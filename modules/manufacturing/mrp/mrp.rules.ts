import { AppError } from '@mosaic/kernel';
import type { BomSegment, DemandRef, MrpBom, MrpInput, MrpItem, MrpResult, Peg, PlannedOrder } from './mrp.types.ts';

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
 *      release date (qty × qty per unit, scrap included), pegged to the order,
 *      with the BOM version in effect on that release date (input.bomTimeline);
 *      low-level codes count the components of every version.
 * Every planned order carries pegs to the requirements it covers: independent
 * demands, or parent planned orders — walking up the pegs reaches the sales order.
 */
export function planMrp(input: MrpInput): MrpResult {
  const plan = new MrpPlan();
  const steps = planSteps(input, plan);
  for (;;) {
    const step = steps.next();
    if (step.done) return { orders: plannedOrders(plan), levels: plan.levels };
  }
}

/**
 * The same plan, giving the event loop back every `sliceMs` of work: a full-size
 * run (bench/mrp: 20 000 items, 260 000 planned orders) computes for seconds, and
 * the server must keep answering meanwhile. Same steps, same order: same result.
 * It returns the plan in its compact form (MrpPlan); plannedOrders() makes objects of it.
 */
export async function planMrpAsync(input: MrpInput, sliceMs = 50, onFinal?: (plan: MrpPlan) => void): Promise<MrpPlan> {
  const plan = new MrpPlan();
  const steps = planSteps(input, plan);
  let sliceStart = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return plan;
    if (performance.now() - sliceStart >= sliceMs) {
      // Between items every order made so far is final (an item is netted once, all its
      // requirements known): a caller may start storing them while the plan goes on.
      onFinal?.(plan);
      await new Promise<void>((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
}

/**
 * A plan in columns: planned order i is item[i], qty[i], start[i], due[i]… and
 * its pegs a linked list from pegHead[i] (in the order they were made). A
 * full-size run has 260 000 orders and 1.6 million pegs: as objects they were
 * most of the run's memory and its garbage collector's work; as typed arrays
 * they are a few tens of MB the collector never walks. Items are ints (itemIds
 * names them); a peg's src ≥ 0 is a parent order, src < 0 the demand −src − 1.
 */
export class MrpPlan {
  count = 0;
  itemIds: string[] = [];
  item = new Int32Array(1024);
  qty = new Float64Array(1024);
  start = new Int32Array(1024);
  due = new Int32Array(1024);
  level = new Int32Array(1024);
  make = new Uint8Array(1024);
  pegHead = new Int32Array(1024);
  pegTail = new Int32Array(1024);
  pegCount = 0;
  pegNext = new Int32Array(4096);
  pegSrc = new Int32Array(4096);
  pegQty = new Float64Array(4096);
  demandRefs: DemandRef[] = [];
  levels = new Map<string, number>();
  /** Day number of the planning date. */
  today = 0;

  addOrder(item: number, qty: number, start: number, due: number, level: number, make: boolean): number {
    const i = this.count++;
    if (i === this.item.length) {
      const n = i * 2;
      this.item = grow(this.item, n);
      this.qty = grow(this.qty, n);
      this.start = grow(this.start, n);
      this.due = grow(this.due, n);
      this.level = grow(this.level, n);
      this.make = grow(this.make, n);
      this.pegHead = grow(this.pegHead, n);
      this.pegTail = grow(this.pegTail, n);
    }
    this.item[i] = item;
    this.qty[i] = qty;
    this.start[i] = start;
    this.due[i] = due;
    this.level[i] = level;
    this.make[i] = make ? 1 : 0;
    this.pegHead[i] = -1;
    this.pegTail[i] = -1;
    return i;
  }

  /** A peg of `order`: it covers qty (rounded to 6 places) of src. */
  addPeg(order: number, src: number, qty: number): void {
    const p = this.pegCount++;
    if (p === this.pegSrc.length) {
      const n = p * 2;
      this.pegNext = grow(this.pegNext, n);
      this.pegSrc = grow(this.pegSrc, n);
      this.pegQty = grow(this.pegQty, n);
    }
    this.pegSrc[p] = src;
    this.pegQty[p] = round6(qty);
    this.pegNext[p] = -1;
    if (this.pegHead[order] < 0) this.pegHead[order] = p;
    else this.pegNext[this.pegTail[order]] = p;
    this.pegTail[order] = p;
  }

  pastDue(i: number): boolean {
    return this.start[i] < this.today;
  }
}

type Typed = Int32Array | Float64Array | Uint8Array;
function grow<T extends Typed>(a: T, n: number): T {
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
}

/** Planned order i of a compact plan as an object (what planMrp returns). */
export function plannedOrder(plan: MrpPlan, i: number): PlannedOrder {
  const pegs: Peg[] = [];
  for (let p = plan.pegHead[i]; p >= 0; p = plan.pegNext[p]) {
    const src = plan.pegSrc[p];
    pegs.push(src >= 0 ? { order: src, qty: plan.pegQty[p] } : { demand: plan.demandRefs[-src - 1], qty: plan.pegQty[p] });
  }
  return {
    index: i, item: plan.itemIds[plan.item[i]], kind: plan.make[i] ? 'work_order' : 'purchase', qty: plan.qty[i],
    startDate: dateOf(plan.start[i]), dueDate: dateOf(plan.due[i]), level: plan.level[i], pastDue: plan.pastDue(i), pegs,
  };
}

export function plannedOrders(plan: MrpPlan, from = 0, to = plan.count): PlannedOrder[] {
  const out = new Array<PlannedOrder>(Math.max(0, to - from));
  for (let i = from; i < to; i++) out[i - from] = plannedOrder(plan, i);
  return out;
}

/**
 * Requirements of all items, one linked list per item in the order they were
 * added (demands, safety stock, then explosions as parents are planned).
 */
class Requirements {
  head: Int32Array;
  tail: Int32Array;
  count = 0;
  next = new Int32Array(4096);
  day = new Int32Array(4096);
  qty = new Float64Array(4096);
  src = new Int32Array(4096);

  constructor(items: number) {
    this.head = new Int32Array(items).fill(-1);
    this.tail = new Int32Array(items).fill(-1);
  }

  add(item: number, day: number, qty: number, src: number): void {
    const r = this.count++;
    if (r === this.day.length) {
      const n = r * 2;
      this.next = grow(this.next, n);
      this.day = grow(this.day, n);
      this.qty = grow(this.qty, n);
      this.src = grow(this.src, n);
    }
    this.day[r] = day;
    this.qty[r] = qty;
    this.src[r] = src;
    this.next[r] = -1;
    if (this.head[item] < 0) this.head[item] = r;
    else this.next[this.tail[item]] = r;
    this.tail[item] = r;
  }
}

/** The planning walk; it yields after each item netted, where a caller may pause. */
function* planSteps(input: MrpInput, plan: MrpPlan): Generator<void, void> {
  const today = dayNumber(input.today);
  plan.today = today;
  const items = new Map(input.items.map((i) => [i.id, i]));
  const flat = flattenPhantoms(input.boms);
  const timeline = flattenTimeline(input.boms, input.bomTimeline);
  const levels = lowLevelCodes(items, timeline.size ? withEveryVersion(flat, timeline) : flat);
  plan.levels = levels;
  // Ints in planning order: level by level, a stable order inside a level.
  const order = itemsByLevel(levels).flat();
  const intOf = new Map<string, number>();
  for (let k = 0; k < order.length; k++) intOf.set(order[k], k);
  plan.itemIds = order;
  const boms = bomColumns(order, flat, timeline, intOf);
  const reqs = new Requirements(order.length);
  const demandRefs = plan.demandRefs;
  for (const d of input.demands) {
    if (!(d.qty > EPS)) continue;
    demandRefs.push(d.ref);
    const item = intOf.get(d.item);
    // an item MRP does not know (in no BOM, not an item) is never planned
    if (item !== undefined) reqs.add(item, dayNumber(d.date), d.qty, -demandRefs.length);
  }
  for (const it of input.items) {
    if (it.safetyStock > EPS) {
      demandRefs.push({ type: 'safety_stock', id: it.id });
      reqs.add(intOf.get(it.id)!, today, it.safetyStock, -demandRefs.length);
    }
  }
  const receipts = groupReceipts(input.receipts, intOf);
  const scratch = new NettingScratch();
  for (let k = 0; k < order.length; k++) {
    const id = order[k];
    const item = items.get(id) ?? defaultItem(id, flat.has(id) || timeline.has(id));
    const first = plan.count;
    netItem(k, item, reqs, receipts.get(k) ?? NO_SUPPLY, levels.get(id) ?? 0, plan, scratch);
    if (boms.verStart[k] < boms.verStart[k + 1]) {
      for (let o = first; o < plan.count; o++) if (plan.make[o]) explode(o, plan, boms, k, reqs);
    }
    if ((k + 1) % 500 === 0) input.onProgress?.(k + 1, items.size);
    yield;
  }
  input.onProgress?.(items.size, items.size);
}

/**
 * BOM lines by item int, compressed rows in two steps: item k's versions are
 * verStart[k] … verStart[k+1] − 1, version v applies from day verDay[v] (until
 * the next one's) and its lines are lineStart[v] … lineStart[v+1] − 1. An item
 * with one BOM has one version from the beginning of time: at bench size (20 000
 * items, one version each) this costs two Int32Arrays of the item count more.
 */
interface BomColumns {
  verStart: Int32Array;
  verDay: Int32Array;
  lineStart: Int32Array;
  item: Int32Array;
  qtyPer: Float64Array;
}

const SINCE_ALWAYS = -2_147_483_648;

/** A version's lines with its phantoms resolved, from a given day on. */
interface FlatSegment {
  day: number;
  lines: MrpBom['lines'];
}

function bomColumns(order: string[], boms: Map<string, MrpBom>, timeline: Map<string, FlatSegment[]>, intOf: Map<string, number>): BomColumns {
  const versionsOf = (id: string): FlatSegment[] => {
    const t = timeline.get(id);
    if (t) return t;
    const b = boms.get(id);
    return b ? [{ day: SINCE_ALWAYS, lines: b.lines }] : [];
  };
  let versions = 0;
  let lines = 0;
  for (const id of order) for (const v of versionsOf(id)) (versions++, (lines += v.lines.length));
  const out: BomColumns = {
    verStart: new Int32Array(order.length + 1), verDay: new Int32Array(versions), lineStart: new Int32Array(versions + 1),
    item: new Int32Array(lines), qtyPer: new Float64Array(lines),
  };
  let v = 0;
  let n = 0;
  for (let k = 0; k < order.length; k++) {
    out.verStart[k] = v;
    for (const version of versionsOf(order[k])) {
      out.verDay[v] = version.day;
      out.lineStart[v++] = n;
      for (const l of version.lines) {
        out.item[n] = intOf.get(l.item)!;
        out.qtyPer[n++] = l.qtyPer;
      }
    }
  }
  out.verStart[order.length] = v;
  out.lineStart[versions] = n;
  return out;
}

/**
 * Per item, its versions with their phantom lines replaced by the phantoms'
 * components as of the same day: a phantom is built inside its parent's work
 * order, so the phantom's version is the one in effect on the requirement's own
 * date (the parent's release date), by the same rule as the parent's. An item's
 * flattened BOM can change where one of its own versions starts or where one of
 * its phantoms' (recursively) does: those days are its segments. Items whose
 * flattened BOM never changes are left out (they use `flat`). Segments are
 * flattened once per day and item, however many parents name the phantom.
 */
function flattenTimeline(boms: Map<string, MrpBom>, timeline: Map<string, BomSegment[]> | undefined): Map<string, FlatSegment[]> {
  const out = new Map<string, FlatSegment[]>();
  if (!timeline?.size) return out;
  const own = new Map<string, { day: number; bom: MrpBom | null }[]>();
  for (const [item, segments] of timeline) own.set(item, segments.map((s) => ({ day: s.from ? dayNumber(s.from) : SINCE_ALWAYS, bom: s.bom })));
  const versionAt = (item: string, day: number): MrpBom | null => {
    const segments = own.get(item);
    if (!segments) return boms.get(item) ?? null;
    let v = 0;
    while (v + 1 < segments.length && segments[v + 1].day <= day) v++;
    return segments[v].bom;
  };
  const everyVersion = (item: string): MrpBom[] => (own.get(item)?.map((s) => s.bom) ?? [boms.get(item) ?? null]).filter((b): b is MrpBom => !!b);
  // The days an item's flattened BOM may change on: its own version starts and its phantoms' (any version's).
  const changeDays = new Map<string, number[]>();
  const daysOf = (item: string, path: string[]): number[] => {
    const known = changeDays.get(item);
    if (known) return known;
    if (path.includes(item)) throw cycle([...path, item]);
    const days = new Set(own.get(item)?.map((s) => s.day).filter((d) => d !== SINCE_ALWAYS) ?? []);
    for (const b of everyVersion(item)) for (const l of b.lines) if (l.phantom) for (const d of daysOf(l.item, [...path, item])) days.add(d);
    const sorted = [...days].sort((a, b) => a - b);
    changeDays.set(item, sorted);
    return sorted;
  };
  const linesAt = (bom: MrpBom, day: number, path: string[]): MrpBom['lines'] => {
    if (!bom.lines.some((l) => l.phantom)) return bom.lines;
    const lines: MrpBom['lines'] = [];
    for (const l of bom.lines) {
      const sub = l.phantom ? versionAt(l.item, day) : null;
      if (!sub) {
        lines.push(l);
        continue;
      }
      if (path.includes(sub.item)) throw cycle([...path, sub.item]);
      for (const s of linesAt(sub, day, [...path, sub.item])) lines.push({ item: s.item, qtyPer: l.qtyPer * s.qtyPer, phantom: false });
    }
    return lines;
  };
  for (const item of new Set([...own.keys(), ...boms.keys()])) {
    const days = daysOf(item, []);
    if (!days.length) continue; // one version, no dated phantom: `flat` has it
    out.set(item, [SINCE_ALWAYS, ...days].map((day) => {
      const bom = versionAt(item, day);
      return { day, lines: bom ? linesAt(bom, day, [item]) : [] };
    }));
  }
  return out;
}

/** The BOM graph with every version's lines: an item's low-level code must hold whichever version a requirement explodes with. */
function withEveryVersion(flat: Map<string, MrpBom>, timeline: Map<string, FlatSegment[]>): Map<string, MrpBom> {
  const out = new Map(flat);
  for (const [item, segments] of timeline) out.set(item, { item, lines: [...(flat.get(item)?.lines ?? []), ...segments.flatMap((s) => s.lines)] });
  return out;
}

/** Supply that may cover requirements: stock, a scheduled receipt (by day, in the order given). */
interface Receipt {
  day: number;
  qty: number;
}
const NO_SUPPLY: Receipt[] = [];

/** Work space of netItem, reused from item to item: the free-supply FIFO and the item's requirements. */
class NettingScratch {
  supQty = new Float64Array(256);
  supOrder = new Int32Array(256);
  reqs: number[] = [];
  days = new Int32Array(256);
  uncReq: number[] = [];
  uncNeed: number[] = [];

  pushSupply(n: number, qty: number, order: number): number {
    if (n === this.supQty.length) {
      this.supQty = grow(this.supQty, n * 2);
      this.supOrder = grow(this.supOrder, n * 2);
    }
    this.supQty[n] = qty;
    this.supOrder[n] = order;
    return n + 1;
  }
}

const EPS = 1e-9;
export const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;

function netItem(k: number, item: MrpItem, reqs: Requirements, receipts: Receipt[], level: number, plan: MrpPlan, w: NettingScratch): void {
  // The item's requirements in date order (then by source, then as added: a stable sort).
  const list = w.reqs;
  list.length = 0;
  for (let r = reqs.head[k]; r >= 0; r = reqs.next[r]) list.push(r);
  if (!list.length) return;
  const rDay = reqs.day;
  const rSrc = reqs.src;
  list.sort((a, b) => rDay[a] - rDay[b] || rSrc[a] - rSrc[b] || a - b);
  if (w.days.length < list.length) w.days = new Int32Array(list.length * 2);
  const days = w.days;
  for (let i = 0; i < list.length; i++) days[i] = rDay[list[i]];
  if (item.periodDays > 1) bucketByPeriod(days, list.length, item.periodDays);
  // FIFO of supply available so far; `head` skips the spent ones.
  let free = 0;
  if (item.onHand > EPS) free = w.pushSupply(free, item.onHand, -1);
  let head = 0;
  let r = 0;
  const make = item.procurement === 'make';
  for (let i = 0; i < list.length; ) {
    const day = days[i];
    while (r < receipts.length && receipts[r].day <= day) free = w.pushSupply(free, receipts[r++].qty, -1);
    // Everything due on this day: cover from free supply, what is left becomes one planned order.
    w.uncReq.length = 0;
    w.uncNeed.length = 0;
    let net = 0;
    for (; i < list.length && days[i] === day; i++) {
      const req = list[i];
      let need = reqs.qty[req];
      while (need > EPS && head < free) {
        const have = w.supQty[head];
        const take = Math.min(have, need);
        w.supQty[head] = have - take;
        need -= take;
        if (w.supOrder[head] >= 0) plan.addPeg(w.supOrder[head], rSrc[req], take);
        if (w.supQty[head] <= EPS) head++;
      }
      if (need > EPS) {
        w.uncReq.push(req);
        w.uncNeed.push(need);
        net += need;
      }
    }
    if (net <= EPS) continue;
    const qty = lotSize(item, round6(net));
    const o = plan.addOrder(k, qty, day - item.leadTimeDays, day, level, make);
    for (let u = 0; u < w.uncReq.length; u++) plan.addPeg(o, rSrc[w.uncReq[u]], w.uncNeed[u]);
    if (qty - net > EPS) free = w.pushSupply(free, qty - net, o);
  }
}

/** Requirements of a period (from the first requirement day, `days` long) become due on its first day. Sorted input. */
function bucketByPeriod(days: Int32Array, n: number, period: number): void {
  let start = -Infinity;
  for (let i = 0; i < n; i++) {
    if (days[i] >= start + period) start = days[i];
    days[i] = start;
  }
}

/**
 * A planned work order's components are required on its release date (qty × qty
 * per unit, scrap included), from the version in effect that day: the last one
 * starting on or before it (versions are few per item: a linear walk).
 */
function explode(o: number, plan: MrpPlan, boms: BomColumns, k: number, reqs: Requirements): void {
  const day = plan.start[o];
  const qty = plan.qty[o];
  let v = boms.verStart[k];
  while (v + 1 < boms.verStart[k + 1] && boms.verDay[v + 1] <= day) v++;
  for (let l = boms.lineStart[v]; l < boms.lineStart[v + 1]; l++) reqs.add(boms.item[l], day, round6(qty * boms.qtyPer[l]), o);
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

function groupReceipts(receipts: MrpInput['receipts'], intOf: Map<string, number>): Map<number, Receipt[]> {
  const out = new Map<number, Receipt[]>();
  for (const r of receipts) {
    const item = intOf.get(r.item);
    if (!(r.qty > EPS) || item === undefined) continue;
    const list = out.get(item) ?? [];
    list.push({ day: dayNumber(r.date), qty: r.qty });
    out.set(item, list);
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
