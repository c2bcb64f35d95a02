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

describe('GET /api/v1/meta/modules', () => {
  type Module = { name: string; menu: { group: string; label: { zh: string; en?: string }; order: number }; objectModules: string[] };

  it('lists the installed modules\' menu groups in order, filing every built-in object under one', async () => {
    const r = await t.api('GET', '/api/v1/meta/modules');
    expect(r.status).toBe(200);
    const modules = r.body.data as Module[];
    const orders = modules.map((m) => m.menu.order);
    expect(orders).toEqual([...orders].sort((a, b) => a - b));
    const groupOf = (name: string) => modules.find((m) => m.name === name)?.menu;
    // the navigation SPEC names: 客户关系, 进销存/供应链, 财务, 生产, 人事, 项目 (经营看板 and 设置 are the platform's)
    expect(['crm', 'stock', 'finance', 'manufacturing', 'hr', 'projects'].map((n) => groupOf(n)?.label.zh)).toEqual(['客户关系', '进销存/供应链', '财务', '生产', '人事', '项目']);
    expect(['stock', 'selling', 'buying'].map((n) => groupOf(n)?.group)).toEqual(['stock', 'stock', 'stock']);
    expect(groupOf('calendar')?.group).toBe('admin');
    // every object the modules installed has a group to be listed in; `gadget` (custom) and system tables are the platform's
    const filed = new Set(modules.flatMap((m) => m.objectModules));
    const objects = (await t.api('GET', '/api/v1/meta/objects')).body.data as { apiName: string; module: string; isChild: boolean }[];
    const builtIn = objects.filter((o) => !o.isChild && !['custom', 'core'].includes(o.module));
    expect(builtIn.length).toBeGreaterThan(50);
    expect(builtIn.filter((o) => !filed.has(o.module)).map((o) => `${o.apiName} (${o.module})`)).toEqual([]);
    expect(Object.keys(modules[0]!).sort()).toEqual(['depends', 'label', 'menu', 'name', 'objectModules']); // no objects, no hooks
  });

  it('needs a session', async () => {
    expect((await t.api('GET', '/api/v1/meta/modules', undefined, { token: null })).status).toBe(401);
  });
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
