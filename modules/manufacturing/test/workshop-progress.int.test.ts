import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { mfgHelpers } from './mfg-fixture.ts';

// Progress per workshop (车间) on a real PostgreSQL: job cards of released work orders grouped
// by their workstation's workshop — open orders and cards, planned vs completed operation
// quantities, late cards and orders as of a date.
//   一车间: CUT, WELD   二车间: PAINT   (no workshop): PACK
//   FRAME: CUT → WELD → PAINT;  BOX: PACK
//   WO1 FRAME 10, start 12-01, due 12-05: CUT 10 good (done), WELD 4 good + 1 scrap, PAINT open
//   WO2 FRAME 6,  start 12-20, due 12-25: nothing reported
//   WO3 BOX 3,    start 12-08, due 12-12: PACK 1 good
//   WO4 FRAME 2, a draft (not released): no job cards, not counted
let t: TestApp;
const ids: Record<string, string> = {};

const { create, ok, submit, cards } = mfgHelpers(() => t);

const release = async (item: string, qty: number, start: string, due: string) => {
  const wo = await create('work_order', { item, qty, planned_start: start, due_date: due, source_warehouse: ids.RM, fg_warehouse: ids.FG });
  await submit('work_order', wo);
  return wo;
};
const report = (card: string, good: number, scrap = 0) => ok('POST', `/api/v1/manufacturing/job-cards/${card}/report`, { good_qty: good, scrap_qty: scrap, minutes: 30 });

beforeAll(async () => {
  t = await createTestApp();
  ids.RM = await create('warehouse', { code: 'RM', name: '原料仓' });
  ids.FG = await create('warehouse', { code: 'FG', name: '成品仓' });
  for (const code of ['FRAME', 'BOX', 'STEEL']) ids[code] = await create('item', { code, name: `物料${code}` });
  const ws = (code: string, workshop?: string) => create('workstation', { code, name: code, workshop, hourly_cost: 50, shifts: [{ name: '白班', hours: 8 }] });
  const [cut, weld, paint, pack] = [await ws('CUT', '一车间'), await ws('WELD', '一车间'), await ws('PAINT', '二车间'), await ws('PACK')];
  const op = (seq: number, workstation: string) => ({ seq, name: `工序${seq}`, workstation, setup_minutes: 0, run_minutes: 5 });
  const frameRouting = await create('routing', { code: 'R-FRAME', name: '车架', operations: [op(10, cut), op(20, weld), op(30, paint)] });
  const boxRouting = await create('routing', { code: 'R-BOX', name: '包装', operations: [op(10, pack)] });
  await create('bom', { item: ids.FRAME, is_default: true, routing: frameRouting, lines: [{ item: ids.STEEL, qty: 2 }] });
  await create('bom', { item: ids.BOX, is_default: true, routing: boxRouting, lines: [{ item: ids.STEEL, qty: 1 }] });

  const wo1 = await release(ids.FRAME, 10, '2026-12-01', '2026-12-05');
  const [cutCard, weldCard] = await cards(wo1);
  await report(cutCard.id, 10);
  await report(weldCard.id, 4, 1);
  await release(ids.FRAME, 6, '2026-12-20', '2026-12-25');
  const wo3 = await release(ids.BOX, 3, '2026-12-08', '2026-12-12');
  await report((await cards(wo3))[0].id, 1);
  await create('work_order', { item: ids.FRAME, qty: 2, planned_start: '2026-12-02', due_date: '2026-12-03', source_warehouse: ids.RM, fg_warehouse: ids.FG });
});

afterAll(async () => {
  await t?.close();
});

describe('workshop progress', () => {
  it('groups open work orders and job cards by workshop: planned vs completed, late counts', async () => {
    const r = await ok('GET', '/api/v1/manufacturing/reports/workshop-progress?as_of=2026-12-10');
    expect(r.asOf).toBe('2026-12-10');
    expect(r.workshops).toEqual([
      // cards CUT1 (done) 10/10, WELD1 4+1/10, CUT2 0/6, WELD2 0/6: 14 of 32; WELD1 planned 12-01 is late, WO1 due 12-05 too
      { workshop: '一车间', openWorkOrders: 2, openJobCards: 3, plannedQty: '32', completedQty: '14', scrapQty: '1', percent: 43.8, lateJobCards: 1, lateWorkOrders: 1 },
      { workshop: '二车间', openWorkOrders: 2, openJobCards: 2, plannedQty: '16', completedQty: '0', scrapQty: '0', percent: 0, lateJobCards: 1, lateWorkOrders: 1 },
      // PACK has no workshop; its card (planned 12-08) is late, its order (due 12-12) not yet
      { workshop: null, openWorkOrders: 1, openJobCards: 1, plannedQty: '3', completedQty: '1', scrapQty: '0', percent: 33.3, lateJobCards: 1, lateWorkOrders: 0 },
    ]);
  });

  it('late counts move with the date asked; a bad date names the field', async () => {
    const r = await ok('GET', '/api/v1/manufacturing/reports/workshop-progress?as_of=2026-12-21');
    // WO2's cards (planned 12-20) are late now too; no order is due before 12-21 except WO1 and WO3
    expect(r.workshops.map((w: any) => [w.workshop, w.lateJobCards, w.lateWorkOrders])).toEqual([['一车间', 3, 1], ['二车间', 2, 1], [null, 1, 1]]);
    const bad = await t.api('GET', '/api/v1/manufacturing/reports/workshop-progress?as_of=yesterday');
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body)).toContain('as_of');
  });
});
