import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@mosaic/testing';

// 跟单 to the end of the chain: the rep who owns an order owns what follows it —
// the delivery and invoice (typed by the warehouse and finance), the return of
// that delivery, and the customer's payment of the invoice — so the sales_rep
// role, which reads these with the `own` scope, sees them, and another rep does not.
let t: TestApp;
let wh: string;
let bank: string;
const tokens: Record<string, string> = {};
const as = (who: string) => (method: string, url: string, body?: unknown) => t.api(method, url, body, who === 'admin' ? {} : { token: tokens[who] });

async function ok(p: Promise<{ status: number; body: any }>, status = 200) {
  const r = await p;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r.body;
}

beforeAll(async () => {
  t = await createTestApp();
  const roles = (await ok(t.api('GET', '/api/v1/admin/roles'))).data as { id: string; code: string }[];
  for (const [who, role] of [['rep', 'sales_rep'], ['rep2', 'sales_rep'], ['keeper', 'warehouse_keeper']]) {
    const email = `${who}-${t.tenant.tenantId.slice(0, 8)}@test.local`;
    await ok(t.api('POST', '/api/v1/admin/users', { email, name: who, password: 'Owner-Pw-2026', roleIds: [roles.find((r) => r.code === role)!.id], companyId: t.tenant.companyId }), 201);
    tokens[who] = (await ok(t.api('POST', '/api/v1/auth/login', { email, password: 'Owner-Pw-2026' }, { token: null }))).token;
  }
  wh = (await ok(t.api('POST', '/api/v1/records/warehouse', { code: 'OW', name: '跟单仓' }), 201)).id;
  const accounts = (await ok(t.api('GET', '/api/v1/records/gl_account?pageSize=200&fields=code'))).data as { id: string; code: string }[];
  bank = accounts.find((a) => a.code === '1002')!.id;
}, 120_000);

afterAll(async () => {
  await t?.close();
});

const submit = async (who: string, object: string, doc: { id: string; version: number }) => ok(as(who)('POST', `/api/v1/records/${object}/${doc.id}/submit`, { version: doc.version }));
const seen = async (who: string, object: string, id: string) => (await as(who)('GET', `/api/v1/records/${object}/${id}`)).status;

describe('documents that follow an order belong to the order\'s rep', () => {
  it('a return of its delivery and a payment of its invoice, typed by others, are the rep\'s; a loose advance follows the customer\'s rep', async () => {
    const customer = (await ok(as('rep')('POST', '/api/v1/records/customer', { name: '跟单测试客户' }), 201)).id;
    const item = (await ok(t.api('POST', '/api/v1/records/item', { code: 'OWN-1', name: '跟单商品' }), 201)).id;
    const receipt = await ok(t.api('POST', '/api/v1/records/stock_entry', { entry_type: 'receipt', warehouse: wh, lines: [{ item, qty: 10, rate: 5 }] }), 201);
    await submit('admin', 'stock_entry', receipt);
    const so = await ok(as('rep')('POST', '/api/v1/records/sales_order', { customer, warehouse: wh, lines: [{ item, qty: 4, rate: 20 }] }), 201);
    await submit('rep', 'sales_order', so);
    const dn = await ok(as('keeper')('POST', '/api/v1/records/delivery_note', { customer, sales_order: so.id, warehouse: wh, lines: [{ item, qty: 4 }] }), 201);
    await submit('keeper', 'delivery_note', dn);
    const si = await ok(t.api('POST', '/api/v1/records/sales_invoice', { customer, sales_order: so.id, lines: [{ item, qty: 4, rate: 20 }] }), 201);
    const invoice = await submit('admin', 'sales_invoice', si);

    // The keeper takes one back; the return is the rep's, not the keeper's.
    const sr = await ok(as('keeper')('POST', '/api/v1/records/sales_return', { customer, delivery_note: dn.id, warehouse: wh, lines: [{ item, qty: 1, rate: 20 }] }), 201);
    expect(sr.owner_id).not.toBe(so.owner_id); // a draft is its creator's
    const returned = await submit('keeper', 'sales_return', sr);
    expect(returned.owner_id).toBe(so.owner_id);
    expect(await seen('rep', 'sales_return', sr.id)).toBe(200);
    expect(await seen('rep2', 'sales_return', sr.id)).toBe(404);

    // Finance (admin) records the customer's payment of the invoice: the rep's too.
    const pay = await ok(t.api('POST', '/api/v1/records/payment', {
      payment_type: 'receive', party_type: 'customer', party: customer, posting_date: invoice.posting_date, account: bank, amount: '50.00',
      allocations: [{ against_type: 'sales_invoice', against_id: si.id, allocated: '50.00' }],
    }), 201);
    const paid = await submit('admin', 'payment', pay);
    expect(paid.owner_id).toBe(so.owner_id);
    expect(await seen('rep', 'payment', pay.id)).toBe(200);
    expect(await seen('rep2', 'payment', pay.id)).toBe(404);

    // An advance with no invoice follows the customer's owner (the rep who created the customer).
    const advance = await ok(t.api('POST', '/api/v1/records/payment', {
      payment_type: 'receive', party_type: 'customer', party: customer, posting_date: invoice.posting_date, account: bank, amount: '10.00',
    }), 201);
    expect((await submit('admin', 'payment', advance)).owner_id).toBe(so.owner_id);
    expect(await seen('rep', 'payment', advance.id)).toBe(200);
    expect(await seen('rep2', 'payment', advance.id)).toBe(404);
  });

  it('a return of a delivery made without an order keeps the delivery\'s owner, not the rep\'s', async () => {
    const customer = (await ok(as('rep')('POST', '/api/v1/records/customer', { name: '无订单客户' }), 201)).id;
    const item = (await ok(t.api('POST', '/api/v1/records/item', { code: 'OWN-2', name: '散货' }), 201)).id;
    const receipt = await ok(t.api('POST', '/api/v1/records/stock_entry', { entry_type: 'receipt', warehouse: wh, lines: [{ item, qty: 5, rate: 5 }] }), 201);
    await submit('admin', 'stock_entry', receipt);
    const dn = await ok(as('keeper')('POST', '/api/v1/records/delivery_note', { customer, warehouse: wh, lines: [{ item, qty: 2 }] }), 201);
    await submit('keeper', 'delivery_note', dn);
    const sr = await ok(t.api('POST', '/api/v1/records/sales_return', { customer, delivery_note: dn.id, warehouse: wh, lines: [{ item, qty: 1 }] }), 201);
    expect((await submit('admin', 'sales_return', sr)).owner_id).toBe(dn.owner_id);
    expect(await seen('rep', 'sales_return', sr.id)).toBe(404);
  });
});

describe('the price a customer would get', () => {
  it('is told only to a caller who may read that customer: another rep gets the 404 the records API gives', async () => {
    const customer = (await ok(as('rep')('POST', '/api/v1/records/customer', { name: '专价测试客户' }), 201)).id;
    const item = (await ok(t.api('POST', '/api/v1/records/item', { code: 'OWN-P', name: '专价商品' }), 201)).id;
    await ok(t.api('POST', '/api/v1/records/price_list', { name: '专价', list_type: 'selling', customer, prices: [{ item, rate: 77 }] }), 201);
    const url = `/api/v1/selling/price?item=${item}&customer=${customer}`;
    expect((await ok(as('rep')('GET', url))).rate).toBe('77');
    const other = await as('rep2')('GET', url);
    expect([other.status, other.body.error?.code], JSON.stringify(other.body)).toEqual([404, 'RECORD_NOT_FOUND']);
    expect(other.body.rate).toBeUndefined();
    expect((await as('rep2')('GET', `/api/v1/records/customer/${customer}`)).status).toBe(404);
    // a bad date is a 422 naming it, not a 500
    const bad = await as('rep')('GET', `${url}&date=2026-02-30`);
    expect([bad.status, bad.body.error?.field]).toEqual([422, 'date']);
  });
});
