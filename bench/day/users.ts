import type { Cluster } from './cluster.ts';
import { Client, type Ack, type Metrics } from './client.ts';
import type { Persona, World } from './seed.ts';

/**
 * The simulated staff. Each user loops: think, then one screen's worth of work,
 * until the day ends. Documents flow between them as in the office: reps submit
 * orders, the warehouse ships them, finance invoices what shipped and books the
 * customer's payment. The hand-over queues stand in for the "to do" lists each
 * of them also opens (and which are requested too, as reads).
 */
interface Order { id: string; customer: string; lines: { item: string; qty: number; rate: number }[] }
interface Invoice { id: string; customer: string; total: string }
export interface Queues { toShip: Order[]; toInvoice: Order[]; toPay: Invoice[] }

const THINK_MS = Number(process.env.DAY_THINK_MS ?? 3000);
const pick = <T>(a: T[]): T => a[Math.floor(Math.random() * a.length)];
const chance = (p: number) => Math.random() < p;
const q = (filter: unknown) => encodeURIComponent(JSON.stringify(filter));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const today = () => new Date().toISOString().slice(0, 10);

type Screen = (c: Client, w: World, queues: Queues, me: World['users'][number]) => Promise<void>;

const rep: Screen = async (c, w, _queues, me) => {
  const queues = _queues;
  const r = Math.random();
  if (r < 0.3) {
    await c.op('customer.search', (call) => call('GET', `/api/v1/records/customer?filter=${q({ name: { contains: pick(['华强', '东方', '长城', '金桥', '新世纪']) } })}&pageSize=20&sort=name`));
  } else if (r < 0.45) {
    await c.op('customer.open', (call) => call('GET', `/api/v1/records/customer/${pick(me.customers)}`));
  } else if (r < 0.55) {
    const id = pick(me.customers);
    const phone = `138${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    await c.op('customer.update', async (call) => {
      const cur = await call('GET', `/api/v1/records/customer/${id}`);
      return call('PATCH', `/api/v1/records/customer/${id}`, { version: cur.version, phone });
    });
  } else if (r < 0.7) {
    const item = pick(w.items);
    await c.op('item.search', (call) => call('GET', `/api/v1/records/item?filter=${q({ name: { contains: `${Math.floor(Math.random() * 30)}` } })}&pageSize=20`));
    await c.op('stock.check', (call) => call('GET', `/api/v1/records/stock_balance?filter=${q({ item: item.id, warehouse: w.warehouse })}`));
  } else if (r < 0.82) {
    const lines = Array.from({ length: 1 + Math.floor(Math.random() * 4) }, () => pick(w.items)).map((it) => ({ item: it.id, qty: 1 + Math.floor(Math.random() * 20), list_price: it.rate }));
    await c.create('quote.create', 'quote', { customer: pick(me.customers), warehouse: w.warehouse, lines });
  } else {
    const items = [...new Set(Array.from({ length: 1 + Math.floor(Math.random() * 4) }, () => pick(w.items)))];
    const lines = items.map((it) => ({ item: it.id, qty: 1 + Math.floor(Math.random() * 10), rate: it.rate }));
    const customer = pick(me.customers);
    const so = await c.create('order.create', 'sales_order', { customer, warehouse: w.warehouse, ...(w.priceList ? { price_list: w.priceList } : {}), lines });
    if (!so) return;
    if (await c.submit('order.submit', 'sales_order', so.id, so.version)) queues.toShip.push({ id: so.id, customer, lines });
  }
};

const warehouse: Screen = async (c, w, queues) => {
  await c.op('orders.toShip', (call) => call('GET', `/api/v1/records/sales_order?filter=${q({ status: 'submitted' })}&pageSize=20&sort=-number`));
  const order = queues.toShip.shift();
  if (!order) {
    await c.op('stock.list', (call) => call('GET', `/api/v1/records/stock_balance?filter=${q({ warehouse: w.warehouse })}&pageSize=50&sort=-on_hand`));
    return;
  }
  const dn = await c.create('delivery.create', 'delivery_note', { customer: order.customer, sales_order: order.id, warehouse: w.warehouse, lines: order.lines.map(({ item, qty }) => ({ item, qty })) });
  if (!dn) return;
  if (await c.submit('delivery.submit', 'delivery_note', dn.id, dn.version)) queues.toInvoice.push(order);
};

const finance: Screen = async (c, w, queues) => {
  const r = Math.random();
  const invoiceable = queues.toInvoice.length > 0 && (r < 0.4 || queues.toPay.length === 0);
  if (invoiceable) {
    const order = queues.toInvoice.shift()!;
    const si = await c.create('invoice.create', 'sales_invoice', { customer: order.customer, sales_order: order.id, lines: order.lines });
    if (!si) return;
    if (await c.submit('invoice.submit', 'sales_invoice', si.id, si.version)) queues.toPay.push({ id: si.id, customer: order.customer, total: si.grand_total });
  } else if (r < 0.75 && queues.toPay.length) {
    const inv = queues.toPay.shift()!;
    const p = await c.create('payment.create', 'payment', {
      payment_type: 'receive', party_type: 'customer', party: inv.customer, account: w.bankAccount, amount: inv.total,
      allocations: [{ against_type: 'sales_invoice', against_id: inv.id, allocated: inv.total }],
    });
    if (p) await c.submit('payment.submit', 'payment', p.id, p.version);
  } else if (chance(0.5)) {
    await c.op('receivables.open', (call) => call('GET', `/api/v1/finance/open-items?party_type=customer&company=${w.companyId}`));
  } else {
    await c.op('receivables.aging', (call) => call('GET', `/api/v1/finance/aging?party_type=customer&as_of=${today()}&company=${w.companyId}`));
  }
};

const manager: Screen = async (c, w) => {
  const r = Math.random();
  if (r < 0.5) await c.op('dashboard.open', (call) => call('GET', `/api/v1/dashboards/${w.dashboardId}/data`));
  else if (r < 0.75) await c.op('orders.byCustomer', (call) => call('GET', `/api/v1/records/sales_order/aggregate?groupBy=customer&measures=sum:net_total,count`));
  else await c.op('receivables.aging', (call) => call('GET', `/api/v1/finance/aging?party_type=customer&as_of=${today()}&company=${w.companyId}`));
};

const misc: Screen = async (c) => {
  const r = Math.random();
  if (r < 0.3) await c.op('list.customers', (call) => call('GET', `/api/v1/records/customer?page=${1 + Math.floor(Math.random() * 5)}&pageSize=50&sort=name`));
  else if (r < 0.6) await c.op('list.orders', (call) => call('GET', `/api/v1/records/sales_order?pageSize=50&sort=-number`));
  else if (r < 0.8) await c.op('list.invoices', (call) => call('GET', `/api/v1/records/sales_invoice?pageSize=50&sort=-number`));
  else await c.op('export.customers', (call) => call('GET', '/api/v1/export/customer?format=csv'));
};

const SCREENS: Record<Persona, Screen> = { rep, warehouse, finance, manager, misc };

/** Runs every user until `ms` has passed; returns once the last one finished its screen. */
export async function runDay(cluster: Cluster, world: World, metrics: Metrics, acks: Ack[], ms: number): Promise<Queues> {
  const queues: Queues = { toShip: [], toInvoice: [], toPay: [] };
  const end = performance.now() + ms;
  await Promise.all(world.users.map(async (u, i) => {
    const client = new Client(cluster, metrics, u.token, i, acks);
    await sleep(Math.random() * THINK_MS); // the staff do not all click at the same instant
    while (performance.now() < end) {
      await SCREENS[u.role](client, world, queues, u);
      await sleep(THINK_MS * (0.5 + Math.random()));
    }
  }));
  return queues;
}
