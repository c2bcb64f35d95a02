import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { download } from '@mosaic/io/test-kit';
import { q, roleWith, userWith } from './access-helpers.ts';

// Money reached through a link or a lookup comes with its own currency: a deal of a USD customer shows the
// customer's credit limit in US$, not in the company's ¥. Groups (ml_group.budget) sit two links away, so a
// lookup of a lookup (ml_deal.group_budget → ml_customer.group_budget → ml_group.budget) is read too, and so
// is a lookup on a linked record (customer.group_budget). Whoever may not read the money may not read it
// through a lookup — amount or currency.
let t: TestApp;
const ids: Record<string, string> = {};

async function post(path: string, body: unknown): Promise<Record<string, unknown>> {
  const r = await t.api('POST', path, body);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
}

beforeAll(async () => {
  t = await createTestApp();
  await post('/api/v1/meta/objects', { apiName: 'ml_group', label: '集团', fields: [{ apiName: 'name', type: 'text', label: '名称' }, { apiName: 'budget', type: 'money', label: '预算' }] });
  await post('/api/v1/meta/objects', {
    apiName: 'ml_customer', label: '客户',
    fields: [
      { apiName: 'name', type: 'text', label: '名称' }, { apiName: 'credit_limit', type: 'money', label: '信用额度' },
      { apiName: 'grp', type: 'link', label: '集团', config: { target: 'ml_group' } },
      { apiName: 'group_budget', type: 'lookup', label: '集团预算', config: { lookup: { link: 'grp', field: 'budget' } } },
    ],
  });
  await post('/api/v1/meta/objects', {
    apiName: 'ml_deal', label: '商机',
    fields: [
      { apiName: 'name', type: 'text', label: '名称' }, { apiName: 'amount', type: 'money', label: '金额' },
      { apiName: 'customer', type: 'link', label: '客户', config: { target: 'ml_customer' } },
      { apiName: 'credit', type: 'lookup', label: '客户额度', config: { lookup: { link: 'customer', field: 'credit_limit' } } },
      { apiName: 'group_budget', type: 'lookup', label: '集团预算', config: { lookup: { link: 'customer', field: 'group_budget' } } },
      { apiName: 'note', type: 'lookup', label: '客户名', config: { lookup: { link: 'customer', field: 'name' } } },
    ],
  });
  await post('/api/v1/meta/objects', {
    apiName: 'ml_deal_line', label: '明细', isChild: true, parentObject: 'ml_deal',
    fields: [{ apiName: 'customer', type: 'link', label: '客户', config: { target: 'ml_customer' } }, { apiName: 'credit', type: 'lookup', label: '客户额度', config: { lookup: { link: 'customer', field: 'credit_limit' } } }],
  });
  await post('/api/v1/meta/objects/ml_deal/fields', { apiName: 'lines', type: 'child_table', label: '明细', config: { target: 'ml_deal_line' } });

  ids.gUsd = (await post('/api/v1/records/ml_group', { name: 'Acme Group', budget: { amount: '900000.00', currency: 'USD' } })).id as string;
  ids.gEur = (await post('/api/v1/records/ml_group', { name: '欧洲集团', budget: { amount: '5000.00', currency: 'EUR' } })).id as string;
  ids.usd = (await post('/api/v1/records/ml_customer', { name: 'Acme', credit_limit: { amount: '50000.00', currency: 'USD' }, grp: ids.gUsd })).id as string;
  ids.cny = (await post('/api/v1/records/ml_customer', { name: '华东', credit_limit: { amount: '300000.00', currency: 'CNY' }, grp: ids.gEur })).id as string;
  ids.dUsd = (await post('/api/v1/records/ml_deal', { name: '甲', amount: { amount: '10.00', currency: 'CNY' }, customer: ids.usd, lines: [{ customer: ids.cny }] })).id as string;
  ids.dCny = (await post('/api/v1/records/ml_deal', { name: '乙', amount: { amount: '20.00', currency: 'CNY' }, customer: ids.cny })).id as string;
}, 120_000);

afterAll(async () => {
  await t?.close();
});

const money = (amount: string, currency: string) => ({ amount, currency });

describe('money through links and lookups carries its own currency', () => {
  it('a list: a linked money path, a lookup, a lookup of a lookup and a lookup on the linked record', async () => {
    const r = await t.api('GET', `/api/v1/records/ml_deal?sort=amount&filter=${q({ name: { in: ['甲', '乙'] } })}&fields=${['name', 'customer.credit_limit', 'credit', 'group_budget', 'customer.group_budget', 'note'].join(',')}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.data.map((d: Record<string, unknown>) => [d.name, d['customer.credit_limit'], d.credit, d.group_budget, d['customer.group_budget'], d.note])).toEqual([
      ['甲', money('50000.00', 'USD'), money('50000.00', 'USD'), money('900000.00', 'USD'), money('900000.00', 'USD'), 'Acme'],
      ['乙', money('300000.00', 'CNY'), money('300000.00', 'CNY'), money('5000.00', 'EUR'), money('5000.00', 'EUR'), '华东'],
    ]);
  });

  it('a record: its lookups of money, and its child rows\' lookups, each in its own currency', async () => {
    const r = await t.api('GET', `/api/v1/records/ml_deal/${ids.dUsd}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ amount: money('10.00', 'CNY'), credit: money('50000.00', 'USD'), group_budget: money('900000.00', 'USD'), note: 'Acme' });
    expect(r.body.lines.map((l: { credit: unknown }) => l.credit)).toEqual([money('300000.00', 'CNY')]);
    const none = await t.api('GET', `/api/v1/records/ml_deal/${(await post('/api/v1/records/ml_deal', { name: '丙' })).id}`);
    expect(none.body).toMatchObject({ credit: null, group_budget: null }); // no customer: no money, not { amount: null }
  });

  it('an export writes a lookup of money as money: its amount, and its currency in a column beside it', async () => {
    const res = await download(t, `/api/v1/export/ml_deal?format=csv&sort=amount&filter=${q({ name: { in: ['甲', '乙'] } })}&fields=name,credit`);
    expect(res.status).toBe(200);
    expect(parse(res.body, { bom: true }) as string[][]).toEqual([['名称', '客户额度', '客户额度（币种）'], ['甲', '50000.00', 'USD'], ['乙', '300000.00', 'CNY']]);
  });

  it('a role that may not read 预算 reads neither its amount nor its currency through a lookup, even on a linked record', async () => {
    const role = await roleWith(t, 'ml_no_budget', ['ml_group', 'ml_customer', 'ml_deal'].map((object) => ({ object, action: 'read', scope: 'all' })), [{ object: 'ml_group', field: 'budget', rule: 'hidden' }]);
    const user = await userWith(t, [role], { name: 'ml-no-budget' });
    for (const path of ['group_budget', 'customer.group_budget']) {
      const r = await t.api('GET', `/api/v1/records/ml_deal?fields=name,${path}`, undefined, { token: user.token });
      expect(r.status, `${path}: ${JSON.stringify(r.body)}`).toBe(400);
      expect(r.body.error).toMatchObject({ code: 'FIELD_FORBIDDEN', field: path });
    }
    // Asked for nothing in particular, the list and the record leave those lookups out and show the rest.
    const list = await t.api('GET', `/api/v1/records/ml_deal?filter=${q({ name: '甲' })}`, undefined, { token: user.token });
    expect(list.status, JSON.stringify(list.body)).toBe(200);
    expect(list.body.data[0]).not.toHaveProperty('group_budget');
    expect(list.body.data[0]).toMatchObject({ credit: money('50000.00', 'USD') });
    const one = await t.api('GET', `/api/v1/records/ml_customer/${ids.usd}`, undefined, { token: user.token });
    expect(one.status, JSON.stringify(one.body)).toBe(200);
    expect(one.body).not.toHaveProperty('group_budget');
    expect(one.body).not.toHaveProperty('budget');
  });
});

// A report measure over a lookup of money is money as much as the field it reads: summed over customers in two
// currencies it is never one added number — per group, in the total, and only for whoever may read the amount.
describe('a report over a lookup of money', () => {
  const deals = (definition: Record<string, unknown>, token?: string) => t.api('POST', '/api/v1/reports/run', {
    definition: { source: 'ml_deal', filter: { name: { in: ['丁', '戊'] } }, ...definition },
  }, token ? { token } : undefined);
  const credit = { name: 'credit', fn: 'sum', field: 'credit' };
  const byName = (rows: Record<string, unknown>[]) => Object.fromEntries(rows.map((r) => [(r.$totals as string[] | undefined)?.length ? '合计' : String(r.name), r]));

  beforeAll(async () => {
    const north = (await post('/api/v1/records/ml_customer', { name: '华北', credit_limit: money('1000.00', 'CNY'), grp: ids.gEur })).id as string;
    // 丁: two CNY customers (of the EUR group); 戊: a USD customer and a CNY one.
    for (const [name, customer] of [['丁', ids.cny], ['丁', north], ['戊', ids.usd], ['戊', ids.cny]]) await post('/api/v1/records/ml_deal', { name, customer });
  });

  it('grouped with totals: a one-currency group is its figure in that currency; a mixed group and the total are per currency', async () => {
    const r = await deals({ rows: [{ field: 'name' }], measures: [credit, { name: 'budget', fn: 'max', field: 'group_budget' }], totals: true });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.columns.find((c: { key: string }) => c.key === 'credit')?.money).toBe(true);
    const g = byName(r.body.rows);
    expect(g['丁']).toMatchObject({ credit: '301000.00', credit$currency: 'CNY', budget: '5000.00', budget$currency: 'EUR' });
    expect(g['丁'].credit$mixed).toBeUndefined();
    expect(g['戊']).toMatchObject({ credit: null, credit$mixed: true, credit$byCurrency: { CNY: '300000.00', USD: '50000.00' } });
    expect(g['戊']).toMatchObject({ budget: null, budget$mixed: true, budget$byCurrency: { EUR: '5000.00', USD: '900000.00' } });
    expect(g['合计']).toMatchObject({ credit: null, credit$mixed: true, credit$byCurrency: { CNY: '601000.00', USD: '50000.00' } });
  });

  it('flat: the total over both currencies is not one added number', async () => {
    const r = await deals({ measures: [credit] });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.rows[0]).toMatchObject({ credit: null, credit$mixed: true, credit$byCurrency: { CNY: '601000.00', USD: '50000.00' } });
  });

  it('a viewer who may not read the looked-up amount is refused the lookup as the amount itself, currency and all', async () => {
    const role = await roleWith(t, 'ml_no_credit', ['ml_group', 'ml_customer', 'ml_deal'].map((object) => ({ object, action: 'read', scope: 'all' })), [{ object: 'ml_customer', field: 'credit_limit', rule: 'hidden' }]);
    const user = await userWith(t, [role], { name: 'ml-no-credit' });
    for (const field of ['customer.credit_limit', 'credit']) {
      const r = await deals({ rows: [{ field: 'name' }], measures: [{ name: 'credit', fn: 'sum', field }] }, user.token);
      expect(r.status, `${field}: ${JSON.stringify(r.body)}`).toBe(400);
      expect(r.body.error).toMatchObject({ code: 'FIELD_FORBIDDEN', field });
      expect(JSON.stringify(r.body)).not.toMatch(/USD|CNY/);
    }
  });
});
