import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '@mosaic/kernel';
import { inTenantTx, sql } from '@mosaic/db';
import { registerDocumentHooks } from '@mosaic/process';
import { createTestApp, type TestApp } from '@mosaic/testing';

// Document lifecycle: draft → submitted → cancelled → amended; a submitted
// document is immutable through the API and in the database itself.
let t: TestApp;
const posted: string[] = [];

registerDocumentHooks('inspection', {
  async validate({ record, tx }) {
    // A hook that deletes a line (before the status write: a submitted document's rows are immutable);
    // the submit's reply must not show it any more.
    if (record.note === '删一行') await sql`DELETE FROM o_inspection_line WHERE parent_id = ${record.id} AND c_item = '删'`.execute(tx);
    if (record.note === '拒绝') throw new AppError('RULE_VIOLATED', 'note: 此单据不允许提交', { field: 'note' });
  },
  async onSubmit({ record, tx }) {
    if (record.note === '过账失败') throw new AppError('CONFLICT', 'posting failed');
    // The transition's flag is on only while its own status is written: a hook cannot flip another document's status.
    if (record.note === '改别的单') {
      const flag = await sql<{ v: string | null }>`SELECT current_setting('mosaic.doc_transition', true) AS v`.execute(tx);
      posted.push(`flag:${flag.rows[0].v}`);
      await sql`UPDATE o_inspection SET status = 'cancelled' WHERE status = 'submitted'`.execute(tx);
    }
    posted.push(`submit:${record.id}`);
    await sql`SELECT 1`.execute(tx);
  },
  async onCancel({ record }) {
    posted.push(`cancel:${record.id}`);
  },
});

beforeAll(async () => {
  t = await createTestApp();
  const r = await t.api('POST', '/api/v1/meta/objects', {
    apiName: 'inspection', label: '检验单', isDocument: true,
    fields: [
      { apiName: 'number', type: 'auto_number', label: '单号', config: { pattern: 'SE-{#####}' } },
      { apiName: 'note', type: 'text', label: '备注' },
      { apiName: 'remark_after', type: 'text', label: '提交后备注', config: { editableAfterSubmit: true } },
    ],
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  await t.api('POST', '/api/v1/meta/objects', { apiName: 'inspection_line', label: '明细', isChild: true, parentObject: 'inspection', fields: [{ apiName: 'item', type: 'text', label: '物料' }, { apiName: 'qty', type: 'decimal', label: '数量' }] });
  const f = await t.api('POST', '/api/v1/meta/objects/inspection/fields', { apiName: 'lines', type: 'child_table', label: '明细', config: { target: 'inspection_line' } });
  expect(f.status, JSON.stringify(f.body)).toBe(201);
});

afterAll(async () => {
  await t?.close();
});

const create = async (note = '正常') => (await t.api('POST', '/api/v1/records/inspection', { note, lines: [{ item: '螺栓', qty: 5 }] })).body;

describe('document lifecycle', () => {
  it('submits a draft, runs the posting hook, and then refuses edits and deletes', async () => {
    const doc = await create();
    const sub = await t.api('POST', `/api/v1/records/inspection/${doc.id}/submit`, { version: 1 });
    expect(sub.status, JSON.stringify(sub.body)).toBe(200);
    expect(sub.body).toMatchObject({ status: 'submitted', version: 2 });
    expect(sub.body.submitted_at).toBeTruthy();
    expect(posted).toContain(`submit:${doc.id}`);
    const edit = await t.api('PATCH', `/api/v1/records/inspection/${doc.id}`, { version: 2, note: '改' });
    expect(edit.body.error.code).toBe('DOCUMENT_IMMUTABLE');
    const editLines = await t.api('PATCH', `/api/v1/records/inspection/${doc.id}`, { version: 2, lines: [] });
    expect(editLines.body.error.code).toBe('DOCUMENT_IMMUTABLE');
    const del = await t.api('DELETE', `/api/v1/records/inspection/${doc.id}`);
    expect(del.body.error.code).toBe('DOCUMENT_IMMUTABLE');
    const ok = await t.api('PATCH', `/api/v1/records/inspection/${doc.id}`, { version: 2, remark_after: '可改' });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    const again = await t.api('POST', `/api/v1/records/inspection/${doc.id}/submit`, { version: 3 });
    expect(again.body.error.code).toBe('CONFLICT');
  });

  it('answers a submit with the child rows a hook left, as a GET does', async () => {
    const doc = (await t.api('POST', '/api/v1/records/inspection', { note: '删一行', lines: [{ item: '留', qty: 1 }, { item: '删', qty: 2 }] })).body;
    const sub = await t.api('POST', `/api/v1/records/inspection/${doc.id}/submit`, { version: 1 });
    expect(sub.status, JSON.stringify(sub.body)).toBe(200);
    const got = await t.api('GET', `/api/v1/records/inspection/${doc.id}`);
    expect(sub.body.lines.map((l: { item: string }) => l.item)).toEqual(['留']);
    expect(sub.body.lines).toEqual(got.body.lines);
  });

  it('is immutable in the database itself, even through the application role by hand', async () => {
    const doc = await create();
    await t.api('POST', `/api/v1/records/inspection/${doc.id}/submit`, { version: 1 });
    const attempt = (q: ReturnType<typeof sql>) => inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, (tx) => q.execute(tx));
    await expect(attempt(sql`UPDATE o_inspection SET c_note = 'hacked' WHERE id = ${doc.id}`)).rejects.toMatchObject({ code: 'MS001' });
    await expect(attempt(sql`UPDATE o_inspection SET status = 'draft' WHERE id = ${doc.id}`)).rejects.toMatchObject({ code: 'MS001' });
    await expect(attempt(sql`DELETE FROM o_inspection WHERE id = ${doc.id}`)).rejects.toMatchObject({ code: 'MS001' });
    await expect(attempt(sql`UPDATE o_inspection_line SET c_qty = 999 WHERE parent_id = ${doc.id}`)).rejects.toMatchObject({ code: 'MS001' });
    await expect(attempt(sql`DELETE FROM o_inspection_line WHERE parent_id = ${doc.id}`)).rejects.toMatchObject({ code: 'MS001' });
    await expect(attempt(sql`INSERT INTO o_inspection_line (tenant_id, id, parent_id, c_item) VALUES (${t.tenant.tenantId}, gen_random_uuid(), ${doc.id}, 'x')`)).rejects.toMatchObject({ code: 'MS001' });
    // a draft can't jump to submitted by hand either
    const draft = await create();
    await expect(attempt(sql`UPDATE o_inspection SET status = 'submitted' WHERE id = ${draft.id}`)).rejects.toMatchObject({ code: 'MS001' });
  });

  it('clears the transition flag as soon as the status is written (one statement): hooks cannot change other documents\' status', async () => {
    const other = await create();
    expect((await t.api('POST', `/api/v1/records/inspection/${other.id}/submit`, { version: 1 })).status).toBe(200);
    const doc = await create('改别的单');
    const r = await t.api('POST', `/api/v1/records/inspection/${doc.id}/submit`, { version: 1 });
    expect(r.status, JSON.stringify(r.body)).toBe(409);
    expect(posted).toContain('flag:off');
    expect((await t.api('GET', `/api/v1/records/inspection/${other.id}`)).body.status).toBe('submitted');
    expect((await t.api('GET', `/api/v1/records/inspection/${doc.id}`)).body).toMatchObject({ status: 'draft', version: 1 });
  });

  it('rolls the whole submit back when validation or the posting fails', async () => {
    const refused = await create('拒绝');
    const r1 = await t.api('POST', `/api/v1/records/inspection/${refused.id}/submit`, { version: 1 });
    expect(r1.body.error).toMatchObject({ code: 'RULE_VIOLATED', field: 'note' });
    const failing = await create('过账失败');
    const r2 = await t.api('POST', `/api/v1/records/inspection/${failing.id}/submit`, { version: 1 });
    expect(r2.status).toBe(409);
    const still = await t.api('GET', `/api/v1/records/inspection/${failing.id}`);
    expect(still.body).toMatchObject({ status: 'draft', version: 1, submitted_at: null });
  });

  it('cancels with a reason (running the reversal hook) and amends into a new linked draft', async () => {
    const doc = await create();
    await t.api('POST', `/api/v1/records/inspection/${doc.id}/submit`, { version: 1 });
    const stale = await t.api('POST', `/api/v1/records/inspection/${doc.id}/cancel`, { version: 1 });
    expect(stale.body.error.code).toBe('VERSION_CONFLICT');
    const c = await t.api('POST', `/api/v1/records/inspection/${doc.id}/cancel`, { version: 2, reason: '数量错误' });
    expect(c.body).toMatchObject({ status: 'cancelled', cancel_reason: '数量错误' });
    expect(posted).toContain(`cancel:${doc.id}`);
    const a = await t.api('POST', `/api/v1/records/inspection/${doc.id}/amend`);
    expect(a.status, JSON.stringify(a.body)).toBe(201);
    expect(a.body).toMatchObject({ status: 'draft', amended_from: doc.id, note: '正常' });
    expect(a.body.number).not.toBe(doc.number);
    expect(a.body.lines).toHaveLength(1);
    expect(a.body.lines[0]).toMatchObject({ item: '螺栓' });
  });

  it('records every transition as an event', async () => {
    const doc = await create();
    await t.api('POST', `/api/v1/records/inspection/${doc.id}/submit`, { version: 1 });
    const ops = await inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, (tx) =>
      sql<{ op: string }>`SELECT op FROM outbox_event WHERE record_id = ${doc.id} ORDER BY seq`.execute(tx));
    expect(ops.rows.map((r) => r.op)).toEqual(['create', 'submit']);
  });
});
