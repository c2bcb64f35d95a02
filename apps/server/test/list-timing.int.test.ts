import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@mosaic/testing';

// What the web list relies on since it asks for the page and the count apart: a page without its count
// (total=false), the count and the money totals from one aggregate call agreeing with the list's own count,
// and the Server-Timing header that lets the browser (and bench/web-list) split a slow screen.
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  await t.api('POST', '/api/v1/meta/objects', {
    apiName: 'timed_order', label: '订单',
    fields: [
      { apiName: 'name', type: 'text', label: '名称' },
      { apiName: 'amount', type: 'money', label: '金额' },
    ],
  });
  const records = Array.from({ length: 25 }, (_, i) => ({ name: `单-${i}`, amount: { amount: `${i + 1}.50`, currency: 'CNY' } }));
  const r = await t.api('POST', '/api/v1/records/timed_order/bulk', { records });
  expect(r.status).toBe(201);
});

afterAll(async () => {
  await t?.close();
});

describe('the list page and its count, apart', () => {
  const filter = encodeURIComponent(JSON.stringify({ field: 'name', op: 'contains', value: '1' })); // 单-1, 单-10…单-19, 单-21

  it('a page with total=false has its rows and the next-page cursor, but no count', async () => {
    const r = await t.api('GET', `/api/v1/records/timed_order?filter=${filter}&pageSize=5&total=false`);
    expect(r.status).toBe(200);
    expect(r.body.data).toHaveLength(5);
    expect(r.body.total).toBeUndefined();
    expect(r.body.nextCursor).toEqual(expect.any(String));
  });

  it('the aggregate count and money sum agree with the list', async () => {
    const list = await t.api('GET', `/api/v1/records/timed_order?filter=${filter}&pageSize=50`);
    const agg = await t.api('GET', `/api/v1/records/timed_order/aggregate?filter=${filter}&measures=count,sum:amount`);
    expect(agg.status).toBe(200);
    expect(Number(agg.body.data[0].count)).toBe(list.body.total);
    expect(list.body.total).toBe(12);
    const sum = list.body.data.reduce((s: number, r: { amount: { amount: string } }) => s + Number(r.amount.amount), 0);
    expect(Number(agg.body.data[0]['sum:amount'])).toBeCloseTo(sum, 2);
  });
});

describe('Server-Timing', () => {
  it('an authenticated API reply says how long the auth and the whole request took', async () => {
    const r = await t.api('GET', '/api/v1/records/timed_order?pageSize=1');
    const header = String(r.headers['server-timing']);
    const m = /^auth;dur=(\d+\.\d), app;dur=(\d+\.\d)$/.exec(header);
    expect(m, header).not.toBeNull();
    expect(Number(m![1])).toBeLessThanOrEqual(Number(m![2]));
  });

  it('a public route has no auth part; an error reply is timed too', async () => {
    const login = await t.api('POST', '/api/v1/auth/login', { email: 'nobody@test.local', password: 'x' }, { token: null });
    expect(login.status).toBeGreaterThanOrEqual(400);
    expect(String(login.headers['server-timing'])).toMatch(/^app;dur=\d+\.\d$/);
  });
});
