import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenantTx, sql } from '@mosaic/db';
import { createTestApp, type TestApp } from '@mosaic/testing';

// Changing metadata at run time on a table that holds rows: add, relabel, archive, force-remove.
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  const r = await t.api('POST', '/api/v1/meta/objects', { apiName: 'asset', label: '资产', fields: [{ apiName: 'name', type: 'text', label: '名称' }, { apiName: 'price', type: 'decimal', label: '价格' }] });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  const rows = Array.from({ length: 50 }, (_, i) => ({ name: `资产${i}`, price: String(i * 10) }));
  expect((await t.api('POST', '/api/v1/records/asset/bulk', { records: rows })).status).toBe(201);
});

afterAll(async () => {
  await t?.close();
});

const columns = async (table: string) =>
  (await sql<{ column_name: string }>`SELECT column_name FROM information_schema.columns WHERE table_name = ${table}`.execute(t.testDb.db.owner)).rows.map((r) => r.column_name);

describe('metadata changes at run time', () => {
  it('adds a field to a table with rows, with its column, and backfills a stored formula', async () => {
    const add = await t.api('POST', '/api/v1/meta/objects/asset/fields', { apiName: 'price_with_tax', type: 'formula', label: '含税价', config: { formula: 'price * 1.13' } });
    expect(add.status, JSON.stringify(add.body)).toBe(201);
    expect(add.body.columnName).toBe('c_price_with_tax');
    expect(await columns('o_asset')).toContain('c_price_with_tax');
    const list = await t.api('GET', `/api/v1/records/asset?filter=${encodeURIComponent(JSON.stringify({ name: '资产3' }))}`);
    expect(Number(list.body.data[0].price_with_tax)).toBeCloseTo(33.9, 10);
  });

  it('relabels without renaming the column', async () => {
    const r = await t.api('PATCH', '/api/v1/meta/objects/asset/fields/price', { label: { zh: '单价', en: 'Unit price' } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ apiName: 'price', columnName: 'c_price', label: { zh: '单价' } });
    expect(await columns('o_asset')).toContain('c_price');
  });

  it('archives a field that holds data (data kept) and force-removes on request', async () => {
    const add = await t.api('POST', '/api/v1/meta/objects/asset/fields', { apiName: 'note', type: 'text', label: '备注' });
    expect(add.status).toBe(201);
    const list = await t.api('GET', '/api/v1/records/asset?pageSize=1');
    await t.api('PATCH', `/api/v1/records/asset/${list.body.data[0].id}`, { version: list.body.data[0].version, note: '保留' });
    const archived = await t.api('DELETE', '/api/v1/meta/objects/asset/fields/note');
    expect(archived.body).toEqual({ archived: true, deleted: false });
    const meta = await t.api('GET', '/api/v1/meta/objects/asset');
    expect(meta.body.fields.map((f: any) => f.apiName)).not.toContain('note');
    const kept = await inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, (tx) => sql<{ n: number }>`SELECT count(*)::int AS n FROM o_asset WHERE c_note = '保留'`.execute(tx));
    expect(kept.rows[0].n).toBe(1);
    const again = await t.api('POST', '/api/v1/meta/objects/asset/fields', { apiName: 'note', type: 'text', label: '备注' });
    expect(again.body.error.code).toBe('FIELD_EXISTS');
    const forced = await t.api('PATCH', '/api/v1/meta/objects/asset/fields/note', { archived: false });
    expect(forced.status).toBe(200);
    const gone = await t.api('DELETE', '/api/v1/meta/objects/asset/fields/note?force=true');
    expect(gone.body).toEqual({ archived: false, deleted: true });
    const cleared = await inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, (tx) => sql<{ n: number }>`SELECT count(*)::int AS n FROM o_asset WHERE c_note IS NOT NULL`.execute(tx));
    expect(cleared.rows[0].n).toBe(0);
  });

  it('removes an empty field outright', async () => {
    await t.api('POST', '/api/v1/meta/objects/asset/fields', { apiName: 'empty_one', type: 'integer', label: '空' });
    const r = await t.api('DELETE', '/api/v1/meta/objects/asset/fields/empty_one');
    expect(r.body).toEqual({ archived: false, deleted: true });
  });

  it('refuses a type change that would reinterpret stored values, and one that is harmless passes', async () => {
    const bad = await t.api('PATCH', '/api/v1/meta/objects/asset/fields/price', { type: 'text' });
    expect(bad.body.error.code).toBe('FIELD_TYPE_CHANGE');
    await t.api('POST', '/api/v1/meta/objects/asset/fields', { apiName: 'remark', type: 'text', label: '说明' });
    const ok = await t.api('PATCH', '/api/v1/meta/objects/asset/fields/remark', { type: 'long_text' });
    expect(ok.body.type).toBe('long_text');
  });

  it('refuses making a field unique while rows share a value', async () => {
    await t.api('POST', '/api/v1/records/asset', { name: '资产3' });
    const r = await t.api('PATCH', '/api/v1/meta/objects/asset/fields/name', { unique: true });
    expect(r.body.error.code).toBe('FIELD_NOT_UNIQUE');
  });

  it('rejects bad definitions with the reason and the place', async () => {
    const cases: [unknown, string, string][] = [
      [{ apiName: 'Bad Name', type: 'text', label: 'x' }, 'META_INVALID', 'apiName'],
      [{ apiName: 'x1', type: 'colour', label: 'x' }, 'META_INVALID', 'type'],
      [{ apiName: 'x2', type: 'link', label: 'x' }, 'META_INVALID', 'config.target'],
      [{ apiName: 'x3', type: 'single_select', label: 'x', config: { options: [] } }, 'META_INVALID', 'config.options'],
      [{ apiName: 'x4', type: 'formula', label: 'x', config: { formula: 'price * (1 + ' } }, 'FORMULA_SYNTAX', 'config.formula'],
      [{ apiName: 'x5', type: 'formula', label: 'x', config: { formula: 'nope + 1' } }, 'META_INVALID', 'config.formula'],
      [{ apiName: 'x6', type: 'auto_number', label: 'x', config: { pattern: 'SO-{YYYY}' } }, 'META_INVALID', 'config.pattern'],
      [{ apiName: 'x7', type: 'text', label: 'x', config: { regex: '([' } }, 'META_INVALID', 'config.regex'],
      [{ apiName: 'x8', type: 'text', label: 'x', extra: 1 }, 'META_INVALID', ''],
    ];
    for (const [body, code, field] of cases) {
      const r = await t.api('POST', '/api/v1/meta/objects/asset/fields', body);
      expect(r.status, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
      expect([code, 'FIELD_UNKNOWN', 'FORMULA_TYPE']).toContain(r.body.error.code);
      if (field) expect(r.body.error.field ?? '').toContain(field);
    }
  });
});
