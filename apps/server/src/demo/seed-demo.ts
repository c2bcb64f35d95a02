import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Decimal, addDays, addMonths, clock, todayIn } from '@mosaic/kernel';
import { CUSTOMERS, EMPLOYEES, ITEMS, LEAD_COMPANIES, LEAD_PEOPLE, LEAD_SOURCES, MADE, SEASON, SUPPLIERS, type DemoItem } from './demo-catalogue.ts';
import { dated, journaledApi, minDate, monthStart, pickWeighted, q, random, randomDate, submitted, type Api, type DemoApi } from './demo-api.ts';
import { bookAccounts, monthEndBooks, paidInCapital, payInCapital, type BookAccounts } from './demo-books.ts';
import { crmMaster, opportunitiesOfMonth, quarterOf, repApis, salesTargets, type CrmMaster, type RepApis } from './demo-crm.ts';
import { openJournal, type DemoJournal } from './demo-journal.ts';
import { peopleMaster, peopleOfMonth, type People } from './demo-people.ts';
import { planMaterials, produce, productionBom, productionMaster, partsFor, type Production } from './demo-production.ts';
import { projectsMaster, projectsOfMonth, type ProjectsMaster } from './demo-projects.ts';
import { serviceMaster, ticketsOfMonth } from './demo-service.ts';

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
 *
 * Besides trading: the door lock set is made in house (BOM, work orders, job
 * cards, finished goods into stock), customers open service tickets, staff
 * book timesheets and expenses on two projects, take leave and clock in.
 * The sales reps (users of their own, demo-crm.ts) open opportunities every
 * month, win and lose the older ones and have this quarter's targets; the
 * fit-out project's tasks progress and its milestones are billed; the history
 * ends with a master schedule and an MRP run (demo-production.ts).
 *
 * Resumable per month (demo-journal.ts): the run, its master data and a
 * snapshot after every finished month are kept; a seed started again on the
 * same tenant goes on after the last finished month with the run's own
 * options, replaying the half-done month's calls from their stored replies.
 */
export interface DemoOptions {
  months: number;
  ordersPerMonth: number;
  /** The last day of the history (default today); tests pin it. */
  until?: string;
  seed?: number;
  onProgress?: (done: number, total: number, what: string) => void;
}

export interface DemoSummary {
  months: number; customers: number; items: number; salesOrders: number; purchaseOrders: number; invoices: number; paid: number; leads: number; opportunities: number;
  opportunitiesWon: number; opportunitiesLost: number; wonAmount: Record<string, string>; salesTargets: number; projectInvoices: number; mrpSuggestions: number;
  workOrders: number; produced: number; scrapped: number;
  tickets: number; ticketsClosed: number; ticketsOpen: number;
  employees: number; leaveRequests: number; leaveDays: number; attendanceDays: number; late: number;
  timesheets: number; projectHours: string; projectLabour: Record<string, string>; projectExpense: Record<string, string>;
  /** True when this call went on from an interrupted run. */
  resumed?: boolean;
}

/** The run as first started: a resumed seed uses these options, not its caller's. */
interface Run { id: string; months: number; ordersPerMonth: number; until: string; seed: number; done?: boolean }
/** What a month hands to the next. */
interface MonthState { rng: number; open: OpenInvoice[]; summary: DemoSummary }
interface OpenInvoice { id: string; customer: string; gross: string; due: string }

export async function seedDemo(app: FastifyInstance, token: string, opts: DemoOptions): Promise<DemoSummary> {
  const me = await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${token}` } });
  if (me.statusCode !== 200) throw new Error(`demo: the token is not accepted (${me.statusCode})`);
  const { id: userId, tenantId, timeZone } = JSON.parse(me.body).user as { id: string; tenantId: string; timeZone: string };
  const journal = openJournal(app.mosaic.db, tenantId, userId);
  // Up to the company's today (its time zone, the kernel's clock): at 07:00 in Shanghai the UTC date is yesterday.
  const run = await startOrResume(app, token, journal, opts, opts.until ?? todayIn(timeZone, clock.now()));
  const d = journaledApi(app, token, journal, run.id);
  const first = monthStart(addMonths(run.until, -(run.months - 1)));
  const master = await once(journal, d, 'master', () => masterData(d.api, first, run));
  const crm = await once(journal, d, 'crm', () => crmMaster(d.api));
  const reps = await repApis(app, token, journal, run.id, crm);
  try {
    return await history({ d, journal, master, crm, reps, run, opts, timeZone });
  } finally {
    await reps.close();
  }
}

/** The months of the history, then what closes it (targets, MRP, the SLA check, the cockpit). */
async function history(at: { d: DemoApi; journal: DemoJournal; master: Master; crm: CrmMaster; reps: RepApis; run: Run; opts: DemoOptions; timeZone: string }): Promise<DemoSummary> {
  const { d, journal, master, reps, run, opts } = at;
  const first = monthStart(addMonths(run.until, -(run.months - 1)));

  let state: MonthState = { rng: run.seed, open: [], summary: emptySummary(run, master) };
  let resumed = false;
  for (let m = 0; m < run.months; m++) {
    const start = addMonths(first, m);
    const label = start.slice(0, 7);
    const done = await journal.get<MonthState>(`month:${label}`);
    if (done) {
      state = done;
      resumed = true;
      continue;
    }
    d.scope(label);
    state = await monthOfHistory(d, master, state, { m, start, end: minDate(addDays(addMonths(start, 1), -1), run.until), run, reps });
    d.scope(null);
    await journal.put(`month:${label}`, state);
    await journal.forget(`step:${label}:`);
    opts.onProgress?.(m + 1, run.months, label);
  }
  // The reps' targets for the quarter their wins count in (the server's today), and the planner's MRP run.
  const finish = await once(journal, d, 'finish', async () => ({
    targets: await salesTargets(d.api, at.crm, state.summary.wonAmount, quarterOf(todayIn(at.timeZone, clock.now())), state.rng),
    mrp: await planMaterials(d, {
      made: master.items[MADE.item], perMonth: Math.ceil(state.summary.produced / Math.max(1, state.summary.workOrders)),
      traded: ITEMS.filter((it) => it.code !== MADE.item).map((it) => master.items[it.code]),
    }, run.until),
  }));
  state.summary.salesTargets = finish.targets;
  state.summary.mrpSuggestions = finish.mrp.suggestions;
  await d.api('POST', '/api/v1/crm/sla/check'); // the open tickets' SLA clocks: the scheduled check marks the late ones breached
  await d.api('POST', '/api/v1/dashboards/cockpit'); // the managers' screen (经营驾驶舱), over what was just written
  await journal.put('run', { ...run, done: true });
  return { ...state.summary, ...(resumed ? { resumed } : {}) };
}

/** A new run (refused when the company already has the demo items), or the unfinished one to go on with. */
async function startOrResume(app: FastifyInstance, token: string, journal: DemoJournal, opts: DemoOptions, until: string): Promise<Run> {
  const seeded = 'demo: this company already has the demo data (item HJ-001 exists); it is seeded once';
  const earlier = await journal.get<Run>('run');
  if (earlier?.done) throw new Error(seeded);
  if (earlier) return earlier;
  const res = await app.inject({ method: 'GET', url: `/api/v1/records/item?filter=${q({ code: ITEMS[0].code })}&fields=id`, headers: { authorization: `Bearer ${token}` } });
  if (JSON.parse(res.body).total > 0) throw new Error(seeded);
  const run: Run = { id: randomBytes(6).toString('hex'), months: opts.months, ordersPerMonth: opts.ordersPerMonth, until, seed: opts.seed ?? 20261123 };
  await journal.put('run', run);
  return run;
}

/** Runs `work` once in a journal scope and keeps its result under `key`; later runs read it back. */
async function once<T>(journal: DemoJournal, d: DemoApi, key: string, work: () => Promise<T>): Promise<T> {
  const kept = await journal.get<T>(key);
  if (kept !== undefined) return kept;
  d.scope(key);
  const value = await work();
  d.scope(null);
  await journal.put(key, value);
  await journal.forget(`step:${key}:`);
  return value;
}

function emptySummary(run: Run, master: Master): DemoSummary {
  return {
    months: run.months, customers: master.customers.length, items: ITEMS.length, salesOrders: 0, purchaseOrders: 0, invoices: 0, paid: 0, leads: 0, opportunities: 0,
    opportunitiesWon: 0, opportunitiesLost: 0, wonAmount: {}, salesTargets: 0, projectInvoices: 0, mrpSuggestions: 0,
    workOrders: 0, produced: 0, scrapped: 0, tickets: 0, ticketsClosed: 0, ticketsOpen: 0,
    employees: EMPLOYEES.length, leaveRequests: 0, leaveDays: 0, attendanceDays: 0, late: 0,
    timesheets: 0, projectHours: '0.00', projectLabour: {}, projectExpense: {},
  };
}

/** One month of the company's life, in date order; returns what the next month needs. */
async function monthOfHistory(d: DemoApi, master: Master, before: MonthState, at: { m: number; start: string; end: string; run: Run; reps: RepApis }): Promise<MonthState> {
  const { api } = d;
  const { m, start, end, run } = at;
  const rnd = random(before.rng);
  const summary: DemoSummary = {
    ...before.summary, projectLabour: { ...before.summary.projectLabour }, projectExpense: { ...before.summary.projectExpense }, wonAmount: { ...before.summary.wonAmount },
  };
  const open = [...before.open];
  const month = Number(start.slice(5, 7));
  const orders = Math.max(1, Math.round(run.ordersPerMonth * SEASON[month - 1] * (1 + 0.03 * m)));
  // 1. Demand of the month: order lines drawn by item popularity, customers by size.
  const plans = Array.from({ length: orders }, () => ({
    customer: master.customers[pickWeighted(rnd, CUSTOMERS.map((c) => c.weight))],
    date: randomDate(rnd, start, end),
    lines: pickLines(rnd).map((it) => ({ item: it, qty: Math.round((5 + rnd() * 45) * (Number(it.price) > 100 ? 0.2 : 1)) || 1 })),
  })).sort((a, b) => a.date.localeCompare(b.date));
  // 2. Buying first: one order per supplier on the 1st for what the month needs plus a margin, received at once;
  //    the lock sets are made, so their parts are bought instead — and assembled on the 1st and 2nd.
  const need = new Map<string, number>();
  for (const p of plans) for (const l of p.lines) need.set(l.item.code, (need.get(l.item.code) ?? 0) + l.qty);
  const make = need.has(MADE.item) ? Math.ceil(need.get(MADE.item)! * 1.1) + 2 : 0;
  need.delete(MADE.item);
  summary.purchaseOrders += await buyForMonth(api, master, need, partsFor(make), start, rnd);
  if (make > 0) {
    const made = await produce(d, master.items[MADE.item], master.warehouse, make, start, end, rnd);
    summary.workOrders += made.workOrders;
    summary.produced += made.produced;
    summary.scrapped += made.scrapped;
  }
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
    if (rnd() < 0.08 && item.due > addMonths(run.until, -2)) continue; // recent ones left overdue
    const paidOn = minDate(addDays(item.due, Math.floor(rnd() * 10) - 3), end);
    await pay(api, master, 'receive', 'customer', item.customer, 'sales_invoice', item.id, item.gross, paidOn);
    open.splice(open.indexOf(item), 1);
    summary.paid++;
  }
  // 5. CRM: new leads every month; the reps' opportunities, the older ones won or lost; service tickets.
  summary.leads += await leadsOfMonth(api, rnd, Math.round(orders * 0.8), m);
  const deals = await opportunitiesOfMonth(at.reps, start.slice(0, 7), master.customers, master.stages, rnd, Math.max(3, Math.round(orders / 3)), end, run.until);
  summary.opportunities += deals.opportunities;
  summary.opportunitiesWon += deals.won;
  summary.opportunitiesLost += deals.lost;
  for (const [no, v] of Object.entries(deals.wonAmount)) summary.wonAmount[no] = new Decimal(summary.wonAmount[no] ?? 0).plus(v).toFixed(2);
  const tickets = await ticketsOfMonth(api, master.customers, rnd, Math.max(1, Math.round(orders / 5)), start.slice(0, 7), m === run.months - 1);
  summary.tickets += tickets.tickets;
  summary.ticketsClosed += tickets.closed;
  summary.ticketsOpen += tickets.open;
  // 6. People: leave and the time clock; projects: timesheets and expenses.
  const people = await peopleOfMonth(d, master.people, rnd, start, end);
  summary.leaveRequests += people.leaveRequests;
  summary.leaveDays += people.leaveDays;
  summary.attendanceDays += people.attendanceDays;
  summary.late += people.late;
  const work = await projectsOfMonth(d, master.projects, master.people.employees, rnd, start, end, m / run.months);
  summary.timesheets += work.timesheets;
  summary.projectHours = work.hours.plus(summary.projectHours).toFixed(2);
  for (const [code, v] of Object.entries(work.labour)) summary.projectLabour[code] = new Decimal(summary.projectLabour[code] ?? 0).plus(v).toFixed(2);
  for (const [code, v] of Object.entries(work.expense)) summary.projectExpense[code] = new Decimal(summary.projectExpense[code] ?? 0).plus(v).toFixed(2);
  // Milestone invoices are receivables like the rest: paid in a later month, 30 days on.
  for (const inv of work.billed) open.push({ id: inv.id, customer: inv.customer, gross: inv.gross, due: addDays(inv.posted, 30) });
  summary.invoices += work.billed.length;
  summary.projectInvoices += work.billed.length;
  // 7. The month end: production wages paid, the workshop's rent and power booked (demo-books.ts).
  await monthEndBooks(api, master.accounts, end, run.seed);
  return { rng: rnd.state(), open, summary };
}

/** The master data, as kept in the journal (plain JSON). */
interface Master {
  warehouse: string; bank: string; accounts: BookAccounts; items: Record<string, string>; customers: string[]; suppliers: string[]; stages: { id: string; name: string; probability: string; required_fields: string | null }[];
  production: Production; people: People; projects: ProjectsMaster;
}

async function masterData(api: Api, first: string, run: Run): Promise<Master> {
  // The company starts with its owners' money in the bank.
  const accounts = await bookAccounts(api);
  await payInCapital(api, accounts, first, paidInCapital(run.ordersPerMonth));
  const warehouse = (await api('POST', '/api/v1/records/warehouse', { code: 'FS01', name: '佛山成品仓' })).id as string;
  const items: Record<string, string> = {};
  for (const it of ITEMS) {
    items[it.code] = (await api('POST', '/api/v1/records/item', { code: it.code, name: it.name, spec: it.spec, category: it.category, standard_price: { amount: it.cost, currency: 'CNY' } })).id;
  }
  const customers: string[] = [];
  for (const c of CUSTOMERS) {
    customers.push((await api('POST', '/api/v1/records/customer', { name: c.name, industry: c.industry, tier: c.tier, address: { province: c.province, city: c.city }, source: 'referral' })).id);
  }
  const suppliers: string[] = [];
  for (const s of SUPPLIERS) suppliers.push((await api('POST', '/api/v1/records/supplier', { code: s.code, name: s.name })).id);
  const stages = (await api('GET', '/api/v1/records/crm_stage?pageSize=50&sort=sequence&fields=name,probability,required_fields')).data;
  // Opening stock on the first day, at cost: about a month of demand — brought in by the owners
  // (期初入库 against 实收资本), not found in a count.
  const opening = await api('POST', '/api/v1/records/stock_entry', {
    entry_type: 'receipt', warehouse, posting_date: first, offset_account: '3001',
    lines: ITEMS.map((it) => ({ item: items[it.code], qty: it.weight * 40, rate: it.cost })),
  });
  await submitted(api, 'stock_entry', opening.id, opening.version);
  const production = await productionBom(api, await productionMaster(api), items[MADE.item]);
  await serviceMaster(api);
  const people = await peopleMaster(api);
  const projects = await projectsMaster(api, customers, people.employees, first, run.until);
  return { warehouse, bank: accounts.bank, accounts, items, customers, suppliers, stages, production, people, projects };
}

/**
 * What the month needs from each supplier (items split by code; the lock set's
 * parts from its parts supplier), ordered on the 1st with a margin, received,
 * invoiced and paid. Returns how many purchase orders it placed.
 */
async function buyForMonth(api: Api, master: Master, need: Map<string, number>, parts: Map<string, number>, start: string, rnd: () => number): Promise<number> {
  let orders = 0;
  for (let s = 0; s < SUPPLIERS.length; s++) {
    const lines = ITEMS.filter((it, i) => i % SUPPLIERS.length === s && need.has(it.code))
      .map((it) => ({ item: master.items[it.code], qty: Math.ceil((need.get(it.code) ?? 0) * (1.05 + rnd() * 0.2)), rate: it.cost }));
    if (s === MADE.supplier) {
      for (const p of MADE.parts) if (parts.get(p.code)) lines.push({ item: master.production.parts[p.code], qty: Math.ceil(parts.get(p.code)! * 1.05), rate: p.cost });
    }
    if (!lines.length) continue;
    const po = await api('POST', '/api/v1/records/purchase_order', { supplier: master.suppliers[s], warehouse: master.warehouse, order_date: start, schedule_date: start, lines });
    await submitted(api, 'purchase_order', po.id, po.version);
    const grn = await api('POST', `/api/v1/buying/purchase_order/${po.id}/purchase_receipt`, { posting_date: start });
    await submitted(api, 'purchase_receipt', grn.id, grn.version);
    const pinv = await api('POST', `/api/v1/buying/purchase_receipt/${grn.id}/purchase_invoice`, { invoice_no: `${start.replace(/-/g, '').slice(2)}${s}`, bill_date: start });
    const bill = await dated(api, 'purchase_invoice', pinv.id, { posting_date: start });
    await pay(api, master, 'pay', 'supplier', master.suppliers[s], 'purchase_invoice', bill.id, bill.grand_total, start);
    orders++;
  }
  return orders;
}

async function sellOne(api: Api, master: Master, plan: { customer: string; date: string; lines: { item: DemoItem; qty: number }[] }, delivered: string, promised: string) {
  const so = await api('POST', '/api/v1/records/sales_order', {
    customer: plan.customer, warehouse: master.warehouse, order_date: plan.date, delivery_date: promised,
    lines: plan.lines.map((l) => ({ item: master.items[l.item.code], qty: l.qty, rate: l.item.price, list_rate: l.item.price })),
  });
  await submitted(api, 'sales_order', so.id, so.version);
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
  await submitted(api, 'payment', p.id, p.version);
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

function pickLines(rnd: () => number): DemoItem[] {
  const n = 1 + Math.floor(rnd() * 3);
  const chosen = new Set<DemoItem>();
  while (chosen.size < n) chosen.add(ITEMS[pickWeighted(rnd, ITEMS.map((i) => i.weight))]);
  return [...chosen];
}
