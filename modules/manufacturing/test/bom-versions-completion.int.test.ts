import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { mfgHelpers } from './mfg-fixture.ts';

// Gaps left by bom/work-order tests, on a real PostgreSQL: which BOM version a
// work order and an MRP run use on a date (a version effective only in the future
// is passed over, the default wins once it is in effect); by-products received
// into stock at completion at their valuation; and the on-time rate with a late order.
let t: TestApp;
let rm: string;
let fg: string;
const ids: Record<string, string> = {};

const { create, ok, submit, balance, cards, runMrp } = mfgHelpers(() => t);

beforeAll(async () => {
  t = await createTestApp();
  rm = await create('warehouse', { code: 'RM', name: '原料仓' });
  fg = await create('warehouse', { code: 'FG', name: '成品仓' });
  for (const code of ['GADGET', 'OLDPART', 'NEWPART', 'PANEL', 'SHEET', 'CHIPS']) ids[code] = await create('item', { code, name: `物料${code}` });
  const receipt = await create('stock_entry', { entry_type: 'receipt', warehouse: rm, lines: [
    { item: ids.OLDPART, qty: 10, rate: 7 }, { item: ids.NEWPART, qty: 10, rate: 9 }, { item: ids.SHEET, qty: 100, rate: 5 }, { item: ids.CHIPS, qty: 1, rate: 3 },
  ] });
  await submit('stock_entry', receipt);
  // GADGET: V1 (not default, always in effect) uses OLDPART; V2 (the default) uses NEWPART but only from 2027-01-01.
  ids.V1 = await create('bom', { item: ids.GADGET, revision: 'V1', lines: [{ item: ids.OLDPART, qty: 1 }] });
  ids.V2 = await create('bom', { item: ids.GADGET, revision: 'V2', is_default: true, effective_from: '2027-01-01', lines: [{ item: ids.NEWPART, qty: 1 }] });
});

afterAll(async () => {
  await t?.close();
});

describe('BOM version by effective date', () => {
  it('a work order starting before the default version takes effect uses the version in effect', async () => {
    const wo = await create('work_order', { item: ids.GADGET, qty: 2, planned_start: '2026-12-07', source_warehouse: rm, fg_warehouse: fg });
    await submit('work_order', wo);
    // standard cost follows the version: 2 × OLDPART at 7
    expect(await ok('GET', `/api/v1/records/work_order/${wo}`)).toMatchObject({ bom: ids.V1, standard_cost: '14.000000' });
  });

  it('once the default version is in effect it wins over the other version', async () => {
    const wo = await create('work_order', { item: ids.GADGET, qty: 2, planned_start: '2027-01-04', source_warehouse: rm, fg_warehouse: fg });
    await submit('work_order', wo);
    expect(await ok('GET', `/api/v1/records/work_order/${wo}`)).toMatchObject({ bom: ids.V2, standard_cost: '18.000000' });
  });

  it('a version whose range has ended is not used: no BOM in effect names the field', async () => {
    const item = await create('item', { code: 'RETIRED', name: '停产品' });
    await create('bom', { item, is_default: true, effective_to: '2026-06-30', lines: [{ item: ids.OLDPART, qty: 1 }] });
    const wo = await create('work_order', { item, qty: 1, planned_start: '2026-12-07', source_warehouse: rm, fg_warehouse: fg });
    const r = await t.api('POST', `/api/v1/records/work_order/${wo}/submit`, { version: 1 });
    expect(r.status).toBe(422);
    expect(r.body.error).toMatchObject({ code: 'FIELD_REQUIRED', field: 'bom' });
  });

  it('MRP explodes the version in effect on the planned start, and firming keeps it', async () => {
    for (const part of ['OLDPART', 'NEWPART']) await create('item_planning', { item: ids[part], procurement: 'buy', lead_time_days: 0 });
    await create('item_planning', { item: ids.GADGET, procurement: 'make', lead_time_days: 0 });
    const plan = await create('production_plan', { description: '版本测试', lines: [{ item: ids.GADGET, qty: 30, required_date: '2026-12-20' }] });
    await submit('production_plan', plan);
    const { suggestions } = await runMrp('2026-12-01', 'id,item.code,kind,qty', 'item.code');
    const brief = suggestions.map((s: any) => [s['item.code'], s.kind, Number(s.qty)]);
    expect(brief).toEqual([['GADGET', 'work_order', 28], ['OLDPART', 'purchase', 20]]);
    const make = suggestions.find((s: any) => s.kind === 'work_order');
    const firmed = await ok('POST', '/api/v1/manufacturing/mrp-suggestions/firm', { ids: [make.id], source_warehouse: rm, fg_warehouse: fg });
    expect(await ok('GET', `/api/v1/records/work_order/${firmed.workOrders[0]}`)).toMatchObject({ bom: ids.V1, status: 'draft' });
  });

  it('material shortages count a draft order on the version in effect on its planned start', async () => {
    // a draft has no BOM fixed yet: 20 GADGET from 2026-12-07 need OLDPART (V1), not NEWPART (V2 only from 2027)
    await create('work_order', { item: ids.GADGET, qty: 20, planned_start: '2026-12-07', source_warehouse: rm, fg_warehouse: fg });
    const s = await ok('GET', '/api/v1/manufacturing/reports/material-shortages');
    // OLDPART: 2 (released V1 order) + 28 (firmed order, V1) + 20 = 50 against 10; NEWPART: 2 for the V2 order against 10;
    // the RETIRED draft (its only BOM ended 2026-06-30) needs nothing
    expect(s.shortages.map((x: any) => [x.code, x.need, x.available, x.short])).toEqual([['OLDPART', '50', '10', '40']]);
  });
});

describe('completion with a by-product, and the on-time rate', () => {
  const completed = async (qty: number, dueDate: string | null, completedOn: string) => {
    const wo = await create('work_order', { item: ids.PANEL, qty, planned_start: '2026-12-07', due_date: dueDate, source_warehouse: rm, fg_warehouse: fg });
    await submit('work_order', wo);
    await ok('POST', `/api/v1/manufacturing/work-orders/${wo}/issue`, {});
    const [press] = await cards(wo);
    await ok('POST', `/api/v1/manufacturing/job-cards/${press.id}/report`, { good_qty: qty - 1, scrap_qty: 1, minutes: 60 });
    return { wo, result: await ok('POST', `/api/v1/manufacturing/work-orders/${wo}/complete`, { posting_date: completedOn }) };
  };

  beforeAll(async () => {
    const ws = await create('workstation', { code: 'PRESS', name: '冲压', hourly_cost: 60, overhead_rate: 0, shifts: [{ name: '白班', hours: 8 }] });
    const routing = await create('routing', { code: 'R-PANEL', name: '面板', operations: [{ seq: 10, name: '冲压', workstation: ws, setup_minutes: 0, run_minutes: 15 }] });
    // base quantity 2: 2 SHEET make 2 PANEL and throw off 1 CHIPS
    await create('bom', { item: ids.PANEL, quantity: 2, is_default: true, routing, lines: [{ item: ids.SHEET, qty: 2 }], by_products: [{ item: ids.CHIPS, qty: 1 }] });
  });

  it('receives the by-product into the finished-goods warehouse for what was produced, at its valuation', async () => {
    const { result } = await completed(4, '2026-12-11', '2026-12-10');
    // produced 3: CHIPS 1/2 × 3 = 1.5 at its valuation 3 = 4.50 credited;
    // actual = SHEET 4 × 5 = 20 + labour 60 min × 60/h = 60 − 4.50 = 75.50 for 3 panels
    expect(result).toMatchObject({ produced_qty: '3', material_cost: '20.00', labour_cost: '60.00', actual_cost: '75.50', unit_cost: '25.166667' });
    expect(await balance(ids.CHIPS, fg)).toMatchObject({ on_hand: '1.500000', value: '4.500000' });
    expect(await balance(ids.PANEL, fg)).toMatchObject({ on_hand: '3.000000', value: '75.500000' });
  });

  it('the on-time rate counts one late order among three finished: 2/3', async () => {
    await completed(2, '2026-12-11', '2026-12-14'); // three days late
    await completed(2, null, '2026-12-20'); // no due date: on time by definition
    const p = await ok('GET', '/api/v1/manufacturing/reports/production-progress');
    const panels = p.orders.filter((o: any) => o.item === 'PANEL').map((o: any) => [o.due_date, o.completed_on, o.onTime]);
    expect(panels).toEqual(expect.arrayContaining([['2026-12-11', '2026-12-10', true], ['2026-12-11', '2026-12-14', false], [null, '2026-12-20', true]]));
    expect(panels).toHaveLength(3);
    // the GADGET orders are released, not finished: they do not count
    expect(p.onTimeRate).toBe(0.667);
  });
});
