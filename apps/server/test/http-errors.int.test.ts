import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@mosaic/testing';

// The edges of the API: bad JSON, oversized bodies, unknown things, bad paging —
// each a clear 4xx naming the problem; and random filters never make a 5xx.
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  await t.api('POST', '/api/v1/meta/objects', {
    apiName: 'product', label: '产品',
    fields: [
      { apiName: 'name', type: 'text', label: '名称' },
      { apiName: 'price', type: 'decimal', label: '价格' },
      { apiName: 'launched', type: 'date', label: '上市' },
      { apiName: 'kind', type: 'single_select', label: '类型', config: { options: [{ value: 'a', label: 'A' }] } },
    ],
  });
  await t.api('POST', '/api/v1/records/product/bulk', { records: [{ name: '甲', price: 1 }, { name: '乙', price: 2 }] });
});

afterAll(async () => {
  await t?.close();
});

const q = (filter: unknown) => `/api/v1/records/product?filter=${encodeURIComponent(typeof filter === 'string' ? filter : JSON.stringify(filter))}`;

describe('HTTP errors', () => {
  it.each([
    ['bad JSON body', 'POST', '/api/v1/records/product', '{"name": ', 400, 'BAD_JSON'],
    ['unknown object', 'GET', '/api/v1/records/nope', undefined, 404, 'OBJECT_UNKNOWN'],
    ['unknown record', 'GET', '/api/v1/records/product/0190b5c8-7a4d-7cc3-9a4e-000000000001', undefined, 404, 'RECORD_NOT_FOUND'],
    ['malformed id', 'GET', '/api/v1/records/product/abc', undefined, 404, 'RECORD_NOT_FOUND'],
    ['unknown route', 'GET', '/api/v1/nothing-here', undefined, 404, 'NOT_FOUND'],
    ['bad filter JSON', 'GET', q('{"name":'), undefined, 400, 'FILTER_INVALID'],
    ['unknown filter field', 'GET', q({ colour: 'red' }), undefined, 400, 'FIELD_UNKNOWN'],
    ['unknown operator', 'GET', q({ field: 'price', op: 'approx', value: 1 }), undefined, 400, 'OPERATOR_UNKNOWN'],
    ['wrong value type', 'GET', q({ price: { gt: 'cheap' } }), undefined, 422, 'FIELD_INVALID'],
    ['bad sort', 'GET', '/api/v1/records/product?sort=colour', undefined, 400, 'FIELD_UNKNOWN'],
    ['bad page size', 'GET', '/api/v1/records/product?pageSize=100000', undefined, 400, 'PAGE_INVALID'],
    ['bad page', 'GET', '/api/v1/records/product?page=-1', undefined, 400, 'PAGE_INVALID'],
    ['bad cursor', 'GET', '/api/v1/records/product?cursor=xyz', undefined, 400, 'PAGE_INVALID'],
    ['unknown fields param', 'GET', '/api/v1/records/product?fields=name,colour', undefined, 400, 'FIELD_UNKNOWN'],
    ['no token', 'GET', '/api/v1/records/product', undefined, 401, 'UNAUTHENTICATED'],
    ['empty bulk', 'POST', '/api/v1/records/product/bulk', { records: [] }, 422, 'VALIDATION_FAILED'],
    ['array body', 'POST', '/api/v1/records/product', [1, 2], 422, 'VALIDATION_FAILED'],
  ])('%s → %s %s', async (_name, method, url, body, status, code) => {
    const r = await t.api(method as string, url as string, body, _name === 'no token' ? { token: null } : {});
    expect(r.status).toBe(status);
    expect(r.body.error.code).toBe(code);
    expect(typeof r.body.error.message).toBe('string');
  });

  it('refuses an oversized body with 413', async () => {
    const r = await t.api('POST', '/api/v1/records/product', { name: 'x'.repeat(11 * 1024 * 1024) });
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses a wrong password without saying which part was wrong', async () => {
    const r = await t.api('POST', '/api/v1/auth/login', { email: 'nobody@x.cn', password: 'whatever-pw' }, { token: null });
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('LOGIN_FAILED');
  });

  it('pages by cursor through every row exactly once', async () => {
    await t.api('POST', '/api/v1/records/product/bulk', { records: Array.from({ length: 25 }, (_, i) => ({ name: `批${i}`, price: i % 5 })) });
    const seen: string[] = [];
    let cursor: string | null | undefined;
    do {
      const r = await t.api('GET', `/api/v1/records/product?sort=-price,name&pageSize=7&total=false${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      seen.push(...r.body.data.map((d: any) => d.id));
      cursor = r.body.nextCursor;
    } while (cursor);
    const all = await t.api('GET', '/api/v1/records/product?pageSize=500&sort=-price,name');
    expect(seen).toEqual(all.body.data.map((d: any) => d.id));
  });
});

describe('fuzz: random filters through the API', () => {
  it('never answer with a 5xx', async () => {
    const fieldNames = fc.constantFrom('name', 'price', 'launched', 'kind', 'id', 'owner_id.name', "name'; drop table x;--", 'price)', '');
    const ops = fc.constantFrom('eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'nin', 'contains', 'startsWith', 'between', 'isNull', 'hasAny', 'drop', '');
    const leaf = fc.record({ field: fieldNames, op: ops, value: fc.oneof(fc.jsonValue(), fc.string(), fc.constant("1; SELECT pg_sleep(5)")) });
    const node = fc.oneof(leaf, fc.record({ and: fc.array(leaf, { maxLength: 3 }) }), fc.record({ or: fc.array(leaf, { maxLength: 3 }) }), fc.jsonValue());
    await fc.assert(
      fc.asyncProperty(fc.oneof(node, fc.string()), async (filter) => {
        const r = await t.api('GET', q(filter));
        expect(r.status, JSON.stringify({ filter, body: r.body })).toBeLessThan(500);
      }),
      { numRuns: 150 },
    );
  });
});
