import { AppError, Decimal } from '@mosaic/kernel';
import type { Bom, BomLine } from './bom.types.ts';
import type { Routing, Workstation } from '../routing/routing.types.ts';

/**
 * BOM rules. Pure: they walk BOMs already loaded (bom.store.ts).
 *
 * Which version applies (版本): on a date, the BOMs of an item whose effective
 * range covers the date compete; the default wins, else the one that became
 * effective last. No date → the default, else the latest.
 */
export function pickBom(candidates: Bom[], date: string | null): Bom | null {
  const live = candidates.filter((b) => b.isActive && (!date || ((!b.effectiveFrom || b.effectiveFrom <= date) && (!b.effectiveTo || b.effectiveTo >= date))));
  if (!live.length) return null;
  return [...live].sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || (b.effectiveFrom ?? '').localeCompare(a.effectiveFrom ?? '') || a.code.localeCompare(b.code))[0];
}

/** item → the BOM that applies on `date`. */
export function bomByItem(boms: Iterable<Bom>, date: string | null): Map<string, Bom> {
  const byItem = new Map<string, Bom[]>();
  for (const b of boms) byItem.set(b.item, [...(byItem.get(b.item) ?? []), b]);
  const out = new Map<string, Bom>();
  for (const [item, list] of byItem) {
    const b = pickBom(list, date);
    if (b) out.set(item, b);
  }
  return out;
}

/** Quantity of a line per one unit of the parent's output, scrap included: qty ÷ base qty × (1 + scrap %). */
export function qtyPerUnit(bom: Pick<Bom, 'quantity'>, line: Pick<BomLine, 'qty' | 'scrapPct'>): Decimal {
  return new Decimal(line.qty).div(bom.quantity).times(new Decimal(1).plus(line.scrapPct));
}

/** A component a BOM consumes once its phantoms are exploded: `qty` of it, at operation `operationSeq` (null = the first). */
export interface Consumed<Q> {
  item: string;
  qty: Q;
  operationSeq: number | null;
}

/**
 * What `qty` of a BOM's output consumes, phantom (kit) lines replaced by the
 * components of the phantom's own BOM — `phantomBom(item)`, the version the
 * caller has in effect on the day that matters (a work order's start) — level
 * after level; a phantom's components are consumed at the phantom line's
 * operation when it names one. A phantom without a BOM, or one already on the
 * path (a cycle), stays a component. The one explosion behind what a work
 * order issues (requiredMaterials, exact Decimal) and what MRP still counts as
 * an open work order's demand (mrp.inputs.ts, numbers per unit): both must
 * agree, or MRP plans parts the order will never draw.
 */
export function explodePhantoms<Q>(bom: Bom, qty: Q, times: (qty: Q, bom: Bom, line: BomLine) => Q,
  phantomBom: (item: string) => Bom | null | undefined, path: string[] = [bom.item]): Consumed<Q>[] {
  const out: Consumed<Q>[] = [];
  for (const line of bom.lines) {
    const need = times(qty, bom, line);
    const sub = line.phantom && !path.includes(line.item) ? phantomBom(line.item) : null;
    if (!sub) out.push({ item: line.item, qty: need, operationSeq: line.operationSeq });
    else for (const c of explodePhantoms(sub, need, times, phantomBom, [...path, line.item])) out.push({ ...c, operationSeq: line.operationSeq ?? c.operationSeq });
  }
  return out;
}

export interface TreeNode {
  item: string;
  bom: string | null;
  /** Per unit of the parent, scrap included. */
  qtyPer: string;
  /** For the quantity asked at the root. */
  qty: string;
  scrapPct: string;
  phantom: boolean;
  level: number;
  children: TreeNode[];
}

/** The multi-level tree of a BOM for `qty` units; a cycle (A needs B needs A) is refused naming the BOM. */
export function bomTree(root: Bom, byItem: Map<string, Bom>, qty: Decimal = new Decimal(1)): TreeNode {
  const walk = (bom: Bom, nodeQty: Decimal, level: number, path: Set<string>): TreeNode[] =>
    bom.lines.map((line) => {
      const per = qtyPerUnit(bom, line);
      const q = nodeQty.times(per);
      const child = byItem.get(line.item) ?? null;
      if (child && path.has(child.id)) throw new AppError('FIELD_INVALID', `lines: BOM ${child.code} contains itself through its components`, { field: 'lines' });
      return {
        item: line.item, bom: child?.id ?? null, qtyPer: per.toFixed(), qty: q.toFixed(), scrapPct: line.scrapPct, phantom: line.phantom, level,
        children: child ? walk(child, q, level + 1, new Set([...path, child.id])) : [],
      };
    });
  return { item: root.item, bom: root.id, qtyPer: '1', qty: qty.toFixed(), scrapPct: '0', phantom: false, level: 0, children: walk(root, qty, 1, new Set([root.id])) };
}

/** A tree node with its cost: `unitCost` per unit of the node's item, `cost` for the node's quantity (6 decimals). */
export type CostedNode = Omit<TreeNode, 'children'> & { unitCost: string; cost: string; children: CostedNode[] };

/**
 * The tree with each node's standard cost: an item made by a BOM costs its
 * rolled-up unit cost (`rollUpCost`'s memo, filled for the root's whole tree),
 * any other item its valuation rate. A parent's cost is not the sum of its
 * children's: it adds the operations and overhead and takes off by-products.
 */
export function costTree(node: TreeNode, memo: Map<string, CostRollUp>, rates: Map<string, string>): CostedNode {
  const unit = new Decimal((node.bom ? memo.get(node.bom)?.unitCost : undefined) ?? rates.get(node.item) ?? 0);
  return { ...node, unitCost: unit.toFixed(6), cost: unit.times(node.qty).toFixed(6), children: node.children.map((c) => costTree(c, memo, rates)) };
}

export interface WhereUsed {
  bom: string;
  item: string;
  version: string;
  qty: string;
  usedIn: WhereUsed[];
}

/** Every BOM that uses `item`, and recursively what uses those parents (every version, not only the effective one). */
export function whereUsed(item: string, boms: Iterable<Bom>): WhereUsed[] {
  const parents = new Map<string, { bom: Bom; line: BomLine }[]>();
  for (const b of boms) for (const l of b.lines) parents.set(l.item, [...(parents.get(l.item) ?? []), { bom: b, line: l }]);
  const up = (it: string, seen: Set<string>): WhereUsed[] =>
    (parents.get(it) ?? []).filter((p) => !seen.has(p.bom.item)).map((p) => ({
      bom: p.bom.id, item: p.bom.item, version: p.bom.version, qty: p.line.qty,
      usedIn: up(p.bom.item, new Set([...seen, p.bom.item])),
    }));
  return up(item, new Set([item]));
}

export interface CostRollUp {
  bom: string;
  item: string;
  /** Everything per one unit of output, 6 decimals. */
  material: string;
  labour: string;
  overhead: string;
  byProductCredit: string;
  unitCost: string;
  lines: { item: string; qtyPer: string; rate: string; amount: string; source: 'bom' | 'valuation' }[];
  operations: { seq: number; name: string; workstation: string; hours: string; labour: string; overhead: string }[];
}

export interface CostInputs {
  byItem: Map<string, Bom>;
  routings: Map<string, Routing>;
  workstations: Map<string, Workstation>;
  /** item → current valuation rate (or standard price). */
  rates: Map<string, string>;
}

/**
 * Standard cost of one unit of a BOM's output (成本卷积), bottom-up:
 *   material  = Σ qty per unit (scrap included) × component cost, where a component
 *               with its own BOM costs its rolled-up unit cost, any other its valuation rate
 *   labour    = Σ operations (setup + run × base qty) ÷ 60 ÷ base qty × workstation hourly cost
 *   overhead  = the same hours × workstation overhead rate + material × BOM overhead %
 *   unit cost = material + labour + overhead − by-products at their valuation
 */
export function rollUpCost(bom: Bom, inputs: CostInputs, memo = new Map<string, CostRollUp>(), path = new Set<string>()): CostRollUp {
  const known = memo.get(bom.id);
  if (known) return known;
  if (path.has(bom.id)) throw new AppError('FIELD_INVALID', `lines: BOM ${bom.code} contains itself through its components`, { field: 'lines' });
  const inner = new Set([...path, bom.id]);
  const rate = (item: string) => new Decimal(inputs.rates.get(item) ?? 0);
  const lines = bom.lines.map((line) => {
    const per = qtyPerUnit(bom, line);
    const sub = inputs.byItem.get(line.item);
    const r = sub ? new Decimal(rollUpCost(sub, inputs, memo, inner).unitCost) : rate(line.item);
    return { item: line.item, qtyPer: per.toFixed(6), rate: r.toFixed(6), amount: per.times(r), source: sub ? ('bom' as const) : ('valuation' as const) };
  });
  const material = lines.reduce((s, l) => s.plus(l.amount), new Decimal(0));
  const operations = (bom.routing ? inputs.routings.get(bom.routing)?.operations ?? [] : []).map((op) => {
    const ws = inputs.workstations.get(op.workstation);
    const hours = new Decimal(op.setupMinutes).plus(new Decimal(op.runMinutes).times(bom.quantity)).div(60).div(bom.quantity);
    return { seq: op.seq, name: op.name, workstation: op.workstation, hours, labour: hours.times(ws?.hourlyCost ?? 0), overhead: hours.times(ws?.overheadRate ?? 0) };
  });
  const labour = operations.reduce((s, o) => s.plus(o.labour), new Decimal(0));
  const overhead = operations.reduce((s, o) => s.plus(o.overhead), new Decimal(0)).plus(material.times(bom.overheadPct));
  const credit = bom.byProducts.reduce((s, b) => s.plus(new Decimal(b.qty).div(bom.quantity).times(rate(b.item))), new Decimal(0));
  const out: CostRollUp = {
    bom: bom.id, item: bom.item, material: material.toFixed(6), labour: labour.toFixed(6), overhead: overhead.toFixed(6), byProductCredit: credit.toFixed(6),
    unitCost: material.plus(labour).plus(overhead).minus(credit).toFixed(6),
    lines: lines.map((l) => ({ ...l, amount: l.amount.toFixed(6) })),
    operations: operations.map((o) => ({ ...o, hours: o.hours.toFixed(6), labour: o.labour.toFixed(6), overhead: o.overhead.toFixed(6) })),
  };
  memo.set(bom.id, out);
  return out;
}
