import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenantTx, sql } from '@mosaic/db';
import { createTenant, type TenantCreated } from '@mosaic/identity';
import { createObject, likeEscape } from '@mosaic/meta';
import { ADMIN_PASSWORD, createTestApp, statementsOf, type TestApp } from '@mosaic/testing';

// Text `contains` under row-level security through the n-gram token table (migration 0065,
// ADR 0009). ILIKE is not leakproof, so under RLS it scans the tenant; search_gram is searched
// by equality (leakproof) and the ILIKE rechecks the candidates. Checked: the same rows as a
// plain ILIKE for CJK, Latin, mixed, punctuation and %/_ text; the grams kept right through
// create, update, delete and plain SQL; EXPLAIN as mosaic_app shows index scans on search_gram
// and no scan of the object's table; one tenant never sees another's grams.
let t: TestApp;
let b: TenantCreated;
const FILL = 20_000;

const NAMES = [
  '深圳华强电子有限公司', '华强北 电子市场', 'Acme Widgets Ltd', 'ACME 深圳 分公司', '50% off_sale', '100 percent sale',
  'back\\slash & co.', 'Café Straße GmbH', '东莞精工机械', '精工 Seiko 株式会社', 'x_y_z', 'xyz',
];

beforeAll(async () => {
  t = await createTestApp();
  const r = await t.api('POST', '/api/v1/meta/objects', { apiName: 'sg_item', label: '检索', fields: [
    { apiName: 'name', type: 'text', label: '名称' },
    { apiName: 'code', type: 'text', label: '编码' },
    { apiName: 'note', type: 'text', label: '备注' },
    { apiName: 'qty', type: 'integer', label: '数量' },
  ] });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  for (const [i, name] of NAMES.entries()) {
    const c = await t.api('POST', '/api/v1/records/sg_item', { name, code: `SG-${1000 + i}`, note: `备注 ${name}` });
    expect(c.status, JSON.stringify(c.body)).toBe(201);
  }
  // Enough rows that a scan of the tenant costs more than the index probes; through the app role, grams by the trigger.
  await inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, (tx) => sql`INSERT INTO o_sg_item (tenant_id, id, company_id, owner_id, c_name, c_code)
    SELECT mosaic_tenant(), gen_random_uuid(), ${t.tenant.companyId}::uuid, ${t.tenant.adminId}::uuid, '订单-' || i, 'SO' || lpad(i::text, 7, '0')
    FROM generate_series(1, ${FILL}::int) AS i`.execute(tx));
  await sql`ANALYZE o_sg_item`.execute(t.testDb.db.owner);
  await sql`ANALYZE search_gram`.execute(t.testDb.db.owner);
}, 300_000);

afterAll(async () => {
  await t?.close();
});

const listIds = async (filter: unknown, object = 'sg_item'): Promise<string[]> => {
  const r = await t.api('GET', `/api/v1/records/${object}?pageSize=500&fields=id&filter=${encodeURIComponent(JSON.stringify(filter))}`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.data.map((x: any) => x.id).sort();
};

/** The answer of a plain ILIKE on the column, as the app role with the tenant set. */
const ilikeIds = async (columns: string[], q: string, table = 'o_sg_item'): Promise<string[]> => {
  const pattern = `%${likeEscape(q)}%`;
  const r = await inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, (tx) =>
    sql<{ id: string }>`SELECT id FROM ${sql.id(table)} WHERE ${sql.join(columns.map((c) => sql`${sql.id(c)} ILIKE ${pattern}`), sql` OR `)} LIMIT 500`.execute(tx));
  return r.rows.map((x) => x.id).sort();
};

/** EXPLAIN of a statement as the application role (mosaic_app) with the tenant set: row-level security applies. */
async function planAsApp(text: string, values: unknown[]): Promise<string> {
  const r = await inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId, userId: t.tenant.adminId }, async (tx) => {
    const role = await sql<{ u: string; bypass: boolean }>`SELECT current_user AS u, rolbypassrls AS bypass FROM pg_roles WHERE rolname = current_user`.execute(tx);
    expect(role.rows[0]).toEqual({ u: 'mosaic_app', bypass: false });
    return tx.executeQuery({ sql: `EXPLAIN ${text}`, parameters: values, query: { kind: 'RawNode' } as any, queryId: { queryId: 'explain' } } as any);
  });
  return (r.rows as { 'QUERY PLAN': string }[]).map((x) => x['QUERY PLAN']).join('\n');
}

/** Rows whose stored grams differ from what their searchable columns make now (should be none). */
const staleGrams = async (table = 'o_sg_item'): Promise<number> => (await inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, (tx) => sql<{ n: number }>`
  SELECT count(*)::int AS n FROM ${sql.id(table)} AS o
   WHERE ARRAY(SELECT g.gram FROM search_gram g WHERE g.object = ${table} AND g.record_id = o.id ORDER BY g.gram)
     IS DISTINCT FROM mosaic_search_row_grams(to_jsonb(o), mosaic_search_columns(${table}, o.tenant_id))`.execute(tx))).rows[0].n;

describe('search_gram: the same rows as ILIKE', () => {
  it('makes name and code searchable by default, not other text fields', async () => {
    const meta = await t.api('GET', '/api/v1/meta/objects/sg_item');
    const flag = (f: string) => meta.body.fields.find((x: any) => x.apiName === f).config.searchable;
    expect([flag('name'), flag('code'), flag('note')]).toEqual([true, true, undefined]);
  });

  it('keeps the grams of every row, API and plain SQL alike', async () => {
    expect(await staleGrams()).toBe(0);
    const n = await inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, (tx) => sql<{ n: number }>`SELECT count(DISTINCT record_id)::int AS n FROM search_gram WHERE object = 'o_sg_item'`.execute(tx));
    expect(n.rows[0].n).toBe(FILL + NAMES.length);
  });

  const queries = ['华强', '强', '深圳华强电子', 'acme', 'ACME 深', 'Widgets', '50%', '0%', 'off_', '_y_', 'x_y', '\\sl', 'café', 'STRASSE', 'straße',
    '精工 Sei', '株式', '订单-1234', '单-99', 'so0012', '-4321', 'no such thing', '有限公司', 'sg-100'];
  it.each(queries)('name contains %j', async (q) => {
    expect(await listIds({ field: 'name', op: 'contains', value: q })).toEqual(await ilikeIds(['c_name'], q));
  });

  it('an OR over name and code (the quick search) is the union, and 1–2 character queries fall back to the scan', async () => {
    for (const q of ['sg-1003', '华强', 'so00001', 'me', 'x', '%']) {
      expect(await listIds({ or: [{ field: 'name', op: 'contains', value: q }, { field: 'code', op: 'contains', value: q }] }), q).toEqual(await ilikeIds(['c_name', 'c_code'], q));
    }
    // A field that is not searchable keeps the plain ILIKE.
    expect(await listIds({ field: 'note', op: 'contains', value: '华强' })).toEqual(await ilikeIds(['c_note'], '华强'));
  });
});

describe('search_gram follows changes', () => {
  it('an update finds the new name and not the old; a delete leaves no grams', async () => {
    const c = await t.api('POST', '/api/v1/records/sg_item', { name: '旧名称 Alpha', code: 'OLD-1' });
    expect(await listIds({ field: 'name', op: 'contains', value: 'alpha' })).toEqual([c.body.id]);
    const u = await t.api('PATCH', `/api/v1/records/sg_item/${c.body.id}`, { version: c.body.version, name: '新名称 Beta' });
    expect(u.status, JSON.stringify(u.body)).toBe(200);
    expect(await listIds({ field: 'name', op: 'contains', value: 'alpha' })).toEqual([]);
    expect(await listIds({ field: 'name', op: 'contains', value: '新名称 bet' })).toEqual([c.body.id]);
    // An update of another field leaves the grams alone; plain SQL updates keep them right too.
    await t.api('PATCH', `/api/v1/records/sg_item/${c.body.id}`, { version: u.body.version, qty: 3 });
    await inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, (tx) => sql`UPDATE o_sg_item SET c_code = 'GAMMA-7' WHERE id = ${c.body.id}`.execute(tx));
    expect(await listIds({ field: 'code', op: 'contains', value: 'gamma' })).toEqual([c.body.id]);
    expect(await staleGrams()).toBe(0);
    const d = await t.api('DELETE', `/api/v1/records/sg_item/${c.body.id}`);
    expect(d.status).toBeLessThan(300);
    const left = await inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, (tx) => sql<{ n: number }>`SELECT count(*)::int AS n FROM search_gram WHERE record_id = ${c.body.id}`.execute(tx));
    expect(left.rows[0].n).toBe(0);
  });

  it('a field made searchable later is indexed at once; turning it off drops its grams; a number field cannot be searchable', async () => {
    // On an object of its own holding the named rows: the switch rebuilds the object's grams with one
    // statement whatever its size (mosaic_search_reindex); sg_item's 20,000 filler rows are there for
    // the query plans below, and rebuilding their grams twice took most of this file's time.
    const later = await t.api('POST', '/api/v1/meta/objects', { apiName: 'sg_later', label: '检索（后开）', fields: [
      { apiName: 'name', type: 'text', label: '名称' }, { apiName: 'note', type: 'text', label: '备注' }, { apiName: 'qty', type: 'integer', label: '数量' },
    ] });
    expect(later.status, JSON.stringify(later.body)).toBe(201);
    for (const name of NAMES) expect((await t.api('POST', '/api/v1/records/sg_later', { name, note: `备注 ${name}` })).status).toBe(201);
    const notes = await ilikeIds(['c_note'], '备注 acme', 'o_sg_later');
    expect(notes).toHaveLength(2);
    const on = await t.api('PATCH', '/api/v1/meta/objects/sg_later/fields/note', { config: { searchable: true } });
    expect(on.status, JSON.stringify(on.body)).toBe(200);
    expect(await staleGrams('o_sg_later')).toBe(0);
    expect(await listIds({ field: 'note', op: 'contains', value: '备注 acme' }, 'sg_later')).toEqual(notes);
    const off = await t.api('PATCH', '/api/v1/meta/objects/sg_later/fields/note', { config: { searchable: false } });
    expect(off.status).toBe(200);
    expect(await staleGrams('o_sg_later')).toBe(0);
    const bad = await t.api('PATCH', '/api/v1/meta/objects/sg_later/fields/qty', { config: { searchable: true } });
    expect(bad.status).toBe(422);
    expect(bad.body.error).toMatchObject({ code: 'META_INVALID', field: 'config.searchable' });
  }, 180_000);
});

describe('query plans under row-level security', () => {
  async function listPlan(filter: unknown): Promise<string> {
    const seen = await statementsOf(() => t.api('GET', `/api/v1/records/sg_item?pageSize=50&sort=name&filter=${encodeURIComponent(JSON.stringify(filter))}`));
    const list = seen.find((s) => /FROM "o_sg_item"/.test(s.text));
    expect(list, 'the list statement').toBeTruthy();
    return planAsApp(list!.text, list!.values);
  }

  it('a plain ILIKE scans the tenant at this size (the reason for the grams)', async () => {
    expect(await planAsApp('SELECT id FROM o_sg_item WHERE c_name ILIKE $1', ['%订单-4321%'])).toMatch(/Seq Scan on o_sg_item/);
  });

  it('contains on a searchable field is index scans on search_gram, the table read by id', async () => {
    for (const filter of [{ field: 'name', op: 'contains', value: '订单-4321' }, { field: 'name', op: 'contains', value: '华强电子' },
      { or: [{ field: 'name', op: 'contains', value: 'so0004321' }, { field: 'code', op: 'contains', value: 'so0004321' }] }]) {
      const plan = await listPlan(filter);
      expect(plan, JSON.stringify(filter)).not.toMatch(/Seq Scan/);
      expect(plan, JSON.stringify(filter)).toMatch(/Index (Only )?Scan using search_gram_gram_idx/);
      expect(plan, JSON.stringify(filter)).toMatch(/Index Scan using o_sg_item_pkey on o_sg_item/);
    }
  });

  it('global search by name goes through the grams too', async () => {
    let reply: any;
    const seen = await statementsOf(async () => (reply = await t.api('GET', `/api/v1/search?q=${encodeURIComponent('华强电子')}`)));
    expect(reply.body.data).toContainEqual(expect.objectContaining({ object: 'sg_item', title: '深圳华强电子有限公司' }));
    const mine = seen.filter((s) => /FROM "o_sg_item"/.test(s.text));
    expect(mine.length).toBe(1);
    const plan = await planAsApp(mine[0].text, mine[0].values);
    expect(plan).not.toMatch(/Seq Scan on o_sg_item/);
    expect(plan).toMatch(/search_gram_gram_idx/);
  });
});

describe('tenants', () => {
  // Tenant B with the same object (the same shared table and search_gram), its records written through the app role.
  let theirs: string;
  beforeAll(async () => {
    b = await createTenant(t.testDb.db, { name: 'B', companyName: 'B 公司', adminEmail: `b-${Date.now()}@test.local`, adminPassword: ADMIN_PASSWORD });
    await createObject({ db: t.testDb.db, store: t.store, tenantId: b.tenantId, userId: null }, { apiName: 'sg_item', label: '检索', fields: [{ apiName: 'name', type: 'text', label: '名称' }] });
    const r = await inTenantTx(t.testDb.db.app, { tenantId: b.tenantId }, (tx) => sql<{ id: string }>`INSERT INTO o_sg_item (tenant_id, id, company_id, owner_id, c_name)
      VALUES (mosaic_tenant(), gen_random_uuid(), ${b.companyId}::uuid, ${b.adminId}::uuid, '共享名称测试科技') RETURNING id`.execute(tx));
    theirs = r.rows[0].id;
  }, 180_000);

  it('never see each other’s grams or matches', async () => {
    const mine = await t.api('POST', '/api/v1/records/sg_item', { name: '共享名称测试科技' });
    expect(mine.status, JSON.stringify(mine.body)).toBe(201);
    expect(await listIds({ field: 'name', op: 'contains', value: '名称测试' })).toEqual([mine.body.id]);
    // B's grams exist, and A cannot read them even by asking for them.
    const asA = await inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, (tx) =>
      sql<{ n: number }>`SELECT count(*)::int AS n FROM search_gram WHERE tenant_id = ${b.tenantId} OR record_id = ${theirs}`.execute(tx));
    expect(asA.rows[0].n).toBe(0);
    const asB = await inTenantTx(t.testDb.db.app, { tenantId: b.tenantId }, (tx) =>
      sql<{ n: number; other: number }>`SELECT count(*) FILTER (WHERE record_id = ${theirs})::int AS n, count(*) FILTER (WHERE record_id = ${mine.body.id})::int AS other FROM search_gram`.execute(tx));
    expect(asB.rows[0]).toEqual({ n: expect.any(Number), other: 0 });
    expect(asB.rows[0].n).toBeGreaterThan(0);
  });
});
