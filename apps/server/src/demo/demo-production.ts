import { Decimal, addDays } from '@mosaic/kernel';
import { MADE } from './demo-catalogue.ts';
import { minDate, q, submitted, type Api, type DemoApi } from './demo-api.ts';

/**
 * Production (生产): the door lock set is assembled in house. Master data: its
 * parts as items, the assembly line, the routing and the BOM. Each month, on
 * the 1st, one work order for what the month will sell: released (job cards
 * per operation), parts issued through the stock ledger, work reported with a
 * little scrap, completed the next day — finished goods into stock at their
 * actual cost, the manufacturing module posting every voucher.
 */
export interface Production { parts: Record<string, string>; workstation: string; routing: string; bom?: string }

export async function productionMaster(api: Api): Promise<Production> {
  const parts: Record<string, string> = {};
  for (const p of MADE.parts) {
    parts[p.code] = ((await api('POST', '/api/v1/records/item', { code: p.code, name: p.name, spec: p.spec, category: '门锁配件', standard_price: { amount: p.cost, currency: 'CNY' } })).id);
  }
  const ws = MADE.workstation;
  const workstation = (await api('POST', '/api/v1/records/workstation', { ...ws, workshop: '装配车间', shifts: [{ name: '白班', hours: 8 }] })).id;
  const routing = (await api('POST', '/api/v1/records/routing', { code: 'R-LS001', name: '门锁套装装配', operations: MADE.operations.map((o) => ({ ...o, workstation })) })).id;
  return { parts, workstation, routing };
}

/** The BOM needs the made item's id, known once the trading items exist. */
export async function productionBom(api: Api, production: Production, itemId: string): Promise<Production> {
  const bom = (await api('POST', '/api/v1/records/bom', {
    item: itemId, is_default: true, routing: production.routing,
    lines: MADE.parts.map((p) => ({ item: production.parts[p.code], qty: p.qty, ...(p.scrap ? { scrap_pct: p.scrap } : {}) })),
  })).id;
  return { ...production, bom };
}

/** What `qty` made items need of each part, with the BOM's scrap allowance (rounded up). */
export function partsFor(qty: number): Map<string, number> {
  return new Map(MADE.parts.map((p) => [p.code, Math.ceil(qty * p.qty * (1 + Number(p.scrap ?? 0)))]));
}

export interface ProductionMonth { workOrders: number; planned: number; produced: number; scrapped: number }

/**
 * The month's work order from release to completion. The shop-floor actions
 * have no Idempotency-Key support, so each says how to see, in the live data,
 * that an interrupted run already did it (materials issued, a card reported,
 * the order completed).
 */
export async function produce(d: DemoApi, itemId: string, warehouse: string, qty: number, start: string, end: string, rnd: () => number): Promise<ProductionMonth> {
  const { api } = d;
  const done = minDate(addDays(start, 1), end);
  const wo = await api('POST', '/api/v1/records/work_order', { item: itemId, qty, planned_start: start, due_date: done, source_warehouse: warehouse, fg_warehouse: warehouse });
  await submitted(api, 'work_order', wo.id, wo.version);
  await api('POST', `/api/v1/manufacturing/work-orders/${wo.id}/issue`, { posting_date: start }, async () =>
    (await d.live(`/api/v1/records/stock_ledger_entry?filter=${q({ voucher_id: wo.id, qty: { lt: 0 } })}&pageSize=1&fields=id`)).total > 0);
  const cards = (await api('GET', `/api/v1/records/job_card?filter=${q({ work_order: wo.id })}&sort=seq&fields=seq`)).data as { id: string }[];
  // Assembly spoils one now and then; inspection passes what reaches it.
  const scrapped = rnd() < 0.6 ? 1 + Math.floor(rnd() * 2) : 0;
  let reached = qty;
  for (const [i, card] of cards.entries()) {
    const scrap = i === 0 ? scrapped : 0;
    const op = MADE.operations[i];
    const minutes = new Decimal(op.setup_minutes + op.run_minutes * reached).times(0.9 + rnd() * 0.3).toDecimalPlaces(0).toNumber();
    await api('POST', `/api/v1/manufacturing/job-cards/${card.id}/report`, { good_qty: reached - scrap, scrap_qty: scrap, minutes, report_date: i === 0 ? start : done }, async () =>
      (await d.live(`/api/v1/records/job_card_log?filter=${q({ job_card: card.id })}&pageSize=1&fields=id`)).total > 0);
    reached -= scrap;
  }
  await api('POST', `/api/v1/manufacturing/work-orders/${wo.id}/complete`, { posting_date: done }, async () =>
    (await d.live(`/api/v1/records/work_order/${wo.id}?fields=progress`)).progress === 'completed');
  return { workOrders: 1, planned: qty, produced: reached, scrapped };
}

/**
 * Planning at the end of the history (MRP运算): the planner's master schedule
 * (主生产计划) of the made item for the next three months — the month's trade
 * plus the lock sets of a won 工程集采 contract (FIT_OUT_LOCKS a month), more
 * than the stock holds — a forecast of the traded items from their sales (the planning
 * module's own generator), then one MRP run as of `until` through its API,
 * waited for, so the planner's page shows a finished run with its work-order
 * and purchase suggestions.
 */
const FIT_OUT_LOCKS = 300;

export async function planMaterials(d: DemoApi, plan: { made: string; perMonth: number; traded: string[] }, until: string): Promise<{ run: string; suggestions: number }> {
  const months = [1, 2, 3].map((k) => `${addDays(`${until.slice(0, 7)}-28`, 7 + 31 * (k - 1)).slice(0, 7)}-05`);
  const mps = await d.api('POST', '/api/v1/records/production_plan', {
    description: '门锁套装 下季度主生产计划', lines: months.map((required_date) => ({ item: plan.made, qty: plan.perMonth + FIT_OUT_LOCKS, required_date })),
  });
  await submitted(d.api, 'production_plan', mps.id, mps.version);
  await d.api('POST', '/api/v1/manufacturing/forecasts/generate', { items: plan.traded, months: 3, from: `${months[0].slice(0, 7)}-01` });
  const { id } = await d.api('POST', '/api/v1/manufacturing/mrp-runs', { run_date: until });
  for (let waited = 0; ; waited += 100) {
    const { state } = await d.live(`/api/v1/records/mrp_run/${id}?fields=state`);
    if (state === 'done') break;
    if (state === 'failed' || waited > 300_000) throw new Error(`demo: the MRP run ${id} did not finish (${state})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const suggestions = (await d.live(`/api/v1/records/mrp_suggestion?filter=${q({ mrp_run: id })}&pageSize=1&fields=id`)).total as number;
  return { run: id, suggestions };
}
