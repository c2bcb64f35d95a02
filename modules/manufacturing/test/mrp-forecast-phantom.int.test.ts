import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { mfgHelpers } from './mfg-fixture.ts';

// Issue 10, what the audit left open, on a real PostgreSQL:
//   - demand_forecast filled from the report engine's forecast over each item's monthly sales,
//     hand-entered months kept, MRP planning max(forecast, orders) from it;
//   - a phantom inside a BOM explodes with the phantom's version in effect on the requirement's date.
let t: TestApp;
let fg: string;
let customer: string;
const ids: Record<string, string> = {};

const mfg = mfgHelpers(() => t);
const { create, submit } = mfg;
const q = (x: unknown) => encodeURIComponent(JSON.stringify(x));
const brief = (s: any[], codes: string[]) => s.filter((x) => codes.includes(x['item.code'])).map((x) => [x['item.code'], x.kind, Number(x.qty), x.start_date, x.due_date]);
const order = async (item: string, qty: number, delivery: string, submitted = true) => {
  const id = await create('sales_order', { customer, warehouse: fg, order_date: '2026-06-01', delivery_date: delivery, lines: [{ item, qty, rate: 10 }] });
  if (submitted) await submit('sales_order', id);
  return id;
};

beforeAll(async () => {
  t = await createTestApp();
  fg = await create('warehouse', { code: 'FG', name: '成品仓', allow_negative: true });
  customer = await create('customer', { name: '华东经销' });
  for (const code of ['GIZMO', 'NOSALE', 'TABLE', 'KIT', 'LEG', 'FOOT']) ids[code] = await create('item', { code, name: `物料${code}` });
});

afterAll(async () => {
  await t?.close();
});

describe('forecasts generated from sales history by the report engine', () => {
  const generate = (body: unknown) => t.api('POST', '/api/v1/manufacturing/forecasts/generate', body);
  const rowsOf = async (item: string) =>
    (await t.api('GET', `/api/v1/records/demand_forecast?filter=${q({ item })}&sort=period_start&fields=period_start,bucket,qty,source`)).body.data
      .map((r: any) => [r.period_start, r.bucket, Number(r.qty), r.source]);

  beforeAll(async () => {
    await create('item_planning', { item: ids.GIZMO, procurement: 'buy', lead_time_days: 0 });
    // A straight line, 10 more every month, July to December 2026 (due dates, one order a month);
    // a draft order is no sale, and a January order is after the history.
    for (const [k, month] of ['07', '08', '09', '10', '11', '12'].entries()) await order(ids.GIZMO, 10 * (k + 1), `2026-${month}-15`);
    await order(ids.GIZMO, 1000, '2026-10-20', false);
    ids.SO_JAN = await order(ids.GIZMO, 25, '2027-01-20');
    // February is the planner's own figure
    ids.F_FEB = await create('demand_forecast', { item: ids.GIZMO, period_start: '2027-02-01', bucket: 'month', qty: 55 });
  });

  it('forecasts the next months of the line exactly, keeps the hand-entered month, skips an item never sold', async () => {
    const r = await generate({ items: [ids.GIZMO, ids.NOSALE], months: 3, from: '2027-01-01' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.written.map((w: any) => [w.month, w.qty, w.model, w.updated])).toEqual([
      ['2027-01-01', 70, 'holt_linear', false],
      ['2027-03-01', 90, 'holt_linear', false], // February (80) is the planner's
    ]);
    expect(r.body.kept).toEqual([{ item: ids.GIZMO, month: '2027-02-01', forecast: ids.F_FEB }]);
    expect(r.body.skipped).toEqual([{ item: ids.NOSALE, reason: 'no sales in the history window' }]);
    expect(await rowsOf(ids.GIZMO)).toEqual([
      ['2027-01-01', 'month', 70, 'report'],
      ['2027-02-01', 'month', 55, 'manual'],
      ['2027-03-01', 'month', 90, 'report'],
    ]);
  });

  it('generating again updates its own rows, never adds a second one nor touches the manual one', async () => {
    const r = await generate({ items: [ids.GIZMO], months: 3, from: '2027-01-15' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.written.map((w: any) => [w.month, w.qty, w.updated])).toEqual([['2027-01-01', 70, true], ['2027-03-01', 90, true]]);
    expect(await rowsOf(ids.GIZMO)).toEqual([
      ['2027-01-01', 'month', 70, 'report'],
      ['2027-02-01', 'month', 55, 'manual'],
      ['2027-03-01', 'month', 90, 'report'],
    ]);
  });

  it('MRP plans max(forecast, orders) per month from the generated rows', async () => {
    const { suggestions } = await mfg.runMrp('2027-01-01', 'id,item.code,kind,qty,start_date,due_date,sales_order', 'level,item.code,due_date');
    // January: 70 forecast − 25 ordered = 45 on 01-01, the order's 25 on 01-20; February 55 (manual); March 90
    expect(brief(suggestions, ['GIZMO']).filter((s) => String(s[4]) >= '2027-01-01')).toEqual([
      ['GIZMO', 'purchase', 45, '2027-01-01', '2027-01-01'],
      ['GIZMO', 'purchase', 25, '2027-01-20', '2027-01-20'],
      ['GIZMO', 'purchase', 55, '2027-02-01', '2027-02-01'],
      ['GIZMO', 'purchase', 90, '2027-03-01', '2027-03-01'],
    ]);
  });

  it('eight runs at once for the same months add each month once', async () => {
    const runs = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map(() => generate({ items: [ids.GIZMO], months: 2, from: '2027-05-01' })));
    expect(runs.map((r) => r.status)).toEqual(Array(8).fill(200));
    const later = (await rowsOf(ids.GIZMO)).filter((r: any[]) => r[0] >= '2027-05-01');
    expect(later.map((r: any[]) => r[0])).toEqual(['2027-05-01', '2027-06-01']);
  });

  it('refuses bad input naming the field', async () => {
    const months = await generate({ items: [ids.GIZMO], months: 0 });
    expect(months.status).toBe(422);
    expect(months.body.error.field).toBe('months');
    const unknown = await generate({ items: [ids.GIZMO, '00000000-0000-4000-8000-000000000000'], months: 2 });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.field).toBe('items');
    const from = await generate({ items: [ids.GIZMO], months: 2, from: '2027-02-30' });
    expect(from.status).toBe(422);
    expect(from.body.error.field).toBe('from');
  });
});

describe('a phantom explodes with its own version of the requirement date', () => {
  let planned: any[];
  beforeAll(async () => {
    await create('item_planning', { item: ids.TABLE, procurement: 'make', lead_time_days: 1 });
    for (const part of ['LEG', 'FOOT']) await create('item_planning', { item: ids[part], procurement: 'buy', lead_time_days: 0 });
    // KIT (phantom) K1 (default) until 12-14: 4 LEG; K2 from 12-15: 3 FOOT at 10 % scrap.
    await create('bom', { item: ids.KIT, revision: 'K1', is_default: true, effective_to: '2026-12-14', lines: [{ item: ids.LEG, qty: 4 }] });
    await create('bom', { item: ids.KIT, revision: 'K2', effective_from: '2026-12-15', lines: [{ item: ids.FOOT, qty: 3, scrap_pct: '0.1' }] });
    // TABLE's one version, dated, holds the kit as a phantom line.
    await create('bom', { item: ids.TABLE, revision: 'T1', is_default: true, effective_from: '2026-01-01', lines: [{ item: ids.KIT, qty: 1, is_phantom: true }] });
    const plan = await create('production_plan', {
      description: '餐桌', lines: [{ item: ids.TABLE, qty: 10, required_date: '2026-12-11' }, { item: ids.TABLE, qty: 5, required_date: '2026-12-21' }],
    });
    await submit('production_plan', plan);
  });

  it('the table starting 12-10 needs K1 legs, the one starting 12-20 K2 feet (the run date is under K1)', async () => {
    const { suggestions } = await mfg.runMrp('2026-12-01', 'id,item.code,kind,qty,start_date,due_date', 'level,item.code,due_date');
    expect(brief(suggestions, ['TABLE', 'KIT', 'LEG', 'FOOT'])).toEqual([
      ['TABLE', 'work_order', 10, '2026-12-10', '2026-12-11'],
      ['TABLE', 'work_order', 5, '2026-12-20', '2026-12-21'],
      ['FOOT', 'purchase', 16.5, '2026-12-20', '2026-12-20'], // 5 × 3 × 1.1
      ['LEG', 'purchase', 40, '2026-12-10', '2026-12-10'], // 10 × 4; none for the second table
    ]);
    planned = suggestions;
  });

  it('firmed into work orders, each still needs its own kit version\'s parts — the phantom itself is never demand', async () => {
    const tables = planned.filter((s) => s['item.code'] === 'TABLE').map((s) => s.id);
    await mfg.ok('POST', '/api/v1/manufacturing/mrp-suggestions/firm', { ids: tables, source_warehouse: fg, fg_warehouse: fg });
    const { suggestions } = await mfg.runMrp('2026-12-01', 'id,item.code,kind,qty,start_date,due_date', 'level,item.code,due_date');
    expect(brief(suggestions, ['TABLE', 'KIT', 'LEG', 'FOOT'])).toEqual([
      ['FOOT', 'purchase', 16.5, '2026-12-20', '2026-12-20'],
      ['LEG', 'purchase', 40, '2026-12-10', '2026-12-10'],
    ]);
  });
});
