import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@mosaic/testing';

// The records API on a real PostgreSQL: an object made at run time through the
// metadata API, then written and read through the generic record endpoints.
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  const customer = await t.api('POST', '/api/v1/meta/objects', {
    apiName: 't_customer', label: { zh: '客户', en: 'Customer' },
    fields: [
      { apiName: 'name', type: 'text', label: '名称', required: true, unique: true },
      { apiName: 'region', type: 'single_select', label: '区域', config: { options: [{ value: 'south', label: '华南' }, { value: 'east', label: '华东' }] } },
      { apiName: 'credit_limit', type: 'money', label: '信用额度' },
    ],
  });
  expect(customer.status, JSON.stringify(customer.body)).toBe(201);
  const order = await t.api('POST', '/api/v1/meta/objects', {
    apiName: 't_order', label: '销售订单', isDocument: true,
    fields: [
      { apiName: 'number', type: 'auto_number', label: '单号', config: { pattern: 'SO-{YYYY}-{#####}' } },
      { apiName: 'customer', type: 'link', label: '客户', required: true, config: { target: 't_customer' } },
      { apiName: 'order_date', type: 'date', label: '日期', defaultValue: { formula: 'TODAY()' } },
      { apiName: 'discount', type: 'percent', label: '折扣' },
    ],
  });
  expect(order.status, JSON.stringify(order.body)).toBe(201);
  const line = await t.api('POST', '/api/v1/meta/objects', {
    apiName: 't_order_line', label: '订单行', isChild: true, parentObject: 't_order',
    fields: [
      { apiName: 'item', type: 'text', label: '物料', required: true },
      { apiName: 'qty', type: 'decimal', label: '数量', required: true, config: { min: 0.0001 } },
      { apiName: 'price', type: 'decimal', label: '单价', required: true },
      { apiName: 'amount', type: 'formula', label: '金额', config: { formula: 'ROUND(qty * price, 2)' } },
    ],
  });
  expect(line.status, JSON.stringify(line.body)).toBe(201);
  const lines = await t.api('POST', '/api/v1/meta/objects/t_order/fields', { apiName: 'lines', type: 'child_table', label: '明细', config: { target: 't_order_line' } });
  expect(lines.status, JSON.stringify(lines.body)).toBe(201);
  const total = await t.api('POST', '/api/v1/meta/objects/t_order/fields', {
    apiName: 'total', type: 'rollup', label: '合计', config: { rollup: { relation: 'lines', field: 'amount', fn: 'sum' } },
  });
  expect(total.status, JSON.stringify(total.body)).toBe(201);
});

afterAll(async () => {
  await t?.close();
});

describe('records API', () => {
  let customerId: string;

  it('creates, reads and lists a record', async () => {
    const created = await t.api('POST', '/api/v1/records/t_customer', { name: '华为技术有限公司', region: 'south', credit_limit: { amount: '50000', currency: 'CNY' } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ name: '华为技术有限公司', region: 'south', credit_limit: { amount: '50000.00', currency: 'CNY' }, version: 1 });
    customerId = created.body.id;
    const got = await t.api('GET', `/api/v1/records/t_customer/${customerId}`);
    expect(got.body.name).toBe('华为技术有限公司');
    const list = await t.api('GET', `/api/v1/records/t_customer?filter=${encodeURIComponent(JSON.stringify({ region: 'south' }))}`);
    expect(list.body).toMatchObject({ total: 1, page: 1, pageSize: 50 });
    expect(list.body.data[0].id).toBe(customerId);
  });

  it('creates a document with child rows; formulas and roll-ups are computed, the number assigned', async () => {
    const r = await t.api('POST', '/api/v1/records/t_order', {
      customer: customerId,
      lines: [{ item: 'M6 螺栓', qty: '10', price: '0.35' }, { item: '垫片', qty: 3, price: '1.005' }],
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.number).toMatch(/^SO-\d{4}-00001$/);
    expect(r.body.status).toBe('draft');
    expect(r.body.order_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(r.body.lines.map((l: any) => l.amount)).toEqual(['3.50', '3.02']);
    expect(Number(r.body.total)).toBeCloseTo(6.52, 10);
  });

  it('filters through a link and sorts', async () => {
    const list = await t.api('GET', `/api/v1/records/t_order?filter=${encodeURIComponent(JSON.stringify({ 'customer.region': { eq: 'south' } }))}&sort=-number&fields=number,customer.name`);
    expect(list.status, JSON.stringify(list.body)).toBe(200);
    expect(list.body.data[0]['customer.name']).toBe('华为技术有限公司');
  });

  it('updates with the version and refuses a stale one', async () => {
    const c = await t.api('POST', '/api/v1/records/t_customer', { name: '美的集团' });
    const ok = await t.api('PATCH', `/api/v1/records/t_customer/${c.body.id}`, { version: 1, region: 'east' });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.version).toBe(2);
    const stale = await t.api('PATCH', `/api/v1/records/t_customer/${c.body.id}`, { version: 1, region: 'south' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('VERSION_CONFLICT');
    const missing = await t.api('PATCH', `/api/v1/records/t_customer/${c.body.id}`, { region: 'south' });
    expect(missing.status).toBe(428);
  });

  it('names the field that is wrong', async () => {
    const bad = await t.api('POST', '/api/v1/records/t_customer', { name: 'x', credit_limit: 'lots' });
    expect(bad.status).toBe(422);
    expect(bad.body.error).toMatchObject({ code: 'FIELD_INVALID', field: 'credit_limit' });
    const dup = await t.api('POST', '/api/v1/records/t_customer', { name: '华为技术有限公司' });
    expect(dup.status).toBe(409);
    expect(dup.body.error).toMatchObject({ code: 'FIELD_NOT_UNIQUE', field: 'name' });
    const unknown = await t.api('POST', '/api/v1/records/t_customer', { name: 'y', colour: 'red' });
    expect(unknown.body.error).toMatchObject({ code: 'FIELD_UNKNOWN', field: 'colour' });
    const owner = await t.api('POST', '/api/v1/records/t_customer', { name: 'z', owner_id: t.tenant.adminId });
    expect(owner.body.error).toMatchObject({ code: 'FIELD_READ_ONLY', field: 'owner_id' });
    const childBad = await t.api('POST', '/api/v1/records/t_order', { customer: customerId, lines: [{ item: 'a', qty: 1, price: 1 }, { item: 'b', qty: 0, price: 1 }] });
    expect(childBad.body.error).toMatchObject({ code: 'FIELD_INVALID', field: 'lines.1.qty' });
  });
});
