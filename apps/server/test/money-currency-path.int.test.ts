import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { q, roleWith, userWith } from './access-helpers.ts';

// `amount.currency`: the currency of a money value as a path of its own. A report groups a money
// sum by it (¥100,000 and US$20,500 on two rows, never "120,500"), its cells drill to the records
// behind them, a list filters and sorts by it — and a role that may not read the amount may not
// read its currency either.
let t: TestApp;

const deals: [string, string, string][] = [
  // name, amount, currency
  ['甲', '100000.00', 'CNY'],
  ['乙', '20000.00', 'USD'],
  ['丙', '500.00', 'USD'],
  ['丁', '3000.00', 'CNY'],
  ['戊', '7.25', 'EUR'],
];

beforeAll(async () => {
  t = await createTestApp();
  const o = await t.api('POST', '/api/v1/meta/objects', {
    apiName: 'cp_deal', label: '商机',
    fields: [{ apiName: 'name', type: 'text', label: '名称' }, { apiName: 'amount', type: 'money', label: '金额' }],
  });
  expect(o.status, JSON.stringify(o.body)).toBe(201);
  const r = await t.api('POST', '/api/v1/records/cp_deal/bulk', { records: deals.map(([name, amount, currency]) => ({ name, amount: { amount, currency } })) });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
}, 120_000);

afterAll(async () => {
  await t?.close();
});

const definition = { source: 'cp_deal', rows: [{ field: 'amount.currency' }], measures: [{ name: 'total', fn: 'sum', field: 'amount' }, { name: 'deals', fn: 'count' }], sort: [{ by: 'amount.currency' }] };

describe('a money field\'s currency as a path', () => {
  it('groups a report\'s money sum by currency, labelled 金额币种', async () => {
    const r = await t.api('POST', '/api/v1/reports/run', { definition });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const rows = (r.body.rows as Record<string, unknown>[]).map((x) => [x['amount.currency'], String(x.total), Number(x.deals)]);
    expect(rows).toEqual([['CNY', '103000.00', 2], ['EUR', '7.25', 1], ['USD', '20500.00', 2]]);
    const column = (r.body.columns as { key: string; label: { zh: string } }[]).find((c) => c.key === 'amount.currency');
    expect(column?.label.zh).toBe('金额币种');
  });

  it('drills a currency\'s cell to exactly its records, and the list filters and sorts by it', async () => {
    const drill = await t.api('POST', '/api/v1/reports/drill', { definition, cell: { 'amount.currency': 'USD' }, measure: 'total' });
    expect(drill.status, JSON.stringify(drill.body)).toBe(200);
    const list = await t.api('GET', `/api/v1/records/cp_deal?filter=${q(drill.body.filter)}&sort=name&fields=name,amount`);
    expect(list.status, JSON.stringify(list.body)).toBe(200);
    expect(list.body.data.map((d: { name: string; amount: { currency: string } }) => [d.name, d.amount.currency])).toEqual([['丙', 'USD'], ['乙', 'USD']]);
    const notCny = await t.api('GET', `/api/v1/records/cp_deal?filter=${q({ 'amount.currency': { ne: 'CNY' } })}&sort=-amount.currency,name&fields=name`);
    expect(notCny.status, JSON.stringify(notCny.body)).toBe(200);
    expect(notCny.body.data.map((d: { name: string }) => d.name)).toEqual(['丙', '乙', '戊']);
  });

  it('is read-only text: a number operator is refused naming the path; other fields have no currency', async () => {
    const number = await t.api('GET', `/api/v1/records/cp_deal?filter=${q({ 'amount.currency': { gt: 5 } })}`);
    expect(number.status).toBe(422); // a currency is text, not a number
    expect(JSON.stringify(number.body)).toContain('amount.currency');
    const bad = await t.api('GET', `/api/v1/records/cp_deal?filter=${q({ 'amount.currency': { hasAny: ['USD'] } })}`);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('amount.currency');
    const name = await t.api('POST', '/api/v1/reports/run', { definition: { ...definition, rows: [{ field: 'name.currency' }], sort: undefined } });
    expect(name.status).toBe(400);
    expect(JSON.stringify(name.body)).toContain('name.currency');
  });

  it('is hidden with its amount: a role that may not read 金额 may not group or filter by its currency', async () => {
    const role = await roleWith(t, 'cp_no_amount', [{ object: 'cp_deal', action: 'read', scope: 'all' }], [{ object: 'cp_deal', field: 'amount', rule: 'hidden' }]);
    const user = await userWith(t, [role], { name: 'cp-no-amount' });
    const report = await t.api('POST', '/api/v1/reports/run', { definition: { ...definition, measures: [{ name: 'deals', fn: 'count' }] } }, { token: user.token });
    expect(report.status).toBe(400);
    expect(report.body.error).toMatchObject({ code: 'FIELD_FORBIDDEN', field: 'amount.currency' });
    const list = await t.api('GET', `/api/v1/records/cp_deal?filter=${q({ 'amount.currency': 'USD' })}`, undefined, { token: user.token });
    expect(list.status).toBe(400);
    expect(list.body.error).toMatchObject({ code: 'FIELD_FORBIDDEN', field: 'amount.currency' });
    const names = await t.api('GET', '/api/v1/records/cp_deal?fields=name', undefined, { token: user.token });
    expect(names.status, JSON.stringify(names.body)).toBe(200); // the rest of the object is still theirs
  });
});
