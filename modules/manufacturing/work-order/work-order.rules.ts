import { AppError, Decimal } from '@mosaic/kernel';
import type { JournalLine } from '@mosaic/finance';
import type { Bom } from '../bom/bom.types.ts';
import { explodePhantoms, qtyPerUnit } from '../bom/bom.rules.ts';

/**
 * Work order rules. Pure.
 *
 * Accounts (小企业会计准则, modules/finance/chart):
 *   4001 生产成本       work in process: materials, labour and overhead collect here
 *   1405 库存商品       where the stock ledger's value lives: flows/stock-to-ledger books
 *                       every stock receipt on 1405, so an issue credits 1405 too — the
 *                       ledger and the stock value stay equal (1403 原材料 takes over
 *                       once items carry their own inventory account)
 *   2211 应付职工薪酬   labour absorbed at the workstation's hourly cost
 *   4101 制造费用       overhead absorbed at the workstation's overhead rate (+ BOM %)
 */
export const MFG_ACCOUNTS = { wip: '4001', inventory: '1405', wages: '2211', overhead: '4101' } as const;

export interface Requirement {
  item: string;
  qty: Decimal;
  /** Operation the component is consumed at (backflush); null = the first. */
  operationSeq: number | null;
}

/** What a work order for `qty` needs, per component, scrap included; phantoms replaced by their components (explodePhantoms). */
export function requiredMaterials(bom: Bom, qty: Decimal, byItem: Map<string, Bom>): Requirement[] {
  return explodePhantoms(bom, qty, (q, b, line) => q.times(qtyPerUnit(b, line)), (item) => byItem.get(item));
}

/**
 * A work report on operation `seq`: good + scrap may not exceed what reached
 * the operation — the order quantity for the first, the good output of the
 * previous operation for the others — less what was already reported.
 */
export function checkReport(ops: { seq: number; good: Decimal; scrap: Decimal }[], woQty: Decimal, seq: number, good: Decimal, scrap: Decimal): void {
  if (good.lt(0)) throw new AppError('FIELD_INVALID', 'good_qty: cannot be negative', { field: 'good_qty' });
  if (scrap.lt(0)) throw new AppError('FIELD_INVALID', 'scrap_qty: cannot be negative', { field: 'scrap_qty' });
  if (good.plus(scrap).lte(0)) throw new AppError('FIELD_INVALID', 'good_qty: report some good or scrapped quantity', { field: 'good_qty' });
  const sorted = [...ops].sort((a, b) => a.seq - b.seq);
  const i = sorted.findIndex((o) => o.seq === seq);
  const reached = i <= 0 ? woQty : sorted[i - 1].good;
  const done = sorted[i].good.plus(sorted[i].scrap);
  const left = reached.minus(done);
  if (good.plus(scrap).gt(left)) {
    throw new AppError('FIELD_INVALID', `good_qty: only ${Decimal.max(left, 0).toFixed()} left to report on operation ${seq} (${reached.toFixed()} reached it, ${done.toFixed()} reported)`, { field: 'good_qty' });
  }
}

export interface ActualCost {
  material: Decimal;
  labour: Decimal;
  overhead: Decimal;
  byProducts: Decimal;
  /** material + labour + overhead − by-products: the value of the finished goods received. */
  actual: Decimal;
  standard: Decimal;
  variance: Decimal;
  fgRate: Decimal;
}

/**
 * The actual cost of a completed order (实际成本) against the standard for
 * the quantity produced; by-products come out at their valuation, so the
 * finished goods carry the rest.
 */
export function actualCost(p: { material: Decimal; labour: Decimal; overheadAbsorbed: Decimal; overheadPct: Decimal; byProducts: Decimal; standardUnit: Decimal; produced: Decimal }): ActualCost {
  const money = (d: Decimal) => d.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  const material = money(p.material);
  const labour = money(p.labour);
  const overhead = money(p.overheadAbsorbed.plus(p.material.times(p.overheadPct)));
  const byProducts = money(p.byProducts);
  const actual = material.plus(labour).plus(overhead).minus(byProducts);
  const standard = money(p.standardUnit.times(p.produced));
  return { material, labour, overhead, byProducts, actual, standard, variance: actual.minus(standard), fgRate: p.produced.gt(0) ? actual.div(p.produced) : new Decimal(0) };
}

/** Material issued: Dr 4001 生产成本 / Cr 1405. A return (value < 0) swaps the sides. */
export function issueJournal(value: Decimal, account: (code: string) => string): JournalLine[] {
  const v = value.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  if (v.isZero()) return [];
  const zero = new Decimal(0);
  const [dr, cr] = v.gt(0) ? [v, zero] : [zero, v.neg()];
  return [
    { account: account(MFG_ACCOUNTS.wip), debit: dr, credit: cr, description: '生产领料' },
    { account: account(MFG_ACCOUNTS.inventory), debit: cr, credit: dr, description: '生产领料' },
  ];
}

/**
 * Completion: labour and overhead absorbed into 4001 (Cr 2211 / Cr 4101), then
 * the finished goods and by-products received out of it (Dr 1405 / Cr 4001):
 * 4001 is left with nothing for this order.
 */
export function completionJournal(c: ActualCost, account: (code: string) => string): JournalLine[] {
  const zero = new Decimal(0);
  const lines: JournalLine[] = [];
  if (c.labour.gt(0)) lines.push({ account: account(MFG_ACCOUNTS.wip), debit: c.labour, credit: zero, description: '人工成本' }, { account: account(MFG_ACCOUNTS.wages), debit: zero, credit: c.labour, description: '人工成本' });
  if (c.overhead.gt(0)) lines.push({ account: account(MFG_ACCOUNTS.wip), debit: c.overhead, credit: zero, description: '制造费用分配' }, { account: account(MFG_ACCOUNTS.overhead), debit: zero, credit: c.overhead, description: '制造费用分配' });
  const received = c.actual.plus(c.byProducts);
  if (received.gt(0)) lines.push({ account: account(MFG_ACCOUNTS.inventory), debit: received, credit: zero, description: '完工入库' }, { account: account(MFG_ACCOUNTS.wip), debit: zero, credit: received, description: '完工入库' });
  return lines;
}

export interface IssueLine {
  item: string;
  qty: Decimal;
}

/**
 * 替代料: what a primary component lacks in the warehouse is taken from the
 * BOM's substitutes in priority order (ratio units of substitute per unit
 * replaced), as far as they are available; a shortfall no substitute covers
 * stays on the primary, where the stock ledger refuses it naming the item.
 */
export function withSubstitutes(lines: IssueLine[], subs: Bom['substitutes'], available: Map<string, Decimal>): IssueLine[] {
  const left = new Map(available);
  const out: IssueLine[] = [];
  for (const line of lines) {
    const own = Decimal.max(left.get(line.item) ?? 0, 0);
    let short = Decimal.max(line.qty.minus(own), 0);
    for (const s of subs.filter((x) => x.item === line.item).sort((a, b) => a.priority - b.priority)) {
      if (short.lte(0)) break;
      const has = Decimal.max(left.get(s.substitute) ?? 0, 0);
      const use = Decimal.min(short.times(s.ratio), has);
      if (use.lte(0)) continue;
      out.push({ item: s.substitute, qty: use });
      left.set(s.substitute, has.minus(use));
      short = short.minus(use.div(s.ratio));
    }
    const primary = line.qty.minus(Decimal.max(line.qty.minus(own), 0)).plus(short);
    left.set(line.item, own.minus(primary));
    if (primary.gt(0)) out.push({ item: line.item, qty: primary });
  }
  return out;
}

/** Issued so far per primary component, substitutes counted at their ratio. */
export function issuedPerPrimary(needs: { item: string }[], subs: Bom['substitutes'], issued: Map<string, Decimal>): Map<string, Decimal> {
  return new Map(needs.map((n) => [n.item, subs.filter((s) => s.item === n.item)
    .reduce((sum, s) => sum.plus((issued.get(s.substitute) ?? new Decimal(0)).div(s.ratio)), issued.get(n.item) ?? new Decimal(0))]));
}
