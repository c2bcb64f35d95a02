import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenantTx, sql } from '@mosaic/db';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { q, roleWith, userWith } from './access-helpers.ts';

// Money sums per currency (GET /records/{object}/aggregate?measures=sum:<money>@currency), what the list's
// totals row and the kanban's column totals show: ¥100,000 and US$20,000 are two amounts, never "¥120,000".
let t: TestApp;
let own: { token: string };

const deals: [string, string, string, string | null][] = [
  // name, stage, amount, currency
  ['甲', 'lead', '100000.00', 'CNY'],
  ['乙', 'lead', '20000.00', 'USD'],
  ['丙', 'lead', '0.50', 'USD'],
  ['丁', 'won', '3000.00', 'CNY'],
  ['戊', 'won', '7.25', 'EUR'],
  ['己', 'lost', '999.00', 'USD'],
];

const costs: Record<string, { amount: string; currency: string }> = {
  甲: { amount: '10.00', currency: 'USD' }, 乙: { amount: '5.00', currency: 'USD' }, 丁: { amount: '1.00', currency: 'CNY' },
};

beforeAll(async () => {
  t = await createTestApp();
  const o = await t.api('POST', '/api/v1/meta/objects', {
    apiName: 'ccy_deal', label: '商机',
    fields: [
      { apiName: 'name', type: 'text', label: '名称' },
      { apiName: 'stage', type: 'single_select', label: '阶段', config: { options: ['lead', 'won', 'lost'].map((value) => ({ value, label: value })) } },
      { apiName: 'amount', type: 'money', label: '金额' },
      { apiName: 'cost', type: 'money', label: '成本' },
    ],
  });
  expect(o.status, JSON.stringify(o.body)).toBe(201);
  const records = deals.map(([name, stage, amount, currency]) => ({ name, stage, amount: { amount, currency }, cost: costs[name] ?? null }));
  const r = await t.api('POST', '/api/v1/records/ccy_deal/bulk', { records });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  // A user who reads only the deals they own.
  const role = await roleWith(t, 'ccy_deal_own', [{ object: 'ccy_deal', action: 'read', scope: 'own' }, { object: 'ccy_deal', action: 'create' }]);
  own = await userWith(t, [role], { name: 'own-deals' });
  const mine = await t.api('POST', '/api/v1/records/ccy_deal', { name: '庚', stage: 'won', amount: { amount: '42.00', currency: 'JPY' } }, { token: own.token });
  expect(mine.status, JSON.stringify(mine.body)).toBe(201);
}, 120_000);

afterAll(async () => {
  await t?.close();
});

const aggregate = async (params: string, token?: string) => {
  const r = await t.api('GET', `/api/v1/records/ccy_deal/aggregate?${params}`, undefined, { token });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body as { data: Record<string, unknown>[]; truncated: boolean };
};

describe('sum:<money>@currency', () => {
  it('sums each currency apart, over the filtered records, beside the other measures', async () => {
    const filter = q({ stage: { in: ['lead', 'won'] } });
    const r = await aggregate(`filter=${filter}&measures=count,sum:amount@currency,sum:amount`);
    expect(r).toEqual({
      data: [{ count: 6, 'sum:amount@currency': { CNY: '103000.00', EUR: '7.25', JPY: '42.00', USD: '20000.50' }, 'sum:amount': '123049.75' }],
      truncated: false,
    });
    // Two money fields, each by its own currency (乙 and 丙 are both in dollars, their costs are not).
    const two = await aggregate(`filter=${filter}&measures=sum:amount@currency,sum:cost@currency`);
    expect(two.data).toEqual([{
      'sum:amount@currency': { CNY: '103000.00', EUR: '7.25', JPY: '42.00', USD: '20000.50' }, 'sum:cost@currency': { CNY: '1.00', USD: '15.00' },
    }]);
    // One currency: one entry, the same figure as the plain sum.
    const cny = await aggregate(`filter=${q({ name: { in: ['甲', '丁'] } })}&measures=sum:amount@currency,sum:amount`);
    expect(cny.data).toEqual([{ 'sum:amount@currency': { CNY: '103000.00' }, 'sum:amount': '103000.00' }]);
    // Nothing matches: no currency, and the plain sum's 0 as before.
    const none = await aggregate(`filter=${q({ name: '无' })}&measures=count,sum:amount@currency,sum:amount`);
    expect(none.data).toEqual([{ count: 0, 'sum:amount@currency': {}, 'sum:amount': '0' }]);
  });

  it('sums each currency per group (the kanban), groups and their order as without it', async () => {
    const others = 'count,sum:amount,avg:amount,min:amount,max:amount,min:name,max:name,count:amount';
    const plain = await aggregate(`groupBy=stage&measures=${others}`);
    const r = await aggregate(`groupBy=stage&measures=${others},sum:amount@currency`);
    // Every other measure answers the same figures, in the same groups and order.
    expect(r.data.map(({ 'sum:amount@currency': _, ...g }) => g)).toEqual(plain.data);
    expect(Object.keys(r.data[0])).toEqual(['stage', ...others.split(','), 'sum:amount@currency']);
    expect(Object.fromEntries(r.data.map((g) => [g.stage, g['sum:amount@currency']]))).toEqual({
      lead: { CNY: '100000.00', USD: '20000.50' },
      won: { CNY: '3000.00', EUR: '7.25', JPY: '42.00' },
      lost: { USD: '999.00' },
    });
    const filtered = await aggregate(`groupBy=stage&filter=${q({ name: { nin: ['乙', '戊'] } })}&measures=sum:amount@currency`);
    expect(filtered.data).toEqual([
      { stage: 'lead', 'sum:amount@currency': { CNY: '100000.00', USD: '0.50' } },
      { stage: 'lost', 'sum:amount@currency': { USD: '999.00' } },
      { stage: 'won', 'sum:amount@currency': { CNY: '3000.00', JPY: '42.00' } },
    ]);
  });

  it('counts only the records the user may read', async () => {
    const r = await aggregate('measures=count,sum:amount@currency', own.token);
    expect(r.data).toEqual([{ count: 1, 'sum:amount@currency': { JPY: '42.00' } }]);
    const grouped = await aggregate('groupBy=stage&measures=sum:amount@currency', own.token);
    expect(grouped.data).toEqual([{ stage: 'won', 'sum:amount@currency': { JPY: '42.00' } }]);
  });

  it('puts amounts stored without a currency under ""', async () => {
    const obj = (await t.store.objects(t.tenant.tenantId)).get('ccy_deal')!;
    const col = obj.fields.find((f) => f.apiName === 'amount')!.columnName!;
    const name = obj.fields.find((f) => f.apiName === 'name')!.columnName!;
    await inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, (tx) =>
      sql`UPDATE ${sql.id(obj.tableName)} SET ${sql.id(`${col}_ccy`)} = NULL WHERE ${sql.id(name)} = '己'`.execute(tx));
    const r = await aggregate(`filter=${q({ stage: 'lost' })}&measures=sum:amount@currency`);
    expect(r.data).toEqual([{ 'sum:amount@currency': { '': '999.00' } }]);
  });

  it('stops at the same 1,000 groups as without currencies, each with all its currencies', async () => {
    const o = await t.api('POST', '/api/v1/meta/objects', {
      apiName: 'ccy_many', label: '多', fields: [{ apiName: 'name', type: 'text', label: '名称' }, { apiName: 'amount', type: 'money', label: '金额' }],
    });
    expect(o.status, JSON.stringify(o.body)).toBe(201);
    // 1,001 names (each twice: once in CNY, once in USD), so the answer is cut after 1,000 groups.
    const records = Array.from({ length: 1001 }, (_, i) => `n${String(i).padStart(4, '0')}`)
      .flatMap((name, i) => [{ name, amount: { amount: `${i}.00`, currency: 'CNY' } }, { name, amount: { amount: '1.00', currency: 'USD' } }]);
    expect((await t.api('POST', '/api/v1/records/ccy_many/bulk', { records })).status).toBe(201);
    const get = async (measures: string) => (await t.api('GET', `/api/v1/records/ccy_many/aggregate?groupBy=name&measures=${measures}`)).body;
    const plain = await get('count');
    const r = await get('count,sum:amount@currency');
    expect([r.truncated, r.data.length]).toEqual([true, 1000]);
    expect(r.data.map((g: Record<string, unknown>) => g.name)).toEqual(plain.data.map((g: Record<string, unknown>) => g.name));
    expect(r.data[999]).toEqual({ name: 'n0999', count: 2, 'sum:amount@currency': { CNY: '999.00', USD: '1.00' } });
  }, 60_000);

  it('refuses anything but a sum of a money field, naming the measure', async () => {
    for (const m of ['avg:amount@currency', 'sum:name@currency', 'count@currency', 'sum:nope@currency']) {
      const r = await t.api('GET', `/api/v1/records/ccy_deal/aggregate?measures=${encodeURIComponent(m)}`);
      expect(r.status, m).toBe(400);
      expect(r.body.error.field, m).toBe(m === 'sum:nope@currency' ? 'nope' : 'measures');
    }
  });
});
