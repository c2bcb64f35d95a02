import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, type TenantCreated } from '@mosaic/identity';
import { addField, createObject, type MetaCtx } from '@mosaic/meta';
import { ADMIN_PASSWORD, createTestApp, type TestApp } from '@mosaic/testing';

// The gram rebuild and the metadata changes of two tenants on one shared table (migration 0068,
// ADR 0009). Each transaction here is its own connection, held open between statements:
//   - a change that syncs and then writes the table, beside another tenant's rebuild: no deadlock
//     (0066's rebuild took the table's SHARE lock before the sync lock, the change the reverse);
//   - a new searchable column (ALTER TABLE, then the sync) beside another tenant's rebuild: no
//     deadlock (meta.service takes the sync lock before it alters the table);
//   - a tenant's rebuild holds off that tenant's writes only: another tenant's insert does not wait,
//     and the tenant's own writes — one in flight when the rebuild starts, one during it — keep
//     their grams.
let t: TestApp;
let b: TenantCreated;
let bCtx: MetaCtx;
const open: pg.Client[] = [];
const TABLE = 'o_rl_item';

const item = (noteSearchable: boolean) => ({ apiName: 'rl_item', label: '锁', fields: [
  { apiName: 'name', type: 'text', label: '名称' },
  { apiName: 'note', type: 'text', label: '备注', config: { searchable: noteSearchable } },
] });

beforeAll(async () => {
  t = await createTestApp();
  b = await createTenant(t.testDb.db, { name: 'B', companyName: 'B 公司', adminEmail: `b-${Date.now()}@test.local`, adminPassword: ADMIN_PASSWORD });
  bCtx = { db: t.testDb.db, store: t.store, tenantId: b.tenantId, userId: null };
  // Tenant A searches the note, B does not (yet): the same shared table and column, so B's rebuild makes no trigger DDL.
  const r = await t.api('POST', '/api/v1/meta/objects', item(true));
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  await createObject(bCtx, item(false));
  const su = await client();
  const tables = await su.query(`SELECT DISTINCT o.table_name FROM meta_object o WHERE o.api_name = 'rl_item'`);
  expect(tables.rows).toEqual([{ table_name: TABLE }]);
}, 120_000);

afterAll(async () => {
  for (const c of open) await c.end().catch(() => {});
  await t?.close();
});

/** A new connection (superuser on the test database). */
async function client(): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: t.testDb.url });
  await c.connect();
  await c.query('SET search_path = mosaic, public');
  open.push(c);
  return c;
}

/** A transaction as `role` with the tenant set, left open. */
async function begin(role: 'mosaic_owner' | 'mosaic_app', tenantId: string): Promise<pg.Client> {
  const c = await client();
  await c.query('BEGIN');
  await c.query(`SET LOCAL ROLE ${role}`);
  await c.query(`SELECT set_config('mosaic.tenant_id', $1, true)`, [tenantId]);
  return c;
}

const tenantOf = (which: 'a' | 'b') => (which === 'a' ? t.tenant : b);

async function insert(c: pg.Client, which: 'a' | 'b', note: string): Promise<string> {
  const tn = tenantOf(which);
  const r = await c.query(`INSERT INTO ${TABLE} (tenant_id, id, company_id, owner_id, c_name, c_note)
    VALUES (mosaic_tenant(), gen_random_uuid(), $1, $2, $3, $4) RETURNING id`, [tn.companyId, tn.adminId, `行 ${note}`, note]);
  return r.rows[0].id;
}

/** Waits until a backend whose query matches `like` waits on a lock (of the kind `lock` when given: `advisory`, `relation` …). */
async function waitsOn(lock: string | null, like: string): Promise<void> {
  const watcher = await client();
  for (let i = 0; ; i++) {
    const r = await watcher.query(`SELECT wait_event AS e FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE $1`, [like]);
    if (r.rows.length) {
      if (lock) expect(r.rows.map((x) => x.e), like).toEqual([lock]);
      return;
    }
    expect(i, `a lock wait of ${like}`).toBeLessThan(400);
    await new Promise((res) => setTimeout(res, 25));
  }
}

/** The record's stored grams and the grams its tenant's searchable columns make now. */
async function grams(id: string): Promise<{ stored: string[]; want: string[] }> {
  const su = await client();
  const r = await su.query(`SELECT coalesce((SELECT array_agg(gram ORDER BY gram) FROM search_gram WHERE object = $1 AND record_id = $2), '{}') AS stored,
      mosaic_search_row_grams(to_jsonb(o), mosaic_search_columns($1, o.tenant_id)) AS want FROM ${TABLE} o WHERE o.id = $2`, [TABLE, id]);
  return r.rows[0];
}

const setNoteSearchable = (c: pg.Client, which: 'a' | 'b', on: boolean) =>
  c.query(`UPDATE meta_field f SET config = f.config || jsonb_build_object('searchable', $2::boolean)
    FROM meta_object o WHERE o.tenant_id = f.tenant_id AND o.id = f.object_id AND o.api_name = 'rl_item' AND f.api_name = 'note' AND f.tenant_id = $1`,
  [tenantOf(which).tenantId, on]);

describe('two tenants’ metadata changes on one shared table', () => {
  it('a sync that then writes the table, beside another tenant’s rebuild: both commit, no deadlock', async () => {
    const a = await begin('mosaic_owner', t.tenant.tenantId);
    const bTx = await begin('mosaic_owner', b.tenantId);
    await a.query(`SELECT mosaic_search_sync($1, $2::uuid)`, [TABLE, t.tenant.tenantId]); // A holds the table's sync lock
    await setNoteSearchable(bTx, 'b', true);
    const rebuild = bTx.query(`SELECT mosaic_search_reindex($1, $2::uuid)`, [TABLE, b.tenantId]);
    rebuild.catch(() => {}); // awaited below
    await waitsOn('advisory', 'SELECT mosaic_search_reindex%');
    // A writes its rows now (as addField's backfill of a stored formula does after its sync).
    await a.query(`UPDATE ${TABLE} SET c_note = c_note`);
    await a.query('COMMIT');
    await rebuild;
    await bTx.query('ROLLBACK');
  }, 60_000);

  it('a new searchable column (ALTER TABLE, then the sync) beside another tenant’s rebuild: no deadlock', async () => {
    const bTx = await begin('mosaic_owner', b.tenantId);
    await bTx.query(`SELECT mosaic_search_sync_lock($1)`, [TABLE]); // B's rebuild has begun: it holds the sync lock
    // outerRetry: one try, so a deadlock would reach this caller rather than be run again.
    const adds = addField({ db: t.testDb.db, store: t.store, tenantId: t.tenant.tenantId, userId: null, outerRetry: true }, 'rl_item',
      { apiName: 'memo', type: 'text', label: '摘要', config: { searchable: true } });
    adds.catch(() => {});
    await waitsOn('advisory', 'SELECT mosaic_search_sync%');
    await bTx.query(`SELECT mosaic_search_reindex($1, $2::uuid)`, [TABLE, b.tenantId]); // reads the table
    await bTx.query('COMMIT');
    expect(await adds).toMatchObject({ apiName: 'memo', config: { searchable: true } });
  }, 60_000);
});

describe('a tenant’s rebuild holds off that tenant’s writes only', () => {
  it('another tenant inserts meanwhile; the tenant’s writes in flight and during the rebuild keep their grams', async () => {
    // B writes a row, not committed yet: its trigger read B's metadata before the change (note not searchable).
    const inFlight = await begin('mosaic_app', b.tenantId);
    const early = await insert(inFlight, 'b', '早到的备注 early note');
    // B's metadata change: note becomes searchable, the rebuild waits for the write in flight.
    const change = await begin('mosaic_owner', b.tenantId);
    await setNoteSearchable(change, 'b', true);
    const rebuild = change.query(`SELECT mosaic_search_reindex($1, $2::uuid)`, [TABLE, b.tenantId]);
    rebuild.catch(() => {});
    await waitsOn(null, 'SELECT mosaic_search_reindex%');
    // Tenant A's insert does not wait for B's change (0066's SHARE lock held every tenant's writes).
    const aTx = await begin('mosaic_app', t.tenant.tenantId);
    await aTx.query(`SET LOCAL lock_timeout = '5s'`);
    const aId = await insert(aTx, 'a', '甲方备注 tenant a');
    await aTx.query('COMMIT');
    await inFlight.query('COMMIT');
    await rebuild;
    // B writes during the rebuild's transaction: it waits, then indexes with the committed metadata.
    const during = await begin('mosaic_app', b.tenantId);
    const late = insert(during, 'b', '迟到的备注 late note');
    late.catch(() => {});
    await waitsOn('advisory', `INSERT INTO ${TABLE}%`);
    await change.query('COMMIT');
    const lateId = await late;
    await during.query('COMMIT');
    for (const id of [early, lateId, aId]) {
      const g = await grams(id);
      expect(g.stored, id).toEqual(g.want);
    }
    // The note's grams are in: B's note is searchable now.
    expect((await grams(early)).want).toEqual(expect.arrayContaining(['ear', '早', '早到']));
    expect((await grams(lateId)).want).toEqual(expect.arrayContaining(['lat', '迟到']));
  }, 60_000);
});
