import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenantTx, sql } from '@mosaic/db';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { q, roleWith, userWith } from './access-helpers.ts';

// Field rules: a hidden field is in no answer and can be no oracle — filtering,
// sorting, grouping, measuring, selecting or exporting it is refused (400) on
// every read path, through links too; a read-only or hidden field is not written.
let t: TestApp;
let viewer: { id: string; token: string };
let customerId: string;
let phoneBlind: { id: string; token: string };

beforeAll(async () => {
  t = await createTestApp();
  const role = await roleWith(t, 'cust_viewer', [
    { object: 'customer', action: 'read', scope: 'all' }, { object: 'customer', action: 'create' }, { object: 'customer', action: 'edit', scope: 'all' },
    { object: 'customer', action: 'export', scope: 'all' }, { object: 'sales_order', action: 'read', scope: 'all' },
  ], [{ object: 'customer', field: 'credit_limit', rule: 'hidden' }, { object: 'customer', field: 'phone', rule: 'read_only' }]);
  viewer = await userWith(t, [role], { name: 'viewer' });
  const noPhones = await roleWith(t, 'cust_no_phone', [{ object: 'customer', action: 'read', scope: 'all' }], [{ object: 'customer', field: 'phone', rule: 'hidden' }]);
  phoneBlind = await userWith(t, [noPhones], { name: 'phone-blind' });
  const c = await t.api('POST', '/api/v1/records/customer', { name: '华为', phone: '13912345678', credit_limit: { amount: '50000', currency: 'CNY' } });
  expect(c.status, JSON.stringify(c.body)).toBe(201);
  customerId = c.body.id;
  const u = await t.api('PATCH', `/api/v1/records/customer/${customerId}`, { version: 1, credit_limit: { amount: '80000', currency: 'CNY' }, industry: '通信' });
  expect(u.status, JSON.stringify(u.body)).toBe(200);
}, 120_000);

afterAll(async () => {
  await t?.close();
});

const asViewer = (method: string, url: string, body?: unknown) => t.api(method, url, body, { token: viewer.token });

describe('a hidden field', () => {
  it('hides its stored lookup keys too: no filtering on phone_key when 电话 is hidden', async () => {
    const as = (url: string) => t.api('GET', url, undefined, { token: phoneBlind.token });
    for (const url of [
      `/api/v1/records/customer?filter=${q({ phone_key: '13912345678' })}`,
      `/api/v1/records/customer?filter=${q({ phone_rkey: { startsWith: '8765' } })}`,
      '/api/v1/records/customer?fields=name,phone_key',
      '/api/v1/records/customer?sort=phone_key',
    ]) {
      const r = await as(url);
      expect(r.status, url).toBe(400);
      expect(r.body.error.code, url).toBe('FIELD_FORBIDDEN');
    }
    const row = (await as(`/api/v1/records/customer/${customerId}`)).body;
    expect(row.name).toBe('华为');
    expect(Object.keys(row).filter((k) => k.startsWith('phone'))).toEqual([]);
    // The admin, who may see phones, still finds the customer by the key.
    expect((await t.api('GET', `/api/v1/records/customer?filter=${q({ phone_key: '13912345678' })}&fields=name`)).body.data.map((c: any) => c.name)).toEqual(['华为']);
  });

  it('cannot be filtered, sorted, grouped, measured, selected or exported on — not even through a link or inside not/or', async () => {
    const refused = [
      `/api/v1/records/customer?filter=${q({ credit_limit: { gt: 1 } })}`,
      `/api/v1/records/customer?filter=${q({ or: [{ name: 'x' }, { not: { field: 'credit_limit', op: 'isNull', value: true } }] })}`,
      '/api/v1/records/customer?sort=credit_limit',
      '/api/v1/records/customer?sort=-name,credit_limit',
      '/api/v1/records/customer?fields=name,credit_limit',
      '/api/v1/records/customer/aggregate?groupBy=credit_limit',
      '/api/v1/records/customer/aggregate?measures=sum:credit_limit',
      '/api/v1/records/customer/aggregate?measures=sum:credit_limit@currency',
      '/api/v1/records/sales_order/aggregate?measures=sum:customer.credit_limit@currency',
      `/api/v1/records/customer/aggregate?filter=${q({ credit_limit: { gte: 0 } })}`,
      '/api/v1/export/customer?format=csv&fields=name,credit_limit',
      `/api/v1/export/customer?format=csv&filter=${q({ credit_limit: { gt: 70000 } })}`,
      '/api/v1/export/customer?format=csv&sort=credit_limit',
      `/api/v1/records/sales_order?filter=${q({ 'customer.credit_limit': { gt: 0 } })}`,
      '/api/v1/records/sales_order?sort=customer.credit_limit',
      '/api/v1/records/sales_order?fields=customer.credit_limit',
      '/api/v1/records/sales_order/aggregate?groupBy=customer.credit_limit',
      `/api/v1/records/customer/${customerId}?fields=credit_limit`,
    ];
    for (const url of refused) {
      const r = await asViewer('GET', url);
      expect(r.status, url).toBe(400);
      expect(r.body.error.code, url).toBe('FIELD_FORBIDDEN');
    }
    const report = await asViewer('POST', '/api/v1/reports/run', { definition: { source: 'customer', rows: [{ field: 'credit_limit' }], measures: [{ name: 'n', fn: 'count' }] } });
    expect(report.status).toBe(400);
    expect(report.body.error.code).toBe('FIELD_FORBIDDEN');
  });

  it('is left out of every answer: record, list, export, history, metadata and the OpenAPI document', async () => {
    const got = await asViewer('GET', `/api/v1/records/customer/${customerId}`);
    expect(got.status).toBe(200);
    expect(got.body).not.toHaveProperty('credit_limit');
    expect(got.body.phone).toBe('13912345678');
    const list = await asViewer('GET', '/api/v1/records/customer');
    expect(list.body.data[0]).not.toHaveProperty('credit_limit');
    const csv = await asViewer('GET', '/api/v1/export/customer?format=csv&lang=en');
    expect(csv.status).toBe(200);
    expect(String(csv.body)).not.toMatch(/Credit limit|50000|80000/);
    const history = await asViewer('GET', `/api/v1/records/customer/${customerId}/history`);
    expect(history.status).toBe(200);
    expect(history.body.data.map((e: any) => e.kind)).toEqual(['record.update', 'record.create']);
    expect(JSON.stringify(history.body)).not.toMatch(/credit_limit|50000|80000/);
    expect(history.body.data[0].changes).toEqual({ industry: [null, '通信'] });
    expect(history.body.data[0]).not.toHaveProperty('ip'); // addresses: administrators only
    const adminHistory = await t.api('GET', `/api/v1/records/customer/${customerId}/history`);
    expect(adminHistory.body.data[0].changes.credit_limit[1]).toMatchObject({ amount: '80000.00' });
    const meta = await asViewer('GET', '/api/v1/meta/objects/customer');
    expect(meta.body.fields.map((f: any) => f.apiName)).not.toContain('credit_limit');
    const openapi = await asViewer('GET', '/api/v1/openapi.json');
    expect(JSON.stringify(openapi.body)).not.toContain('credit_limit');
    expect(JSON.stringify(openapi.body)).not.toContain('journal_entry'); // objects the user may not read at all
  });

  it('and a read-only one cannot be written; a denied write names the field', async () => {
    const create = await asViewer('POST', '/api/v1/records/customer', { name: '小米', credit_limit: { amount: '1', currency: 'CNY' } });
    expect(create.status).toBe(422);
    expect(create.body.error).toMatchObject({ code: 'FIELD_READ_ONLY', field: 'credit_limit' });
    const phone = await asViewer('PATCH', `/api/v1/records/customer/${customerId}`, { version: 2, phone: '1' });
    expect(phone.body.error).toMatchObject({ code: 'FIELD_READ_ONLY', field: 'phone' });
    const ok = await asViewer('PATCH', `/api/v1/records/customer/${customerId}`, { version: 2, industry: '电子' });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    // Every denial naming a right is audited.
    const denials = await inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, (tx) =>
      sql<{ detail: any }>`SELECT detail FROM audit_log WHERE kind = 'auth.denied' AND actor_id = ${viewer.id} ORDER BY id`.execute(tx));
    expect(denials.rows.length).toBeGreaterThan(10);
    expect(denials.rows[0].detail).toMatchObject({ code: 'FIELD_FORBIDDEN', method: 'GET', path: '/api/v1/records/customer' });
  });
});

describe('a record the user may not see', () => {
  it('is a 404 exactly like a missing one, on every door', async () => {
    const ownRole = await roleWith(t, 'own_only', [{ object: 'customer', action: 'read', scope: 'own' }, { object: 'customer', action: 'edit', scope: 'own' }, { object: 'customer', action: 'delete', scope: 'own' }]);
    const rep = await userWith(t, [ownRole], { name: 'rep' });
    const missing = '0190b5c8-7a4d-7cc3-9a4e-000000000777';
    for (const [method, path, body] of [['GET', '', undefined], ['PATCH', '', { version: 1 }], ['DELETE', '?version=1', undefined], ['GET', '/history', undefined]] as const) {
      const denied = await t.api(method, `/api/v1/records/customer/${customerId}${path}`, body, { token: rep.token });
      const absent = await t.api(method, `/api/v1/records/customer/${missing}${path}`, body, { token: rep.token });
      expect(denied.status, `${method} ${path}`).toBe(404);
      expect(absent.status, `${method} ${path}`).toBe(404);
      expect(JSON.stringify(denied.body).replace(customerId, 'ID')).toBe(JSON.stringify(absent.body).replace(missing, 'ID'));
    }
  });
});
