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
      { apiName: 'headcount', type: 'integer', label: '人数' }, { apiName: 'discount', type: 'percent', label: '折扣' },
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
      { apiName: 'headcount', type: 'lookup', label: '客户人数', config: { lookup: { link: 'customer', field: 'headcount' } } },
      { apiName: 'discount', type: 'lookup', label: '客户折扣', config: { lookup: { link: 'customer', field: 'discount' } } },
    ],
  });
  await post('/api/v1/meta/objects', {
    apiName: 'ml_deal_line', label: '明细', isChild: true, parentObject: 'ml_deal',
    fields: [{ apiName: 'customer', type: 'link', label: '客户', config: { target: 'ml_customer' } }, { apiName: 'credit', type: 'lookup', label: '客户额度', config: { lookup: { link: 'customer', field: 'credit_limit' } } }],
  });
  await post('/api/v1/meta/objects/ml_deal/fields', { apiName: 'lines', type: 'child_table', label: '明细', config: { target: 'ml_deal_line' } });

  ids.gUsd = (await post('/api/v1/records/ml_group', { name: 'Acme Group', budget: { amount: '900000.00', currency: 'USD' } })).id as string;
  ids.gEur = (await post('/api/v1/records/ml_group', { name: '欧洲集团', budget: { amount: '5000.00', currency: 'EUR' } })).id as string;
  ids.usd = (await post('/api/v1/records/ml_customer', { name: 'Acme', credit_limit: { amount: '50000.00', currency: 'USD' }, grp: ids.gUsd, headcount: 120, discount: '0.1' })).id as string;
  ids.cny = (await post('/api/v1/records/ml_customer', { name: '华东', credit_limit: { amount: '300000.00', currency: 'CNY' }, grp: ids.gEur, headcount: 30, discount: '0.05' })).id as string;
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

// The list's totals and the kanban's column totals (GET /records/{object}/aggregate) add a lookup up as the field it
// reads: a lookup of money per currency (its currency read through the same hops as its amount), a lookup of a
// number as that number; and whoever may not read the field behind is refused the lookup as the field itself.
// Deals 丁 (customers 华东 and 华北, both CNY, both of the EUR group; 华北 has no headcount) and 戊 (Acme, USD, of
// the USD group, and 华东), made by the report tests above.
describe('aggregates and report measures over lookups of money and numbers', () => {
  const filter = q({ name: { in: ['丁', '戊'] } });
  const aggregate = (measures: string[], token?: string) =>
    t.api('GET', `/api/v1/records/ml_deal/aggregate?groupBy=name&filter=${filter}&measures=${measures.join(',')}`, undefined, token ? { token } : undefined);
  const byName = (rows: Record<string, unknown>[]) => Object.fromEntries(rows.map((r) => [String(r.name), r]));

  it('sums a lookup of money per currency: on the record, a lookup of a lookup, and a lookup on the linked record', async () => {
    const r = await aggregate(['count', 'sum:credit@currency', 'sum:group_budget@currency', 'sum:customer.group_budget@currency']);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const g = byName(r.body.data);
    expect(g['丁']).toMatchObject({ count: 2, 'sum:credit@currency': { CNY: '301000.00' }, 'sum:group_budget@currency': { EUR: '10000.00' }, 'sum:customer.group_budget@currency': { EUR: '10000.00' } });
    expect(g['戊']).toMatchObject({ count: 2, 'sum:credit@currency': { CNY: '300000.00', USD: '50000.00' }, 'sum:group_budget@currency': { EUR: '5000.00', USD: '900000.00' } });
  });

  it('sums, averages and bounds a lookup of a number (integer, percent) as that number, beside sums by currency or alone', async () => {
    for (const measures of [['sum:headcount', 'avg:headcount', 'min:headcount', 'max:discount'], ['sum:headcount', 'avg:headcount', 'min:headcount', 'max:discount', 'sum:credit@currency']]) {
      const r = await aggregate(measures);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      const nums = (row: Record<string, unknown>) => ['sum:headcount', 'avg:headcount', 'min:headcount', 'max:discount'].map((m) => Number(row[m]));
      const g = byName(r.body.data);
      expect(nums(g['丁'])).toEqual([30, 30, 30, 0.05]); // 华北 has no headcount and no discount: left out, as a stored empty number is
      expect(nums(g['戊'])).toEqual([150, 75, 30, 0.1]);
    }
  });

  it('still refuses what does not add up, naming the measure', async () => {
    for (const m of ['sum:note', 'sum:note@currency', 'sum:headcount@currency']) {
      const r = await aggregate([m]);
      expect(r.status, `${m}: ${JSON.stringify(r.body)}`).toBe(400);
      expect(r.body.error).toMatchObject({ code: 'BAD_REQUEST', field: 'measures' });
    }
  });

  it('refuses a lookup to whoever may not read the field behind it, as the field itself', async () => {
    const role = await roleWith(t, 'ml_agg_hidden', ['ml_group', 'ml_customer', 'ml_deal'].map((object) => ({ object, action: 'read', scope: 'all' })), [
      { object: 'ml_customer', field: 'headcount', rule: 'hidden' }, { object: 'ml_customer', field: 'credit_limit', rule: 'hidden' },
    ]);
    const user = await userWith(t, [role], { name: 'ml-agg-hidden' });
    for (const [m, field] of [['sum:headcount', 'headcount'], ['sum:credit@currency', 'credit'], ['sum:customer.credit_limit@currency', 'customer.credit_limit']]) {
      const r = await aggregate([m], user.token);
      expect(r.status, `${m}: ${JSON.stringify(r.body)}`).toBe(400);
      expect(r.body.error).toMatchObject({ code: 'FIELD_FORBIDDEN', field });
      expect(JSON.stringify(r.body)).not.toMatch(/USD|CNY/);
    }
    const report = await t.api('POST', '/api/v1/reports/run', { definition: { source: 'ml_deal', measures: [{ name: 'heads', fn: 'sum', field: 'headcount' }] } }, { token: user.token });
    expect(report.status, JSON.stringify(report.body)).toBe(400);
    expect(report.body.error).toMatchObject({ code: 'FIELD_FORBIDDEN', field: 'headcount' });
    // The metadata answer still lists those lookups, but does not say what they read.
    const meta = await t.api('GET', '/api/v1/meta/objects/ml_deal', undefined, { token: user.token });
    const fields = Object.fromEntries((meta.body.fields as { apiName: string; behind?: unknown }[]).map((f) => [f.apiName, f]));
    expect(fields.headcount).toBeDefined();
    expect(fields.headcount.behind).toBeUndefined();
    expect(fields.credit.behind).toBeUndefined();
    expect(fields.discount.behind).toEqual({ type: 'percent' });
  });

  it('a report measures a lookup of a number as the number: sum, avg, min, max', async () => {
    const r = await t.api('POST', '/api/v1/reports/run', {
      definition: {
        source: 'ml_deal', filter: { name: { in: ['丁', '戊'] } }, rows: [{ field: 'name' }],
        measures: [{ name: 'heads', fn: 'sum', field: 'headcount' }, { name: 'avg_heads', fn: 'avg', field: 'headcount' }, { name: 'most', fn: 'max', field: 'headcount' }, { name: 'least', fn: 'min', field: 'discount' }],
      },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const g = byName(r.body.rows);
    const nums = (row: Record<string, unknown>) => ['heads', 'avg_heads', 'most', 'least'].map((m) => Number(row[m]));
    expect(nums(g['丁'])).toEqual([30, 30, 30, 0.05]);
    expect(nums(g['戊'])).toEqual([150, 75, 120, 0.05]);
    expect(r.body.columns.filter((c: { key: string; money?: boolean }) => ['heads', 'least'].includes(c.key)).map((c: { money?: boolean }) => c.money)).toEqual([undefined, undefined]);
    const text = await t.api('POST', '/api/v1/reports/run', { definition: { source: 'ml_deal', measures: [{ name: 'n', fn: 'sum', field: 'note' }] } });
    expect(text.status, JSON.stringify(text.body)).toBe(400);
    expect(text.body.error).toMatchObject({ code: 'BAD_REQUEST', field: 'measures.0.field' });
  });

  it('the metadata answer says what each lookup reads, through lookups of lookups', async () => {
    const one = await t.api('GET', '/api/v1/meta/objects/ml_deal');
    expect(one.status, JSON.stringify(one.body)).toBe(200);
    const behind = (fields: { apiName: string; behind?: unknown }[]) => Object.fromEntries(fields.filter((f) => f.behind).map((f) => [f.apiName, f.behind]));
    expect(behind(one.body.fields)).toEqual({ credit: { type: 'money' }, group_budget: { type: 'money' }, note: { type: 'text' }, headcount: { type: 'integer' }, discount: { type: 'percent' } });
    const all = await t.api('GET', '/api/v1/meta/objects');
    expect(behind(all.body.data.find((o: { apiName: string }) => o.apiName === 'ml_deal').fields)).toEqual(behind(one.body.fields));
  });
});
