import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { mfgHelpers } from './mfg-fixture.ts';

// MRP on a real PostgreSQL: a sales order and a production plan (MPS) drive a run
// in the background (progress to 100 %), suggestions pegged back to the sales order,
// firming into work orders and a requisition in bulk, a re-run replacing the open
// suggestions and counting the firmed work orders and the requisition (less what was
// ordered against it) as supply, and "can we take this order?".
let t: TestApp;
const ids: Record<string, string> = {};
let fg: string;
let rm: string;

const mfg = mfgHelpers(() => t);
const { create } = mfg;
const submit = async (object: string, id: string) => { await mfg.submit(object, id); };
// dates as the tenant sees them (Asia/Shanghai), like the server's "today"
const addDays = (n: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(Date.now() + n * 86_400_000));

const runMrp = (runDate: string) => mfg.runMrp(runDate, 'id,item.code,kind,qty,start_date,due_date,sales_order', 'level,item.code,due_date');
const brief = (s: any[]) => s.map((x) => [x['item.code'], x.kind, Number(x.qty), x.start_date, x.due_date]);

beforeAll(async () => {
  t = await createTestApp();
  fg = await create('warehouse', { code: 'FG', name: '成品仓', allow_negative: true }); // make to order: the order reserves what is not yet made
  rm = await create('warehouse', { code: 'RM', name: '原料仓' });
  for (const code of ['CHAIR', 'SEAT', 'WOOD', 'SCREW']) ids[code] = await create('item', { code, name: `物料${code}` });
  await create('item_planning', { item: ids.CHAIR, procurement: 'make', lead_time_days: 2 });
  await create('item_planning', { item: ids.SEAT, procurement: 'make', lead_time_days: 1, lot_policy: 'fixed', lot_size: 10 });
  await create('item_planning', { item: ids.WOOD, procurement: 'buy', lead_time_days: 3, safety_stock: 5 });
  await create('item_planning', { item: ids.SCREW, procurement: 'buy', lead_time_days: 1, lot_policy: 'min_multiple', min_qty: 100, multiple: 50 });
  const ws = await create('workstation', { code: 'ASSY', name: '装配线', hourly_cost: 50, shifts: [{ name: '白班', hours: 8 }] });
  const routing = await create('routing', { code: 'R-CHAIR', name: '椅子装配', operations: [{ seq: 10, name: '装配', workstation: ws, setup_minutes: 0, run_minutes: 60 }] });
  await create('bom', { item: ids.CHAIR, is_default: true, routing, lines: [{ item: ids.SEAT, qty: 1 }, { item: ids.SCREW, qty: 4 }] });
  await create('bom', { item: ids.SEAT, is_default: true, lines: [{ item: ids.WOOD, qty: 2, scrap_pct: '0.1' }] });
  const receipt = await create('stock_entry', { entry_type: 'receipt', warehouse: rm, lines: [{ item: ids.WOOD, qty: 3, rate: 10 }] });
  await submit('stock_entry', receipt);
  const customer = await create('customer', { name: '宜家家居' });
  ids.SO = await create('sales_order', { customer, warehouse: fg, delivery_date: '2026-12-11', lines: [{ item: ids.CHAIR, qty: 10, rate: 300 }] });
  await submit('sales_order', ids.SO);
  ids.MPS = await create('production_plan', { description: '备货', lines: [{ item: ids.CHAIR, qty: 5, required_date: '2026-12-21' }] });
  await submit('production_plan', ids.MPS);
});

afterAll(async () => {
  await t?.close();
});

describe('MRP run', () => {
  let first: Awaited<ReturnType<typeof runMrp>>;

  it('plans from the sales order, the MPS, stock and safety stock', async () => {
    first = await runMrp('2026-12-01');
    // CHAIR: SO 10 @12-11 → start 12-09; MPS 5 @12-21 → start 12-19
    // SEAT (fixed 10, lead 1): 10 @12-09 → 10 start 12-08; 5 @12-19 → 10 start 12-18
    // SCREW (level 1 like SEAT; min 100, ×50, lead 1): 4 × 10 = 40 @12-09 → 100 start 12-08; its 60 left cover 20 @12-19
    // WOOD (lead 3, safety 5, 3 on hand): 5 − 3 = 2 @12-01 (released 11-28: past due); 10 × 2 × 1.1 = 22 @12-08, 22 @12-18
    expect(brief(first.suggestions)).toEqual([
      ['CHAIR', 'work_order', 10, '2026-12-09', '2026-12-11'],
      ['CHAIR', 'work_order', 5, '2026-12-19', '2026-12-21'],
      ['SCREW', 'purchase', 100, '2026-12-08', '2026-12-09'],
      ['SEAT', 'work_order', 10, '2026-12-08', '2026-12-09'],
      ['SEAT', 'work_order', 10, '2026-12-18', '2026-12-19'],
      ['WOOD', 'purchase', 2, '2026-11-28', '2026-12-01'],
      ['WOOD', 'purchase', 22, '2026-12-05', '2026-12-08'],
      ['WOOD', 'purchase', 22, '2026-12-15', '2026-12-18'],
    ]);
    expect(first.suggestions[0].sales_order).toBe(ids.SO);
  });

  it('pegs the wood back through the seat and the chair to the sales order', async () => {
    const wood = first.suggestions.find((s) => s['item.code'] === 'WOOD' && s.due_date === '2026-12-08');
    const r = await t.api('GET', `/api/v1/manufacturing/mrp-suggestions/${wood.id}/pegging`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.roots).toEqual([{ type: 'sales_order', id: ids.SO, line: expect.any(String) }]);
    expect(r.body.chain.map((c: any) => c.item)).toEqual([ids.WOOD, ids.SEAT, ids.CHAIR]);
    const mpsWood = first.suggestions.find((s) => s['item.code'] === 'WOOD' && s.due_date === '2026-12-18');
    expect((await t.api('GET', `/api/v1/manufacturing/mrp-suggestions/${mpsWood.id}/pegging`)).body.roots).toEqual([{ type: 'production_plan', id: ids.MPS, line: expect.any(String) }]);
  });

  it('firms suggestions into draft work orders in bulk; a re-run replaces the rest and counts them as supply', async () => {
    const pick = first.suggestions.filter((s) => s.due_date <= '2026-12-11' && s['item.code'] !== 'WOOD' && s['item.code'] !== 'SCREW');
    const buy = first.suggestions.find((s) => s['item.code'] === 'SCREW');
    const r = await t.api('POST', '/api/v1/manufacturing/mrp-suggestions/firm', { ids: [...pick.map((s) => s.id), buy.id], source_warehouse: rm, fg_warehouse: fg });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.workOrders).toHaveLength(2);
    // The purchase suggestion became a draft requisition of the buying module, into the raw-material warehouse.
    expect(r.body.notFirmed).toEqual([]);
    const req = await t.api('GET', `/api/v1/records/purchase_requisition/${r.body.purchaseRequisition}`);
    expect(req.body).toMatchObject({ warehouse: rm, source: 'mrp', status: 'draft' });
    expect(req.body.lines.map((l: any) => [l.item, l.qty, l.required_date])).toEqual([[ids.SCREW, buy.qty, '2026-12-09']]);
    const wo = await t.api('GET', `/api/v1/records/work_order/${r.body.workOrders[0]}`);
    expect(wo.body).toMatchObject({ item: ids.CHAIR, qty: '10.000000', due_date: '2026-12-11', planned_start: '2026-12-09', sales_order: ids.SO, status: 'draft' });
    const again = await t.api('POST', '/api/v1/manufacturing/mrp-suggestions/firm', { ids: [pick[0].id], source_warehouse: rm, fg_warehouse: fg });
    expect(again.status).toBe(409);

    ids.REQ = r.body.purchaseRequisition;
    const second = await runMrp('2026-12-01');
    // The firmed CHAIR 10 and SEAT 10 are supply now; the CHAIR work order still needs its 40 screws @12-09 and
    // the planned CHAIR 5 needs 20 @12-19: the requisition's 100 screws (its line due 12-09) cover both.
    expect(brief(second.suggestions)).toEqual([
      ['CHAIR', 'work_order', 5, '2026-12-19', '2026-12-21'],
      ['SEAT', 'work_order', 10, '2026-12-18', '2026-12-19'],
      ['WOOD', 'purchase', 2, '2026-11-28', '2026-12-01'],
      ['WOOD', 'purchase', 22, '2026-12-05', '2026-12-08'],
      ['WOOD', 'purchase', 22, '2026-12-15', '2026-12-18'],
    ]);
    const old = await t.api('GET', `/api/v1/records/mrp_suggestion?filter=${encodeURIComponent(JSON.stringify({ mrp_run: first.runId }))}`);
    expect(old.body.data.map((s: any) => s.firmed)).toEqual([true, true, true]); // two work orders and the requisition
  });

  it('counts a requisition less what purchase orders took over from it; a cancelled one no longer', async () => {
    const req = (await t.api('GET', `/api/v1/records/purchase_requisition/${ids.REQ}`)).body;
    expect((await t.api('POST', `/api/v1/records/purchase_requisition/${ids.REQ}/submit`, { version: req.version })).status).toBe(200);
    const supplier = await create('supplier', { code: 'S-SCREW', name: '五金供应商' });
    // 60 of the 100 screws ordered: the order brings 60 (due on the requisition's date), the requisition still the other 40.
    const po = await t.api('POST', `/api/v1/buying/purchase_requisition/${ids.REQ}/purchase_order`, { supplier, lines: [{ requisition_line: req.lines[0].id, qty: 60 }] });
    expect(po.status, JSON.stringify(po.body)).toBe(201);
    expect((await t.api('POST', `/api/v1/records/purchase_order/${po.body.id}/submit`, { version: po.body.version })).status).toBe(200);
    expect(brief((await runMrp('2026-12-01')).suggestions).filter(([code]) => code === 'SCREW')).toEqual([]);

    // Cancel both: the 60 screws of the 12-09 need are supply no longer, so the screws are suggested again.
    for (const [object, id] of [['purchase_order', po.body.id], ['purchase_requisition', ids.REQ]]) {
      const doc = (await t.api('GET', `/api/v1/records/${object}/${id}`)).body;
      const c = await t.api('POST', `/api/v1/records/${object}/${id}/cancel`, { version: doc.version, reason: '测试' });
      expect(c.status, JSON.stringify(c.body)).toBe(200);
    }
    expect(brief((await runMrp('2026-12-01')).suggestions).filter(([code]) => code === 'SCREW')).toEqual([['SCREW', 'purchase', 100, '2026-12-08', '2026-12-09']]);
  });

  it('cleans up without foreign keys: a deleted run or item takes its suggestions; a run behind work orders stays', async () => {
    const GLUE = await create('item', { code: 'GLUE', name: '胶水' });
    const planning = await create('item_planning', { item: GLUE, procurement: 'buy', safety_stock: 7 });
    const run = await runMrp('2026-12-01');
    const countOf = async (filter: unknown) =>
      (await t.api('GET', `/api/v1/records/mrp_suggestion?filter=${encodeURIComponent(JSON.stringify(filter))}&pageSize=1`)).body.total as number;
    expect(await countOf({ item: GLUE })).toBe(1);
    expect((await t.api('DELETE', `/api/v1/records/item_planning/${planning}`)).status).toBe(204);
    expect((await t.api('DELETE', `/api/v1/records/item/${GLUE}`)).status).toBe(204);
    expect(await countOf({ item: GLUE })).toBe(0);

    expect(await countOf({ mrp_run: run.runId })).toBeGreaterThan(0);
    expect((await t.api('DELETE', `/api/v1/records/mrp_run/${run.runId}`)).status).toBe(204);
    expect(await countOf({ mrp_run: run.runId })).toBe(0);
    // The first run's firmed suggestions are named by the work orders made from them.
    const linked = await t.api('DELETE', `/api/v1/records/mrp_run/${first.runId}`);
    expect(linked.status).toBe(409);
    expect(linked.body.error.code).toBe('RECORD_LINKED');
    expect(await countOf({ mrp_run: first.runId })).toBe(3);
  });

  it('answers "can we take this order?" with material and capacity shortages', async () => {
    const rush = await t.api('POST', '/api/v1/manufacturing/can-we-take', { item: ids.CHAIR, qty: 50, date: addDays(1) });
    expect(rush.status, JSON.stringify(rush.body)).toBe(200);
    expect(rush.body.ok).toBe(false);
    // CHAIR needs 2 days of lead time: to deliver tomorrow it should have started yesterday
    expect(rush.body.materialShortages.map((m: any) => [m.code, m.qty, m.daysLate])).toContainEqual(['CHAIR', 50, 1]);
    // 50 chairs × 1 h on an 8-hour line: more than any week holds
    expect(rush.body.capacityShortages[0]).toMatchObject({ code: 'ASSY', overloaded: true });
    expect(rush.body.capacityShortages[0].loadHours).toBeGreaterThanOrEqual(50);

    // the earliest date moves the wanted date by the longest delay; asked again on that date, no material is late
    const longest = Math.max(...rush.body.materialShortages.map((m: any) => m.daysLate));
    expect(rush.body.earliestDate).toBe(addDays(1 + longest));
    const later = await t.api('POST', '/api/v1/manufacturing/can-we-take', { item: ids.CHAIR, qty: 50, date: rush.body.earliestDate });
    expect(later.body.materialShortages).toEqual([]);

    const easy = await t.api('POST', '/api/v1/manufacturing/can-we-take', { item: ids.CHAIR, qty: 2, date: addDays(60) });
    expect(easy.body).toMatchObject({ ok: true, earliestDate: addDays(60), materialShortages: [], capacityShortages: [] });
    const bad = await t.api('POST', '/api/v1/manufacturing/can-we-take', { item: ids.CHAIR, qty: -1, date: addDays(1) });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body)).toContain('qty');
  });
});
