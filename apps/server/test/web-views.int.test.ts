import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { multipart } from '@mosaic/io/test-kit';
import { roleWith, userWith } from './access-helpers.ts';

// The web app's own endpoints (issue 4): saved list views (personal and shared)
// and global search, both behind the same guard as the records API.
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  for (const [name, phone] of [['华东机电', '13800001111'], ['南方设备', '13900002222'], ['华北贸易', '13700003333']]) {
    expect((await t.api('POST', '/api/v1/records/customer', { name, phone })).status).toBe(201);
  }
});

afterAll(async () => {
  await t?.close();
});

describe('saved views', () => {
  it('keeps personal views to their owner and shows shared ones to all readers', async () => {
    const role = await roleWith(t, 'cust_reader', [{ object: 'customer', action: 'read', scope: 'all' }]);
    const u = await userWith(t, [role], { name: 'viewer' });
    const config = { conditions: [{ field: 'name', op: 'contains', value: '华' }], quick: '', sort: '-name', columns: ['name', 'phone'] };
    const mine = await t.api('POST', '/api/v1/saved-views', { object: 'customer', name: '华字头', shared: false, config });
    expect(mine.status, JSON.stringify(mine.body)).toBe(201);
    expect(mine.body).toMatchObject({ name: '华字头', shared: false, mine: true, config });
    const shared = await t.api('POST', '/api/v1/saved-views', { object: 'customer', name: '全部客户', shared: true, config: { conditions: [] } });
    expect(shared.status).toBe(201);

    const seen = await t.api('GET', '/api/v1/saved-views?object=customer', undefined, { token: u.token });
    expect(seen.body.data.map((v: any) => [v.name, v.mine])).toEqual([['全部客户', false]]);
    // The owner's shared view is not the viewer's to change or delete.
    expect((await t.api('PATCH', `/api/v1/saved-views/${shared.body.id}`, { name: 'x' }, { token: u.token })).status).toBe(403);
    expect((await t.api('DELETE', `/api/v1/saved-views/${mine.body.id}`, undefined, { token: u.token })).status).toBe(404);

    const renamed = await t.api('PATCH', `/api/v1/saved-views/${mine.body.id}`, { name: '华字头客户', shared: true });
    expect(renamed.body).toMatchObject({ name: '华字头客户', shared: true });
    expect((await t.api('GET', '/api/v1/saved-views?object=customer', undefined, { token: u.token })).body.data).toHaveLength(2);
    expect((await t.api('DELETE', `/api/v1/saved-views/${mine.body.id}`)).status).toBe(204);
  });

  it('refuses bad input naming the field, and objects the caller may not read', async () => {
    const dup = await t.api('POST', '/api/v1/saved-views', { object: 'customer', name: '全部客户', config: {} });
    expect(dup.status).toBe(409);
    expect(dup.body.error.field).toBe('name');
    const bad = await t.api('POST', '/api/v1/saved-views', { object: 'customer', name: 'v', config: { pageSize: 9999 } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.field).toBe('config.pageSize');
    expect((await t.api('GET', '/api/v1/saved-views')).status).toBe(422);
    const nobody = await userWith(t, [await roleWith(t, 'nothing', [])], { name: 'nobody' });
    expect((await t.api('GET', '/api/v1/saved-views?object=customer', undefined, { token: nobody.token })).status).toBe(404);
  });
});

describe('global search', () => {
  it('finds records by name and by phone, with the matched field', async () => {
    const byName = await t.api('GET', `/api/v1/search?q=${encodeURIComponent('华')}`);
    expect(byName.status, JSON.stringify(byName.body)).toBe(200);
    expect(byName.body.data.filter((h: any) => h.object === 'customer').map((h: any) => h.title).sort()).toEqual(['华东机电', '华北贸易']);
    const byPhone = await t.api('GET', '/api/v1/search?q=0002222');
    expect(byPhone.body.data).toEqual([expect.objectContaining({ object: 'customer', title: '南方设备', matched: { field: 'phone', value: '13900002222' } })]);
  });

  it('finds a code or document number made of digits, not only phones', async () => {
    // Seven or more digits look like a phone; an item code or a document number is one too.
    const item = await t.api('POST', '/api/v1/records/item', { code: 'IT-20261123', name: '数字编码物料' });
    expect(item.status, JSON.stringify(item.body)).toBe(201);
    const hits = (await t.api('GET', '/api/v1/search?q=20261123')).body.data;
    expect(hits).toEqual([expect.objectContaining({ object: 'item', id: item.body.id, matched: { field: 'code', value: 'IT-20261123' } })]);
  });

  it('searches only what the caller may read', async () => {
    const own = await roleWith(t, 'own_customers', [{ object: 'customer', action: 'read', scope: 'own' }]);
    const u = await userWith(t, [own], { name: 'searcher' });
    expect((await t.api('GET', `/api/v1/search?q=${encodeURIComponent('华')}`, undefined, { token: u.token })).body.data).toEqual([]);
    const hidden = await roleWith(t, 'no_phone', [{ object: 'customer', action: 'read', scope: 'all' }], [{ object: 'customer', field: 'phone', rule: 'hidden' }]);
    const v = await userWith(t, [hidden], { name: 'nophone' });
    expect((await t.api('GET', '/api/v1/search?q=0002222', undefined, { token: v.token })).body.data).toEqual([]);
    expect((await t.api('GET', '/api/v1/search?q=', undefined, { token: v.token })).body.error.field).toBe('q');
  });
});

describe('attachment names', () => {
  it('lists the files a record holds by field, only in fields the caller may read', async () => {
    const obj = await t.api('POST', '/api/v1/meta/objects', {
      apiName: 'scan_contract', label: '扫描合同', module: 'custom',
      fields: [{ apiName: 'name', type: 'text', label: '名称' }, { apiName: 'scans', type: 'attachment', label: '扫描件' }],
    });
    expect(obj.status, JSON.stringify(obj.body)).toBe(201);
    const raw = multipart({ name: '合同扫描.pdf', content: '%PDF-1.4 test' }, {});
    const up = await t.app.inject({ method: 'POST', url: '/api/v1/files', payload: raw.payload, headers: { 'content-type': raw.contentType, authorization: `Bearer ${t.adminToken}` } });
    expect(up.statusCode, up.body).toBe(201);
    const file = up.json();
    const rec = await t.api('POST', '/api/v1/records/scan_contract', { name: '采购合同', scans: [file.id] });
    expect(rec.status, JSON.stringify(rec.body)).toBe(201);
    const list = await t.api('GET', `/api/v1/records/scan_contract/${rec.body.id}/attachments`);
    expect(list.body).toEqual({ data: { scans: [{ id: file.id, name: '合同扫描.pdf', size: 13, mime: expect.any(String) }] } });

    const hidden = await roleWith(t, 'no_scans', [{ object: 'scan_contract', action: 'read', scope: 'all' }], [{ object: 'scan_contract', field: 'scans', rule: 'hidden' }]);
    const u = await userWith(t, [hidden], { name: 'noscans' });
    expect((await t.api('GET', `/api/v1/records/scan_contract/${rec.body.id}/attachments`, undefined, { token: u.token })).body).toEqual({ data: {} });
    const nobody = await userWith(t, [await roleWith(t, 'no_contracts', [])], { name: 'nocontracts' });
    expect((await t.api('GET', `/api/v1/records/scan_contract/${rec.body.id}/attachments`, undefined, { token: nobody.token })).status).toBe(404);
  });
});
