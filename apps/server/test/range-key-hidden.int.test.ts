import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenantTx, sql } from '@mosaic/db';
import { download } from '@mosaic/io/test-kit';
import { createTestApp, type TestApp } from '@mosaic/testing';

// An indexed decimal or money field keeps a generated `<column>__k float8` range key
// (ADR 0011). It is a physical detail: `SELECT *` on the table shows it, but no reply,
// export, change set or document guard may. A document with such a field is used, so
// that the submitted-document guard (which compares whole rows) is crossed too.
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  const r = await t.api('POST', '/api/v1/meta/objects', {
    apiName: 'rk_doc', label: '区间单', isDocument: true, fields: [
      { apiName: 'name', type: 'text', label: '名称' },
      { apiName: 'amount', type: 'decimal', label: '金额', indexed: true, config: { scale: 2 } },
      { apiName: 'price', type: 'money', label: '单价', indexed: true },
      { apiName: 'note_after', type: 'text', label: '提交后备注', config: { editableAfterSubmit: true } },
    ],
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
}, 300_000);

afterAll(async () => {
  await t?.close();
});

const noKey = (value: unknown) => expect(JSON.stringify(value)).not.toMatch(/__k/);

describe('the range key column stays inside the database', () => {
  it('exists in the table, with its index', async () => {
    const cols = (await inTenantTx(t.testDb.db.owner, { tenantId: t.tenant.tenantId }, (tx) => sql<{ column_name: string }>`
      SELECT column_name FROM information_schema.columns WHERE table_name = 'o_rk_doc' AND column_name LIKE '%\\_\\_k' ORDER BY 1`.execute(tx))).rows;
    expect(cols.map((c) => c.column_name)).toEqual(['c_amount__k', 'c_price__k']);
  });

  it('shows in no record reply, list, export or change set (events carry the change set, ADR 0010)', async () => {
    const created = await t.api('POST', '/api/v1/records/rk_doc', { name: '甲', amount: '12.50', price: { amount: '3.20', currency: 'CNY' } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    noKey(created.body);
    const id = created.body.id;
    const patched = await t.api('PATCH', `/api/v1/records/rk_doc/${id}`, { version: created.body.version, amount: '13.75' });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    noKey(patched.body);
    const got = await t.api('GET', `/api/v1/records/rk_doc/${id}`);
    expect(got.body.amount).toBe('13.75');
    noKey(got.body);
    const list = await t.api('GET', `/api/v1/records/rk_doc?filter=${encodeURIComponent(JSON.stringify({ amount: { gte: 13 } }))}`);
    expect(list.body.data.map((r: any) => r.id)).toEqual([id]);
    noKey(list.body);
    const csv = await download(t, '/api/v1/export/rk_doc?format=csv&lang=en');
    expect(csv.status).toBe(200);
    const header = csv.body.toString('utf8').replace(/^\uFEFF/, '').split(/\r?\n/)[0];
    expect(header).toMatch(/金额|amount/i);
    expect(header).not.toMatch(/__k/);
    const changes = (await inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, (tx) => sql<{ changes: unknown }>`
      SELECT changes FROM audit_log WHERE record_id = ${id}`.execute(tx))).rows;
    expect(changes.length).toBe(2); // create and update
    noKey(changes);
  });

  it('does not trip the submitted-document guard: submit, edit an editable field, cancel', async () => {
    const created = await t.api('POST', '/api/v1/records/rk_doc', { name: '乙', amount: '99.99', price: { amount: '1.00', currency: 'CNY' } });
    const id = created.body.id;
    const sub = await t.api('POST', `/api/v1/records/rk_doc/${id}/submit`, { version: created.body.version });
    expect(sub.status, JSON.stringify(sub.body)).toBe(200);
    noKey(sub.body);
    const edit = await t.api('PATCH', `/api/v1/records/rk_doc/${id}`, { version: sub.body.version, note_after: '已核对' });
    expect(edit.status, JSON.stringify(edit.body)).toBe(200);
    const fixed = await t.api('PATCH', `/api/v1/records/rk_doc/${id}`, { version: edit.body.version, amount: '1.00' });
    expect(fixed.status).toBe(409); // still immutable where it must be
    const cancel = await t.api('POST', `/api/v1/records/rk_doc/${id}/cancel`, { version: edit.body.version, reason: '测试' });
    expect(cancel.status, JSON.stringify(cancel.body)).toBe(200);
    noKey(cancel.body);
  });
});
