import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { mfgHelpers } from './mfg-fixture.ts';

// MRP planning gaps (issue 10 audit), on a real PostgreSQL:
//   - forecasts (demand_forecast) are demand, consumed by the sales orders of their period:
//     demand = max(forecast, ordered) per item and period;
//   - each planned work order explodes with the BOM version in effect on its own start date,
//     and firming it fixes that same version on the work order.
let t: TestApp;
let fg: string;
let rm: string;
let customer: string;
const ids: Record<string, string> = {};

const mfg = mfgHelpers(() => t);
const { create, ok, submit } = mfg;
const runMrp = () => mfg.runMrp('2026-12-01', 'id,item.code,kind,qty,start_date,due_date,sales_order,pegs', 'level,item.code,due_date');
const brief = (s: any[], codes: string[]) => s.filter((x) => codes.includes(x['item.code'])).map((x) => [x['item.code'], x.kind, Number(x.qty), x.start_date, x.due_date]);
const order = async (item: string, qty: number, delivery: string) => {
  const id = await create('sales_order', { customer, warehouse: fg, delivery_date: delivery, lines: [{ item, qty, rate: 10 }] });
  await submit('sales_order', id);
  return id;
};

beforeAll(async () => {
  t = await createTestApp();
  fg = await create('warehouse', { code: 'FG', name: '成品仓', allow_negative: true });
  rm = await create('warehouse', { code: 'RM', name: '原料仓' });
  customer = await create('customer', { name: '华南经销' });
  for (const code of ['CAKE', 'LAMP', 'BULB', 'LED']) ids[code] = await create('item', { code, name: `物料${code}` });
  await create('item_planning', { item: ids.CAKE, procurement: 'buy', lead_time_days: 2 });
});

afterAll(async () => {
  await t?.close();
});

describe('forecast demand, consumed by sales orders of its period', () => {
  it('without orders the forecasts are the demand, pegged to the forecast', async () => {
    ids.F_DEC = await create('demand_forecast', { item: ids.CAKE, warehouse: fg, period_start: '2026-12-01', bucket: 'month', qty: 100 });
    ids.F_WEEK = await create('demand_forecast', { item: ids.CAKE, period_start: '2027-01-04', bucket: 'week', qty: 40 });
    const { suggestions } = await runMrp();
    // lead 2: December's 100 due 12-01 (released 11-29: past due), the week of 01-04's 40 due 01-04
    expect(brief(suggestions, ['CAKE'])).toEqual([
      ['CAKE', 'purchase', 100, '2026-11-29', '2026-12-01'],
      ['CAKE', 'purchase', 40, '2027-01-02', '2027-01-04'],
    ]);
    expect(JSON.parse(suggestions[0].pegs)).toEqual([{ t: 'demand_forecast', id: ids.F_DEC, q: 100 }]);
  });

  it('orders consume the forecast of their period: max(forecast, ordered), never both', async () => {
    ids.SO_DEC = await order(ids.CAKE, 30, '2026-12-10'); // 30 of December's 100
    await order(ids.CAKE, 50, '2027-01-06'); // more than the week's 40: the forecast adds nothing
    await order(ids.CAKE, 5, '2027-01-11'); // the next week: no forecast there, only the order
    const { suggestions } = await runMrp();
    // December: 100 − 30 = 70 left of the forecast on 12-01, the order's 30 on 12-10 → 100 in all
    // week of 01-04: 50 ordered ≥ 40 forecast → 50; week of 01-11: 5
    expect(brief(suggestions, ['CAKE'])).toEqual([
      ['CAKE', 'purchase', 70, '2026-11-29', '2026-12-01'],
      ['CAKE', 'purchase', 30, '2026-12-08', '2026-12-10'],
      ['CAKE', 'purchase', 50, '2027-01-04', '2027-01-06'],
      ['CAKE', 'purchase', 5, '2027-01-09', '2027-01-11'],
    ]);
    expect(suggestions.find((s) => s.due_date === '2026-12-10').sales_order).toBe(ids.SO_DEC);
  });

  it('a delivered order still consumed its period: only the forecast left is added', async () => {
    // 80 more ordered for December, 80 of it delivered: December's orders 110 > forecast 100 → no forecast left
    const so = await order(ids.CAKE, 80, '2026-12-03');
    const dn = await create('delivery_note', { customer, sales_order: so, warehouse: fg, lines: [{ item: ids.CAKE, qty: 80 }] });
    await submit('delivery_note', dn);
    const { suggestions } = await runMrp();
    expect(brief(suggestions, ['CAKE']).filter((s) => String(s[4]) < '2027-01-01')).toEqual([['CAKE', 'purchase', 30, '2026-12-08', '2026-12-10']]);
  });

  it('refuses a forecast without a quantity or with a negative one, naming the field', async () => {
    const r = await t.api('POST', '/api/v1/records/demand_forecast', { item: ids.CAKE, period_start: '2026-12-01', qty: -1 });
    expect(r.status).toBe(422);
    expect(r.body.error.field).toBe('qty');
  });
});

describe('each requirement explodes with the BOM version in effect on its own start', () => {
  beforeAll(async () => {
    await create('item_planning', { item: ids.LAMP, procurement: 'make', lead_time_days: 1 });
    for (const part of ['BULB', 'LED']) await create('item_planning', { item: ids[part], procurement: 'buy', lead_time_days: 0 });
    // V1 (default) until 12-14 uses 2 BULB; V2 from 12-15 uses 3 LED at 10 % scrap.
    ids.V1 = await create('bom', { item: ids.LAMP, revision: 'V1', is_default: true, effective_to: '2026-12-14', lines: [{ item: ids.BULB, qty: 2 }] });
    ids.V2 = await create('bom', { item: ids.LAMP, revision: 'V2', effective_from: '2026-12-15', lines: [{ item: ids.LED, qty: 3, scrap_pct: '0.1' }] });
    ids.SO_LAMP = await order(ids.LAMP, 10, '2026-12-11'); // starts 12-10: V1
    const plan = await create('production_plan', { description: '灯具', lines: [{ item: ids.LAMP, qty: 5, required_date: '2026-12-21' }] }); // starts 12-20: V2
    await submit('production_plan', plan);
  });

  let planned: any[];
  it('plans BULB for the order starting under V1 and LED for the one under V2 (the run date is under V1)', async () => {
    planned = (await runMrp()).suggestions;
    expect(brief(planned, ['LAMP', 'BULB', 'LED'])).toEqual([
      ['LAMP', 'work_order', 10, '2026-12-10', '2026-12-11'],
      ['LAMP', 'work_order', 5, '2026-12-20', '2026-12-21'],
      ['BULB', 'purchase', 20, '2026-12-10', '2026-12-10'],
      ['LED', 'purchase', 16.5, '2026-12-20', '2026-12-20'], // 5 × 3 × 1.1
    ]);
  });

  it('firming fixes on each work order the version its suggestion was exploded with; a re-run plans the same components', async () => {
    const lamps = planned.filter((s) => s['item.code'] === 'LAMP');
    const firmed = await ok('POST', '/api/v1/manufacturing/mrp-suggestions/firm', { ids: lamps.map((s) => s.id), source_warehouse: rm, fg_warehouse: fg });
    const orders = await Promise.all(firmed.workOrders.map((id: string) => ok('GET', `/api/v1/records/work_order/${id}`)));
    expect(orders.map((o: any) => [o.planned_start, o.bom])).toEqual([['2026-12-10', ids.V1], ['2026-12-20', ids.V2]]);
    // The work orders are supply now; their components (from their own BOMs) are what the plan had.
    const again = (await runMrp()).suggestions;
    expect(brief(again, ['LAMP', 'BULB', 'LED'])).toEqual([
      ['BULB', 'purchase', 20, '2026-12-10', '2026-12-10'],
      ['LED', 'purchase', 16.5, '2026-12-20', '2026-12-20'],
    ]);
  });
});
