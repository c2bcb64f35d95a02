import { incomingSupply } from '@mosaic/stock';
import { sql } from 'kysely';
import type { Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import { optionalTable, tableOf, type Table } from '../mfg-tables.ts';
import { loadBoms } from '../bom/bom.store.ts';
import { bomByItem, qtyPerUnit } from '../bom/bom.rules.ts';
import type { Bom } from '../bom/bom.types.ts';
import type { Demand, MrpBom, MrpInput, MrpItem, ScheduledReceipt } from './mrp.types.ts';

const OPEN = ['submitted', 'approved'];

/**
 * Everything MRP plans from, read set-based (a handful of queries whatever the
 * size): items with their planning parameters and stock on hand, the BOMs
 * effective on the planning date, open sales orders less what was delivered,
 * submitted production plans (MPS), open purchase orders and requisitions
 * (when the buying module is installed) and open work orders — both as receipts of what they
 * make and as demand for the components they have not drawn yet.
 */
export async function loadMrpInput(tx: Tx, objects: Map<string, ObjectMeta>, today: string): Promise<MrpInput & { bomDefs: Map<string, Bom> }> {
  const boms = await loadBoms(tx, objects);
  const effective = bomByItem(boms.values(), today);
  const mrpBoms = new Map<string, MrpBom>();
  const qtyPer = qtyPerCache();
  for (const [item, b] of effective) {
    mrpBoms.set(item, { item, lines: b.lines.map((l) => ({ item: l.item, qtyPer: qtyPer(b, l), phantom: l.phantom })) });
  }
  const items = await loadItems(tx, objects, mrpBoms);
  const workOrders = await openWorkOrders(tx, objects, effective, boms, qtyPer);
  return {
    today, items, boms: mrpBoms, bomDefs: boms,
    demands: [...(await salesOrderDemand(tx, objects)), ...(await planDemand(tx, objects)), ...workOrders.demands],
    receipts: [...(await purchaseReceipts(tx, objects, today)), ...workOrders.receipts],
  };
}

async function loadItems(tx: Tx, objects: Map<string, ObjectMeta>, boms: Map<string, MrpBom>): Promise<MrpItem[]> {
  const I = tableOf(objects, 'item');
  const P = tableOf(objects, 'item_planning');
  const S = tableOf(objects, 'stock_balance');
  const rows = await sql<Record<string, any>>`SELECT i.id, p.${P.c('procurement')} AS procurement, coalesce(p.${P.c('lead_time_days')}, 0) AS lead,
      coalesce(p.${P.c('safety_stock')}, 0)::float8 AS ss, coalesce(p.${P.c('lot_policy')}, 'lot_for_lot') AS policy, coalesce(p.${P.c('lot_size')}, 0)::float8 AS lot,
      coalesce(p.${P.c('min_qty')}, 0)::float8 AS min, coalesce(p.${P.c('multiple')}, 0)::float8 AS mult, coalesce(p.${P.c('period_days')}, 0) AS period,
      coalesce(b.on_hand, 0)::float8 AS on_hand
    FROM ${I.t} i
    LEFT JOIN ${P.t} p ON p.${P.c('item')} = i.id
    LEFT JOIN (SELECT ${S.c('item')} AS item, sum(${S.c('on_hand')}) AS on_hand FROM ${S.t} GROUP BY 1) b ON b.item = i.id
    WHERE i.${I.c('item_type')} IS DISTINCT FROM 'service'`.execute(tx);
  return rows.rows.map((r) => ({
    id: r.id, procurement: r.procurement ?? (boms.has(r.id) ? 'make' : 'buy'), leadTimeDays: Number(r.lead), safetyStock: r.ss,
    lotPolicy: r.policy, lotSize: r.lot, minQty: r.min, multiple: r.mult, periodDays: Number(r.period), onHand: r.on_hand,
  }));
}

/** Open sales order quantity per order and item: ordered − delivered on submitted delivery notes, due on the delivery date. */
async function salesOrderDemand(tx: Tx, objects: Map<string, ObjectMeta>): Promise<Demand[]> {
  const SO = tableOf(objects, 'sales_order');
  const SL = tableOf(objects, 'sales_order_line');
  const DN = tableOf(objects, 'delivery_note');
  const DL = tableOf(objects, 'delivery_note_line');
  const rows = await sql<{ id: string; line: string; item: string; date: string; qty: number }>`
    SELECT so.id, min(l.id::text) AS line, l.${SL.c('item')} AS item, coalesce(so.${SO.c('delivery_date')}, so.${SO.c('order_date')})::text AS date,
      (sum(l.${SL.c('qty')}) - coalesce(max(d.delivered), 0))::float8 AS qty
    FROM ${SO.t} so JOIN ${SL.t} l ON l.parent_id = so.id
    LEFT JOIN (SELECT dn.${DN.c('sales_order')} AS so, dl.${DL.c('item')} AS item, sum(dl.${DL.c('qty')}) AS delivered
               FROM ${DN.t} dn JOIN ${DL.t} dl ON dl.parent_id = dn.id WHERE dn.status = ANY(${OPEN}) GROUP BY 1, 2) d
      ON d.so = so.id AND d.item = l.${SL.c('item')}
    WHERE so.status = ANY(${OPEN})
    GROUP BY so.id, l.${SL.c('item')}, date`.execute(tx);
  return rows.rows.filter((r) => r.qty > 0).map((r) => ({ item: r.item, qty: r.qty, date: r.date, ref: { type: 'sales_order', id: r.id, line: r.line } }));
}

/** Submitted production plans (主生产计划, MPS): each line is demand on its date. */
async function planDemand(tx: Tx, objects: Map<string, ObjectMeta>): Promise<Demand[]> {
  const P = tableOf(objects, 'production_plan');
  const L = tableOf(objects, 'production_plan_line');
  const rows = await sql<{ id: string; line: string; item: string; date: string; qty: number }>`
    SELECT p.id, l.id AS line, l.${L.c('item')} AS item, l.${L.c('required_date')}::text AS date, l.${L.c('qty')}::float8 AS qty
    FROM ${P.t} p JOIN ${L.t} l ON l.parent_id = p.id WHERE p.status = ANY(${OPEN})`.execute(tx);
  return rows.rows.map((r) => ({ item: r.item, qty: r.qty, date: r.date, ref: { type: 'production_plan', id: r.id, line: r.line } }));
}

/**
 * Open purchase orders and requisitions as scheduled receipts: what the buying
 * module registers as incoming supply (ordered − received, due on the confirmed
 * or asked date; requisitions less what was ordered against them, due on their
 * lines' dates). Requisitions count because firming MRP's purchase suggestions
 * makes them: without them a re-run would suggest the same goods again.
 */
async function purchaseReceipts(tx: Tx, objects: Map<string, ObjectMeta>, today: string): Promise<ScheduledReceipt[]> {
  return (await incomingSupply(tx, objects, { includeRequested: true })).map((r) => ({ item: r.item, qty: Number(r.qty), date: r.date ?? today, type: r.source, id: r.id }));
}

/**
 * Work orders not completed (drafts included: firmed plans): what they will
 * still produce is a receipt on the due date; what their BOM still needs —
 * required less already issued (stock ledger, voucher type work_order) — is
 * demand on the planned start.
 */
async function openWorkOrders(tx: Tx, objects: Map<string, ObjectMeta>, effective: Map<string, Bom>, boms: Map<string, Bom>, qtyPer: QtyPer) {
  const W = tableOf(objects, 'work_order');
  const L = tableOf(objects, 'stock_ledger_entry');
  const rows = await sql<Record<string, any>>`SELECT id, ${W.c('item')} AS item, ${W.c('bom')} AS bom, ${W.c('qty')}::float8 AS qty,
      coalesce(${W.c('produced_qty')}, 0)::float8 AS produced, coalesce(${W.c('due_date')}, ${W.c('planned_start')}, current_date)::text AS due,
      coalesce(${W.c('planned_start')}, ${W.c('due_date')}, current_date)::text AS start
    FROM ${W.t} WHERE status IN ('draft', 'submitted', 'approved') AND ${W.c('progress')} IS DISTINCT FROM 'completed'`.execute(tx);
  const receipts: ScheduledReceipt[] = [];
  const demands: Demand[] = [];
  if (!rows.rows.length) return { receipts, demands };
  const issued = await sql<{ wo: string; item: string; qty: number }>`SELECT ${L.c('voucher_id')} AS wo, ${L.c('item')} AS item, (-sum(${L.c('qty')}))::float8 AS qty
    FROM ${L.t} WHERE ${L.c('voucher_type')} = 'work_order' AND ${L.c('qty')} < 0 GROUP BY 1, 2`.execute(tx);
  const issuedOf = new Map(issued.rows.map((r) => [`${r.wo}|${r.item}`, r.qty]));
  for (const wo of rows.rows) {
    const open = wo.qty - wo.produced;
    if (open > 0) receipts.push({ item: wo.item, qty: open, date: wo.due, type: 'work_order', id: wo.id });
    const bom = (wo.bom && boms.get(wo.bom)) || effective.get(wo.item);
    for (const line of bom?.lines ?? []) {
      const left = qtyPer(bom!, line) * wo.qty - (issuedOf.get(`${wo.id}|${line.item}`) ?? 0);
      if (left > 1e-9) demands.push({ item: line.item, qty: left, date: wo.start, ref: { type: 'work_order', id: wo.id } });
    }
  }
  return { receipts, demands };
}

type QtyPer = (bom: Pick<Bom, 'quantity'>, line: Pick<Bom['lines'][number], 'qty' | 'scrapPct'>) => number;

/**
 * qtyPerUnit (exact, Decimal) as a number, computed once per distinct
 * (line qty, BOM quantity, scrap %): a plant's 10⁵ BOM lines repeat a few
 * hundred such triples, and the Decimal arithmetic was most of the load phase.
 * Same function of the same strings: the same numbers as before.
 */
function qtyPerCache(): QtyPer {
  const memo = new Map<string, number>();
  return (bom, line) => {
    const key = `${line.qty}|${bom.quantity}|${line.scrapPct}`;
    let q = memo.get(key);
    if (q === undefined) {
      q = qtyPerUnit(bom, line).toNumber();
      memo.set(key, q);
    }
    return q;
  };
}
