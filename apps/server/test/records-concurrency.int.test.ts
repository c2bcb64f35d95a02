import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenantTx, sql } from '@mosaic/db';
import { readEvents, ackEvents } from '@mosaic/records';
import { createTestApp, type TestApp } from '@mosaic/testing';

// Auto-numbers under concurrency, idempotency keys, optimistic locking, bulk atomicity, the outbox.
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  const r = await t.api('POST', '/api/v1/meta/objects', {
    apiName: 't_ticket', label: '工单',
    fields: [
      { apiName: 'number', type: 'auto_number', label: '编号', config: { pattern: 'TK-{YYYY}-{#####}' } },
      { apiName: 'title', type: 'text', label: '标题', required: true },
      { apiName: 'hours', type: 'decimal', label: '工时' },
    ],
    rules: [{ name: 'hours_positive', formula: 'OR(ISBLANK(hours), hours > 0)', message: { zh: '工时必须大于 0', en: 'Hours must be positive' }, field: 'hours' }],
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  const doc = await t.api('POST', '/api/v1/meta/objects', { apiName: 't_doc', label: '单据', isDocument: true, fields: [{ apiName: 'title', type: 'text', label: '标题' }] });
  expect(doc.status, JSON.stringify(doc.body)).toBe(201);
});

afterAll(async () => {
  await t?.close();
});

describe('auto-number', () => {
  it('gives 20 concurrent inserts 20 distinct numbers with no gaps, and a failed insert gives its number back', async () => {
    const bad = await t.api('POST', '/api/v1/records/t_ticket', { title: '坏的', hours: -1 });
    expect(bad.body.error).toMatchObject({ code: 'RULE_VIOLATED', field: 'hours' });
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => t.api('POST', '/api/v1/records/t_ticket', { title: `并发 ${i}` })));
    expect(replies.map((r) => r.status)).toEqual(Array(20).fill(201));
    const numbers = replies.map((r) => Number(r.body.number.split('-')[2])).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });
});

describe('idempotency', () => {
  it('replays the same reply for the same key and body, refuses another body', async () => {
    const headers = { 'idempotency-key': 'create-ticket-42' };
    const first = await t.api('POST', '/api/v1/records/t_ticket', { title: '幂等' }, { headers });
    const second = await t.api('POST', '/api/v1/records/t_ticket', { title: '幂等' }, { headers });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers['idempotent-replayed']).toBe('true');
    const other = await t.api('POST', '/api/v1/records/t_ticket', { title: '别的' }, { headers });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('IDEMPOTENCY_CONFLICT');
    const count = await t.api('GET', `/api/v1/records/t_ticket?filter=${encodeURIComponent(JSON.stringify({ title: '幂等' }))}`);
    expect(count.body.total).toBe(1);
  });

  it('replays an update sent again with its key: the retry of a PATCH whose reply was lost is not a version conflict', async () => {
    const created = await t.api('POST', '/api/v1/records/t_ticket', { title: '改一次' });
    const headers = { 'idempotency-key': 'update-once-1' };
    const body = { version: created.body.version, title: '改过了' };
    const first = await t.api('PATCH', `/api/v1/records/t_ticket/${created.body.id}`, body, { headers });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const again = await t.api('PATCH', `/api/v1/records/t_ticket/${created.body.id}`, body, { headers });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    // Without the key the same stale version is the conflict it should be.
    const stale = await t.api('PATCH', `/api/v1/records/t_ticket/${created.body.id}`, body);
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('VERSION_CONFLICT');
    expect((await t.api('GET', `/api/v1/records/t_ticket/${created.body.id}`)).body.version).toBe(first.body.version);
  });

  it('creates once when the same key arrives concurrently, and every caller gets the first reply', async () => {
    const headers = { 'idempotency-key': 'race-1' };
    const replies = await Promise.all(Array.from({ length: 5 }, () => t.api('POST', '/api/v1/records/t_ticket', { title: '竞争' }, { headers })));
    // The duplicates wait on the first one's key row (written in its own transaction) and replay it.
    expect(replies.map((r) => r.status)).toEqual(Array(5).fill(201));
    expect(new Set(replies.map((r) => r.body.id)).size).toBe(1);
    expect(replies.filter((r) => r.headers['idempotent-replayed'] === 'true').length).toBe(4);
    const count = await t.api('GET', `/api/v1/records/t_ticket?filter=${encodeURIComponent(JSON.stringify({ title: '竞争' }))}`);
    expect(count.body.total).toBe(1);
  });

  it('commits the key with the work: a failed request leaves the key free, a done one leaves it with its reply', async () => {
    const headers = { 'idempotency-key': 'atomic-1' };
    const bad = await t.api('POST', '/api/v1/records/t_ticket', { title: '原子', hours: -1 }, { headers });
    expect(bad.body.error.code).toBe('RULE_VIOLATED');
    const keyRow = () => inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, async (tx) =>
      (await sql<{ status_code: number; response: any }>`SELECT status_code, response FROM idempotency_key WHERE key = 'atomic-1'`.execute(tx)).rows);
    expect(await keyRow()).toEqual([]);
    const ok = await t.api('POST', '/api/v1/records/t_ticket', { title: '原子', hours: 2 }, { headers: { 'idempotency-key': 'atomic-1' } });
    expect(ok.status).toBe(201);
    const [row] = await keyRow();
    expect(row.status_code).toBe(201);
    expect(row.response.id).toBe(ok.body.id);
  });

  it('answers IDEMPOTENCY_IN_PROGRESS for a key an older server left claimed without a reply', async () => {
    // The earlier two-step scheme claimed a key before the work; a crash left it so. Such rows stay refused.
    const { tenantId, adminId } = t.tenant;
    const body = { title: '旧的' };
    const hash = createHash('sha256').update(`POST /api/v1/records/t_ticket\n${JSON.stringify(body)}`).digest('hex');
    await inTenantTx(t.testDb.db.app, { tenantId, userId: adminId }, (tx) =>
      sql`INSERT INTO idempotency_key (tenant_id, user_id, key, request_hash) VALUES (${tenantId}, ${adminId}, 'legacy-claim', ${hash})`.execute(tx));
    const r = await t.api('POST', '/api/v1/records/t_ticket', body, { headers: { 'idempotency-key': 'legacy-claim' } });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('IDEMPOTENCY_IN_PROGRESS');
  });

  it('submits a document once for a retried key, replaying the first reply', async () => {
    const d = await t.api('POST', '/api/v1/records/t_doc', { title: '提交一次' });
    expect(d.status, JSON.stringify(d.body)).toBe(201);
    const headers = { 'idempotency-key': `submit-${d.body.id}` };
    const replies = await Promise.all(Array.from({ length: 3 }, () => t.api('POST', `/api/v1/records/t_doc/${d.body.id}/submit`, { version: d.body.version }, { headers })));
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200]);
    for (const r of replies) expect(r.body).toEqual(replies[0].body);
    expect(replies[0].body.status).toBe('submitted');
    // Without the key, the same retry is refused: the document moved on.
    const again = await t.api('POST', `/api/v1/records/t_doc/${d.body.id}/submit`, { version: d.body.version });
    expect(again.status).toBe(409);
    const audit = await inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, async (tx) =>
      (await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log WHERE record_id = ${d.body.id} AND kind = 'record.submit'`.execute(tx)).rows[0].n);
    expect(audit).toBe(1);
  });
});

describe('optimistic locking', () => {
  it('lets exactly one of two concurrent updates with the same version win', async () => {
    const c = await t.api('POST', '/api/v1/records/t_ticket', { title: '锁' });
    const [a, b] = await Promise.all([
      t.api('PATCH', `/api/v1/records/t_ticket/${c.body.id}`, { version: 1, hours: 1 }),
      t.api('PATCH', `/api/v1/records/t_ticket/${c.body.id}`, { version: 1, hours: 2 }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
  });
});

describe('bulk', () => {
  it('writes all rows or none, naming the bad row', async () => {
    const r = await t.api('POST', '/api/v1/records/t_ticket/bulk', { records: [{ title: '一' }, { title: '二', hours: 'x' }, { title: '三' }] });
    expect(r.status).toBe(422);
    expect(r.body.error.field).toBe('1.hours');
    const none = await t.api('GET', `/api/v1/records/t_ticket?filter=${encodeURIComponent(JSON.stringify({ title: { in: ['一', '三'] } }))}`);
    expect(none.body.total).toBe(0);
    const ok = await t.api('POST', '/api/v1/records/t_ticket/bulk', { records: [{ title: '一' }, { title: '三' }] });
    expect(ok.status).toBe(201);
    const upd = await t.api('PATCH', '/api/v1/records/t_ticket/bulk', { records: ok.body.data.map((d: any) => ({ id: d.id, version: d.version, hours: 2 })) });
    expect(upd.body.data.map((d: any) => d.version)).toEqual([2, 2]);
  });
});

describe('outbox', () => {
  it('records every change with old and new values, read in order with a cursor', async () => {
    const c = await t.api('POST', '/api/v1/records/t_ticket', { title: '事件' });
    await t.api('PATCH', `/api/v1/records/t_ticket/${c.body.id}`, { version: 1, title: '事件2' });
    await t.api('DELETE', `/api/v1/records/t_ticket/${c.body.id}`);
    const db = t.testDb.db.app;
    // Events become readable once every older transaction of the cluster has
    // ended; other test files run transactions beside this one, so wait for that.
    let all = await readEvents(db, t.tenant.tenantId, 'test-consumer', 10_000);
    for (let i = 0; i < 100 && all.filter((e) => e.recordId === c.body.id).length < 3; i++) {
      await new Promise((r) => setTimeout(r, 50));
      all = await readEvents(db, t.tenant.tenantId, 'test-consumer', 10_000);
    }
    const mine = all.filter((e) => e.recordId === c.body.id);
    expect(mine.map((e) => e.op)).toEqual(['create', 'update', 'delete']);
    expect(mine[1].changes.title).toEqual(['事件', '事件2']);
    expect(mine[1].actorId).toBe(t.tenant.adminId);
    await ackEvents(db, t.tenant.tenantId, 'test-consumer', all[all.length - 1]);
    expect((await readEvents(db, t.tenant.tenantId, 'test-consumer')).filter((e) => e.seq <= all[all.length - 1].seq)).toEqual([]);
    // another consumer keeps its own cursor
    expect((await readEvents(db, t.tenant.tenantId, 'other-consumer', 10_000)).length).toBe(all.length);
  });

  it('never skips an event whose transaction commits after a later one', async () => {
    const db = t.testDb.db;
    const consumer = 'late-commit';
    const start = await readEvents(db.app, t.tenant.tenantId, consumer, 10_000);
    if (start.length) await ackEvents(db.app, t.tenant.tenantId, consumer, start[start.length - 1]);
    // Transaction A takes an id first but commits last: it stays open until the
    // early read is done (a fixed sleep was not enough once the request went over a socket).
    let inserted!: () => void;
    let release!: () => void;
    const didInsert = new Promise<void>((r) => (inserted = r));
    const held = new Promise<void>((r) => (release = r));
    const slow = db.app.transaction().execute(async (tx) => {
      await sql`SELECT set_config('mosaic.tenant_id', ${t.tenant.tenantId}, true)`.execute(tx);
      await sql`INSERT INTO outbox_event (tenant_id, object, record_id, op) VALUES (${t.tenant.tenantId}, 't_ticket', gen_random_uuid(), 'slow')`.execute(tx);
      inserted();
      await held;
    });
    await didInsert;
    let early: Awaited<ReturnType<typeof readEvents>>;
    try {
      await t.api('POST', '/api/v1/records/t_ticket', { title: '快' });
      early = await readEvents(db.app, t.tenant.tenantId, consumer);
    } finally {
      release(); // never leave A open, even when the request failed
    }
    expect(early.map((e) => e.op)).not.toContain('slow');
    if (early.length) await ackEvents(db.app, t.tenant.tenantId, consumer, early[early.length - 1]);
    await slow;
    let later = await readEvents(db.app, t.tenant.tenantId, consumer);
    for (let i = 0; i < 100 && !later.some((e) => e.op === 'slow'); i++) {
      await new Promise((r) => setTimeout(r, 50));
      later = await readEvents(db.app, t.tenant.tenantId, consumer);
    }
    expect(later.map((e) => e.op)).toContain('slow');
  });
});

describe('audit', () => {
  it('keeps who changed what, old and new, per field', async () => {
    const c = await t.api('POST', '/api/v1/records/t_ticket', { title: '审计' });
    await t.api('PATCH', `/api/v1/records/t_ticket/${c.body.id}`, { version: 1, hours: '3' });
    const rows = await inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, (tx) =>
      sql<{ kind: string; actor_id: string; changes: any }>`SELECT kind, actor_id, changes FROM audit_log WHERE record_id = ${c.body.id} ORDER BY id`.execute(tx));
    expect(rows.rows.map((r) => r.kind)).toEqual(['record.create', 'record.update']);
    expect(rows.rows[1].actor_id).toBe(t.tenant.adminId);
    expect(rows.rows[1].changes).toEqual({ hours: [null, '3.000000'] });
  });
  it('stores a bulk create\'s change sets once: each event points at its audit entry, in the order of the rows (ADR 0010)', async () => {
    const titles = ['批一', '批二', '批三'];
    const bulk = await t.api('POST', '/api/v1/records/t_ticket/bulk', { records: titles.map((title) => ({ title })) });
    expect(bulk.status, JSON.stringify(bulk.body)).toBe(201);
    const rows = await inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, (tx) =>
      sql<{ seq: number; audit_id: number; own: unknown; id: number; title: unknown }>`SELECT e.seq, e.audit_id, e.changes AS own, a.id, a.changes -> 'title' -> 1 AS title
        FROM outbox_event e JOIN audit_log a ON a.tenant_id = e.tenant_id AND a.id = e.audit_id AND a.record_id = e.record_id AND a.kind = 'record.create'
        WHERE e.record_id IN (SELECT id FROM o_t_ticket WHERE c_title = ANY(${titles})) ORDER BY e.seq`.execute(tx));
    expect(rows.rows.map((r) => r.title)).toEqual(titles); // events in row order, each joined to its own audit entry
    expect(rows.rows.every((r) => JSON.stringify(r.own) === '{}')).toBe(true); // no second copy
    expect(rows.rows.map((r) => Number(r.id))).toEqual([...rows.rows.map((r) => Number(r.id))].sort((x, y) => x - y));
  });
});
