import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@mosaic/testing';

// 折扣审批 on a real PostgreSQL: a sales order discounted beyond the limit (an
// approval flow on sales_order, entry condition max_discount > 0.1) is
// submitted and reserves its stock, but waits: no delivery or invoice until
// approved; a rejection returns it to draft and releases the reservation.
// Within the limit the order takes effect at once.
let t: TestApp;
let wh: string;
let customer: string;
let item: string;

const ok = async (p: Promise<{ status: number; body: any }>, status = 200) => {
  const r = await p;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r.body;
};
const submit = (object: string, id: string, version: number) => t.api('POST', `/api/v1/records/${object}/${id}/submit`, { version });
const balance = async () => (await t.api('GET', `/api/v1/records/stock_balance?filter=${encodeURIComponent(JSON.stringify({ item, warehouse: wh }))}`)).body.data[0];
const pendingTask = async (recordId: string) => {
  const inbox = await ok(t.api('GET', '/api/v1/approvals/inbox?box=pending&pageSize=200'));
  return inbox.data.find((x: any) => x.recordId === recordId)?.task.id as string | undefined;
};

beforeAll(async () => {
  t = await createTestApp();
  wh = (await ok(t.api('POST', '/api/v1/records/warehouse', { code: 'FG', name: '成品仓' }), 201)).id;
  customer = (await ok(t.api('POST', '/api/v1/records/customer', { name: '苏州工业园区贸易有限公司' }), 201)).id;
  item = (await ok(t.api('POST', '/api/v1/records/item', { code: 'PUMP', name: '离心泵' }), 201)).id;
  const receipt = await ok(t.api('POST', '/api/v1/records/stock_entry', { entry_type: 'receipt', warehouse: wh, lines: [{ item, qty: 10, rate: 600 }] }), 201);
  await ok(submit('stock_entry', receipt.id, receipt.version));
  await ok(t.api('POST', '/api/v1/records/price_list', { name: '标准价', list_type: 'selling', prices: [{ item, rate: 1000 }] }), 201);
  const flow = await ok(t.api('POST', '/api/v1/approval-flows', {
    object: 'sales_order', name: '销售折扣审批 (> 10%)',
    definition: {
      entryCondition: 'max_discount > 0.1',
      nodes: [{ id: 'start', type: 'start' }, { id: 'mgr', type: 'approval', label: '销售经理', approvers: { kind: 'users', userIds: [t.tenant.adminId] } }, { id: 'end', type: 'end' }],
      edges: [{ source: 'start', target: 'mgr' }, { source: 'mgr', target: 'end' }],
    },
  }), 201);
  await ok(t.api('POST', `/api/v1/approval-flows/${flow.id}/activate`));
});

afterAll(async () => {
  await t?.close();
});

describe('sales order discount approval', () => {
  it('prices a discount off the price list and keeps the list price on the line', async () => {
    const so = await ok(t.api('POST', '/api/v1/selling/sales-orders', { customer, warehouse: wh, lines: [{ item, qty: 1, discount: '0.05' }] }), 201);
    expect(so.lines[0]).toMatchObject({ list_rate: '1000.000000', rate: '950.000000' });
    expect(Number(so.lines[0].discount)).toBe(0.05);
    expect(Number(so.max_discount)).toBe(0.05);
    // A rate typed below the list price is a discount too (the generic records API).
    const typed = await ok(t.api('POST', '/api/v1/records/sales_order', { customer, warehouse: wh, lines: [{ item, qty: 1, list_rate: '1000', rate: '700' }, { item, qty: 1, rate: '1000' }] }), 201);
    expect(Number(typed.max_discount)).toBe(0.3);
    expect(Number(typed.lines[1].discount)).toBe(0);
  });

  it('prices a discount the same through the records API, in bulk, and on an update\'s new line', async () => {
    const r = await ok(t.api('POST', '/api/v1/records/sales_order', { customer, warehouse: wh, lines: [{ item, qty: 1, discount: '0.05' }, { item, qty: 1, list_rate: '800', discount: '0.25' }] }), 201);
    expect(r.lines.map((l: any) => [l.list_rate, l.rate, Number(l.discount)])).toEqual([['1000.000000', '950.000000', 0.05], ['800.000000', '600.000000', 0.25]]);
    const bulk = await t.api('POST', '/api/v1/records/sales_order/bulk', { records: [{ customer, warehouse: wh, lines: [{ item, qty: 1, discount: '0.1' }] }, { customer, warehouse: wh, lines: [{ item, qty: 1, discount: '2' }] }] });
    expect([bulk.status, bulk.body.error?.field], JSON.stringify(bulk.body)).toEqual([422, '1.lines.0.discount']);
    const updated = await ok(t.api('PATCH', `/api/v1/records/sales_order/${r.id}`, { version: r.version, lines: [{ id: r.lines[0].id }, { item, qty: 2, discount: '0.2' }] }));
    expect(updated.lines.map((l: any) => [l.list_rate, l.rate])).toEqual([['1000.000000', '950.000000'], ['1000.000000', '800.000000']]);
  });

  it('a bad order date on the priced-order route is a 422 naming order_date, not a 500', async () => {
    for (const order_date of ['2026-02-30', 'tomorrow', 20260101]) {
      const r = await t.api('POST', '/api/v1/selling/sales-orders', { customer, warehouse: wh, order_date, lines: [{ item, qty: 1, discount: '0.05' }] });
      expect([r.status, r.body.error?.code, r.body.error?.field], JSON.stringify(r.body)).toEqual([422, 'FIELD_INVALID', 'order_date']);
    }
  });

  it('refuses a discount that is not a fraction below 1, naming the line', async () => {
    const r = await t.api('POST', '/api/v1/selling/sales-orders', { customer, warehouse: wh, lines: [{ item, qty: 1, discount: '15' }] });
    expect(r.status).toBe(422);
    expect(r.body.error).toMatchObject({ code: 'FIELD_INVALID', field: 'lines.0.discount' });
    const both = await t.api('POST', '/api/v1/selling/sales-orders', { customer, warehouse: wh, lines: [{ item, qty: 1, rate: '900', discount: '0.1' }] });
    expect(both.body.error).toMatchObject({ code: 'FIELD_INVALID', field: 'lines.0.discount' });
  });

  it('an order over the discount limit reserves but waits; rejected it is a draft holding nothing; approved it ships', async () => {
    const so = await ok(t.api('POST', '/api/v1/selling/sales-orders', { customer, warehouse: wh, lines: [{ item, qty: 4, discount: '0.2' }] }), 201);
    expect(so).toMatchObject({ net_total: '3200.00', grand_total: '3616.00' });
    expect(await ok(submit('sales_order', so.id, so.version))).toMatchObject({ status: 'submitted', $awaitingApproval: true });
    expect(await balance()).toMatchObject({ on_hand: '10.000000', reserved: '4.000000' });

    // Nothing moves against it while the flow runs: neither the one-click delivery nor a hand-made one.
    const make = await t.api('POST', `/api/v1/selling/sales-orders/${so.id}/delivery-note`);
    expect(make.status).toBe(409);
    expect(make.body.error).toMatchObject({ code: 'CONFLICT', field: 'sales_order' });
    expect(make.body.error.message).toContain('waiting for its discount approval');
    const dn = await ok(t.api('POST', '/api/v1/records/delivery_note', { customer, sales_order: so.id, warehouse: wh, lines: [{ item, qty: 1 }] }), 201);
    expect((await submit('delivery_note', dn.id, dn.version)).status).toBe(409);
    const inv = await ok(t.api('POST', '/api/v1/records/sales_invoice', { customer, sales_order: so.id, lines: [{ item, qty: 1, rate: 800 }] }), 201);
    expect((await submit('sales_invoice', inv.id, inv.version)).status).toBe(409);
    expect(await balance()).toMatchObject({ on_hand: '10.000000', reserved: '4.000000' });

    // Rejected: back to draft, the reservation released.
    await ok(t.api('POST', `/api/v1/approvals/tasks/${await pendingTask(so.id)}/reject`, { comment: '折扣太大' }));
    const rejected = await ok(t.api('GET', `/api/v1/records/sales_order/${so.id}`));
    expect(rejected.status).toBe('draft');
    expect(await balance()).toMatchObject({ reserved: '0.000000' });

    // Submitted again and approved: it reserves once more and can be delivered.
    expect(await ok(submit('sales_order', so.id, rejected.version))).toMatchObject({ $awaitingApproval: true });
    expect(await balance()).toMatchObject({ reserved: '4.000000' });
    await ok(t.api('POST', `/api/v1/approvals/tasks/${await pendingTask(so.id)}/approve`, { comment: '同意' }));
    expect((await ok(t.api('GET', `/api/v1/records/sales_order/${so.id}`))).status).toBe('approved');
    const delivery = await ok(t.api('POST', `/api/v1/selling/sales-orders/${so.id}/delivery-note`), 201);
    await ok(submit('delivery_note', delivery.id, delivery.version));
    expect(await balance()).toMatchObject({ on_hand: '6.000000', reserved: '0.000000' });
  });

  it('an order within the limit takes effect at once', async () => {
    const so = await ok(t.api('POST', '/api/v1/selling/sales-orders', { customer, warehouse: wh, lines: [{ item, qty: 1, discount: '0.1' }] }), 201);
    const s = await ok(submit('sales_order', so.id, so.version));
    expect(s.$awaitingApproval).toBeUndefined();
    const delivery = await ok(t.api('POST', `/api/v1/selling/sales-orders/${so.id}/delivery-note`), 201);
    await ok(submit('delivery_note', delivery.id, delivery.version));
    expect(await pendingTask(so.id)).toBeUndefined();
  });
});
