import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, statementTextsOf, type TestApp } from '@mosaic/testing';

// issue 2's get-by-id target: the read is ONE round trip to PostgreSQL (tenantRead's
// pipeline: settings + record + child rows), after authentication (one more here: tests
// run without the session cache, which a server holding its LISTEN connection has).
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  const parent = await t.api('POST', '/api/v1/meta/objects', { apiName: 'rt_order', label: '单', fields: [{ apiName: 'name', type: 'text', label: '名称' }] });
  expect(parent.status, JSON.stringify(parent.body)).toBe(201);
  const child = await t.api('POST', '/api/v1/meta/objects', { apiName: 'rt_line', label: '行', isChild: true, parentObject: 'rt_order', fields: [{ apiName: 'qty', type: 'integer', label: '数量' }] });
  expect(child.status, JSON.stringify(child.body)).toBe(201);
  const lines = await t.api('POST', '/api/v1/meta/objects/rt_order/fields', { apiName: 'lines', type: 'child_table', label: '明细', config: { target: 'rt_line' } });
  expect(lines.status, JSON.stringify(lines.body)).toBe(201);
});

afterAll(async () => {
  await t?.close();
});

describe('GET /records/{object}/{id}', () => {
  it('reads a record and its child rows in one round trip after authentication', async () => {
    const c = await t.api('POST', '/api/v1/records/rt_order', { name: '单一', lines: [{ qty: 1 }, { qty: 2 }] });
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    let reply: any;
    const sent = await statementTextsOf(async () => (reply = await t.api('GET', `/api/v1/records/rt_order/${c.body.id}`)));
    expect(reply.status).toBe(200);
    expect(reply.body.lines.map((l: any) => l.qty)).toEqual([1, 2]);
    expect(sent).toHaveLength(2);
    expect(sent[0]).toMatch(/mosaic_authenticate/);
    expect(sent[1]).toBe('pipeline of 3'); // tenant settings, the record, its lines
  });

  it('answers 404 for a record of the object that does not exist, in the same round trips', async () => {
    const sent = await statementTextsOf(async () => expect((await t.api('GET', '/api/v1/records/rt_order/0190b5c8-7a4d-7cc3-9a4e-0000000000ff')).status).toBe(404));
    expect(sent).toHaveLength(2);
  });
});
