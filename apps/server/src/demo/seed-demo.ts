import type { FastifyInstance } from 'fastify';
import { Decimal, addDays, addMonths } from '@mosaic/kernel';
import { CUSTOMERS, ITEMS, LEAD_COMPANIES, LEAD_PEOPLE, LEAD_SOURCES, SEASON, SUPPLIERS, type DemoItem } from './demo-catalogue.ts';

/**
 * The demo company's history (issue 6 §7): months of a believable Guangdong
 * hardware wholesaler — customers, suppliers, items, leads and opportunities,
 * purchases received and paid, orders delivered, invoiced and (mostly) paid —
 * written through the public HTTP API as the admin, so every module's own
 * hooks post the stock ledger and the vouchers: the books of the demo are
 * consistent because they were never written around the modules.
 *
 * Month by month in date order (stock valuation needs receipts before the
 * deliveries they supply); demand grows ~3 % a month with a seasonal shape
 * (SEASON); the last weeks' invoices stay open and a few are overdue, so the
 * receivables and dunning screens have something to show. Deterministic: the
 * same options give the same history.
 */
export interface DemoOptions {
  months: number;
  ordersPerMonth: number;
  /** The last day of the history (default today); tests pin it. */
  until?: string;
  seed?: number;
  onProgress?: (done: number, total: number, what: string) => void;
}

export interface DemoSummary { months: number; customers: number; items: number; salesOrders: number; purchaseOrders: number; invoices: number; paid: number; leads: number; opportunities: number }

type Api = (method: string, url: string, body?: unknown) => Promise<any>;

export async function seedDemo(app: FastifyInstance, token: string, opts: DemoOptions): Promise<DemoSummary> {
  const api: Api = async (method, url, body) => {
    const res = await app.inject({ method: method as 'GET', url, payload: body as object, headers: { authorization: `Bearer ${token}` } });
    const json = res.body ? JSON.parse(res.body) : null;
    if (res.statusCode >= 300) throw new Error(`demo: ${method} ${url} → ${res.statusCode} ${res.body.slice(0, 400)}`);
    return json;
  };
  const rnd = random(opts.seed ?? 20261123);
  const until = opts.until ?? new Date().toISOString().slice(0, 10);
  const first = monthStart(addMonths(until, -(opts.months - 1)));

  const existing = await api('GET', `/api/v1/records/item?filter=${q({ code: ITEMS[0].code })}&fields=id`);
  if (existing.total > 0) throw new Error('demo: this company already has the demo data (item HJ-001 exists); it is seeded once');

  const master = await masterData(api, first);
  const summary: DemoSummary = { months: opts.months, customers: master.customers.length, items: ITEMS.length, salesOrders: 0, purchaseOrders: 0, invoices: 0, paid: 0, leads: 0, opportunities: 0 };
  const open: { id: string; customer: string; gross: string; due: string }[] = [];

  for (let m = 0; m < opts.months; m++) {
    const start = addMonths(first, m);
    const end = minDate(addDays(addMonths(start, 1), -1), until);
    const month = Number(start.slice(5, 7));
    const orders = Math.max(1, Math.round(opts.ordersPerMonth * SEASON[month - 1] * (1 + 0.03 * m)));
    // 1. Demand of the month: order lines drawn by item popularity, customers by size.
    const plans = Array.from({ length: orders }, () => ({
      customer: master.customers[pickWeighted(rnd, CUSTOMERS.map((c) => c.weight))],
      date: randomDate(rnd, start, end),
      lines: pickLines(rnd).map((it) => ({ item: it, qty: Math.round((5 + rnd() * 45) * (Number(it.price) > 100 ? 0.2 : 1)) || 1 })),
    })).sort((a, b) => a.date.localeCompare(b.date));
    // 2. Buying first: one order per supplier on the 1st for what the month needs plus a margin, received at once.
    await buyForMonth(api, master, plans, start, rnd);
    summary.purchaseOrders += SUPPLIERS.length;
    // 3. Selling: order → delivery (2–6 days later, inside the month) → invoice the same day.
    for (const plan of plans) {
      const delivered = minDate(addDays(plan.date, 2 + Math.floor(rnd() * 5)), end);
      const promised = addDays(plan.date, rnd() < 0.85 ? 7 : 3); // a few promised too early: the on-time rate is not 100 %
      const inv = await sellOne(api, master, plan, delivered, promised);
      summary.salesOrders++;
      summary.invoices++;
      open.push({ id: inv.id, customer: plan.customer, gross: inv.grand_total, due: addDays(delivered, 30) });
    }
    // 4. Customers pay what fell due this month (most on time, a few late, a few not yet).
    for (const item of [...open]) {
      if (item.due > end) continue;
      if (rnd() < 0.08 && item.due > addMonths(until, -2)) continue; // recent ones left overdue
      const paidOn = minDate(addDays(item.due, Math.floor(rnd() * 10) - 3), end);
      await pay(api, master, 'receive', 'customer', item.customer, 'sales_invoice', item.id, item.gross, paidOn);
      open.splice(open.indexOf(item), 1);
      summary.paid++;
    }
    // 5. CRM: new leads every month; the recent months' opportunities in the pipeline.
    summary.leads += await leadsOfMonth(api, rnd, Math.round(orders * 0.8), m);
    if (m >= opts.months - 3) summary.opportunities += await opportunitiesOfMonth(api, master, rnd, Math.max(2, Math.round(orders / 3)), end);
    opts.onProgress?.(m + 1, opts.months, start.slice(0, 7));
  }
  await api('POST', '/api/v1/dashboards/cockpit'); // the managers' screen (经营驾驶舱), over what was just written
  return summary;
}

interface Master { warehouse: string; bank: string; items: Map<string, string>; customers: string[]; suppliers: string[]; stages: { id: string; name: string; probability: string; required_fields: string | null }[] }

async function masterData(api: Api, first: string): Promise<Master> {
  const warehouse = (await api('POST', '/api/v1/records/warehouse', { code: 'FS01', name: '佛山成品仓' })).id as string;
  const items = new Map<string, string>();
  for (const it of ITEMS) {
    const row = await api('POST', '/api/v1/records/item', { code: it.code, name: it.name, spec: it.spec, category: it.category, standard_price: { amount: it.cost, currency: 'CNY' } });
    items.set(it.code, row.id);
  }
  const customers: string[] = [];
  for (const c of CUSTOMERS) {
    customers.push((await api('POST', '/api/v1/records/customer', { name: c.name, industry: c.industry, tier: c.tier, address: { province: c.province, city: c.city }, source: 'referral' })).id);
  }
  const suppliers: string[] = [];
  for (const s of SUPPLIERS) suppliers.push((await api('POST', '/api/v1/records/supplier', { code: s.code, name: s.name })).id);
  const bank = (await api('GET', `/api/v1/records/gl_account?filter=${q({ code: '1002' })}&fields=id`)).data[0]?.id as string;
  if (!bank) throw new Error('demo: the company has no bank account 1002 (no chart of accounts?)');
  const stages = (await api('GET', '/api/v1/records/crm_stage?pageSize=50&sort=sequence&fields=name,probability,required_fields')).data;
  // Opening stock on the first day, at cost: about a month of demand.
  await submitted(api, 'stock_entry', (await api('POST', '/api/v1/records/stock_entry', {
    entry_type: 'receipt', warehouse, posting_date: first,
    lines: ITEMS.map((it) => ({ item: items.get(it.code), qty: it.weight * 40, rate: it.cost })),
  })).id);
  return { warehouse, bank, items, customers, suppliers, stages };
}

/** What the month's orders need from each supplier (items split by code), ordered on the 1st with a margin and received. */
async function buyForMonth(api: Api, master: Master, plans: { lines: { item: DemoItem; qty: number }[] }[], start: string, rnd: () => number): Promise<void> {
  const need = new Map<string, number>();
  for (const p of plans) for (const l of p.lines) need.set(l.item.code, (need.get(l.item.code) ?? 0) + l.qty);
  for (let s = 0; s < SUPPLIERS.length; s++) {
    const lines = ITEMS.filter((_, i) => i % SUPPLIERS.length === s && need.has(ITEMS[i].code))
      .map((it) => ({ item: master.items.get(it.code), qty: Math.ceil((need.get(it.code) ?? 0) * (1.05 + rnd() * 0.2)), rate: it.cost }));
    if (!lines.length) continue;
    const po = await api('POST', '/api/v1/records/purchase_order', { supplier: master.suppliers[s], warehouse: master.warehouse, order_date: start, schedule_date: start, lines });
    await submitted(api, 'purchase_order', po.id);
    const grn = await api('POST', `/api/v1/buying/purchase_order/${po.id}/purchase_receipt`, { posting_date: start });
    await submitted(api, 'purchase_receipt', grn.id);
    const pinv = await api('POST', `/api/v1/buying/purchase_receipt/${grn.id}/purchase_invoice`, { invoice_no: `${start.replace(/-/g, '').slice(2)}${s}`, bill_date: start });
    const bill = await dated(api, 'purchase_invoice', pinv.id, { posting_date: start });
    await pay(api, master, 'pay', 'supplier', master.suppliers[s], 'purchase_invoice', bill.id, bill.grand_total, start);
  }
}

async function sellOne(api: Api, master: Master, plan: { customer: string; date: string; lines: { item: DemoItem; qty: number }[] }, delivered: string, promised: string) {
  const so = await api('POST', '/api/v1/records/sales_order', {
    customer: plan.customer, warehouse: master.warehouse, order_date: plan.date, delivery_date: promised,
    lines: plan.lines.map((l) => ({ item: master.items.get(l.item.code), qty: l.qty, rate: l.item.price, list_rate: l.item.price })),
  });
  await submitted(api, 'sales_order', so.id);
  const dn = await api('POST', `/api/v1/selling/sales-orders/${so.id}/delivery-note`);
  await dated(api, 'delivery_note', dn.id, { posting_date: delivered });
  const inv = await api('POST', `/api/v1/selling/sales-orders/${so.id}/sales-invoice`);
  return dated(api, 'sales_invoice', inv.id, { posting_date: delivered, invoice_date: delivered });
}

async function pay(api: Api, master: Master, type: 'pay' | 'receive', partyType: string, party: string, againstType: string, againstId: string, amount: string, date: string) {
  const p = await api('POST', '/api/v1/records/payment', {
    payment_type: type, party_type: partyType, party, account: master.bank, amount, posting_date: date,
    allocations: [{ against_type: againstType, against_id: againstId, allocated: amount }],
  });
  await submitted(api, 'payment', p.id);
}

async function leadsOfMonth(api: Api, rnd: () => number, n: number, m: number): Promise<number> {
  for (let i = 0; i < n; i++) {
    const company = LEAD_COMPANIES[(m * 7 + i) % LEAD_COMPANIES.length];
    await api('POST', '/api/v1/records/lead', {
      company: `${company}${m * 100 + i > LEAD_COMPANIES.length ? ` ${m + 1}-${i + 1}` : ''}`, name: LEAD_PEOPLE[Math.floor(rnd() * LEAD_PEOPLE.length)],
      phone: `13${String(Math.floor(rnd() * 1e9)).padStart(9, '0')}`, source: LEAD_SOURCES[Math.floor(rnd() * LEAD_SOURCES.length)],
      address: { province: '44' }, industry: '五金建材',
    });
  }
  return n;
}

async function opportunitiesOfMonth(api: Api, master: Master, rnd: () => number, n: number, end: string): Promise<number> {
  // Open stages whose entry requirements these opportunities meet (no contact person: not 方案报价).
  const given = new Set(['amount', 'expected_close_date', 'decision_maker', 'budget_confirmed']);
  const open = master.stages.filter((s) => Number(s.probability) > 0 && Number(s.probability) < 1 && (s.required_fields ?? '').split(',').filter(Boolean).every((f) => given.has(f.trim())));
  for (let i = 0; i < n; i++) {
    const stage = open[Math.min(open.length - 1, Math.floor(rnd() * open.length))];
    const customer = master.customers[Math.floor(rnd() * master.customers.length)];
    const opp = await api('POST', '/api/v1/records/opportunity', {
      name: `${['门窗五金', '橱柜配件', '酒店改造', '工程集采'][i % 4]} ${end.slice(0, 7)}-${i + 1}`, customer,
      amount: new Decimal(Math.round(5000 + rnd() * 95000)).toFixed(2), expected_close_date: addDays(end, 15 + Math.floor(rnd() * 60)),
      decision_maker: LEAD_PEOPLE[i % LEAD_PEOPLE.length], budget_confirmed: true,
    });
    // New opportunities start in the first stage; some have moved on (the stage is moved, not written).
    if (stage.id !== opp.stage) await api('POST', `/api/v1/crm/opportunities/${opp.id}/move`, { version: opp.version, stage: stage.id });
  }
  return n;
}

// ---------------------------------------------------------------- small helpers

/** Sets dates on a draft (the make-endpoints date it today), then submits it; returns the submitted record. */
async function dated(api: Api, object: string, id: string, values: Record<string, string>) {
  const draft = await api('GET', `/api/v1/records/${object}/${id}?fields=version`);
  const patched = await api('PATCH', `/api/v1/records/${object}/${id}`, { version: draft.version, ...values });
  return api('POST', `/api/v1/records/${object}/${id}/submit`, { version: patched.version });
}

async function submitted(api: Api, object: string, id: string, version?: number) {
  const v = version ?? (await api('GET', `/api/v1/records/${object}/${id}?fields=version`)).version;
  return api('POST', `/api/v1/records/${object}/${id}/submit`, { version: v });
}

function pickLines(rnd: () => number): DemoItem[] {
  const n = 1 + Math.floor(rnd() * 3);
  const chosen = new Set<DemoItem>();
  while (chosen.size < n) chosen.add(ITEMS[pickWeighted(rnd, ITEMS.map((i) => i.weight))]);
  return [...chosen];
}

function pickWeighted(rnd: () => number, weights: number[]): number {
  let x = rnd() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < weights.length; i++) if ((x -= weights[i]) < 0) return i;
  return weights.length - 1;
}

/** mulberry32: a small seeded generator, so a seed gives the same history every time. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const q = (x: unknown) => encodeURIComponent(JSON.stringify(x));
const minDate = (a: string, b: string) => (a < b ? a : b);
const monthStart = (d: string) => `${d.slice(0, 7)}-01`;

function randomDate(rnd: () => number, start: string, end: string): string {
  const days = Math.round((Date.parse(end) - Date.parse(start)) / 86_400_000);
  return addDays(start, Math.floor(rnd() * (days + 1)));
}
