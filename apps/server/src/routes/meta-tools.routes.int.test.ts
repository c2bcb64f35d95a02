import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@mosaic/testing';

// The web app's helpers on a real server: regions for the address cascader,
// the formula dry run the designer calls as you type.
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  const obj = await t.api('POST', '/api/v1/meta/objects', {
    apiName: 'gadget', label: '设备', fields: [
      { apiName: 'name', type: 'text', label: '名称' },
      { apiName: 'price', type: 'money', label: '单价' },
      { apiName: 'qty', type: 'integer', label: '数量' },
    ],
  });
  expect(obj.status, JSON.stringify(obj.body)).toBe(201);
});

afterAll(async () => {
  await t?.close();
});

describe('GET /api/v1/meta/regions', () => {
  it('returns the 省/市/区 tree with GB/T 2260 codes', async () => {
    const r = await t.api('GET', '/api/v1/meta/regions');
    expect(r.status).toBe(200);
    const beijing = r.body.data.find((p: { name: string }) => p.name === '北京市');
    expect(beijing.code).toBe('11');
    expect(beijing.children[0].children.length).toBeGreaterThan(10);
  });

  it('needs a session', async () => {
    expect((await t.api('GET', '/api/v1/meta/regions', undefined, { token: null })).status).toBe(401);
  });
});

describe('POST /api/v1/meta/objects/{object}/formula/check', () => {
  it('accepts a valid formula with its type and the fields it reads, saving nothing', async () => {
    const r = await t.api('POST', '/api/v1/meta/objects/gadget/formula/check', { formula: 'price * qty' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ valid: true, type: 'number', dependsOn: ['price', 'qty'] });
    const obj = await t.api('GET', '/api/v1/meta/objects/gadget');
    expect(obj.body.fields.some((f: { type: string }) => f.type === 'formula')).toBe(false);
  });

  it('shows its value on the latest record', async () => {
    await t.api('POST', '/api/v1/records/gadget', { name: '车床', price: { amount: '12.50' }, qty: 4 });
    const r = await t.api('POST', '/api/v1/meta/objects/gadget/formula/check', { formula: 'price * qty' });
    expect(r.body.sample).toMatchObject({ title: '车床', value: '50' });
  });

  it.each([
    ['price * (qty', 'FORMULA_SYNTAX'],
    ['price *', 'FORMULA_SYNTAX'],
  ])('%s → invalid with the error position', async (formula, code) => {
    const r = await t.api('POST', '/api/v1/meta/objects/gadget/formula/check', { formula });
    expect(r.status).toBe(200);
    expect(r.body.valid).toBe(false);
    expect(r.body.error.code).toBe(code);
    expect(typeof r.body.error.details.position).toBe('number');
  });

  it('reports an unknown field', async () => {
    const r = await t.api('POST', '/api/v1/meta/objects/gadget/formula/check', { formula: 'weight * 2' });
    expect(r.body.valid).toBe(false);
    expect(r.body.error.code).toBe('FIELD_UNKNOWN');
  });

  it('refuses a missing formula and an unknown object', async () => {
    expect((await t.api('POST', '/api/v1/meta/objects/gadget/formula/check', {})).status).toBe(400);
    expect((await t.api('POST', '/api/v1/meta/objects/nope/formula/check', { formula: '1' })).status).toBe(404);
  });

  it('lists the functions for the editor', async () => {
    const r = await t.api('GET', '/api/v1/meta/formula/functions');
    expect(r.body.data).toEqual(expect.arrayContaining(['IF', 'ROUND', 'SUM']));
  });
});
