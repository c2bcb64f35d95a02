import { ADMIN, type Cluster } from './cluster.ts';
import { Client, Metrics } from './client.ts';

/** The SME of the day: a company, its catalogue with stock, customers owned by the reps, the staff in default roles. */
export interface World {
  companyId: string;
  warehouse: string;
  items: { id: string; rate: number }[];
  bankAccount: string;
  dashboardId: string;
  priceList: string | null;
  users: { role: Persona; token: string; customers: string[] }[];
}
export type Persona = 'rep' | 'warehouse' | 'finance' | 'manager' | 'misc';

/** Persona → built-in role code (packages/access default roles) and head count of the 50. */
export const STAFF: { persona: Persona; role: string; count: number }[] = [
  { persona: 'rep', role: 'sales_rep', count: 25 },
  { persona: 'warehouse', role: 'warehouse_keeper', count: 8 },
  { persona: 'finance', role: 'accountant', count: 7 },
  { persona: 'manager', role: 'general_manager', count: 5 },
  { persona: 'misc', role: 'sales_manager', count: 5 },
];

const ITEMS = Number(process.env.DAY_ITEMS ?? 300);
const CUSTOMERS_PER_REP = Number(process.env.DAY_CUSTOMERS_PER_REP ?? 20);
const PASSWORD = 'Day-Staff-Password-2026';
export const ORDER_RULE = '新订单通知负责人';

export async function login(cluster: Cluster, email: string, password: string): Promise<string> {
  const res = await fetch(`${cluster.apis[0].base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  const body = await res.json();
  if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${JSON.stringify(body)}`);
  return body.token;
}

export async function seed(cluster: Cluster, scale: number): Promise<World> {
  const admin = new Client(cluster, new Metrics(), await login(cluster, ADMIN.email, ADMIN.password), 0);
  const call = admin.callOnce;
  const companyId = (await call('GET', '/api/v1/admin/companies')).data[0].id as string;
  const departmentId = (await call('GET', '/api/v1/admin/departments')).data[0]?.id as string | undefined;
  const roles = (await call('GET', '/api/v1/admin/roles')).data as { id: string; code: string }[];

  const warehouse = (await call('POST', '/api/v1/records/warehouse', { code: 'MAIN', name: '总仓' })).id as string;
  const itemRows = Array.from({ length: ITEMS }, (_, i) => ({ code: `P${String(i).padStart(5, '0')}`, name: `${['螺栓', '轴承', '阀门', '电机', '传感器', '电缆'][i % 6]} ${i} 型` }));
  const items: World['items'] = [];
  for (let i = 0; i < itemRows.length; i += 100) {
    const created = (await call('POST', '/api/v1/records/item/bulk', { records: itemRows.slice(i, i + 100) })).data as { id: string }[];
    created.forEach((c, k) => items.push({ id: c.id, rate: 20 + ((i + k) % 50) * 3 }));
  }
  // Plenty of stock: the day must not fail on shortages (that is a business answer, not an error).
  const receipt = await call('POST', '/api/v1/records/stock_entry', { entry_type: 'receipt', warehouse, lines: items.map((it) => ({ item: it.id, qty: 1_000_000, rate: it.rate / 2 })) });
  await call('POST', `/api/v1/records/stock_entry/${receipt.id}/submit`, { version: receipt.version });
  let priceList: string | null = null;
  try {
    priceList = (await call('POST', '/api/v1/records/price_list', { name: '标准价', list_type: 'selling', prices: items.map((it) => ({ item: it.id, rate: it.rate })) })).id;
  } catch (e) {
    console.warn(`price list not seeded: ${(e as Error).message}`);
  }
  const bankAccount = (await call('GET', `/api/v1/records/gl_account?filter=${encodeURIComponent(JSON.stringify({ code: '1002' }))}`)).data[0].id as string;

  const users: World['users'] = [];
  for (const s of STAFF) {
    const roleId = roles.find((r) => r.code === s.role)?.id;
    if (!roleId) throw new Error(`no default role ${s.role}`);
    const count = Math.max(1, Math.round(s.count * scale));
    for (let i = 0; i < count; i++) {
      const email = `${s.persona}${i}@day.bench`;
      await call('POST', '/api/v1/admin/users', { email, name: `${s.persona} ${i}`, password: PASSWORD, roleIds: [roleId], companyId, departmentId: departmentId ?? null });
      users.push({ role: s.persona, token: await login(cluster, email, PASSWORD), customers: [] });
    }
  }
  // Each rep owns their book of customers (sales reps see their own).
  for (const [n, u] of users.filter((x) => x.role === 'rep').entries()) {
    const rep = new Client(cluster, new Metrics(), u.token, 0);
    const rows = Array.from({ length: CUSTOMERS_PER_REP }, (_, i) => ({ name: `${['华强', '东方', '长城', '金桥', '新世纪'][i % 5]}${n}-${i} 有限公司`, phone: `0755-8${String(n * 100 + i).padStart(7, '0')}` }));
    u.customers = ((await rep.callOnce('POST', '/api/v1/records/customer/bulk', { records: rows })).data as { id: string }[]).map((c) => c.id);
  }
  const managerRole = roles.find((r) => r.code === 'general_manager')!.id;
  const dashboardId = (await call('POST', '/api/v1/dashboards', {
    name: '经营驾驶舱', shared: true, defaultRoleIds: [managerRole],
    widgets: [
      { id: 'orders', chart: 'kpi', layout: { x: 0, y: 0, w: 6, h: 4 }, definition: { source: 'sales_order', measures: [{ name: 'orders', fn: 'count' }, { name: 'revenue', fn: 'sum', field: 'net_total' }] } },
      { id: 'by_month', chart: 'line', layout: { x: 6, y: 0, w: 6, h: 4 }, definition: { source: 'sales_order', rows: [{ field: 'order_date', bucket: 'month' }], measures: [{ name: 'revenue', fn: 'sum', field: 'net_total' }] } },
      { id: 'top_customers', chart: 'bar', layout: { x: 0, y: 4, w: 6, h: 4 }, definition: { source: 'sales_order', rows: [{ field: 'customer' }], measures: [{ name: 'revenue', fn: 'sum', field: 'net_total' }], sort: [{ by: 'revenue', desc: true }], limit: 10 } },
      { id: 'invoiced', chart: 'kpi', layout: { x: 6, y: 4, w: 6, h: 4 }, definition: { source: 'sales_invoice', measures: [{ name: 'invoiced', fn: 'sum', field: 'grand_total' }] } },
    ],
  })).id as string;
  // The worker's share of the day: every new sales order tells its owner (a rule through the outbox,
  // the job queue and an action). The fault run kills the worker too; verify checks each order got
  // exactly one such notification — none lost, none doubled.
  await call('POST', '/api/v1/automation/rules', {
    name: ORDER_RULE, object: 'sales_order', trigger: { type: 'created' },
    actions: [{ type: 'notify', users: ['$owner'], title: '新订单 {{number}}' }],
  });
  return { companyId, warehouse, items, bankAccount, dashboardId, priceList, users };
}
