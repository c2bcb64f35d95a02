import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@mosaic/testing';

// Every field type on a real table: what goes in, what comes out, what is refused.
let t: TestApp;
let userId: string;

beforeAll(async () => {
  t = await createTestApp();
  userId = t.tenant.adminId;
  const target = await t.api('POST', '/api/v1/meta/objects', { apiName: 'vendor', label: '协作厂商', fields: [{ apiName: 'name', type: 'text', label: '名称' }, { apiName: 'region', type: 'text', label: '区域' }] });
  expect(target.status, JSON.stringify(target.body)).toBe(201);
  const r = await t.api('POST', '/api/v1/meta/objects', {
    apiName: 'device', label: { zh: '设备', en: 'Device' },
    fields: [
      { apiName: 'name', type: 'text', label: '名称', required: true, config: { maxLength: 20, regex: '^[^<>]*$' } },
      { apiName: 'spec', type: 'long_text', label: '规格' },
      { apiName: 'manual', type: 'rich_text', label: '说明书' },
      { apiName: 'units', type: 'integer', label: '台数', config: { min: 0, max: 1000 } },
      { apiName: 'weight', type: 'decimal', label: '重量', config: { scale: 3 } },
      { apiName: 'cost', type: 'money', label: '成本', config: { defaultCurrency: 'CNY' } },
      { apiName: 'tax_rate', type: 'percent', label: '税率' },
      { apiName: 'in_use', type: 'boolean', label: '在用', defaultValue: true },
      { apiName: 'bought_on', type: 'date', label: '购入日期' },
      { apiName: 'checked_at', type: 'datetime', label: '点检时间' },
      { apiName: 'state', type: 'single_select', label: '状态', config: { options: [{ value: 'ok', label: { zh: '正常', en: 'OK' } }, { value: 'broken', label: '故障' }] } },
      { apiName: 'tags', type: 'multi_select', label: '标签', config: { options: [{ value: 'a', label: '甲' }, { value: 'b', label: '乙' }] } },
      { apiName: 'contact_email', type: 'email', label: '邮箱' },
      { apiName: 'contact_phone', type: 'phone', label: '电话' },
      { apiName: 'site', type: 'url', label: '网址' },
      { apiName: 'photo', type: 'image', label: '照片' },
      { apiName: 'files', type: 'attachment', label: '附件' },
      { apiName: 'location', type: 'address', label: '地址' },
      { apiName: 'code', type: 'auto_number', label: '编号', config: { pattern: 'EQ-{YY}{MM}-{###}' } },
      { apiName: 'supplier', type: 'link', label: '供应商', config: { target: 'vendor' } },
      { apiName: 'keeper', type: 'user', label: '保管人' },
      { apiName: 'dept', type: 'department', label: '使用部门' },
      { apiName: 'tax', type: 'formula', label: '税额', config: { formula: 'ROUND(cost * tax_rate, 2)' } },
      { apiName: 'label_text', type: 'formula', label: '标签', config: { formula: 'CONCATENATE(name, "-", units)' } },
      { apiName: 'supplier_region', type: 'lookup', label: '供应商区域', config: { lookup: { link: 'supplier', field: 'region' } } },
    ],
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
});

afterAll(async () => {
  await t?.close();
});

describe('field types', () => {
  it('round-trips a value of every type', async () => {
    const sup = await t.api('POST', '/api/v1/records/vendor', { name: '东莞精工', region: '华南' });
    const photo = await t.upload('车床.png', Buffer.from([0x89, 0x50, 0x4e, 0x47]), 'image/png');
    const manualPdf = await t.upload('../../etc/说明书.pdf', '%PDF-1.4 test', 'application/pdf');
    expect(photo.status, JSON.stringify(photo.body)).toBe(201);
    expect(manualPdf.body.name).toBe('说明书.pdf');
    const r = await t.api('POST', '/api/v1/records/device', {
      name: '数控车床', spec: '行程 500mm\n精度 0.01', manual: '<p>注意<script>alert(1)</script><b>安全</b></p>',
      units: 3, weight: '1250.5', cost: '300000.456', tax_rate: '0.13', bought_on: '2026/03/01', checked_at: '2026-11-20T08:30:00+08:00',
      state: '正常', tags: ['a', 'b', 'a'], contact_email: 'li@example.cn', contact_phone: '+86 138-0013-8000', site: 'https://example.cn/a',
      photo: photo.body.id, files: [manualPdf.body.id],
      location: { province: '44', city: '4403', district: '440305', detail: '科技园 1 号' },
      supplier: sup.body.id, keeper: userId, dept: t.tenant.departmentId,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({
      name: '数控车床', units: 3, weight: '1250.500', cost: { amount: '300000.46', currency: 'CNY' }, tax_rate: '0.130000',
      in_use: true, bought_on: '2026-03-01', checked_at: '2026-11-20T00:30:00.000Z', state: 'ok', tags: ['a', 'b'],
      contact_email: 'li@example.cn', site: 'https://example.cn/a', location: { province: '44', city: '4403', district: '440305', detail: '科技园 1 号' },
      supplier: sup.body.id, keeper: userId, dept: t.tenant.departmentId, tax: '39000.06', label_text: '数控车床-3', supplier_region: '华南',
    });
    expect(r.body.manual).toBe('<p>注意<b>安全</b></p>');
    expect(r.body.photo).toBe(photo.body.id);
    // the file comes back only through the record that holds it
    const dl = await t.app.inject({ method: 'GET', url: `/api/v1/records/device/${r.body.id}/files/${manualPdf.body.id}`, headers: { authorization: `Bearer ${t.adminToken}` } });
    expect(dl.statusCode).toBe(200);
    expect(dl.body).toBe('%PDF-1.4 test');
    expect(dl.headers['content-disposition']).toContain(encodeURIComponent('说明书.pdf'));
    const other = await t.app.inject({ method: 'GET', url: `/api/v1/records/vendor/${sup.body.id}/files/${manualPdf.body.id}`, headers: { authorization: `Bearer ${t.adminToken}` } });
    expect(other.statusCode).toBe(404);
    expect(r.body.code).toMatch(/^EQ-\d{4}-001$/);
  });

  it.each([
    ['name', 'x'.repeat(21), 'name', 'longer than 20'],
    ['name', '<b>', 'name', 'pattern'],
    ['units', 1.5, 'units', 'whole number'],
    ['units', 1001, 'units', 'at most 1000'],
    ['weight', 'heavy', 'weight', 'not a number'],
    ['cost', { amount: '1', currency: 'yuan' }, 'cost.currency', 'currency'],
    ['bought_on', '2026-02-30', 'bought_on', 'not a real date'],
    ['checked_at', 'yesterday', 'checked_at', 'date-time'],
    ['state', 'lost', 'state', 'not one of the options'],
    ['tags', ['c'], 'tags', 'not one of the options'],
    ['contact_email', 'li@', 'contact_email', 'not an email'],
    ['contact_phone', 'call me', 'contact_phone', 'not a phone'],
    ['site', 'javascript:alert(1)', 'site', 'http'],
    ['photo', 'not-a-uuid', 'photo', 'UUID'],
    ['photo', '0190b5c8-7a4d-7cc3-9a4e-000000000001', 'photo', 'no uploaded file'],
    ['files', ['0190b5c8-7a4d-7cc3-9a4e-000000000002'], 'files', 'no uploaded file'],
    ['location', { province: '44', city: '3201' }, 'location.city', 'not inside'],
    ['location', { province: '99' }, 'location.province', 'not a known region'],
    ['supplier', '0190b5c8-7a4d-7cc3-9a4e-0000000000ff', 'supplier', 'does not exist'],
    ['in_use', 'maybe', 'in_use', 'true or false'],
  ])('refuses %s = %j naming the field', async (field, value, expectedField, reason) => {
    const r = await t.api('POST', '/api/v1/records/device', { name: '测试', [field]: value });
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect(r.body.error.field).toBe(expectedField);
    expect(r.body.error.message).toContain(reason);
  });

  it('refuses writing computed fields', async () => {
    for (const field of ['tax', 'code', 'supplier_region']) {
      const r = await t.api('POST', '/api/v1/records/device', { name: 'x', [field]: '1' });
      expect(r.body.error).toMatchObject({ code: 'FIELD_READ_ONLY', field });
    }
  });

  it('requires required fields and applies defaults', async () => {
    const r = await t.api('POST', '/api/v1/records/device', { units: 1 });
    expect(r.body.error).toMatchObject({ code: 'FIELD_REQUIRED', field: 'name' });
    const ok = await t.api('POST', '/api/v1/records/device', { name: '默认值' });
    expect(ok.body.in_use).toBe(true);
  });
});
