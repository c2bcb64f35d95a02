import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenantTx, sql } from '@mosaic/db';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { mfgHelpers } from './mfg-fixture.ts';
import { userWith } from '../../../apps/server/test/access-helpers.ts';

// The shop floor on a real PostgreSQL: a work order released with job cards per
// operation, material issued through the stock ledger, work reported in two
// partial batches with scrap, completed with its actual cost against standard,
// finished goods received and every voucher posted; backflush; capacity overload
// flagged; the reports; and a user without rights refused.
let t: TestApp;
let rm: string;
let fg: string;
const ids: Record<string, string> = {};

const { create, ok, balance, cards } = mfgHelpers(() => t);
const vouchers = (sourceId: string) => inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, async (tx) =>
  (await sql<{ no: string; code: string; debit: string; credit: string }>`SELECT j.c_number AS no, a.c_code AS code, g.c_debit::text AS debit, g.c_credit::text AS credit
    FROM o_journal_entry j JOIN o_gl_entry g ON g.c_journal_entry = j.id JOIN o_gl_account a ON a.id = g.c_account
    WHERE j.c_source_id = ${sourceId} ORDER BY j.created_at, j.c_number, g.c_debit DESC, a.c_code`.execute(tx)).rows.map(({ code, debit, credit }) => [code, debit, credit]));

beforeAll(async () => {
  t = await createTestApp();
  rm = await create('warehouse', { code: 'RM', name: '原料仓' });
  fg = await create('warehouse', { code: 'FG', name: '成品仓' });
  for (const code of ['TABLE', 'TOP', 'LEG']) ids[code] = await create('item', { code, name: `物料${code}` });
  const receipt = await create('stock_entry', { entry_type: 'receipt', warehouse: rm, lines: [{ item: ids.TOP, qty: 20, rate: 100 }, { item: ids.LEG, qty: 100, rate: 10 }] });
  await ok('POST', `/api/v1/records/stock_entry/${receipt}/submit`, { version: 1 });
  ids.SAW = await create('workstation', { code: 'SAW', name: '开料', hourly_cost: 60, overhead_rate: 30, shifts: [{ name: '白班', hours: 8 }] });
  ids.ASM = await create('workstation', { code: 'ASM', name: '装配', hourly_cost: 40, overhead_rate: 20, shifts: [{ name: '白班', hours: 8 }] });
  const routing = await create('routing', { code: 'R-TABLE', name: '桌子', operations: [
    { seq: 10, name: '开料', workstation: ids.SAW, setup_minutes: 30, run_minutes: 12 },
    { seq: 20, name: '装配', workstation: ids.ASM, setup_minutes: 0, run_minutes: 30 },
  ] });
  ids.BOM = await create('bom', { item: ids.TABLE, is_default: true, routing, lines: [{ item: ids.TOP, qty: 1 }, { item: ids.LEG, qty: 4, scrap_pct: '0.05' }] });
});

afterAll(async () => {
  await t?.close();
});

describe('a work order from release to completion', () => {
  let wo: string;

  it('releases with one job card per operation and the standard cost', async () => {
    wo = await create('work_order', { item: ids.TABLE, qty: 10, planned_start: '2026-12-07', due_date: '2026-12-11', source_warehouse: rm, fg_warehouse: fg });
    await ok('POST', `/api/v1/records/work_order/${wo}/submit`, { version: 1 });
    const jc = await cards(wo);
    // SAW: 30 + 10 × 12 = 150 min; ASM: 10 × 30 = 300 min
    expect(jc.map((c) => [c.seq, c.operation, c.planned_minutes, c.state])).toEqual([[10, '开料', '150.000000', 'open'], [20, '装配', '300.000000', 'open']]);
    const order = await ok('GET', `/api/v1/records/work_order/${wo}`);
    // unit: material 100 + 4 × 1.05 × 10 = 142; SAW (30 + 12)/60 = 0.7 h → 42 + 21; ASM 0.5 h → 20 + 10 ⇒ 235 × 10
    expect(order).toMatchObject({ status: 'submitted', progress: 'released', bom: ids.BOM, standard_cost: '2350.000000' });
  });

  it('issues the materials through the stock ledger: Dr 4001 / Cr 1405', async () => {
    const r = await ok('POST', `/api/v1/manufacturing/work-orders/${wo}/issue`, {});
    // TOP 10 × 100 + LEG 42 × 10
    expect(r.value).toBe('1420.00');
    expect(await balance(ids.LEG, rm)).toMatchObject({ on_hand: '58.000000' });
    expect(await vouchers(wo)).toEqual([['4001', '1420.00', '0.00'], ['1405', '0.00', '1420.00']]);
    const again = await t.api('POST', `/api/v1/manufacturing/work-orders/${wo}/issue`, {});
    expect(again.status).toBe(409);
  });

  it('takes work reports in partial batches with scrap, and refuses more than reached the operation', async () => {
    const [saw, asm] = await cards(wo);
    await ok('POST', `/api/v1/manufacturing/job-cards/${saw.id}/report`, { good_qty: 6, scrap_qty: 1, minutes: 90 });
    await ok('POST', `/api/v1/manufacturing/job-cards/${asm.id}/report`, { good_qty: 6, minutes: 180 });
    const early = await t.api('POST', `/api/v1/manufacturing/job-cards/${asm.id}/report`, { good_qty: 1, minutes: 5 });
    expect(early.status).toBe(422); // only 6 came out of the saw so far
    expect(early.body.error).toMatchObject({ code: 'FIELD_INVALID', field: 'good_qty' });
    await ok('POST', `/api/v1/manufacturing/job-cards/${saw.id}/report`, { good_qty: 3, minutes: 60 });
    const last = await ok('POST', `/api/v1/manufacturing/job-cards/${asm.id}/report`, { good_qty: 2, scrap_qty: 1, minutes: 100 });
    expect(last).toMatchObject({ produced_qty: '8', good_qty: '8', scrap_qty: '1' });
    expect((await cards(wo)).map((c) => [c.good_qty, c.scrap_qty, c.actual_minutes, c.state])).toEqual([
      ['9.000000', '1.000000', '150.000000', 'completed'], ['8.000000', '1.000000', '280.000000', 'completed'],
    ]);
    const over = await t.api('POST', `/api/v1/manufacturing/job-cards/${asm.id}/report`, { good_qty: 1, minutes: 5 });
    expect(over.status).toBe(422);
    expect((await ok('GET', `/api/v1/records/work_order/${wo}`))).toMatchObject({ progress: 'in_process', produced_qty: '8.000000', scrap_qty: '2.000000' });
  });

  it('completes: actual cost vs standard, finished goods in stock, vouchers clearing 4001', async () => {
    const r = await ok('POST', `/api/v1/manufacturing/work-orders/${wo}/complete`, { posting_date: '2026-12-11' });
    // labour: SAW 150 min × 60/h = 150; ASM 280 min × 40/h = 186.67 → 336.67
    // overhead: SAW 150 × 30/h = 75; ASM 280 × 20/h = 93.33 → 168.33
    // actual 1420 + 336.67 + 168.33 = 1925.00; standard 235 × 8 produced = 1880.00; variance 45.00
    expect(r).toMatchObject({ material_cost: '1420.00', labour_cost: '336.67', overhead_cost: '168.33', actual_cost: '1925.00', standard_cost: '1880.00', variance: '45.00', unit_cost: '240.625000' });
    expect(await balance(ids.TABLE, fg)).toMatchObject({ on_hand: '8.000000', value: '1925.000000' });
    expect(await vouchers(wo)).toEqual([
      ['4001', '1420.00', '0.00'], ['1405', '0.00', '1420.00'],
      ['1405', '1925.00', '0.00'], ['4001', '336.67', '0.00'], ['4001', '168.33', '0.00'], ['2211', '0.00', '336.67'], ['4001', '0.00', '1925.00'], ['4101', '0.00', '168.33'],
    ]);
    const wip = (await vouchers(wo)).filter(([c]) => c === '4001').reduce((s, [, d, c]) => s + Number(d) - Number(c), 0);
    expect(wip).toBeCloseTo(0, 2);
    expect(await ok('GET', `/api/v1/records/work_order/${wo}`)).toMatchObject({ progress: 'completed', completed_on: '2026-12-11' });
    expect((await t.api('POST', `/api/v1/manufacturing/work-orders/${wo}/complete`, {})).status).toBe(409);
    expect((await t.api('POST', `/api/v1/records/work_order/${wo}/cancel`, { version: 99 })).status).toBeGreaterThanOrEqual(400);
  });
});

describe('backflush, capacity and reports', () => {
  it('backflushes the components at the first operation for what it processed', async () => {
    const wo = await create('work_order', { item: ids.TABLE, qty: 2, planned_start: '2026-12-14', source_warehouse: rm, fg_warehouse: fg, backflush: true });
    await ok('POST', `/api/v1/records/work_order/${wo}/submit`, { version: 1 });
    const [saw] = await cards(wo);
    const r = await ok('POST', `/api/v1/manufacturing/job-cards/${saw.id}/report`, { good_qty: 1, scrap_qty: 1, minutes: 40 });
    // 2 processed: TOP 2, LEG 2 × 4.2 = 8.4
    expect(r.backflushed.issued).toEqual([{ item: ids.TOP, qty: '2', value: '200.00' }, { item: ids.LEG, qty: '8.4', value: '84.00' }]);
  });

  it('flags a workstation week loaded over its calendar capacity', async () => {
    // 250 tables: SAW 30 + 250 × 12 = 3030 min = 50.5 h in the week of 12-21; capacity 5 days × 8 h = 40 h
    const big = await create('work_order', { item: ids.TABLE, qty: 250, planned_start: '2026-12-21', source_warehouse: rm, fg_warehouse: fg });
    await ok('POST', `/api/v1/records/work_order/${big}/submit`, { version: 1 });
    const r = await ok('GET', '/api/v1/manufacturing/reports/workstation-load?from=2026-12-21&to=2026-12-27');
    expect(r.weeks.find((w: any) => w.code === 'SAW')).toMatchObject({ week: '2026-12-21', loadHours: 50.5, capacityHours: 40, overloaded: true });
    expect(r.overloaded).toBeGreaterThanOrEqual(1);
    // and the material it needs is short: LEG 250 × 4.2 = 1050 against 100 − 42 − 8.4 = 49.6; TOP 250 against 20 − 10 − 2 = 8
    const s = await ok('GET', '/api/v1/manufacturing/reports/material-shortages');
    expect(s.shortages.map((x: any) => [x.code, x.need, x.available, x.short])).toEqual([['LEG', '1050', '49.6', '1000.4'], ['TOP', '250', '8', '242']]);
  });

  it('reports progress, on-time completion and scrap rate', async () => {
    const p = await ok('GET', '/api/v1/manufacturing/reports/production-progress');
    expect(p.orders[0]).toMatchObject({ item: 'TABLE', qty: '10.000000', produced: '8.000000', percent: 80, onTime: true });
    expect(p.onTimeRate).toBe(1);
    const s = await ok('GET', '/api/v1/manufacturing/reports/scrap-rate');
    // SAW: good 9 + 1 (backflush order), scrap 1 + 1 → 2/12; ASM: good 8, scrap 1 → 1/9
    expect(s.byWorkstation).toEqual([{ key: 'ASM', good: '8.000000', scrap: '1.000000', rate: 0.1111 }, { key: 'SAW', good: '10.000000', scrap: '2.000000', rate: 0.1667 }]);
  });

  it('a calendar exception closes a day: capacity follows the holidays', async () => {
    const ws = await create('workstation', { code: 'HOL', name: '节假日线', hourly_cost: 1, shifts: [{ name: 'A', hours: 8 }, { name: 'B', hours: 4 }],
      holidays: [{ day: '2027-01-01', name: '元旦', kind: 'holiday' }, { day: '2027-01-02', name: '调休', kind: 'workday' }] });
    const routing = await create('routing', { code: 'R-HOL', name: 'x', operations: [{ seq: 10, name: 'x', workstation: ws, run_minutes: 60 }] });
    const item = await create('item', { code: 'HOLX', name: 'x' });
    await create('bom', { item, routing, is_default: true, lines: [{ item: ids.TOP, qty: 1 }] });
    const w = await create('work_order', { item, qty: 1, planned_start: '2026-12-29', source_warehouse: rm, fg_warehouse: fg });
    await ok('POST', `/api/v1/records/work_order/${w}/submit`, { version: 1 });
    const r = await ok('GET', '/api/v1/manufacturing/reports/workstation-load?from=2026-12-28&to=2027-01-03');
    // Mon–Thu 4 × 12 h, Fri 1 Jan closed, Sat 2 Jan worked (调休): 5 × 12 = 60 h
    expect(r.weeks.find((x: any) => x.code === 'HOL')).toMatchObject({ week: '2026-12-28', capacityHours: 60, loadHours: 1 });
  });
});

describe('substitutes', () => {
  it('issues the substitute for what the primary lacks in the warehouse', async () => {
    const [prim, sub, out] = [await create('item', { code: 'PRIM', name: '主料' }), await create('item', { code: 'SUBS', name: '替代料' }), await create('item', { code: 'OUTX', name: '产品' })];
    const receipt = await create('stock_entry', { entry_type: 'receipt', warehouse: rm, lines: [{ item: prim, qty: 1, rate: 5 }, { item: sub, qty: 10, rate: 4 }] });
    await ok('POST', `/api/v1/records/stock_entry/${receipt}/submit`, { version: 1 });
    await create('bom', { item: out, is_default: true, lines: [{ item: prim, qty: 2 }], substitutes: [{ item: prim, substitute: sub, ratio: '1.5', priority: 1 }] });
    const wo = await create('work_order', { item: out, qty: 2, source_warehouse: rm, fg_warehouse: fg });
    await ok('POST', `/api/v1/records/work_order/${wo}/submit`, { version: 1 });
    const r = await ok('POST', `/api/v1/manufacturing/work-orders/${wo}/issue`, {});
    // 4 PRIM needed, 1 in stock: the other 3 come as 3 × 1.5 = 4.5 SUBS
    expect(r.issued).toEqual([{ item: sub, qty: '4.5', value: '18.00' }, { item: prim, qty: '1', value: '5.00' }]);
    expect((await t.api('POST', `/api/v1/manufacturing/work-orders/${wo}/issue`, {})).status).toBe(409); // nothing left: substitutes count
  });
});

describe('access', () => {
  it('an operator reports work on a job card but may not issue, complete or plan', async () => {
    const roles = (await t.api('GET', '/api/v1/admin/roles')).body.data as any[];
    const operator = await userWith(t, [roles.find((r) => r.code === 'shop_floor_operator').id], { name: 'operator' });
    const as = (method: string, url: string, body?: unknown) => t.api(method, url, body, { token: operator.token });
    const wo = await create('work_order', { item: ids.TABLE, qty: 1, planned_start: '2026-12-28', source_warehouse: rm, fg_warehouse: fg });
    await ok('POST', `/api/v1/records/work_order/${wo}/submit`, { version: 1 });
    const [saw] = await cards(wo);
    const report = await as('POST', `/api/v1/manufacturing/job-cards/${saw.id}/report`, { good_qty: 1, minutes: 12 });
    expect(report.status, JSON.stringify(report.body)).toBe(200);
    const refused = [[`/api/v1/manufacturing/work-orders/${wo}/issue`, 'work_order', 'edit'], [`/api/v1/manufacturing/work-orders/${wo}/complete`, 'work_order', 'edit'],
      ['/api/v1/manufacturing/mrp-runs', 'mrp_run', 'read']] as const;
    for (const [url, object, action] of refused) {
      const r = await as('POST', url, {});
      expect(r.status, url).toBe(403); // the endpoint names the right it lacks (mfg-context.ts requireRights)
      expect(r.body.error).toMatchObject({ code: 'FORBIDDEN', details: { object, action } });
    }
  });
});
