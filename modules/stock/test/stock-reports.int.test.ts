import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@mosaic/testing';

// Stock reports and available-to-promise through the API: balance by item ×
// warehouse / item / warehouse, aging by receipt date, slow-moving flags, and
// when a quantity can ship — from stock alone, then with incoming purchase
// orders once a purchase_order object exists at run time.
let t: TestApp;
let wh: string;
let wh2: string;
let customer: string;

beforeAll(async () => {
  t = await createTestApp();
  wh = (await t.api('POST', '/api/v1/records/warehouse', { code: 'A1', name: '一号仓' })).body.id;
  wh2 = (await t.api('POST', '/api/v1/records/warehouse', { code: 'B2', name: '二号仓' })).body.id;
  customer = (await t.api('POST', '/api/v1/records/customer', { name: '报表客户' })).body.id;
});

afterAll(async () => {
  await t?.close();
});

const newItem = async (code: string) => (await t.api('POST', '/api/v1/records/item', { code, name: `物料${code}` })).body.id as string;
const submitNew = async (object: string, body: Record<string, unknown>) => {
  const doc = await t.api('POST', `/api/v1/records/${object}`, body);
  expect(doc.status, JSON.stringify(doc.body)).toBe(201);
  const s = await t.api('POST', `/api/v1/records/${object}/${doc.body.id}/submit`, { version: 1 });
  expect(s.status, JSON.stringify(s.body)).toBe(200);
  return doc.body.id as string;
};
const entry = (entry_type: string, warehouse: string, posting_date: string, lines: Record<string, unknown>[]) =>
  submitNew('stock_entry', { entry_type, warehouse, posting_date, lines });

describe('stock reports', () => {
  it('balance by item × warehouse, by item and by warehouse', async () => {
    const a = await newItem('R-A');
    const b = await newItem('R-B');
    await entry('receipt', wh, '2026-11-01', [{ item: a, qty: 10, rate: 2 }, { item: b, qty: 1, rate: 100 }]);
    await entry('receipt', wh2, '2026-11-01', [{ item: a, qty: 5, rate: 4 }]);
    const rows = await t.api('GET', `/api/v1/stock/balance?item=${a}`);
    expect(rows.status, JSON.stringify(rows.body)).toBe(200);
    expect(rows.body.total).toBe(2);
    expect(rows.body.data.map((r: any) => [r.warehouse_code, r.on_hand, r.value]).sort()).toEqual([['A1', '10.000000', '20.00'], ['B2', '5.000000', '20.00']]);
    const byItem = await t.api('GET', '/api/v1/stock/balance?group=item');
    expect(byItem.body.data.filter((r: any) => r.item === a)).toEqual([expect.objectContaining({ item_code: 'R-A', on_hand: '15.000000', value: '40.00' })]);
    // The total counts items with a balance row (each once, whatever its warehouses), within the filter.
    expect(byItem.body.total).toBe(new Set(byItem.body.data.map((r: any) => r.item)).size);
    expect(byItem.body.total).toBeGreaterThanOrEqual(2);
    const inWh2 = await t.api('GET', `/api/v1/stock/balance?group=item&warehouse=${wh2}`);
    expect([inWh2.body.total, inWh2.body.data.map((r: any) => r.item)]).toEqual([1, [a]]);
    const byWh = await t.api('GET', `/api/v1/stock/balance?group=warehouse&warehouse=${wh}`);
    expect(byWh.body.data).toEqual([expect.objectContaining({ warehouse_code: 'A1', on_hand: '11.000000', value: '120.00' })]);
    const bad = await t.api('GET', '/api/v1/stock/balance?group=colour');
    expect(bad.status).toBe(422);
    expect(bad.body.error.field).toBe('group');
  });

  it('aging attributes what is left to the latest receipts', async () => {
    const x = await newItem('AGE');
    await entry('receipt', wh, '2026-07-01', [{ item: x, qty: 10, rate: 1 }]);
    await entry('receipt', wh, '2026-10-01', [{ item: x, qty: 5, rate: 1 }]);
    await entry('receipt', wh, '2026-11-20', [{ item: x, qty: 5, rate: 1 }]);
    await entry('issue', wh, '2026-11-21', [{ item: x, qty: 12 }]);
    const r = await t.api('GET', `/api/v1/stock/aging?date=2026-11-23&item=${x}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    // 8 left: 5 from 11-20 (3 days), 3 from 10-01 (53 days)
    expect(r.body.data).toEqual([expect.objectContaining({ qty: '8.000000', d0_30: '5.000000', d31_60: '3.000000', d61_90: null, d90_plus: null })]);
  });

  it('flags slow-moving stock: nothing issued in N days', async () => {
    const idle = await newItem('IDLE');
    const busy = await newItem('BUSY');
    await entry('receipt', wh, '2026-06-01', [{ item: idle, qty: 3, rate: 1 }, { item: busy, qty: 3, rate: 1 }]);
    await entry('issue', wh, '2026-11-21', [{ item: busy, qty: 1 }]);
    const r = await t.api('GET', `/api/v1/stock/slow-moving?days=90&date=2026-11-23&warehouse=${wh}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const flagged = r.body.data.map((x: any) => x.item);
    expect(flagged).toContain(idle);
    expect(flagged).not.toContain(busy);
  });
});

describe('available to promise', () => {
  it('answers from stock, then from incoming purchase orders when purchasing is installed', async () => {
    const x = await newItem('ATP');
    await entry('receipt', wh, '2026-11-01', [{ item: x, qty: 10, rate: 1 }]);
    const so = await t.api('POST', '/api/v1/records/sales_order', { customer, warehouse: wh, lines: [{ item: x, qty: 4, rate: 5 }] });
    await t.api('POST', `/api/v1/records/sales_order/${so.body.id}/submit`, { version: 1 });
    const atp = async (qty: number) => (await t.api('GET', `/api/v1/stock/atp?item=${x}&qty=${qty}&warehouse=${wh}`)).body;
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    expect(await atp(5)).toMatchObject({ available: '6', canShipOn: expect.any(String), shortBy: '0' });
    expect((await atp(5)).canShipOn).toBe(today);
    expect(await atp(20)).toMatchObject({ available: '6', canShipOn: null, shortBy: '14', incoming: [] });
    expect((await t.api('GET', `/api/v1/stock/atp?item=${x}&qty=-1`)).body.error).toMatchObject({ code: 'FIELD_INVALID', field: 'qty' });

    // Incoming supply is what the buying module registers: its submitted purchase orders, less what was received.
    const supplier = (await t.api('POST', '/api/v1/records/supplier', { code: 'ATP-S', name: '到货供应商' })).body.id;
    const po = async (date: string, qty: number) => {
      const r = await t.api('POST', '/api/v1/records/purchase_order', { supplier, warehouse: wh, schedule_date: date, lines: [{ item: x, qty, rate: 1 }] });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      const s = await t.api('POST', `/api/v1/records/purchase_order/${r.body.id}/submit`, { version: r.body.version });
      expect(s.status, JSON.stringify(s.body)).toBe(200);
    };
    await po('2099-12-10', 10);
    await po('2099-12-01', 5);
    expect(await atp(10)).toMatchObject({ canShipOn: '2099-12-01', shortBy: '0' });
    expect(await atp(20)).toMatchObject({ canShipOn: '2099-12-10', shortBy: '0' });
    expect(await atp(30)).toMatchObject({ canShipOn: null, shortBy: '9' });
  });
});
