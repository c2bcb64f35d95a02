import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenantTx, sql } from '@mosaic/db';
import { installModules } from '@mosaic/server';
import { COCKPIT_WIDGETS } from '@mosaic/reporting';
import { crmWorld, type CrmWorld } from './crm-world.ts';

// An opportunity's amount is money (amount + its currency), as every other amount: tenants made when it was a
// decimal beside a text `currency` are upgraded on start; `currency` stays readable (and writable) for
// integrations as amount's currency, never a second truth; the board, the aggregates and the cockpit add
// amounts per currency.
let w: CrmWorld;

beforeAll(async () => {
  w = await crmWorld();
}, 180_000);
afterAll(async () => {
  await w?.t.close();
});

const tenantId = () => w.t.tenant.tenantId;
const asOwner = <T>(fn: (tx: any) => Promise<T>) => inTenantTx(w.t.testDb.db.owner, { tenantId: tenantId() }, fn);
const get = async (id: string) => {
  const r = await w.t.api('GET', `/api/v1/records/opportunity/${id}?fields=amount,currency,version`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
};

describe('a tenant made when amount was a decimal beside a text currency', () => {
  it('comes out of the next start with each amount in its currency — USD stays USD, blank takes the company\'s — once', async () => {
    // The older shape: amount decimal, `currency` a writable text field, no c_amount_ccy column, no trigger.
    await asOwner(async (tx) => {
      await sql`UPDATE meta_field f SET type = CASE WHEN f.api_name = 'amount' THEN 'decimal' ELSE f.type END, read_only = (f.api_name <> 'currency' AND f.read_only) FROM meta_object o
        WHERE o.id = f.object_id AND o.api_name = 'opportunity' AND f.api_name IN ('amount', 'currency')`.execute(tx);
      await sql`DROP TRIGGER IF EXISTS crm_opportunity_currency ON o_opportunity`.execute(tx);
      await sql`ALTER TABLE o_opportunity DROP COLUMN c_amount_ccy`.execute(tx);
    });
    w.t.store.invalidate(tenantId());
    const made: Record<string, string> = {};
    for (const [name, values] of [['usd', { amount: '1000', currency: 'USD' }], ['blank', { amount: '2000' }], ['cny', { amount: '300', currency: 'CNY' }], ['none', {}]] as const) {
      made[name] = (await w.create('admin', 'opportunity', { name: `旧-${name}`, ...values })).id;
    }
    const old = await get(made.usd);
    expect([old.amount, old.currency]).toEqual(['1000.00', 'USD']); // the old shape, as integrations knew it

    const restart = async () => {
      w.t.store.invalidate(tenantId());
      await installModules(w.t.testDb.db, w.t.store, [tenantId()]);
      w.t.store.invalidate(tenantId());
    };
    await restart();
    const after = async () => Object.fromEntries(await Promise.all(Object.entries(made).map(async ([k, id]) => {
      const r = await get(id);
      return [k, [r.amount, r.currency]] as const;
    })));
    const upgraded = {
      usd: [{ amount: '1000.00', currency: 'USD' }, 'USD'],
      blank: [{ amount: '2000.00', currency: 'CNY' }, 'CNY'],
      cny: [{ amount: '300.00', currency: 'CNY' }, 'CNY'],
      none: [null, 'CNY'],
    };
    expect(await after()).toEqual(upgraded);
    const opp = await w.t.store.object(tenantId(), 'opportunity');
    expect(opp!.fields.filter((f) => ['amount', 'currency'].includes(f.apiName)).map((f) => [f.apiName, f.type, f.readOnly])).toEqual([['amount', 'money', false], ['currency', 'text', true]]);
    // amount.currency now filters and adds up like any money's.
    const usd = await w.t.api('GET', `/api/v1/records/opportunity?filter=${encodeURIComponent(JSON.stringify({ 'amount.currency': 'USD' }))}&fields=name`);
    expect(usd.body.data.map((r: any) => r.name)).toEqual(['旧-usd']);
    // A second start finds nothing to do and changes nothing.
    const versions = await w.q<{ id: string; version: number }>(sql`SELECT id, version FROM o_opportunity ORDER BY id`);
    await restart();
    expect(await after()).toEqual(upgraded);
    expect(await w.q(sql`SELECT id, version FROM o_opportunity ORDER BY id`)).toEqual(versions);
  });
});

describe('the API: amount is money, `currency` its currency', () => {
  it('takes a plain amount in the company\'s currency or in the `currency` sent beside it, and refuses two currencies', async () => {
    const plain = await w.create('repA', 'opportunity', { name: '本币', amount: '5000' });
    expect([plain.amount, plain.currency]).toEqual([{ amount: '5000.00', currency: 'CNY' }, 'CNY']);
    const old = await w.create('repA', 'opportunity', { name: '旧写法美元', amount: '1000', currency: 'USD' });
    expect([old.amount, old.currency]).toEqual([{ amount: '1000.00', currency: 'USD' }, 'USD']);
    const money = await w.create('repA', 'opportunity', { name: '新写法美元', amount: { amount: '700', currency: 'USD' } });
    expect([money.amount, money.currency]).toEqual([{ amount: '700.00', currency: 'USD' }, 'USD']);
    const same = await w.create('repA', 'opportunity', { name: '两处同币', amount: { amount: '10', currency: 'USD' }, currency: 'USD' });
    expect(same.currency).toBe('USD');

    const two = await w.as('repA')('POST', '/api/v1/records/opportunity', { name: '两种币', amount: { amount: '10', currency: 'USD' }, currency: 'CNY' });
    expect([two.status, two.body.error?.code, two.body.error?.field]).toEqual([422, 'FIELD_INVALID', 'currency']);
    const bad = await w.as('repA')('POST', '/api/v1/records/opportunity', { name: '坏币种', amount: '10', currency: 'usd' });
    expect([bad.status, bad.body.error?.field]).toEqual([422, 'currency']);
    const lonely = await w.as('repA')('POST', '/api/v1/records/opportunity', { name: '无金额外币', currency: 'USD' });
    expect([lonely.status, lonely.body.error?.field]).toEqual([422, 'currency']);
    const bulk = await w.as('repA')('POST', '/api/v1/records/opportunity/bulk', { records: [{ name: 'b0', amount: '1' }, { name: 'b1', amount: { amount: '1', currency: 'EUR' }, currency: 'USD' }] });
    expect([bulk.status, bulk.body.error?.field]).toEqual([422, '1.currency']);
    // No second truth in the table: `currency` is the amount's, whatever path wrote the row.
    const split = await w.q(sql`SELECT count(*)::int AS n FROM o_opportunity WHERE c_currency IS DISTINCT FROM COALESCE(trim(c_amount_ccy), 'CNY')`);
    expect(split).toEqual([{ n: 0 }]);
  });

  it('an update: `currency` alone re-denominates the amount, a plain amount alone keeps its currency, two currencies are refused', async () => {
    const o = await w.create('repA', 'opportunity', { name: '改币种', amount: '800' });
    const patch = (values: Record<string, unknown>, version: number) => w.as('repA')('PATCH', `/api/v1/records/opportunity/${o.id}`, { version, ...values });
    const toUsd = await patch({ currency: 'USD' }, o.version);
    expect(toUsd.status, JSON.stringify(toUsd.body)).toBe(200);
    expect([toUsd.body.amount, toUsd.body.currency]).toEqual([{ amount: '800.00', currency: 'USD' }, 'USD']);
    const more = await patch({ amount: '900' }, toUsd.body.version);
    expect([more.body.amount, more.body.currency]).toEqual([{ amount: '900.00', currency: 'USD' }, 'USD']);
    const clash = await patch({ amount: { amount: '900', currency: 'CNY' }, currency: 'USD' }, more.body.version);
    expect([clash.status, clash.body.error?.field]).toEqual([422, 'currency']);
    const back = await patch({ amount: { amount: '900', currency: 'CNY' } }, more.body.version);
    expect([back.body.amount, back.body.currency]).toEqual([{ amount: '900.00', currency: 'CNY' }, 'CNY']);
  });
});

describe('figures per currency', () => {
  it('the board totals each stage per currency over all its opportunities; the aggregate and the cockpit never add ¥ and US$', async () => {
    const pipeline = (await w.t.api('GET', '/api/v1/records/crm_pipeline?fields=is_default')).body.data.find((p: any) => p.is_default).id;
    const customer = (await w.create('admin', 'customer', { name: '看板合计客户' })).id;
    for (const amount of [{ amount: '100', currency: 'USD' }, { amount: '250', currency: 'USD' }, '1000', '24']) {
      await w.create('admin', 'opportunity', { name: `看板-${JSON.stringify(amount)}`, customer, amount }); // in the default pipeline's first stage
    }
    const board = await w.t.api('GET', `/api/v1/crm/pipelines/${pipeline}/kanban?perStage=1`);
    expect(board.status, JSON.stringify(board.body)).toBe(200);
    const first = board.body.stages[0];
    const inFirst = await w.t.api('GET', `/api/v1/records/opportunity/aggregate?groupBy=amount.currency&measures=sum:amount&filter=${encodeURIComponent(JSON.stringify({ stage: first.id }))}`);
    expect(inFirst.status, JSON.stringify(inFirst.body)).toBe(200);
    const expected = Object.fromEntries(inFirst.body.data.filter((r: any) => r['amount.currency']).map((r: any) => [r['amount.currency'].trim(), r['sum:amount']]));
    expect(first.cards).toHaveLength(1); // one card shown, the total over every one
    expect(first.amount).toEqual(expected);
    expect(Object.keys(first.amount).sort()).toEqual(['CNY', 'USD']);
    expect(Number(first.amount.USD)).toBeGreaterThanOrEqual(350);
    // Each card says its currency in its amount.
    expect(first.cards[0].amount).toMatchObject({ currency: expect.stringMatching(/^[A-Z]{3}$/) });

    const agg = await w.t.api('GET', `/api/v1/records/opportunity/aggregate?measures=sum:amount@currency&filter=${encodeURIComponent(JSON.stringify({ customer }))}`);
    expect(agg.body.data[0]['sum:amount@currency']).toEqual({ CNY: '1024.00', USD: '350.00' });
    // The cockpit's pipeline funnel: a stage mixing currencies has no one figure, but its amounts per currency.
    const widget = COCKPIT_WIDGETS.find((c) => c.widget.id === 'weighted_pipeline')!.widget;
    const run = await w.t.api('POST', '/api/v1/reports/run', { definition: { ...widget.definition, filter: { customer } } });
    expect(run.status, JSON.stringify(run.body)).toBe(200);
    const row = run.body.rows.find((r: any) => r.stage === first.id || r.stage?.id === first.id);
    expect([row.amount, row['amount$byCurrency']]).toEqual([null, { CNY: '1024.00', USD: '350.00' }]);
  });
});
