import { sql } from 'kysely';
import { AppError, dateOrThrow, Decimal } from '@mosaic/kernel';
import type { RecordsCtx } from '@mosaic/records';
import { mfgTx, todayFor, uuidOrThrow } from '../mfg-context.ts';
import { tableOf } from '../mfg-tables.ts';
import { loadBoms, loadItemInfo, loadValuationRates } from './bom.store.ts';
import { bomByItem, bomTree, costTree, rollUpCost, whereUsed, type CostedNode, type CostRollUp, type TreeNode, type WhereUsed } from './bom.rules.ts';
import type { Action } from '@mosaic/access';
import { loadRoutings, loadWorkstations } from '../routing/routing.store.ts';
import type { Bom } from './bom.types.ts';

const bomOrThrow = (boms: Map<string, Bom>, id: string) => {
  const b = boms.get(id);
  if (!b) throw new AppError('RECORD_NOT_FOUND', `No BOM ${id}.`);
  return b;
};

/**
 * GET …/bom/:id/tree?qty=&date=&cost=1 — the multi-level tree, components by the
 * versions effective on `date`; with `cost=1` each node carries its unit cost
 * and the cost of its quantity (the roll-up of GET …/cost on the same date),
 * and the root carries `rollUp`: that roll-up itself (material, labour,
 * overhead, by-product credit, unit cost), so a page showing both the tree and
 * the cost summary asks once and the BOM is costed once.
 */
export async function getBomTree(ctx: RecordsCtx, id: string, opts: { qty?: string; date?: string; cost?: string }) {
  const qty = positive(opts.qty ?? '1', 'qty');
  const date = opts.date ? dateOrThrow(opts.date, 'date') : todayFor(ctx);
  const withCost = opts.cost === '1' || opts.cost === 'true';
  const needs: [string, Action][] = [['bom', 'read'], ['item', 'read'], ...(withCost ? [['routing', 'read'], ['workstation', 'read']] as [string, Action][] : [])];
  return mfgTx(ctx, needs, async (tx, objects) => {
    const boms = await loadBoms(tx, objects, false);
    const root = bomOrThrow(boms, uuidOrThrow(id, 'id'));
    let tree: TreeNode | CostedNode;
    let rollUp: CostRollUp | undefined;
    if (withCost) {
      const inputs = await costInputs(tx, objects, boms, date);
      const memo = new Map<string, CostRollUp>();
      rollUp = rollUpCost(root, inputs, memo);
      tree = costTree(bomTree(root, inputs.byItem, qty), memo, inputs.rates);
    } else {
      tree = bomTree(root, bomByItem([...boms.values()].filter((b) => b.isActive), date), qty);
    }
    const info = await loadItemInfo(tx, objects, collect(tree));
    const label = (n: TreeNode): Record<string, unknown> => ({ ...n, code: info.get(n.item)?.code, name: info.get(n.item)?.name, children: n.children.map(label) });
    return rollUp ? { ...label(tree), rollUp } : label(tree);
  });
}

/** GET …/items/:item/where-used — every BOM (any version) using the item, up to the finished goods. */
export async function getWhereUsed(ctx: RecordsCtx, item: string): Promise<{ item: string; usedIn: unknown[] }> {
  return mfgTx(ctx, [['bom', 'read'], ['item', 'read']], async (tx, objects) => {
    const tree = whereUsed(uuidOrThrow(item, 'item'), (await loadBoms(tx, objects, false)).values());
    const ids: string[] = [];
    const gather = (w: WhereUsed[]) => w.forEach((x) => (ids.push(x.item), gather(x.usedIn)));
    gather(tree);
    const info = await loadItemInfo(tx, objects, ids);
    const label = (w: WhereUsed): unknown => ({ ...w, code: info.get(w.item)?.code, name: info.get(w.item)?.name, usedIn: w.usedIn.map(label) });
    return { item, usedIn: tree.map(label) };
  });
}

/** GET …/bom/:id/cost — standard cost roll-up per unit (material at current valuation + operations + overhead). */
export async function getBomCost(ctx: RecordsCtx, id: string, date?: string): Promise<CostRollUp> {
  return mfgTx(ctx, [['bom', 'read'], ['routing', 'read'], ['workstation', 'read']], async (tx, objects) => {
    const boms = await loadBoms(tx, objects, false);
    const root = bomOrThrow(boms, uuidOrThrow(id, 'id'));
    return rollUpCost(root, await costInputs(tx, objects, boms, date ? dateOrThrow(date, 'date') : todayFor(ctx)));
  });
}

export async function costInputs(tx: Parameters<typeof loadBoms>[0], objects: Parameters<typeof loadBoms>[1], boms: Map<string, Bom>, date: string) {
  return {
    byItem: bomByItem([...boms.values()].filter((b) => b.isActive), date),
    routings: await loadRoutings(tx, objects),
    workstations: await loadWorkstations(tx, objects),
    rates: await loadValuationRates(tx, objects),
  };
}

/**
 * POST …/bom/:id/make-default — one default per item: the others lose the
 * flag in the same transaction (a partial unique index refuses two defaults).
 */
export async function makeDefaultBom(ctx: RecordsCtx, id: string): Promise<{ id: string; item: string }> {
  return mfgTx(ctx, [['bom', 'edit']], async (tx, objects) => {
    const B = tableOf(objects, 'bom');
    const row = await sql<{ item: string }>`SELECT ${B.c('item')} AS item FROM ${B.t} WHERE id = ${uuidOrThrow(id, 'id')} FOR UPDATE`.execute(tx);
    if (!row.rows[0]) throw new AppError('RECORD_NOT_FOUND', `No BOM ${id}.`);
    const item = row.rows[0].item;
    await sql`UPDATE ${B.t} SET ${B.c('is_default')} = false, version = version + 1, updated_at = now() WHERE ${B.c('item')} = ${item} AND ${B.c('is_default')} AND id <> ${id}`.execute(tx);
    await sql`UPDATE ${B.t} SET ${B.c('is_default')} = true, version = version + 1, updated_at = now() WHERE id = ${id}`.execute(tx);
    return { id, item };
  });
}

function collect(n: TreeNode, out: string[] = []): string[] {
  out.push(n.item);
  for (const c of n.children) collect(c, out);
  return out;
}

function positive(v: string, field: string): Decimal {
  let d: Decimal;
  try {
    d = new Decimal(v);
  } catch {
    throw new AppError('FIELD_INVALID', `${field}: not a number`, { field });
  }
  if (!d.isFinite() || d.lte(0)) throw new AppError('FIELD_INVALID', `${field}: must be greater than 0`, { field });
  return d;
}
export { positive as positiveDecimalOrThrow };

