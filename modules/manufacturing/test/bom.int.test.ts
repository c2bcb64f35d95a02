import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@mosaic/testing';

// BOMs on a real PostgreSQL: a 3-level tree with scrap and a phantom, where-used
// up to the finished product, the cost roll-up from current stock valuation plus
// operations and overhead, and one default version per item.
let t: TestApp;
let wh: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  wh = (await t.api('POST', '/api/v1/records/warehouse', { code: 'RM', name: '原料仓' })).body.id;
  for (const code of ['BIKE', 'FRAME', 'KIT', 'TUBE', 'BOLT', 'PAINT', 'SCRAPMETAL']) {
    const r = await t.api('POST', '/api/v1/records/item', { code, name: `物料${code}` });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    ids[code] = r.body.id;
  }
  // Stock at known rates: TUBE 20, BOLT 0.5 (moving average of 100 @ 0.4 and 100 @ 0.6), PAINT 30, SCRAPMETAL 2.
  const receipt = await t.api('POST', '/api/v1/records/stock_entry', {
    entry_type: 'receipt', warehouse: wh,
    lines: [{ item: ids.TUBE, qty: 10, rate: 20 }, { item: ids.BOLT, qty: 100, rate: '0.4' }, { item: ids.BOLT, qty: 100, rate: '0.6' }, { item: ids.PAINT, qty: 5, rate: 30 }, { item: ids.SCRAPMETAL, qty: 1, rate: 2 }],
  });
  expect((await t.api('POST', `/api/v1/records/stock_entry/${receipt.body.id}/submit`, { version: 1 })).status).toBe(200);
});

afterAll(async () => {
  await t?.close();
});

const bom = async (item: string, lines: unknown[], extra: Record<string, unknown> = {}) => {
  const r = await t.api('POST', '/api/v1/records/bom', { item, lines, ...extra });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id as string;
};

describe('BOM tree, where-used and cost', () => {
  let bikeBom: string;
  beforeAll(async () => {
    const ws = (await t.api('POST', '/api/v1/records/workstation', {
      code: 'WELD', name: '焊接中心', hourly_cost: 60, overhead_rate: 30, shifts: [{ name: '白班', hours: 8 }],
    })).body.id;
    const routing = (await t.api('POST', '/api/v1/records/routing', {
      code: 'R-FRAME', name: '车架工艺', operations: [{ seq: 10, name: '焊接', workstation: ws, setup_minutes: 60, run_minutes: 30 }],
    })).body.id;
    // FRAME (base qty 2): 3 TUBE at 10 % scrap + a phantom KIT; routing setup 60 min per 2 frames, 30 min each.
    await bom(ids.FRAME, [{ item: ids.TUBE, qty: 3, scrap_pct: '0.1' }, { item: ids.KIT, qty: 2, is_phantom: true }],
      { quantity: 2, routing, is_default: true, by_products: [{ item: ids.SCRAPMETAL, qty: 1 }] });
    await bom(ids.KIT, [{ item: ids.BOLT, qty: 4 }], { is_default: true });
    bikeBom = await bom(ids.BIKE, [{ item: ids.FRAME, qty: 1 }, { item: ids.PAINT, qty: '0.2', scrap_pct: '0.05' }], { is_default: true, overhead_pct: '0.1' });
  });

  it('explodes three levels with scrap, the phantom passing through to its bolts', async () => {
    const r = await t.api('GET', `/api/v1/manufacturing/bom/${bikeBom}/tree?qty=10`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const flat = (n: any): [string, number, string][] => [[n.code, n.level, n.qty], ...n.children.flatMap(flat)];
    // FRAME 10; TUBE 10 × 3/2 × 1.1 = 16.5; KIT 10 × 2/2 = 10; BOLT 10 × 4 = 40; PAINT 10 × 0.2 × 1.05 = 2.1
    expect(flat(r.body).map(([c, l, q]) => [c, l, Number(q)])).toEqual([
      ['BIKE', 0, 10], ['FRAME', 1, 10], ['TUBE', 2, 16.5], ['KIT', 2, 10], ['BOLT', 3, 40], ['PAINT', 1, 2.1],
    ]);
    expect(r.body.children[0].children[1].phantom).toBe(true);
  });

  it('where-used climbs from a bolt to the bike', async () => {
    const r = await t.api('GET', `/api/v1/manufacturing/items/${ids.BOLT}/where-used`);
    expect(r.status).toBe(200);
    expect(r.body.usedIn.map((w: any) => w.code)).toEqual(['KIT']);
    expect(r.body.usedIn[0].usedIn[0].code).toBe('FRAME');
    expect(r.body.usedIn[0].usedIn[0].usedIn[0].code).toBe('BIKE');
  });

  it('rolls up cost: material at current valuation + operations + overhead − by-products', async () => {
    const r = await t.api('GET', `/api/v1/manufacturing/bom/${bikeBom}/cost`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    // KIT  = 4 × 0.5 = 2
    // FRAME per unit: material 3/2 × 1.1 × 20 = 33 + 2/2 × 2 = 2 → 35
    //   hours (60 + 30 × 2) / 60 / 2 = 1 → labour 60, overhead 30; by-product 1/2 × 2 = 1 → 35 + 60 + 30 − 1 = 124
    // BIKE: material 124 + 0.2 × 1.05 × 30 = 6.3 → 130.3; overhead 10 % = 13.03 → 143.33
    expect(r.body).toMatchObject({ material: '130.300000', labour: '0.000000', overhead: '13.030000', unitCost: '143.330000' });
    expect(r.body.lines.map((l: any) => [l.source, l.rate])).toEqual([['bom', '124.000000'], ['valuation', '30.000000']]);
  });

  it('puts each node\'s cost on the tree: rolled-up unit cost for made items, valuation for bought ones', async () => {
    const r = await t.api('GET', `/api/v1/manufacturing/bom/${bikeBom}/tree?qty=10&cost=1`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const flat = (n: any): [string, string, string][] => [[n.code, n.unitCost, n.cost], ...n.children.flatMap(flat)];
    // the unit costs of the roll-up above, times each node's quantity for 10 bikes
    expect(flat(r.body)).toEqual([
      ['BIKE', '143.330000', '1433.300000'], ['FRAME', '124.000000', '1240.000000'], ['TUBE', '20.000000', '330.000000'],
      ['KIT', '2.000000', '20.000000'], ['BOLT', '0.500000', '20.000000'], ['PAINT', '30.000000', '63.000000'],
    ]);
    // The root carries the BOM's roll-up, the same as GET …/cost: the BOM page asks once for both.
    const cost = await t.api('GET', `/api/v1/manufacturing/bom/${bikeBom}/cost`);
    expect(r.body.rollUp).toEqual(cost.body);
    expect(r.body.children[0].rollUp).toBeUndefined();
    const plain = await t.api('GET', `/api/v1/manufacturing/bom/${bikeBom}/tree`);
    expect(plain.body.rollUp).toBeUndefined();
    expect(plain.body.unitCost).toBeUndefined(); // costs only when asked (they need routing and workstation rights)
    const bad = await t.api('GET', `/api/v1/manufacturing/bom/${bikeBom}/tree?date=2026-02-30`);
    expect(bad.status).toBe(422);
    expect(bad.body.error).toMatchObject({ code: 'FIELD_INVALID', field: 'date' });
    // The cost roll-up checks its date the same way (it used to pick versions by a garbage string).
    for (const date of ['2026-02-30', 'garbage']) {
      const r = await t.api('GET', `/api/v1/manufacturing/bom/${bikeBom}/cost?date=${date}`);
      expect([r.status, r.body.error?.field], date).toEqual([422, 'date']);
    }
  });

  it('keeps one default version per item; make-default moves the flag', async () => {
    const v2 = await bom(ids.BIKE, [{ item: ids.FRAME, qty: 1 }], { revision: 'V2' });
    const clash = await t.api('PATCH', `/api/v1/records/bom/${v2}`, { version: 1, is_default: true });
    expect(clash.status).toBe(409);
    expect((await t.api('POST', `/api/v1/manufacturing/bom/${v2}/make-default`)).status).toBe(200);
    const list = await t.api('GET', `/api/v1/records/bom?filter=${encodeURIComponent(JSON.stringify({ item: ids.BIKE }))}&sort=revision`);
    expect(list.body.data.map((b: any) => [b.revision, b.is_default])).toEqual([['V1', false], ['V2', true]]);
  });

  it('refuses a BOM that contains itself, and bad input names the field', async () => {
    await bom(ids.TUBE, [{ item: ids.FRAME, qty: 1 }], { is_default: true });
    const r = await t.api('GET', `/api/v1/manufacturing/bom/${bikeBom}/tree`);
    expect(r.status).toBe(422);
    expect(r.body.error.message).toContain('contains itself');
    const bad = await t.api('GET', `/api/v1/manufacturing/bom/${bikeBom}/tree?qty=-1`);
    expect(bad.body.error).toMatchObject({ code: 'FIELD_INVALID', field: 'qty' });
  });
});
