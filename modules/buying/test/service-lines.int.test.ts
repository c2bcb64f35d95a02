import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenantTx, sql } from '@mosaic/db';
import type { TestApp } from '@mosaic/testing';
import { buying, buyingApp, ok } from './buying-fixture.ts';

// Service and non-stock lines on purchase orders: nothing of them is received, they are
// invoiced against what was ordered. Whether a line is one is the item's type when the
// order was submitted, kept on the line: changing the item later leaves placed orders alone.
let t: TestApp;
let b: ReturnType<typeof buying>;
let wh: string;
let supplier: string;

beforeAll(async () => {
  ({ t, b, wh, supplier } = await buyingApp(['SV', '服务仓'], ['S-SVC', '深圳运维服务公司']));
});

afterAll(async () => {
  await t?.close();
});

describe('service lines on purchase orders', () => {
  it('a receipt of an order with only service lines is a 422 saying there is nothing to receive; the invoice marks it received', async () => {
    const upkeep = await b.item('SVC-UPKEEP', '设备年度维保', { item_type: 'service' });
    const po = await b.order(supplier, wh, [{ item: upkeep, qty: 1, rate: 5000 }]);
    expect(po.lines[0].item_type).toBe('service');

    const r = await b.make(`purchase_order/${po.id}/purchase_receipt`);
    expect(r.status, JSON.stringify(r.body)).toBe(422);
    expect(r.body.error).toMatchObject({ code: 'FIELD_INVALID', field: 'purchase_order' });
    expect(r.body.error.message).toContain('nothing to receive');

    const inv = await ok(b.make(`purchase_order/${po.id}/purchase_invoice`, { invoice_no: 'SVC-001' }), 201);
    await ok(b.submit('purchase_invoice', inv.id, inv.version));
    const after = await ok(t.api('GET', `/api/v1/records/purchase_order/${po.id}`));
    expect(after).toMatchObject({ per_received: '1.000000', per_invoiced: '1.000000' });
  });

  it('takes stock or service from the item as it was when ordered, not as it is now', async () => {
    const pump = await b.item('PUMP', '离心泵', { item_type: 'service' });
    const bolt = await b.item('BOLT', '螺栓', {});
    // Ordered while the pump was (wrongly) a service, the bolt a stock item.
    const po = await b.order(supplier, wh, [{ item: pump, qty: 2, rate: 800 }, { item: bolt, qty: 100, rate: 0.5 }]);
    expect(po.lines.map((l: any) => l.item_type)).toEqual(['service', 'stock']);
    // The pump is corrected afterwards.
    const item = await ok(t.api('GET', `/api/v1/records/item/${pump}`));
    await ok(t.api('PATCH', `/api/v1/records/item/${pump}`, { version: item.version, item_type: 'stock' }));

    // The placed order still receives the bolt only, and refuses the pump on a receipt.
    const draft = await ok(b.make(`purchase_order/${po.id}/purchase_receipt`), 201);
    expect(draft.lines.map((l: any) => l.item)).toEqual([bolt]);
    const pumpLine = po.lines[0];
    const sneak = await t.api('POST', '/api/v1/records/purchase_receipt', {
      supplier, purchase_order: po.id, warehouse: wh, lines: [{ item: pump, qty: 1, rate: 800, order_line: pumpLine.id }],
    });
    expect(sneak.status, JSON.stringify(sneak.body)).toBe(201);
    const refused = await b.submit('purchase_receipt', sneak.body.id, sneak.body.version);
    expect(refused.status, JSON.stringify(refused.body)).toBe(422);
    expect(refused.body.error.field).toBe('lines.0.item');
    await ok(b.submit('purchase_receipt', draft.id, draft.version));
    expect((await b.balance(bolt, wh)).on_hand).toBe('100.000000');

    // A new order of the same items follows their new types.
    const po2 = await b.order(supplier, wh, [{ item: pump, qty: 1, rate: 800 }, { item: bolt, qty: 10, rate: 0.5 }]);
    expect(po2.lines.map((l: any) => l.item_type)).toEqual(['stock', 'stock']);
    const draft2 = await ok(b.make(`purchase_order/${po2.id}/purchase_receipt`), 201);
    expect(draft2.lines.map((l: any) => l.item)).toEqual([pump, bolt]);
    // The old order's pump is invoiced as the service it was ordered as, and counts as received then.
    const inv = await ok(b.make(`purchase_order/${po.id}/purchase_invoice`, { invoice_no: 'PUMP-1' }), 201);
    expect(inv.lines.map((l: any) => [l.item, l.qty])).toEqual([[pump, '2.000000'], [bolt, '100.000000']]);
    await ok(b.submit('purchase_invoice', inv.id, inv.version));
    expect(await ok(t.api('GET', `/api/v1/records/purchase_order/${po.id}`))).toMatchObject({ per_received: '1.000000', per_invoiced: '1.000000' });
  });

  it('the line type is the module\'s own: a client cannot set or change it', async () => {
    const filter = await b.item('FILTER', '滤芯', {});
    const po = await ok(t.api('POST', '/api/v1/records/purchase_order', { supplier, warehouse: wh, lines: [{ item: filter, qty: 1, rate: 10, item_type: 'service' }] }), 201);
    expect(po.lines[0].item_type).toBeNull();
    const changed = await t.api('PATCH', `/api/v1/records/purchase_order/${po.id}`, { version: po.version, lines: [{ id: po.lines[0].id, item: filter, qty: 1, rate: 10, item_type: 'service' }] });
    expect(changed.status, JSON.stringify(changed.body)).toBe(403);
    const submitted = await ok(b.submit('purchase_order', po.id, po.version));
    expect(submitted.lines[0].item_type).toBe('stock');
    // The stamp is in the order's history like any change of its lines.
    const history = await inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, async (tx) =>
      (await sql<{ changes: any }>`SELECT changes FROM audit_log WHERE record_id = ${po.id} AND kind = 'record.update' AND changes ? 'lines'`.execute(tx)).rows);
    expect(history.map((h) => h.changes.lines)).toEqual([[null, [{ id: po.lines[0].id, item_type: 'stock' }]]]);
  });
});
