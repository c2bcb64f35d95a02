import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '@mosaic/db';
import { registerDocumentHooks } from '@mosaic/process';
import { createTestApp, statementTextsOf, type TestApp } from '@mosaic/testing';
import { roleWith, userWith } from './access-helpers.ts';

// Issue 8's round trips: a create answers from its writes' RETURNING and a submit from
// its lock and its log statement — never a read-back — and the answer is exactly what a
// GET answers after it (computed fields, field rights, what the hooks changed).
let t: TestApp;
let clerk: { id: string; token: string };

registerDocumentHooks('wr_order', {
  // A validate hook may still change the lines (the document is a draft until its status is written).
  async validate({ tx, record }) {
    if (record.note === 'stamp') await sql`UPDATE o_wr_line SET c_remark = 'stamped' WHERE parent_id = ${record.id}`.execute(tx);
  },
  // After the status, only fields editable after submit may change.
  async onSubmit({ tx, record }) {
    if (record.note === 'stamp') await sql`UPDATE o_wr_order SET c_tracking = 'T-1' WHERE id = ${record.id}`.execute(tx);
  },
});

const field = async (object: string, body: Record<string, unknown>) => {
  const r = await t.api('POST', `/api/v1/meta/objects/${object}/fields`, body);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
};

beforeAll(async () => {
  t = await createTestApp();
  const head = await t.api('POST', '/api/v1/meta/objects', {
    apiName: 'wr_order', label: '单', isDocument: true,
    fields: [
      { apiName: 'number', type: 'auto_number', label: '单号', config: { pattern: 'WR-{#####}' } },
      { apiName: 'note', type: 'text', label: '备注' },
      { apiName: 'secret', type: 'text', label: '内部' },
      { apiName: 'tracking', type: 'text', label: '运单', config: { editableAfterSubmit: true } },
    ],
  });
  expect(head.status, JSON.stringify(head.body)).toBe(201);
  const line = await t.api('POST', '/api/v1/meta/objects', {
    apiName: 'wr_line', label: '行', isChild: true, parentObject: 'wr_order',
    fields: [{ apiName: 'qty', type: 'decimal', label: '数量' }, { apiName: 'rate', type: 'decimal', label: '单价' }, { apiName: 'remark', type: 'text', label: '说明' }],
  });
  expect(line.status, JSON.stringify(line.body)).toBe(201);
  await field('wr_line', { apiName: 'amount', type: 'formula', label: '金额', config: { formula: 'ROUND(qty * rate, 2)' } });
  await field('wr_order', { apiName: 'lines', type: 'child_table', label: '明细', config: { target: 'wr_line' } });
  await field('wr_order', { apiName: 'total', type: 'rollup', label: '合计', config: { rollup: { relation: 'lines', field: 'amount', fn: 'sum' } } });
  const role = await roleWith(t, 'wr_clerk', [
    { object: 'wr_order', action: 'read', scope: 'own' }, { object: 'wr_order', action: 'create' }, { object: 'wr_order', action: 'submit', scope: 'own' },
  ], [{ object: 'wr_order', field: 'secret', rule: 'hidden' }]);
  clerk = await userWith(t, [role], { name: 'clerk' });
}, 120_000);

afterAll(async () => {
  await t?.close();
});

const reads = (statements: string[], table: string) => statements.filter((s) => /^\s*SELECT/.test(s) && s.includes(`FROM "${table}" AS t`));

describe('a create', () => {
  it('answers what a GET answers — stored formula, roll-up, number, title, a hidden field left out — without reading the record back', async () => {
    let created: any;
    const sent = await statementTextsOf(async () => {
      created = await t.api('POST', '/api/v1/records/wr_order', { note: 'a', lines: [{ qty: 2, rate: '1.25' }, { qty: 3, rate: '10' }] }, { token: clerk.token });
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(reads(sent, 'o_wr_order')).toEqual([]);
    expect(reads(sent, 'o_wr_line')).toEqual([]);
    expect(created.body).toMatchObject({ note: 'a', total: '32.50', status: 'draft', version: 1 });
    expect(created.body.number).toMatch(/^WR-\d{5}$/);
    expect(created.body).not.toHaveProperty('secret');
    expect(created.body.lines.map((l: any) => l.amount)).toEqual(['2.50', '30.00']);
    const got = await t.api('GET', `/api/v1/records/wr_order/${created.body.id}`, undefined, { token: clerk.token });
    expect(created.body).toEqual(got.body);
  });

  it('answers the administrator with the field the clerk may not see', async () => {
    const created = await t.api('POST', '/api/v1/records/wr_order', { note: 'b', secret: 's', lines: [] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ secret: 's', total: '0', lines: [] });
    expect(created.body).toEqual((await t.api('GET', `/api/v1/records/wr_order/${created.body.id}`)).body);
  });
});

describe('an update', () => {
  it('of a record without lines or stored formulas answers from its UPDATE, as a GET answers, field rights applied', async () => {
    const role = await roleWith(t, 'wr_customer_clerk', [{ object: 'customer', action: 'read', scope: 'own' }, { object: 'customer', action: 'create' }, { object: 'customer', action: 'edit', scope: 'own' }],
      [{ object: 'customer', field: 'credit_limit', rule: 'hidden' }]);
    const rep = await userWith(t, [role], { name: 'rep' });
    const c = await t.api('POST', '/api/v1/records/customer', { name: '回写客户', tier: 'A' }, { token: rep.token });
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    let updated: any;
    const sent = await statementTextsOf(async () => {
      updated = await t.api('PATCH', `/api/v1/records/customer/${c.body.id}`, { version: c.body.version, name: '回写客户二', phone: '13800000000' }, { token: rep.token });
    });
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    expect(reads(sent, 'o_customer').filter((s) => !/FOR UPDATE OF t\s*$/.test(s)), 'reads besides the row lock').toEqual([]);
    expect(updated.body).toMatchObject({ name: '回写客户二', phone: '13800000000', version: c.body.version + 1, $title: '回写客户二' });
    expect(updated.body).not.toHaveProperty('credit_limit');
    expect(updated.body).toEqual((await t.api('GET', `/api/v1/records/customer/${c.body.id}`, undefined, { token: rep.token })).body);
  });

  it('of a record with lines reads it back (the UPDATE returns only the rows it changed)', async () => {
    const doc = (await t.api('POST', '/api/v1/records/wr_order', { note: 'u', lines: [{ qty: 1, rate: 2 }] }, { token: clerk.token })).body;
    const updated = await t.api('PATCH', `/api/v1/records/wr_order/${doc.id}`, { version: doc.version, note: 'u2' });
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    expect(updated.body.lines.map((l: any) => l.amount)).toEqual(['2.00']);
    expect(updated.body).toEqual((await t.api('GET', `/api/v1/records/wr_order/${doc.id}`)).body);
  });
});

describe('a submit', () => {
  it('locks and reads the record in one statement and logs and reads it again in one, answering what a GET answers', async () => {
    const doc = (await t.api('POST', '/api/v1/records/wr_order', { note: 'a', lines: [{ qty: 1, rate: 1 }] }, { token: clerk.token })).body;
    let sub: any;
    const sent = await statementTextsOf(async () => {
      sub = await t.api('POST', `/api/v1/records/wr_order/${doc.id}/submit`, { version: 1 }, { token: clerk.token });
    });
    expect(sub.status, JSON.stringify(sub.body)).toBe(200);
    expect(sub.body).toMatchObject({ status: 'submitted', version: 2 });
    expect(reads(sent, 'o_wr_order')).toHaveLength(1); // the lock; the final read rides on the audit statement
    expect(reads(sent, 'o_wr_order')[0]).toMatch(/FOR UPDATE OF t/);
    expect(reads(sent, 'o_wr_line')).toHaveLength(1);
    expect(sub.body).toEqual((await t.api('GET', `/api/v1/records/wr_order/${doc.id}`, undefined, { token: clerk.token })).body);
  });

  it('shows what the hooks changed: lines stamped in validate (read again), a field editable after submit set in onSubmit', async () => {
    const doc = (await t.api('POST', '/api/v1/records/wr_order', { note: 'stamp', lines: [{ qty: 1, rate: 1 }, { qty: 2, rate: 2 }] }, { token: clerk.token })).body;
    const sub = await t.api('POST', `/api/v1/records/wr_order/${doc.id}/submit`, { version: 1 }, { token: clerk.token });
    expect(sub.status, JSON.stringify(sub.body)).toBe(200);
    expect(sub.body.tracking).toBe('T-1');
    expect(sub.body.lines.map((l: any) => l.remark)).toEqual(['stamped', 'stamped']);
    expect(sub.body).toEqual((await t.api('GET', `/api/v1/records/wr_order/${doc.id}`, undefined, { token: clerk.token })).body);
  });

  it("refuses another user's document as missing (the record scope is in the lock)", async () => {
    const doc = (await t.api('POST', '/api/v1/records/wr_order', { note: 'admin', lines: [] })).body;
    const sub = await t.api('POST', `/api/v1/records/wr_order/${doc.id}/submit`, { version: 1 }, { token: clerk.token });
    expect(sub.status).toBe(404);
    expect(sub.body.error.code).toBe('RECORD_NOT_FOUND');
  });
});
