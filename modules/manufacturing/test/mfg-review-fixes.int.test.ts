import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { importAndWait } from '@mosaic/io/test-kit';
import { roleWith, userWith } from '../../../apps/server/test/access-helpers.ts';
import { mfgHelpers } from './mfg-fixture.ts';

// Issue 10, gaps from review, on a real PostgreSQL:
//   - a planner's edit of a generated forecast makes it theirs: generating again leaves it alone;
//   - a phantom two levels deep: what MRP counts as an open work order's demand is what the order issues;
//   - forecast generation and "can we take this order?" need the rights to what they read: 403 naming the object.
let t: TestApp;
let fg: string;
let customer: string;
const ids: Record<string, string> = {};
const codeOf: Record<string, string> = {};

const mfg = mfgHelpers(() => t);
const { create, submit, ok } = mfg;
const q = (x: unknown) => encodeURIComponent(JSON.stringify(x));
const order = async (item: string, qty: number, delivery: string) =>
  submit('sales_order', await create('sales_order', { customer, warehouse: fg, order_date: '2026-06-01', delivery_date: delivery, lines: [{ item, qty, rate: 10 }] }));

beforeAll(async () => {
  t = await createTestApp();
  fg = await create('warehouse', { code: 'FG', name: '成品仓', allow_negative: true });
  ids.RM = await create('warehouse', { code: 'RM', name: '原料仓' });
  customer = await create('customer', { name: '华北经销' });
  for (const code of ['EDITME', 'TOP', 'KIT1', 'KIT2', 'PIN', 'NUT', 'BOLT']) {
    ids[code] = await create('item', { code, name: `物料${code}` });
    codeOf[ids[code]] = code;
  }
});

afterAll(async () => {
  await t?.close();
});

describe("a planner's edit of a generated forecast is the planner's", () => {
  const generate = (body: unknown) => t.api('POST', '/api/v1/manufacturing/forecasts/generate', body);
  const rows = async () =>
    (await t.api('GET', `/api/v1/records/demand_forecast?filter=${q({ item: ids.EDITME })}&sort=period_start&fields=period_start,qty,source,version`)).body.data as any[];
  const brief = (list: any[]) => list.map((r) => [r.period_start, Number(r.qty), r.source]);

  it('generate, edit one month, generate again: the edit stays, the other months are refreshed', async () => {
    for (const [k, month] of ['07', '08', '09', '10', '11', '12'].entries()) await order(ids.EDITME, 10 * (k + 1), `2026-${month}-15`);
    const first = await generate({ items: [ids.EDITME], months: 3, from: '2027-01-01' });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(brief(await rows())).toEqual([['2027-01-01', 70, 'report'], ['2027-02-01', 80, 'report'], ['2027-03-01', 90, 'report']]);

    const feb = (await rows())[1];
    const edit = await t.api('PATCH', `/api/v1/records/demand_forecast/${feb.id}`, { version: feb.version, qty: 85 });
    expect(edit.status, JSON.stringify(edit.body)).toBe(200);
    expect(edit.body).toMatchObject({ qty: expect.stringMatching(/^85(\.0+)?$/), source: 'manual' }); // the reply already says so

    // More sales in December: the model's figures change.
    await order(ids.EDITME, 30, '2026-12-20');
    const again = await generate({ items: [ids.EDITME], months: 3, from: '2027-01-01' });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.kept).toEqual([{ item: ids.EDITME, month: '2027-02-01', forecast: feb.id }]);
    const written = again.body.written.map((w: any) => [w.month, w.qty, w.updated]);
    expect(written.map((w: any[]) => [w[0], w[2]])).toEqual([['2027-01-01', true], ['2027-03-01', true]]);
    expect(written[0][1]).not.toBe(70);
    expect(written[1][1]).not.toBe(90);
    expect(brief(await rows())).toEqual([['2027-01-01', written[0][1], 'report'], ['2027-02-01', 85, 'manual'], ['2027-03-01', written[1][1], 'report']]);
  });

  it("only generation writes 'report': a planner's row or edit claiming it is stored as manual", async () => {
    const made = await t.api('POST', '/api/v1/records/demand_forecast', { item: ids.EDITME, period_start: '2027-05-01', bucket: 'month', qty: 7, source: 'report' });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body.source).toBe('manual');
    const back = await t.api('PATCH', `/api/v1/records/demand_forecast/${made.body.id}`, { version: made.body.version, source: 'report' });
    expect(back.status, JSON.stringify(back.body)).toBe(200);
    expect(back.body.source).toBe('manual');
    const r = await generate({ items: [ids.EDITME], months: 1, from: '2027-05-01' });
    expect(r.body.kept).toEqual([{ item: ids.EDITME, month: '2027-05-01', forecast: made.body.id }]);
    expect(brief(await rows()).find((x) => x[0] === '2027-05-01')).toEqual(['2027-05-01', 7, 'manual']);
  });
});

describe('one forecast per item and period', () => {
  it('refuses the second of two planners entering the same item and month at once: 409 naming the period', async () => {
    const item = await create('item', { code: 'TWICE', name: '物料TWICE' });
    const enter = (qty: number) => t.api('POST', '/api/v1/records/demand_forecast', { item, period_start: '2027-09-01', bucket: 'month', qty });
    const both = await Promise.all([enter(40), enter(60)]);
    expect(both.map((r) => r.status).sort(), JSON.stringify(both.map((r) => r.body))).toEqual([201, 409]);
    const second = both.find((r) => r.status === 409)!;
    expect(second.body.error).toMatchObject({ code: 'FIELD_NOT_UNIQUE', field: 'period_start' });
    expect(second.body.error.message).toContain('already has a forecast for this period');
    // One row for the month, whichever won; the next month, or a week starting the same day, is another period.
    expect((await t.api('GET', `/api/v1/records/demand_forecast?filter=${q({ item })}`)).body.data).toHaveLength(1);
    expect((await enter(50)).status).toBe(409);
    expect((await t.api('POST', '/api/v1/records/demand_forecast', { item, period_start: '2027-10-01', bucket: 'month', qty: 5 })).status).toBe(201);
    expect((await t.api('POST', '/api/v1/records/demand_forecast', { item, period_start: '2027-09-01', bucket: 'week', qty: 5 })).status).toBe(201);
  });
});

describe('a phantom two levels deep', () => {
  // TOP: 2 KIT1 (phantom) + 1 BOLT; KIT1: 3 KIT2 (phantom) + 1 NUT at 10 % scrap; KIT2: 4 PIN.
  // A work order for 5 TOP: BOLT 5, NUT 5 × 2 × 1.1 = 11, PIN 5 × 2 × 3 × 4 = 120; never a kit.
  const parts = ['TOP', 'KIT1', 'KIT2', 'PIN', 'NUT', 'BOLT'];
  const planned = (s: any[]) => s.filter((x) => parts.includes(x['item.code'])).map((x) => [x['item.code'], x.kind, Number(x.qty), x.start_date]);
  let wo: string;

  beforeAll(async () => {
    await create('item_planning', { item: ids.TOP, procurement: 'make', lead_time_days: 1 });
    for (const code of ['PIN', 'NUT', 'BOLT']) await create('item_planning', { item: ids[code], procurement: 'buy', lead_time_days: 0 });
    await create('bom', { item: ids.KIT2, is_default: true, lines: [{ item: ids.PIN, qty: 4 }] });
    await create('bom', { item: ids.KIT1, is_default: true, lines: [{ item: ids.KIT2, qty: 3, is_phantom: true }, { item: ids.NUT, qty: 1, scrap_pct: '0.1' }] });
    await create('bom', { item: ids.TOP, is_default: true, lines: [{ item: ids.KIT1, qty: 2, is_phantom: true }, { item: ids.BOLT, qty: 1 }] });
    wo = await create('work_order', { item: ids.TOP, qty: 5, planned_start: '2026-12-10', due_date: '2026-12-11', source_warehouse: ids.RM, fg_warehouse: fg });
  });

  it('MRP plans the open work order\'s leaves, and releasing it issues exactly those', async () => {
    const before = await mfg.runMrp('2026-12-01', 'id,item.code,kind,qty,start_date', 'level,item.code,due_date');
    expect(planned(before.suggestions)).toEqual([
      ['BOLT', 'purchase', 5, '2026-12-10'],
      ['NUT', 'purchase', 11, '2026-12-10'],
      ['PIN', 'purchase', 120, '2026-12-10'],
    ]);
    await submit('stock_entry', await create('stock_entry', { entry_type: 'receipt', warehouse: ids.RM, lines: [
      { item: ids.PIN, qty: 120, rate: 1 }, { item: ids.NUT, qty: 11, rate: 1 }, { item: ids.BOLT, qty: 5, rate: 1 }] }));
    await submit('work_order', wo);
    const issued = await ok('POST', `/api/v1/manufacturing/work-orders/${wo}/issue`, {});
    expect(issued.issued.map((i: any) => [codeOf[i.item], Number(i.qty)]).sort()).toEqual([['BOLT', 5], ['NUT', 11], ['PIN', 120]]);
    // Everything issued: MRP has nothing left to buy for the order.
    const after = await mfg.runMrp('2026-12-01', 'id,item.code,kind,qty,start_date', 'level,item.code,due_date');
    expect(planned(after.suggestions)).toEqual([]);
  });
});

describe('rights: a 403 naming the object the endpoint needs', () => {
  const READS = ['item', 'item_planning', 'stock_balance', 'bom', 'sales_order', 'production_plan', 'demand_forecast', 'work_order', 'routing', 'workstation', 'job_card'];
  const userReading = async (code: string, objects: string[], extra: { object: string; action: string }[] = []) => {
    const role = await roleWith(t, code, [...objects.map((object) => ({ object, action: 'read' })), ...extra]);
    return (await userWith(t, [role], { name: code })).token;
  };
  const canWeTake = (token: string) => t.api('POST', '/api/v1/manufacturing/can-we-take', { item: ids.TOP, qty: 1, date: '2027-03-01' }, { token });

  it('can-we-take without reading routings or workstations', async () => {
    for (const missing of ['routing', 'workstation']) {
      const r = await canWeTake(await userReading(`no_${missing}`, READS.filter((o) => o !== missing)));
      expect(r.status, JSON.stringify(r.body)).toBe(403);
      expect(r.body.error).toMatchObject({ code: 'FORBIDDEN', details: { object: missing, action: 'read' } });
      expect(r.body.error.message).toContain(missing);
    }
    expect((await canWeTake(await userReading('all_reads', READS))).status).toBe(200);
  });

  it('forecast generation without reading sales orders, or without editing forecasts', async () => {
    const generate = (token: string) => t.api('POST', '/api/v1/manufacturing/forecasts/generate', { items: [ids.EDITME], months: 1, from: '2027-06-01' }, { token });
    const forecastRights = ['create', 'edit'].map((action) => ({ object: 'demand_forecast', action }));
    const noSales = await generate(await userReading('forecaster_no_sales', ['item', 'demand_forecast'], forecastRights));
    expect(noSales.status, JSON.stringify(noSales.body)).toBe(403);
    expect(noSales.body.error).toMatchObject({ code: 'FORBIDDEN', details: { object: 'sales_order', action: 'read' } });
    const readOnly = await generate(await userReading('forecast_reader', ['item', 'demand_forecast', 'sales_order']));
    expect(readOnly.status, JSON.stringify(readOnly.body)).toBe(403);
    expect(readOnly.body.error).toMatchObject({ code: 'FORBIDDEN', details: { object: 'demand_forecast', action: 'create' } });
  });

  it('an MRP run without reading its inputs (sales orders, forecasts, BOMs, stock)', async () => {
    const INPUTS = ['item', 'item_planning', 'stock_balance', 'bom', 'sales_order', 'production_plan', 'demand_forecast', 'work_order'];
    const runRights = ['mrp_run', 'mrp_suggestion'].map((object) => ({ object, action: 'create' }));
    const start = (token: string) => t.api('POST', '/api/v1/manufacturing/mrp-runs', { run_date: '2027-01-04' }, { token });
    for (const missing of ['sales_order', 'demand_forecast', 'bom', 'stock_balance']) {
      const r = await start(await userReading(`mrp_no_${missing}`, [...INPUTS.filter((o) => o !== missing), 'mrp_run', 'mrp_suggestion'], runRights));
      expect(r.status, JSON.stringify(r.body)).toBe(403);
      expect(r.body.error).toMatchObject({ code: 'FORBIDDEN', details: { object: missing, action: 'read' } });
      expect(r.body.error.message).toContain(missing);
    }
    const token = await userReading('mrp_planner', [...INPUTS, 'mrp_run', 'mrp_suggestion'], runRights);
    const ok = await start(token);
    expect(ok.status, JSON.stringify(ok.body)).toBe(202);
    let job: any;
    for (let i = 0; i < 100 && !['done', 'failed'].includes(job?.status); i++) {
      if (i) await new Promise((r) => setTimeout(r, 100));
      job = (await t.api('GET', `/api/v1/jobs/${ok.body.jobId}`, undefined, { token })).body;
    }
    expect(job, JSON.stringify(job)).toMatchObject({ status: 'done' });
  });

  it("the production manager's default role has every right both need", async () => {
    const roles = (await t.api('GET', '/api/v1/admin/roles')).body.data as any[];
    const { token } = await userWith(t, [roles.find((r) => r.code === 'production_manager').id], { name: 'planner' });
    expect((await canWeTake(token)).status).toBe(200);
    const r = await t.api('POST', '/api/v1/manufacturing/forecasts/generate', { items: [ids.EDITME], months: 1, from: '2027-07-01' }, { token });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  });
});

describe("a workstation's working weekdays", () => {
  it('refuses anything but ISO weekdays "1,2,3,4,5", naming the field, on create, update and import', async () => {
    const base = { name: '检验台', hourly_cost: 30, shifts: [{ name: '白班', hours: 8 }] };
    for (const bad of ['Mon-Fri', '1-5', '1,8', '0']) {
      const r = await t.api('POST', '/api/v1/records/workstation', { ...base, code: `QC-${bad}`, working_weekdays: bad });
      expect(r.status, bad).toBe(422);
      expect(r.body.error.field, bad).toBe('working_weekdays');
    }
    const six = await t.api('POST', '/api/v1/records/workstation', { ...base, code: 'QC6', working_weekdays: '1,2,3,4,5,6' });
    expect(six.status).toBe(201);
    const edit = await t.api('PATCH', `/api/v1/records/workstation/${six.body.id}`, { working_weekdays: 'Mon-Sat', version: six.body.version });
    expect(edit.status).toBe(422);
    expect(edit.body.error.field).toBe('working_weekdays');
    const job = await importAndWait(t, 'workstation', { name: 'ws.csv', content: 'code,name,hourly_cost,working_weekdays\nQC7,检验台七,30,1,2,3\nQC8,检验台八,30,周一至周五\n'.replace('1,2,3', '"1,2,3"') });
    expect(job.result.errors, JSON.stringify(job.result)).toEqual([expect.objectContaining({ row: 3, field: 'working_weekdays' })]);
  });
});
