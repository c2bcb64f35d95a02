import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '@mosaic/db';
import { addDays, todayIn } from '@mosaic/kernel';
import { stockModule } from '@mosaic/stock';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { ok, q } from './chain-world.ts';

// The pieces the chain test needed, each on its own: backorders, on-time
// delivery, follow-up documents owned by the order's rep, live stock on a
// quote, the cockpit installed through the API.
let t: TestApp;
let wh: string;
let customer: string;
const tokens: Record<string, string> = {};
const as = (who: string) => (method: string, url: string, body?: unknown) => t.api(method, url, body, who === 'admin' ? {} : { token: tokens[who] });

beforeAll(async () => {
  t = await createTestApp();
  const roles = (await ok(t.api('GET', '/api/v1/admin/roles'))).data as { id: string; code: string }[];
  for (const [who, role] of [['rep', 'sales_rep'], ['rep2', 'sales_rep'], ['keeper', 'warehouse_keeper']]) {
    const email = `${who}-${t.tenant.tenantId.slice(0, 8)}@test.local`;
    await ok(t.api('POST', '/api/v1/admin/users', { email, name: who, password: 'Pieces-Pw-2026', roleIds: [roles.find((r) => r.code === role)!.id], companyId: t.tenant.companyId }), 201);
    tokens[who] = (await ok(t.api('POST', '/api/v1/auth/login', { email, password: 'Pieces-Pw-2026' }, { token: null }))).token;
  }
  wh = (await ok(t.api('POST', '/api/v1/records/warehouse', { code: 'W1', name: '一号仓' }), 201)).id;
  customer = (await ok(as('rep')('POST', '/api/v1/records/customer', { name: '件测客户' }), 201)).id;
}, 120_000);

afterAll(async () => {
  await t?.close();
});

const item = async (code: string, stock: number) => {
  const id = (await ok(t.api('POST', '/api/v1/records/item', { code, name: `物料${code}` }), 201)).id;
  if (stock) {
    const e = await ok(t.api('POST', '/api/v1/records/stock_entry', { entry_type: 'receipt', warehouse: wh, lines: [{ item: id, qty: stock, rate: 10 }] }), 201);
    await ok(t.api('POST', `/api/v1/records/stock_entry/${e.id}/submit`, { version: 1 }));
  }
  return id as string;
};
const order = async (who: string, values: Record<string, unknown>) => ok(as(who)('POST', '/api/v1/records/sales_order', { customer, warehouse: wh, ...values }), 201);
const submit = (who: string, object: string, doc: { id: string; version: number }) => as(who)('POST', `/api/v1/records/${object}/${doc.id}/submit`, { version: doc.version });
const balance = async (it: string) => (await ok(t.api('GET', `/api/v1/records/stock_balance?filter=${q({ item: it, warehouse: wh })}`))).data[0];

describe('stock rows belong to their warehouse\'s company', () => {
  it('so company-scoped roles see them; rows posted before the trigger are given theirs at install', async () => {
    const x = await item('CO-1', 3);
    expect((await ok(as('keeper')('GET', `/api/v1/records/stock_ledger_entry?filter=${q({ item: x })}`))).total).toBe(1);
    expect((await ok(as('keeper')('GET', `/api/v1/records/stock_balance?filter=${q({ item: x })}`))).total).toBe(1);
    // A posting from before the trigger existed (simulated: trigger off): the keeper does not see it…
    const objects = await t.store.objects(t.tenant.tenantId);
    const tables = ['stock_ledger_entry', 'stock_balance'].map((o) => objects.get(o)!.tableName);
    const triggers = (on: boolean) => t.testDb.db.owner.transaction().execute(async (tx) => {
      for (const table of tables) await sql`ALTER TABLE ${sql.id(table)} ${sql.raw(on ? 'ENABLE' : 'DISABLE')} TRIGGER ${sql.id(`${table}_company`)}`.execute(tx);
    });
    await triggers(false);
    const old = await item('CO-OLD', 2);
    await triggers(true);
    expect((await ok(as('keeper')('GET', `/api/v1/records/stock_balance?filter=${q({ item: old })}`))).total).toBe(0);
    // …until the module's install runs again (every start does): then it does, ledger and balance.
    await stockModule.afterInstall!(t.testDb.db, t.store, t.tenant.tenantId);
    expect((await ok(as('keeper')('GET', `/api/v1/records/stock_balance?filter=${q({ item: old })}`))).total).toBe(1);
    expect((await ok(as('keeper')('GET', `/api/v1/records/stock_ledger_entry?filter=${q({ item: old })}`))).total).toBe(1);
    // The guards are back: the ledger stays append-only.
    const entry = (await ok(t.api('GET', `/api/v1/records/stock_ledger_entry?filter=${q({ item: old })}`))).data[0];
    expect((await t.api('PATCH', `/api/v1/records/stock_ledger_entry/${entry.id}`, { version: entry.version, qty: 99 })).status).not.toBe(200);
  });
});

describe('backorders', () => {
  it('reserve beyond stock only when the order allows it; the promised goods are then not available to the next order', async () => {
    const x = await item('BO-1', 5);
    const plain = await order('rep', { lines: [{ item: x, qty: 8, rate: 20 }] });
    const refused = await submit('rep', 'sales_order', plain);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'STOCK_SHORTAGE', field: 'lines' });
    const back = await order('rep', { allow_backorder: true, lines: [{ item: x, qty: 8, rate: 20 }] });
    expect((await submit('rep', 'sales_order', back)).status).toBe(200);
    expect(await balance(x)).toMatchObject({ on_hand: '5.000000', reserved: '8.000000' });
    expect((await ok(t.api('GET', `/api/v1/stock/atp?item=${x}&qty=1&warehouse=${wh}`))).shortBy).toBe('1');
    // No reorder level on this item: the shortfall itself is the purchase suggestion, for the item's owner.
    const sug = async () => (await ok(t.api('GET', `/api/v1/records/replenishment_suggestion?filter=${q({ item: x })}`))).data;
    expect((await sug()).map((s: any) => [s.state, s.suggested_qty, s.owner_id])).toEqual([['open', '3.000000', t.tenant.adminId]]);
    const more = await order('rep', { allow_backorder: true, lines: [{ item: x, qty: 2, rate: 20 }] });
    expect((await submit('rep', 'sales_order', more)).status).toBe(200);
    expect((await sug()).map((s: any) => [s.state, s.suggested_qty])).toEqual([['open', '5.000000']]); // one suggestion, both shortfalls
    const moreNow = await ok(t.api('GET', `/api/v1/records/sales_order/${more.id}`));
    await ok(t.api('POST', `/api/v1/records/sales_order/${more.id}/cancel`, { version: moreNow.version, reason: '改单' }));
    const next = await order('rep', { lines: [{ item: x, qty: 1, rate: 20 }] });
    expect((await submit('rep', 'sales_order', next)).body.error.code).toBe('STOCK_SHORTAGE');
    // Cancelling the backorder gives back everything it promised.
    const current = await ok(t.api('GET', `/api/v1/records/sales_order/${back.id}`));
    await ok(t.api('POST', `/api/v1/records/sales_order/${back.id}/cancel`, { version: current.version, reason: '客户取消' }));
    expect(await balance(x)).toMatchObject({ on_hand: '5.000000', reserved: '0.000000' });
    expect((await sug()).map((s: any) => s.state)).toEqual(['cleared']); // nothing promised beyond stock any more
  });
});

describe('deliveries against an order', () => {
  it('record whether they shipped by the delivery date, and belong to the order\'s rep', async () => {
    const x = await item('OT-1', 10);
    const late = await order('rep', { delivery_date: '2026-01-05', lines: [{ item: x, qty: 2, rate: 20 }] });
    const early = await order('rep', { delivery_date: '2099-12-31', lines: [{ item: x, qty: 2, rate: 20 }] });
    for (const so of [late, early]) expect((await submit('rep', 'sales_order', so)).status).toBe(200);
    const ship = async (so: string) => {
      const dn = await ok(as('keeper')('POST', `/api/v1/selling/sales-orders/${so}/delivery-note`), 201);
      return ok(submit('keeper', 'delivery_note', dn));
    };
    const dnLate = await ship(late.id);
    const dnEarly = await ship(early.id);
    expect([dnLate.on_time, dnEarly.on_time]).toEqual([false, true]);
    // Shipped by the keeper, followed by the rep: the rep's own-scope read sees them, another rep does not.
    expect(dnLate.owner_id).toBe(late.owner_id);
    expect((await as('rep')('GET', `/api/v1/records/delivery_note/${dnLate.id}`)).status).toBe(200);
    expect((await as('rep2')('GET', `/api/v1/records/delivery_note/${dnLate.id}`)).status).toBe(404);
    // A delivery without an order keeps its creator and records nothing about timing.
    const loose = await ok(as('keeper')('POST', '/api/v1/records/delivery_note', { customer, warehouse: wh, lines: [{ item: x, qty: 1 }] }), 201);
    const done = await ok(submit('keeper', 'delivery_note', loose));
    expect(done.on_time).toBeNull();
    expect((await as('rep')('GET', `/api/v1/records/delivery_note/${loose.id}`)).status).toBe(404);
    // Nobody sets it by hand.
    const draft = await ok(as('keeper')('POST', '/api/v1/records/delivery_note', { customer, warehouse: wh, lines: [{ item: x, qty: 1 }] }), 201);
    const r = await as('keeper')('PATCH', `/api/v1/records/delivery_note/${draft.id}`, { version: draft.version, on_time: true });
    expect(r.status).toBe(422);
    expect(r.body.error).toMatchObject({ code: 'FIELD_READ_ONLY', field: 'on_time' });
  });
});

describe('live stock on a quote', () => {
  it('shows each product line\'s available stock and, when short, the incoming order that covers it', async () => {
    const x = await item('QA-1', 4);
    const supplier = (await ok(t.api('POST', '/api/v1/records/supplier', { code: 'S-QA', name: '报价测试供应商' }), 201)).id;
    const quote = await ok(as('rep')('POST', '/api/v1/records/quote', {
      customer, warehouse: wh, lines: [{ item: x, qty: 3, list_price: '50' }, { item: x, qty: 10, list_price: '50' }, { description: '安装', qty: 1, list_price: '100' }],
    }), 201);
    let a = await ok(as('rep')('GET', `/api/v1/crm/quotes/${quote.id}/availability`));
    expect(a.lines.map((l: any) => [l.qty, l.available, l.shortBy, l.canShipOn === null])).toEqual([['3', '4', '0', false], ['10', '4', '6', true]]);
    // A month ahead of today where the tenant is: a fixed date would pass into the past and the test with it.
    const due = addDays(todayIn('Asia/Shanghai'), 30);
    const po = await ok(t.api('POST', '/api/v1/records/purchase_order', { supplier, warehouse: wh, schedule_date: due, lines: [{ item: x, qty: 6, rate: 10 }] }), 201);
    await ok(t.api('POST', `/api/v1/records/purchase_order/${po.id}/submit`, { version: po.version }));
    a = await ok(as('rep')('GET', `/api/v1/crm/quotes/${quote.id}/availability`));
    expect(a.lines[1]).toMatchObject({ shortBy: '0', canShipOn: due });
    expect(a.lines[1].incoming.map((i: any) => i.id)).toEqual([po.id]);
    // Someone else's quote is not there for another rep.
    expect((await as('rep2')('GET', `/api/v1/crm/quotes/${quote.id}/availability`)).status).toBe(404);
  });
});

describe('the cockpit', () => {
  it('is installed by an administrator through the API, once, with the ledger and delivery widgets', async () => {
    expect((await as('rep')('POST', '/api/v1/dashboards/cockpit')).status).toBe(403);
    const a = await ok(t.api('POST', '/api/v1/dashboards/cockpit'));
    const b = await ok(t.api('POST', '/api/v1/dashboards/cockpit'));
    expect(b.id).toBe(a.id);
    expect(a.widgets.map((w: any) => w.id)).toEqual(expect.arrayContaining(['gross_profit_month', 'receivables_open', 'on_time_delivery']));
    const data = await ok(t.api('GET', `/api/v1/dashboards/${a.id}/data`));
    const onTime = data.widgets.find((w: any) => w.id === 'on_time_delivery');
    // From the deliveries above: one of two order deliveries on time this month.
    expect(onTime.result.rows[0]).toMatchObject({ deliveries: 2, on_time: 1 });
    expect(Number(onTime.result.rows[0].rate)).toBe(0.5);
  });
});
