import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenantTx, sql } from '@mosaic/db';
import { systemGuard } from '@mosaic/access';
import { likeEscape } from '@mosaic/meta';
import { listRecords, type RecordsCtx } from '@mosaic/records';
import { createTestApp, REPO_ROOT, statementsOf, type TestApp } from '@mosaic/testing';

// search_gram on the write path and the per-query choice (migration 0066, issues 2 and 8):
//   - the grams are exactly 0065's (its plpgsql loop, loaded here as it was, against the new SQL);
//   - a table has gram triggers only while a field of it is searchable, and its UPDATE trigger
//     watches only those columns: other updates call no function (pg_stat_xact_user_functions);
//   - a write racing the rebuild after `searchable` flips on waits for it and keeps its grams;
//   - a query whose grams are all common keeps the scan, a rare one goes through search_gram,
//     both giving the plain ILIKE's rows; EXPLAIN as mosaic_app shows which.
let t: TestApp;
let su: pg.Client; // superuser on the test database: per-transaction function statistics, the 0065 function
const FILL = 20_000;

beforeAll(async () => {
  t = await createTestApp();
  su = new pg.Client({ connectionString: t.testDb.url });
  await su.connect();
  await su.query('SET search_path = mosaic, public');
  const doc = await t.api('POST', '/api/v1/meta/objects', { apiName: 'sc_doc', label: '无检索', fields: [
    { apiName: 'note', type: 'text', label: '备注', config: { searchable: false } },
    { apiName: 'qty', type: 'integer', label: '数量' },
  ] });
  expect(doc.status, JSON.stringify(doc.body)).toBe(201);
  const cust = await t.api('POST', '/api/v1/meta/objects', { apiName: 'sc_cust', label: '客户名', fields: [
    { apiName: 'name', type: 'text', label: '名称' },
    { apiName: 'qty', type: 'integer', label: '数量' },
  ] });
  expect(cust.status, JSON.stringify(cust.body)).toBe(201);
  // Every name shares `customer-`: its grams are in every record. The numbers make rare grams.
  await inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, async (tx) => {
    await sql`SET LOCAL statement_timeout = 0`.execute(tx); // a shared 2-core machine under load
    await sql`INSERT INTO o_sc_cust (tenant_id, id, company_id, owner_id, c_name)
    SELECT mosaic_tenant(), gen_random_uuid(), ${t.tenant.companyId}::uuid, ${t.tenant.adminId}::uuid, 'Customer-' || i FROM generate_series(1, ${FILL}::int) AS i`.execute(tx);
  });
  await sql`ANALYZE o_sc_cust`.execute(t.testDb.db.owner);
  await sql`ANALYZE search_gram`.execute(t.testDb.db.owner);
}, 300_000);

afterAll(async () => {
  await su?.end();
  await t?.close();
});

describe('mosaic_search_grams (0066) makes exactly the grams of 0065', () => {
  it('on CJK, kana, hangul, mixed, punctuation, emoji, case, empty, NULL, long and random text', async () => {
    const text = fs.readFileSync(path.join(REPO_ROOT, 'packages/db/src/migrations/0065_search_gram.sql'), 'utf8');
    const old = text.slice(text.indexOf('CREATE OR REPLACE FUNCTION mosaic_search_grams'), text.indexOf('END $$;') + 'END $$;'.length);
    await su.query(old.replace('FUNCTION mosaic_search_grams', 'FUNCTION pg_temp.grams_0065'));
    const fixed = ['', ' ', 'ab', 'abc', 'ABC def', '深圳华强电子有限公司', 'Acme 华为 Co.', 'a华b', '华', '华a', 'ab华cd', '😀😀x😀', '😀ab', 'ÄÖÜß straße İstanbul',
      '50%_\\x', "o'brien", '订单-4321', 'カタカナ한국어ひらがな', 'ｶﾀｶﾅ', 'Ａｂｃ全角', '𠀀𠀁', 'tab\tnew\nline', '  a  b  ', '한', '〜ー・', repeat('customer-', 600),
      repeat('华南贸易 Co-', 300)];
    const alphabet = [...'aZ9 -_%.华强电子ガ한😀ßİ\'\t', '𠀀'];
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
    const random = Array.from({ length: 400 }, () => Array.from({ length: rnd(24) }, () => alphabet[rnd(alphabet.length)]).join(''));
    const all = [...fixed, ...random];
    const r = await su.query(`SELECT s, pg_temp.grams_0065(s) AS old, mosaic_search_grams(s) AS now FROM unnest($1::text[]) AS s
      WHERE pg_temp.grams_0065(s) IS DISTINCT FROM mosaic_search_grams(s)`, [all]);
    expect(r.rows).toEqual([]);
    const n = await su.query(`SELECT mosaic_search_grams(NULL) AS a, pg_temp.grams_0065(NULL) AS b, cardinality(mosaic_search_grams($1)) AS long`, [repeat('customer-', 600)]);
    expect(n.rows[0]).toEqual({ a: [], b: [], long: 9 });
  });
});

function repeat(s: string, n: number): string {
  return s.repeat(n);
}

const searchTriggers = async (table: string) => (await su.query(`SELECT tgname, pg_get_triggerdef(oid) AS def FROM pg_trigger
  WHERE tgrelid = $1::regclass AND tgname LIKE '%\\_search\\_%' ORDER BY tgname`, [table])).rows as { tgname: string; def: string }[];

/**
 * The trigger functions `fn` runs, counted by PostgreSQL (track_functions, this transaction only): `fn` gets a
 * connection as mosaic_app with the tenant set, in a transaction rolled back afterwards.
 */
async function functionCalls(fn: (q: (text: string, values?: unknown[]) => Promise<unknown>) => Promise<void>): Promise<Record<string, number>> {
  await su.query('BEGIN');
  try {
    await su.query(`SET LOCAL track_functions = 'all'`);
    await su.query('SET LOCAL ROLE mosaic_app');
    await su.query(`SELECT set_config('mosaic.tenant_id', $1, true)`, [t.tenant.tenantId]);
    // The view also holds counts of earlier transactions not yet flushed to the statistics: the difference is fn's.
    const counts = async () => new Map((await su.query(`SELECT funcname, calls::int AS calls FROM pg_stat_xact_user_functions WHERE funcname LIKE 'mosaic_search%'`))
      .rows.map((x) => [x.funcname as string, x.calls as number]));
    const before = await counts();
    await fn((text, values) => su.query(text, values as unknown[]));
    const after = await counts();
    return Object.fromEntries([...after].map(([f, n]) => [f, n - (before.get(f) ?? 0)]).filter(([, n]) => (n as number) > 0));
  } finally {
    await su.query('ROLLBACK');
  }
}

describe('gram triggers only where and when grams can change', () => {
  it('a table with no searchable field has none; making one searchable adds them, watching that column; turning it off removes them', async () => {
    expect(await searchTriggers('o_sc_doc')).toEqual([]);
    const on = await t.api('PATCH', '/api/v1/meta/objects/sc_doc/fields/note', { config: { searchable: true } });
    expect(on.status, JSON.stringify(on.body)).toBe(200);
    const defs = await searchTriggers('o_sc_doc');
    expect(defs.map((d) => d.tgname)).toEqual(['o_sc_doc_search_del', 'o_sc_doc_search_ins', 'o_sc_doc_search_upd']);
    expect(defs[2].def).toMatch(/AFTER UPDATE OF c_note ON mosaic\.o_sc_doc FOR EACH ROW WHEN \(\(old\.c_note IS DISTINCT FROM new\.c_note\)\)/);
    const off = await t.api('PATCH', '/api/v1/meta/objects/sc_doc/fields/note', { config: { searchable: false } });
    expect(off.status).toBe(200);
    expect(await searchTriggers('o_sc_doc')).toEqual([]);
    // A new searchable field gives the table its triggers too (no rebuild: its values are empty).
    const add = await t.api('POST', '/api/v1/meta/objects/sc_doc/fields', { apiName: 'code', type: 'text', label: '编码', config: { searchable: true } });
    expect(add.status, JSON.stringify(add.body)).toBe(201);
    expect((await searchTriggers('o_sc_doc')).find((d) => d.tgname.endsWith('_upd'))?.def).toMatch(/AFTER UPDATE OF c_code ON/);
    expect((await t.api('DELETE', '/api/v1/meta/objects/sc_doc/fields/code')).status).toBeLessThan(300);
    expect(await searchTriggers('o_sc_doc')).toEqual([]);
  }, 120_000);

  it('writes to a table without searchable fields, and updates that leave the searchable columns alone, call no gram function', async () => {
    const plain = await functionCalls(async (q) => {
      await q(`INSERT INTO o_sc_doc (tenant_id, id, company_id, owner_id, c_note, c_qty) VALUES (mosaic_tenant(), gen_random_uuid(), $1, $2, 'x', 1)`, [t.tenant.companyId, t.tenant.adminId]);
      await q(`UPDATE o_sc_doc SET c_note = 'y', c_qty = 2`);
      await q('DELETE FROM o_sc_doc');
    });
    expect(plain).toEqual({});
    const [row] = (await su.query(`SELECT id FROM o_sc_cust WHERE c_name = 'Customer-77'`)).rows;
    const other = await functionCalls(async (q) => {
      await q(`UPDATE o_sc_cust SET c_qty = 5 WHERE id = $1`, [row.id]);
      await q(`UPDATE o_sc_cust SET c_name = c_name, c_qty = 6 WHERE id = $1`, [row.id]); // named, not changed: the WHEN says no
    });
    expect(other).toEqual({});
    const renamed = await functionCalls(async (q) => {
      await q(`UPDATE o_sc_cust SET c_name = 'Renamed-77' WHERE id = $1`, [row.id]);
      const grams = (await q(`SELECT array_agg(gram ORDER BY gram) AS g FROM search_gram WHERE object = 'o_sc_cust' AND record_id = $1`, [row.id])) as { rows: { g: string[] }[] };
      expect(grams.rows[0].g).toEqual((await su.query(`SELECT mosaic_search_grams('Renamed-77') AS g`)).rows[0].g);
    });
    expect(renamed.mosaic_search_index_row).toBe(1);
    const inserted = await functionCalls(async (q) => {
      await q(`INSERT INTO o_sc_cust (tenant_id, id, company_id, owner_id, c_name) SELECT mosaic_tenant(), gen_random_uuid(), $1, $2, 'Bulk-' || i FROM generate_series(1, 100) i`, [t.tenant.companyId, t.tenant.adminId]);
    });
    expect(inserted.mosaic_search_index).toBe(1); // one statement trigger for 100 rows
    expect(inserted.mosaic_search_columns).toBe(1); // the tenant's searchable columns read once, not once per row
  });

  it('a PATCH of a customer that changes its phone alone calls no gram function (bench/day customer.update)', async () => {
    const c = await t.api('POST', '/api/v1/records/customer', { name: '统计客户 Statements' });
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    const seen = await statementsOf(() => t.api('PATCH', `/api/v1/records/customer/${c.body.id}`, { version: c.body.version, phone: '13800138000' }));
    const update = seen.find((s) => /^\s*(WITH[\s\S]*)?UPDATE "o_customer"/.test(s.text) || /UPDATE "o_customer"/.test(s.text));
    expect(update, seen.map((s) => s.text).join('\n---\n')).toBeTruthy();
    console.log(`customer PATCH (phone): ${seen.length} statements from the server`);
    // The same UPDATE statement again, counted: the customer's searchable columns (name, number …) are not touched.
    const calls = await functionCalls(async (q) => {
      await q(update!.text, update!.values);
    });
    expect(calls).toEqual({});
  });
});

describe('a rebuild after `searchable` flips on, and a write racing it', () => {
  it('the write waits for the metadata change and its row keeps its grams', async () => {
    const fieldId = (await su.query(`SELECT f.id FROM meta_field f JOIN meta_object o ON o.tenant_id = f.tenant_id AND o.id = f.object_id
      WHERE o.tenant_id = $1 AND o.api_name = 'sc_doc' AND f.api_name = 'note'`, [t.tenant.tenantId])).rows[0].id;
    await su.query('BEGIN');
    await su.query('SET LOCAL ROLE mosaic_owner');
    await su.query(`SELECT set_config('mosaic.tenant_id', $1, true)`, [t.tenant.tenantId]);
    await su.query(`UPDATE meta_field SET config = config || '{"searchable": true}' WHERE id = $1`, [fieldId]);
    await su.query(`SELECT mosaic_search_reindex('o_sc_doc', $1::uuid)`, [t.tenant.tenantId]);
    // Another transaction writes to the table while the change is not committed.
    const write = inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, (tx) => sql<{ id: string }>`INSERT INTO o_sc_doc (tenant_id, id, company_id, owner_id, c_note)
      VALUES (mosaic_tenant(), gen_random_uuid(), ${t.tenant.companyId}::uuid, ${t.tenant.adminId}::uuid, '竞态 race row') RETURNING id`.execute(tx));
    write.catch(() => {}); // awaited below; a failure there fails the test
    let waited = false;
    for (let i = 0; i < 100 && !waited; i++) {
      await new Promise((r) => setTimeout(r, 50));
      // Another superuser session (su is mosaic_owner now, which may not read other roles' queries).
      const watcher = new pg.Client({ connectionString: t.testDb.url });
      await watcher.connect();
      try {
        waited = (await watcher.query(`SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO o_sc_doc%') AS w`)).rows[0].w;
      } finally {
        await watcher.end();
      }
    }
    expect(waited, 'the insert waits on the table lock').toBe(true);
    await su.query(`SELECT pg_notify('mosaic_meta', $1)`, [t.tenant.tenantId]);
    await su.query('COMMIT');
    const id = (await write).rows[0].id;
    const r = await su.query(`SELECT (SELECT array_agg(gram ORDER BY gram) FROM search_gram WHERE object = 'o_sc_doc' AND record_id = $1) AS stored,
      mosaic_search_grams('竞态 race row') AS want`, [id]);
    expect(r.rows[0].stored).toEqual(r.rows[0].want);
    expect(r.rows[0].want.length).toBeGreaterThan(3);
  }, 60_000);
});

describe('grams or the scan, per query', () => {
  const ctx = (): RecordsCtx => ({ db: t.testDb.db, store: t.store, guard: systemGuard({ tenantId: t.tenant.tenantId, userId: t.tenant.adminId, companyId: t.tenant.companyId,
    departmentId: null, departmentIds: [], isAdmin: true, roleIds: [], locale: 'zh-CN', timeZone: 'Asia/Shanghai' }) });
  const ilikeIds = async (q: string) => (await inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, (tx) =>
    sql<{ id: string }>`SELECT id FROM o_sc_cust WHERE c_name ILIKE ${`%${likeEscape(q)}%`}`.execute(tx))).rows.map((x) => x.id).sort();
  const listIds = async (q: string, grams: 'auto' | 'always') => {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const r = await listRecords(ctx(), 'sc_cust', { filter: { field: 'name', op: 'contains', value: q }, fields: ['id'], pageSize: 500, total: false, cursor }, 'read', { grams });
      ids.push(...r.data.map((x) => String(x.id)));
      cursor = r.nextCursor ?? undefined;
    } while (cursor);
    return ids.sort();
  };

  it.each(['cus', 'omer-2', 'customer-12345', 'r-299', '-7'])('%j: both paths give the ILIKE rows', async (q) => {
    const want = await ilikeIds(q);
    expect(await listIds(q, 'auto')).toEqual(want);
    expect(await listIds(q, 'always')).toEqual(want);
  }, 60_000);

  /** EXPLAIN, as mosaic_app with the tenant set, of the list statement the API sends for `name contains q` — and whether a probe came first. */
  async function listPlan(q: string): Promise<{ plan: string; probed: boolean }> {
    const seen = await statementsOf(() => t.api('GET', `/api/v1/records/sc_cust?pageSize=50&sort=name&filter=${encodeURIComponent(JSON.stringify({ field: 'name', op: 'contains', value: q }))}`));
    const list = seen.find((s) => /FROM "o_sc_cust"/.test(s.text))!;
    const plan = await inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId, userId: t.tenant.adminId }, async (tx) => {
      const role = await sql<{ u: string }>`SELECT current_user AS u`.execute(tx);
      expect(role.rows[0].u).toBe('mosaic_app');
      const r = await tx.executeQuery({ sql: `EXPLAIN ${list.text}`, parameters: list.values, query: { kind: 'RawNode' } as any, queryId: { queryId: 'explain' } } as any);
      return (r.rows as { 'QUERY PLAN': string }[]).map((x) => x['QUERY PLAN']).join('\n');
    });
    return { plan, probed: seen.some((s) => /FROM search_gram AS x/.test(s.text) && !/FROM "o_sc_cust"/.test(s.text)) };
  }

  it('a query of common grams (every name has `ustomer`) keeps the scan; a rare one reads search_gram', async () => {
    const common = await listPlan('ustomer');
    expect(common.probed).toBe(true);
    expect(common.plan).toMatch(/Seq Scan on o_sc_cust/);
    expect(common.plan).not.toMatch(/search_gram/);
    const rare = await listPlan('customer-13579');
    expect(rare.probed).toBe(true);
    expect(rare.plan).toMatch(/search_gram_gram_idx/);
    expect(rare.plan).toMatch(/Index Scan using o_sc_cust_pkey on o_sc_cust/);
    expect(rare.plan).not.toMatch(/Seq Scan on o_sc_cust/);
    // The answer is remembered: the same search again sends no probe.
    expect((await listPlan('customer-13579')).probed).toBe(false);
  }, 60_000);
});
