import { incomingSupply } from '@mosaic/stock';
import { sql } from 'kysely';
import { addDays } from '@mosaic/kernel';
import type { Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import { optionalTable, tableOf, type Table } from '../mfg-tables.ts';
import { loadBoms } from '../bom/bom.store.ts';
import { bomByItem, explodePhantoms, pickBom, qtyPerUnit } from '../bom/bom.rules.ts';
import type { Bom } from '../bom/bom.types.ts';
import type { BomSegment, Demand, MrpBom, MrpInput, MrpItem, ScheduledReceipt } from './mrp.types.ts';
import { consumeForecasts, periodEnd, type ForecastBucket, type OrderedQty } from './forecast.rules.ts';

const OPEN = ['submitted', 'approved'];

/**
 * What a plan is made of, each needing the right to read it (mfg-context.ts requireRights):
 * demand (sales orders, production plans, forecasts, work orders' components), stock, items
 * and their planning, BOMs. Delivered and purchase-order quantities are netted in, never shown.
 */
export const MRP_INPUT_READS = ['item', 'item_planning', 'stock_balance', 'bom', 'sales_order', 'production_plan', 'demand_forecast', 'work_order'] as const;

/**
 * Everything MRP plans from, read set-based (a handful of queries whatever the
 * size): items with their planning parameters and stock on hand, the BOMs
 * effective on the planning date and, for items whose version changes over
 * time, their version timeline; open sales orders less what was delivered,
 * forecasts less what orders consumed of them,
 * submitted production plans (MPS), open purchase orders and requisitions
 * (when the buying module is installed) and open work orders — both as receipts of what they
 * make and as demand for the components they have not drawn yet.
 */
export async function loadMrpInput(tx: Tx, objects: Map<string, ObjectMeta>, today: string): Promise<MrpInput & { bomDefs: Map<string, Bom> }> {
  const boms = await loadBoms(tx, objects);
  const effective = bomByItem(boms.values(), today);
  const qtyPer = qtyPerCache();
  const mrpBom = mrpBomCache(qtyPer);
  const mrpBoms = new Map<string, MrpBom>();
  for (const [item, b] of effective) mrpBoms.set(item, mrpBom(b));
  const versions = versionsByItem(boms.values());
  const bomTimeline = new Map<string, BomSegment[]>();
  for (const [item, list] of versions) {
    const segments = list.length > 1 || list.some((b) => b.effectiveFrom || b.effectiveTo) ? versionTimeline(list) : null;
    if (segments && !(segments.length === 1 && segments[0].id === effective.get(item)?.id)) bomTimeline.set(item, segments.map((s) => ({ from: s.from, bom: s.bom && mrpBom(s.bom) })));
  }
  const items = await loadItems(tx, objects, new Set(versions.keys()));
  const workOrders = await openWorkOrders(tx, objects, versions, boms, qtyPer);
  return {
    today, items, boms: mrpBoms, bomTimeline, bomDefs: boms,
    demands: [...(await salesOrderDemand(tx, objects)), ...(await forecastDemand(tx, objects, today)), ...(await planDemand(tx, objects)), ...workOrders.demands],
    receipts: [...(await purchaseReceipts(tx, objects, today)), ...workOrders.receipts],
  };
}

/** Active BOM versions per item: pickBom's candidates. */
export function versionsByItem(boms: Iterable<Bom>): Map<string, Bom[]> {
  const out = new Map<string, Bom[]>();
  for (const b of boms) {
    if (!b.isActive) continue;
    const list = out.get(b.item);
    if (list) list.push(b);
    else out.set(b.item, [b]);
  }
  return out;
}

/**
 * Which version pickBom chooses, as date segments: the set of versions in
 * effect changes only where one starts or the day after one ends, so pickBom
 * on each such day (and once before them all) gives the whole timeline —
 * the same choice a work order makes on its planned start, by the same function.
 */
export function versionTimeline(list: Bom[]): { from: string | null; id: string | null; bom: Bom | null }[] {
  const changes = new Set<string>();
  for (const b of list) {
    if (b.effectiveFrom) changes.add(b.effectiveFrom);
    if (b.effectiveTo) changes.add(addDays(b.effectiveTo, 1));
  }
  const first = pickBom(list, '0001-01-01');
  const out: { from: string | null; id: string | null; bom: Bom | null }[] = [{ from: null, id: first?.id ?? null, bom: first }];
  for (const day of [...changes].sort()) {
    const b = pickBom(list, day);
    if ((b?.id ?? null) !== out.at(-1)!.id) out.push({ from: day, id: b?.id ?? null, bom: b });
  }
  return out;
}

/** One MrpBom per BOM version, however many items' timelines and dates name it. */
function mrpBomCache(qtyPer: QtyPer): (b: Bom) => MrpBom {
  const byVersion = new Map<string, MrpBom>();
  return (b) => {
    let m = byVersion.get(b.id);
    if (!m) {
      m = { item: b.item, lines: b.lines.map((l) => ({ item: l.item, qtyPer: qtyPer(b, l), phantom: l.phantom })) };
      byVersion.set(b.id, m);
    }
    return m;
  };
}

async function loadItems(tx: Tx, objects: Map<string, ObjectMeta>, withBom: Set<string>): Promise<MrpItem[]> {
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
    id: r.id, procurement: r.procurement ?? (withBom.has(r.id) ? 'make' : 'buy'), leadTimeDays: Number(r.lead), safetyStock: r.ss,
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

/**
 * Forecasts (demand_forecast) less what sales orders due in the same period
 * consumed of them (forecast.rules.ts): ordered quantities of submitted orders
 * per item and due date, delivered or not.
 */
async function forecastDemand(tx: Tx, objects: Map<string, ObjectMeta>, today: string): Promise<Demand[]> {
  const F = optionalTable(objects, 'demand_forecast', ['item', 'period_start', 'bucket', 'qty']);
  if (!F) return [];
  const forecasts = (await sql<{ id: string; item: string; start: string; bucket: ForecastBucket; qty: number }>`SELECT id, ${F.c('item')} AS item,
      ${F.c('period_start')}::text AS start, coalesce(${F.c('bucket')}, 'month') AS bucket, ${F.c('qty')}::float8 AS qty
    FROM ${F.t} WHERE ${F.c('qty')} > 0`.execute(tx)).rows;
  if (!forecasts.length) return [];
  const ordered = await orderedByDue(tx, objects, { items: [...new Set(forecasts.map((f) => f.item))], per: 'day' });
  return consumeForecasts(forecasts.map((f) => ({ id: f.id, item: f.item, start: f.start, end: periodEnd(f.start, f.bucket), qty: f.qty })), ordered, today);
}

/**
 * What customers ordered of `items`, per item and due day or due month (its
 * first day): submitted sales orders, delivered or not, due on the delivery
 * date, else the order date; `from` inclusive, `before` exclusive. Forecast
 * consumption (above) and forecast generation (forecast-generate.service.ts)
 * both read sales through this, so the history a forecast is made from and
 * the orders that consume it are counted by the same dates.
 */
export async function orderedByDue(tx: Tx, objects: Map<string, ObjectMeta>, q: { items: string[]; per: 'day' | 'month'; from?: string; before?: string }): Promise<OrderedQty[]> {
  const SO = tableOf(objects, 'sales_order');
  const SL = tableOf(objects, 'sales_order_line');
  const due = sql`coalesce(so.${SO.c('delivery_date')}, so.${SO.c('order_date')})`;
  const day = q.per === 'month' ? sql`date_trunc('month', ${due})::date` : due;
  return (await sql<OrderedQty>`SELECT l.${SL.c('item')} AS item, ${day}::text AS date, sum(l.${SL.c('qty')})::float8 AS qty
    FROM ${SO.t} so JOIN ${SL.t} l ON l.parent_id = so.id
    WHERE so.status = ANY(${OPEN}) AND l.${SL.c('item')} = ANY(${q.items}::uuid[])
      ${q.from ? sql`AND ${due} >= ${q.from}::date` : sql``} ${q.before ? sql`AND ${due} < ${q.before}::date` : sql``}
    GROUP BY 1, 2`.execute(tx)).rows;
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
 * demand on the planned start. An order without a BOM of its own uses the
 * version in effect on its planned start, as it will when released.
 */
async function openWorkOrders(tx: Tx, objects: Map<string, ObjectMeta>, versions: Map<string, Bom[]>, boms: Map<string, Bom>, qtyPer: QtyPer) {
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
    const bom = (wo.bom && boms.get(wo.bom)) || pickBom(versions.get(wo.item) ?? [], wo.start);
    const need = new Map<string, number>();
    if (bom) for (const c of componentsAt(bom, wo.start, versions, qtyPer)) need.set(c.item, (need.get(c.item) ?? 0) + c.qtyPer);
    for (const [item, per] of need) {
      const left = per * wo.qty - (issuedOf.get(`${wo.id}|${item}`) ?? 0);
      if (left > 1e-9) demands.push({ item, qty: left, date: wo.start, ref: { type: 'work_order', id: wo.id } });
    }
  }
  return { receipts, demands };
}

/**
 * A work order's components per unit of output, phantoms replaced by their own
 * components from the phantom's version in effect on the order's start — what
 * the order issues (requiredMaterials on release: the same explodePhantoms), so
 * the phantom itself is never demand. A phantom with no version then stays a component.
 */
function componentsAt(bom: Bom, day: string, versions: Map<string, Bom[]>, qtyPer: QtyPer): { item: string; qtyPer: number }[] {
  return explodePhantoms(bom, 1, (q, b, line) => q * qtyPer(b, line), (item) => pickBom(versions.get(item) ?? [], day))
    .map((c) => ({ item: c.item, qtyPer: c.qty }));
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
