import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { buying, ok, q } from './buying-fixture.ts';

// 供应商门户: a supplier's user holds the supplier's portal role (record scopes
// filtered on supplier = that supplier) and sees its own sent RFQs and orders
// only — through list, get, count, filter, aggregate and export alike — answers
// its RFQs, confirms its orders with a date and posts shipping updates, and can
// do none of it for another supplier.
let t: TestApp;
let b: ReturnType<typeof buying>;
let acme: string;
let rival: string;
let token: string;
let mine: any[];
let theirs: any;
let draftOfMine: any;
let rfqMine: any;
let rfqTheirs: any;

const PASSWORD = 'Supplier-Portal-Pw-2026';
const as = (method: string, url: string, body?: unknown) => t.api(method, url, body, { token });

beforeAll(async () => {
  t = await createTestApp();
  b = buying(t);
  const wh = (await ok(t.api('POST', '/api/v1/records/warehouse', { code: 'P1', name: '配件仓' }), 201)).id;
  acme = await b.supplier('S-ACME', '常州精密模具有限公司');
  rival = await b.supplier('S-RIVAL', '无锡竞品模具厂');
  const item = await b.item('MOLD', '注塑模具');

  const role = await ok(b.make(`supplier/${acme}/portal_role`));
  expect(role.code).toMatch(/^supplier_portal_[0-9a-f]{20}$/);
  expect((await ok(b.make(`supplier/${acme}/portal_role`))).role_id).toBe(role.role_id); // once per supplier
  const email = `acme-${t.tenant.tenantId.slice(0, 8)}@supplier.test`;
  await ok(t.api('POST', '/api/v1/admin/users', {
    email, name: '常州精密 王经理', password: PASSWORD, roleIds: [role.role_id], departmentId: t.tenant.departmentId, companyId: t.tenant.companyId,
  }), 201);
  token = (await ok(t.api('POST', '/api/v1/auth/login', { email, password: PASSWORD }, { token: null }))).token;

  mine = [await b.order(acme, wh, [{ item, qty: 2, rate: '5000' }]), await b.order(acme, wh, [{ item, qty: 1, rate: '7000' }])];
  theirs = await b.order(rival, wh, [{ item, qty: 3, rate: '4000' }]);
  draftOfMine = await ok(t.api('POST', '/api/v1/records/purchase_order', { supplier: acme, warehouse: wh, lines: [{ item, qty: 9, rate: '1' }] }), 201);
  const pr = await ok(t.api('POST', '/api/v1/records/purchase_requisition', { warehouse: wh, lines: [{ item, qty: 4 }] }), 201);
  await ok(b.submit('purchase_requisition', pr.id));
  [rfqMine, rfqTheirs] = (await ok(b.make(`purchase_requisition/${pr.id}/rfqs`, { suppliers: [acme, rival] }), 201)).data;
  for (const r of [rfqMine, rfqTheirs]) await ok(b.submit('rfq', r.id));
});

afterAll(async () => {
  await t?.close();
});

describe('supplier portal', () => {
  it('sees only its own sent purchase orders: list, get, count, filter, aggregate, export', async () => {
    const list = await ok(as('GET', '/api/v1/records/purchase_order?sort=number'));
    expect(list.total).toBe(2);
    expect(list.data.map((p: any) => p.id).sort()).toEqual(mine.map((p) => p.id).sort());
    expect((await as('GET', `/api/v1/records/purchase_order/${theirs.id}`)).status).toBe(404);
    expect((await as('GET', `/api/v1/records/purchase_order/${draftOfMine.id}`)).status).toBe(404); // not sent yet
    expect((await ok(as('GET', `/api/v1/records/purchase_order?filter=${q({ supplier: rival })}`))).total).toBe(0);
    expect((await ok(as('GET', `/api/v1/records/purchase_order?filter=${q({ number: theirs.number })}`))).total).toBe(0);
    const count = await ok(as('GET', '/api/v1/records/purchase_order/aggregate?measures=count'));
    expect(count.data[0].count).toBe(2);
    const sum = await ok(as('GET', `/api/v1/records/purchase_order/aggregate?measures=count&filter=${q({ supplier: rival })}`));
    expect(sum.data[0].count).toBe(0);
    const csv = await as('GET', '/api/v1/export/purchase_order?format=csv');
    expect(csv.status).toBe(200);
    const text = String(csv.body);
    for (const p of mine) expect(text).toContain(p.number);
    expect(text).not.toContain(theirs.number);
    expect(text).not.toContain(draftOfMine.number ?? '∅');
    // The admin sees all four, so the scope is what hides them.
    expect((await ok(t.api('GET', '/api/v1/records/purchase_order'))).total).toBe(4);
  });

  it('sees its own supplier record and RFQs only, and answers its RFQ (not the rival\'s)', async () => {
    expect((await ok(as('GET', '/api/v1/records/supplier'))).data.map((s: any) => s.id)).toEqual([acme]);
    expect((await ok(as('GET', '/api/v1/records/rfq'))).data.map((r: any) => r.id)).toEqual([rfqMine.id]);
    expect((await as('GET', `/api/v1/records/rfq/${rfqTheirs.id}`)).status).toBe(404);
    expect((await as('POST', `/api/v1/buying/rfq/${rfqTheirs.id}/supplier_quotation`, { lines: [{ rate: 1 }] })).status).toBe(404);

    const bad = await as('POST', `/api/v1/buying/rfq/${rfqMine.id}/supplier_quotation`, { lines: [{ rate: 'cheap' }] });
    expect(bad.status).toBe(422);
    expect(bad.body.error.field).toBe('lines.0.rate');
    const sq = await ok(as('POST', `/api/v1/buying/rfq/${rfqMine.id}/supplier_quotation`, { lines: [{ rate: '4800', lead_time_days: 25 }], valid_till: '2026-12-31' }), 201);
    expect(sq).toMatchObject({ supplier: acme, rfq: rfqMine.id, status: 'submitted', net_total: '19200.00' });
    expect((await ok(as('GET', '/api/v1/records/supplier_quotation'))).data.map((s: any) => s.id)).toEqual([sq.id]);
    // No direct write rights: quotations are made through the answer action only.
    expect((await as('POST', '/api/v1/records/supplier_quotation', { supplier: rival, lines: [] })).status).toBe(404);
  });

  it('confirms its own order with a date and posts shipping updates; cannot touch the rival\'s or edit the order', async () => {
    const bad = await as('POST', `/api/v1/buying/purchase_order/${mine[0].id}/confirm`, { confirmed_date: '12/20' });
    expect(bad.body.error).toMatchObject({ code: 'FIELD_INVALID', field: 'confirmed_date' });
    const confirmed = await ok(as('POST', `/api/v1/buying/purchase_order/${mine[0].id}/confirm`, { confirmed_date: '2026-12-20' }));
    expect(confirmed.confirmed_date).toBe('2026-12-20');
    expect((await as('POST', `/api/v1/buying/purchase_order/${theirs.id}/confirm`, { confirmed_date: '2026-12-20' })).status).toBe(404);
    expect((await ok(t.api('GET', `/api/v1/records/purchase_order/${theirs.id}`))).confirmed_date).toBeNull();
    expect([403, 404]).toContain((await as('PATCH', `/api/v1/records/purchase_order/${mine[0].id}`, { version: confirmed.version, confirmed_date: '2027-01-01' })).status);

    const update = await ok(as('POST', `/api/v1/buying/purchase_order/${mine[0].id}/shipping_updates`, {
      shipping_status: 'shipped', carrier: '顺丰速运', tracking_no: 'SF1234567890', expected_date: '2026-12-18',
    }), 201);
    expect(update).toMatchObject({ purchase_order: mine[0].id, supplier: acme, shipping_status: 'shipped', tracking_no: 'SF1234567890' });
    expect((await ok(t.api('GET', `/api/v1/records/purchase_order/${mine[0].id}`))).shipping_status).toBe('shipped');
    const badStatus = await as('POST', `/api/v1/buying/purchase_order/${mine[0].id}/shipping_updates`, { shipping_status: 'teleported' });
    expect(badStatus.status).toBe(422);
    expect(badStatus.body.error.field).toBe('shipping_status');
    expect((await as('POST', `/api/v1/buying/purchase_order/${theirs.id}/shipping_updates`, { shipping_status: 'shipped' })).status).toBe(404);

    await ok(t.api('POST', `/api/v1/buying/purchase_order/${theirs.id}/shipping_updates`, { shipping_status: 'delayed', note: '原料短缺' }), 201);
    const updates = await ok(as('GET', '/api/v1/records/shipping_update'));
    expect(updates.data.map((u: any) => u.id)).toEqual([update.id]);
  });
});
