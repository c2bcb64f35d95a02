import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { accountsByCode, submitDoc, vouchersOf } from './finance-fixture.ts';

// Fixed assets: acquisition, the monthly run for the three methods, disposal
// with its loss, and the run as a scheduled rule's action.
let t: TestApp;
let acct: Record<string, string>;
const asset: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  acct = await accountsByCode(t);
});

afterAll(async () => {
  await t?.close();
});

const category = async (name: string, method: string, life_months: number) => {
  const r = await t.api('POST', '/api/v1/records/asset_category', { name, method, life_months, residual_rate: '0.05' });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id as string;
};
const acquire = async (body: Record<string, unknown>) => {
  const r = await t.api('POST', '/api/v1/records/fixed_asset', { credit_account: acct['1002'], ...body });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  const s = await submitDoc(t, 'fixed_asset', r.body.id);
  expect(s.status, JSON.stringify(s.body)).toBe(200);
  return r.body.id as string;
};
const run = (period: string) => t.api('POST', '/api/v1/finance/depreciation', { period });

describe('fixed assets', () => {
  it('books the acquisition: Dr 1601, Cr the bank or the supplier as an open item', async () => {
    asset.pc = await acquire({ name: '电脑', category: await category('办公设备', 'straight_line', 36), cost: 10000, acquisition_date: '2026-01-15' });
    expect(await vouchersOf(t, asset.pc)).toEqual([
      { code: '1002', debit: '0.00', credit: '10000.00', against: null },
      { code: '1601', debit: '10000.00', credit: '0.00', against: asset.pc },
    ]);
    asset.lathe = await acquire({ name: '车床', category: await category('机器设备', 'double_declining', 60), cost: 100000, acquisition_date: '2026-01-10',
      credit_account: acct['2202'], supplier: 'SUP-1' });
    const open = (await t.api('GET', '/api/v1/finance/open-items?party_type=supplier&party=SUP-1')).body.data;
    expect(open).toEqual([expect.objectContaining({ againstId: asset.lathe, outstanding: '100000.00' })]);
    asset.truck = await acquire({ name: '货车', category: await category('运输设备', 'sum_of_years', 60), cost: 100000, acquisition_date: '2026-02-01', cost_center: 'CC-LOG' });
  });

  it('runs the month: each asset\'s schedule, from the month after acquisition, once', async () => {
    const r = await run('2026-02');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ assets: 2, total: '3597.22' });
    expect(await vouchersOf(t, '2026-02')).toEqual([
      { code: '1602', debit: '0.00', credit: '263.89', against: asset.pc },
      { code: '1602', debit: '0.00', credit: '3333.33', against: asset.lathe },
      { code: '5602', debit: '263.89', credit: '0.00', against: null },
      { code: '5602', debit: '3333.33', credit: '0.00', against: null },
    ]);
    expect((await run('2026-02')).status).toBe(409);
    const march = await run('2026-03');
    expect(march.body).toMatchObject({ assets: 3, total: '6236.11' }); // + 货车 31666.67 / 12 = 2638.89
    const cc = await t.api('GET', '/api/v1/finance/subsidiary-ledger?account=5602&from=2026-03-01&to=2026-03-31&dim=cost_center&value=CC-LOG');
    expect(cc.body.closing).toBe('2638.89');
  });

  it('disposes of an asset: cost and accumulated depreciation off the books, the loss to 营业外支出', async () => {
    const r = await t.api('POST', `/api/v1/finance/fixed-assets/${asset.pc}/dispose`, { date: '2026-04-10', proceeds: 9000, account: acct['1002'] });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ cost: '10000.00', accumulated: '527.78', gain: '-472.22' });
    expect(await vouchersOf(t, asset.pc)).toEqual(expect.arrayContaining([
      { code: '1602', debit: '527.78', credit: '0.00', against: asset.pc },
      { code: '1002', debit: '9000.00', credit: '0.00', against: null },
      { code: '1601', debit: '0.00', credit: '10000.00', against: asset.pc },
      { code: '5711', debit: '472.22', credit: '0.00', against: null },
    ]));
    const april = await run('2026-04');
    expect(april.body.assets).toBe(2);
    expect((await t.api('POST', `/api/v1/finance/fixed-assets/${asset.pc}/dispose`, { date: '2026-04-11' })).status).toBe(409);
    expect((await t.api('POST', `/api/v1/records/fixed_asset/${asset.pc}/cancel`, { version: 2, reason: '已处置' })).status).toBe(409);
  });

  it('refuses to cancel a depreciated asset, and an accelerated method over part years', async () => {
    const c = await t.api('POST', `/api/v1/records/fixed_asset/${asset.lathe}/cancel`, { version: 2, reason: '错误' });
    expect(c.status).toBe(409);
    const odd = await t.api('POST', '/api/v1/records/fixed_asset', { name: '奇数', category: await category('其他', 'sum_of_years', 30), cost: 100, credit_account: acct['1002'] });
    const s = await submitDoc(t, 'fixed_asset', odd.body.id);
    expect(s.body.error).toMatchObject({ code: 'FIELD_INVALID', field: 'life_months' });
  });

  it('offers the monthly run as a scheduled rule action', async () => {
    const r = await t.api('POST', '/api/v1/automation/rules', { name: '每月计提折旧', trigger: { type: 'schedule', cron: '0 2 1 * *' }, actions: [{ type: 'finance_depreciation', period: 'previous' }] });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
  });
});
