import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenantTx, sql } from '@mosaic/db';
import { createTestApp, type TestApp } from '@mosaic/testing';

// Stock documents on a real PostgreSQL: transfers carrying value, counts posting
// differences, back-dated receipts re-valuing later issues of only their item ×
// warehouse, units of measure (箱 = 12 个), batches and serial numbers, and
// replenishment suggestions raised once and cleared.
let t: TestApp;
let wh: string;
let wh2: string;
let ge: string;
let box: string;

beforeAll(async () => {
  t = await createTestApp();
  wh = (await t.api('POST', '/api/v1/records/warehouse', { code: 'FG', name: '成品仓' })).body.id;
  wh2 = (await t.api('POST', '/api/v1/records/warehouse', { code: 'SH', name: '上海仓' })).body.id;
  ge = (await t.api('POST', '/api/v1/records/uom', { name: '个', whole_number: true })).body.id;
  box = (await t.api('POST', '/api/v1/records/uom', { name: '箱', whole_number: true })).body.id;
});

afterAll(async () => {
  await t?.close();
});

const newItem = async (code: string, extra: Record<string, unknown> = {}) => {
  const r = await t.api('POST', '/api/v1/records/item', { code, name: `物料${code}`, uom: ge, ...extra });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id as string;
};

const submitNew = async (object: string, body: Record<string, unknown>) => {
  const doc = await t.api('POST', `/api/v1/records/${object}`, body);
  if (doc.status !== 201) return doc;
  return t.api('POST', `/api/v1/records/${object}/${doc.body.id}/submit`, { version: 1 });
};

const entry = (entry_type: string, lines: Record<string, unknown>[], opts: { warehouse?: string; posting_date?: string } = {}) =>
  submitNew('stock_entry', { entry_type, warehouse: opts.warehouse ?? wh, posting_date: opts.posting_date, lines });

const balance = async (item: string, warehouse = wh) => {
  const r = await t.api('GET', `/api/v1/records/stock_balance?filter=${encodeURIComponent(JSON.stringify({ item, warehouse }))}`);
  return r.body.data[0] as Record<string, string>;
};

const ledger = (item: string) => inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, async (tx) =>
  (await sql<Record<string, string>>`SELECT c_warehouse AS warehouse, c_posting_date::text AS date, c_qty::text AS qty, c_value_change::text AS value,
      c_voucher_type AS type, c_batch AS batch, c_revalues_entry AS revalues
    FROM o_stock_ledger_entry WHERE c_item = ${item} ORDER BY c_posting_date, id`.execute(tx)).rows);

describe('transfers and counts', () => {
  it('a stock transfer carries value: what leaves at the average arrives at the same value', async () => {
    const item = await newItem('TR-2');
    await entry('receipt', [{ item, qty: 3, rate: 10 }]);
    await entry('receipt', [{ item, qty: 4, rate: 12 }]); // 7 @ 78 → average 11.142857…
    const tr = await submitNew('stock_transfer', { from_warehouse: wh, to_warehouse: wh2, lines: [{ item, qty: 2 }] });
    expect(tr.status, JSON.stringify(tr.body)).toBe(200);
    const from = await balance(item, wh);
    const to = await balance(item, wh2);
    expect(from.on_hand).toBe('5.000000');
    expect(to.on_hand).toBe('2.000000');
    expect(Number(from.value) + Number(to.value)).toBeCloseTo(78, 6);
    expect(to.value).toBe('22.285714');
    const same = await submitNew('stock_transfer', { from_warehouse: wh, to_warehouse: wh, lines: [{ item, qty: 1 }] });
    expect(same.body.error).toMatchObject({ code: 'FIELD_INVALID', field: 'to_warehouse' });
  });

  it('a stock count posts counted − on hand: a loss out at the average, a gain in at the line rate', async () => {
    const a = await newItem('CNT-A');
    const b = await newItem('CNT-B');
    await entry('receipt', [{ item: a, qty: 10, rate: 10 }]);
    const count = await submitNew('stock_count', { warehouse: wh, lines: [{ item: a, counted_qty: 8 }, { item: b, counted_qty: 3, rate: 5 }] });
    expect(count.status, JSON.stringify(count.body)).toBe(200);
    expect(await balance(a)).toMatchObject({ on_hand: '8.000000', value: '80.000000' });
    expect(await balance(b)).toMatchObject({ on_hand: '3.000000', value: '15.000000' });
    expect((await ledger(a)).at(-1)).toMatchObject({ qty: '-2.000000', value: '-20.000000', type: 'stock_count' });
    // cancelling the count puts the differences back
    const cancel = await t.api('POST', `/api/v1/records/stock_count/${count.body.id}/cancel`, { version: 2 });
    expect(cancel.status, JSON.stringify(cancel.body)).toBe(200);
    expect(await balance(a)).toMatchObject({ on_hand: '10.000000', value: '100.000000' });
    expect(await balance(b)).toMatchObject({ on_hand: '0.000000', value: '0.000000' });
  });
});

describe('back-dated postings re-value later issues of their item × warehouse only', () => {
  it('moving average: a receipt dated before an issue makes the issue cost the new average', async () => {
    const item = await newItem('BD-MA');
    await entry('receipt', [{ item, qty: 10, rate: 10 }], { posting_date: '2026-11-01' });
    await entry('receipt', [{ item, qty: 5, rate: 30 }], { posting_date: '2026-11-01', warehouse: wh2 }); // other warehouse: must stay as it is
    await entry('issue', [{ item, qty: 5 }], { posting_date: '2026-11-10' }); // at 10 → 50
    expect(await balance(item)).toMatchObject({ on_hand: '5.000000', value: '50.000000' });

    const back = await entry('receipt', [{ item, qty: 10, rate: 16 }], { posting_date: '2026-11-05' });
    expect(back.status, JSON.stringify(back.body)).toBe(200);
    // at 11-05: 20 @ 260 → 13; the 11-10 issue of 5 now costs 65, not 50
    expect(await balance(item)).toMatchObject({ on_hand: '15.000000', value: '195.000000' });
    const rows = await ledger(item);
    const corrections = rows.filter((r) => r.revalues);
    expect(corrections).toEqual([expect.objectContaining({ date: '2026-11-10', qty: '0.000000', value: '-15.000000', type: 'stock_revaluation', warehouse: wh })]);
    expect(rows.filter((r) => r.warehouse === wh2)).toHaveLength(1); // nothing written for the other warehouse
    expect(await balance(item, wh2)).toMatchObject({ on_hand: '5.000000', value: '150.000000' });
    // the ledger still adds up to the balance
    const sum = rows.filter((r) => r.warehouse === wh).reduce((s, r) => s + Number(r.value), 0);
    expect(sum).toBeCloseTo(195, 6);

    // the valuation as of any date reads the ledger with its corrections
    const asOf = async (date: string) => (await t.api('GET', `/api/v1/stock/valuation?date=${date}&item=${item}&warehouse=${wh}`)).body.data[0];
    expect(await asOf('2026-11-06')).toMatchObject({ qty: '20.000000', value: '260.00' });
    expect(await asOf('2026-11-10')).toMatchObject({ qty: '15.000000', value: '195.00' });

    // a second back-dated receipt corrects by the difference from the corrected value, not from the original
    await entry('receipt', [{ item, qty: 20, rate: 16 }], { posting_date: '2026-11-02' }); // at 11-05: 40 @ 580 → 14.5; issue 72.5
    expect(await balance(item)).toMatchObject({ on_hand: '35.000000', value: '507.500000' });
    const second = (await ledger(item)).filter((r) => r.revalues).map((r) => r.value);
    expect(second).toEqual(['-15.000000', '-7.500000']);
  });

  it('FIFO: a receipt dated before the first one changes which layer the issue consumed', async () => {
    const item = await newItem('BD-FIFO', { valuation_method: 'fifo' });
    await entry('receipt', [{ item, qty: 10, rate: 10 }], { posting_date: '2026-11-05' });
    await entry('issue', [{ item, qty: 5 }], { posting_date: '2026-11-10' }); // 5 @ 10
    await entry('receipt', [{ item, qty: 10, rate: 16 }], { posting_date: '2026-11-01' });
    // the issue now takes the 11-01 layer: 5 @ 16 = 80; left 5 @ 16 + 10 @ 10 = 180
    expect(await balance(item)).toMatchObject({ on_hand: '15.000000', value: '180.000000' });
    expect((await ledger(item)).filter((r) => r.revalues).map((r) => r.value)).toEqual(['-30.000000']);
  });

  it('a cancelled issue that was re-valued comes back at its corrected value', async () => {
    const item = await newItem('BD-CXL');
    await entry('receipt', [{ item, qty: 10, rate: 10 }], { posting_date: '2026-11-01' });
    const out = await entry('issue', [{ item, qty: 5 }], { posting_date: '2026-11-10' });
    await entry('receipt', [{ item, qty: 10, rate: 16 }], { posting_date: '2026-11-05' }); // issue → 65
    await t.api('POST', `/api/v1/records/stock_entry/${out.body.id}/cancel`, { version: 2 });
    expect(await balance(item)).toMatchObject({ on_hand: '20.000000', value: '260.000000' });
  });
});

describe('units, batches and serial numbers', () => {
  it('documents in any unit the item knows, the ledger in the stock unit (箱 = 12 个)', async () => {
    const item = await newItem('UOM-1', { uoms: [{ uom: box, factor: 12 }] });
    const r = await entry('receipt', [{ item, qty: 2, uom: box, rate: 120 }]); // 24 个 @ 10
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(await balance(item)).toMatchObject({ on_hand: '24.000000', value: '240.000000' });
    await entry('issue', [{ item, qty: 5, uom: ge }]);
    expect(await balance(item)).toMatchObject({ on_hand: '19.000000', value: '190.000000' });
    const other = (await t.api('POST', '/api/v1/records/uom', { name: '托' })).body.id;
    const bad = await entry('issue', [{ item, qty: 1, uom: other }]);
    expect(bad.status).toBe(422);
    expect(bad.body.error).toMatchObject({ code: 'FIELD_INVALID', field: 'lines.0.uom' });
  });

  it('batch-tracked items need a batch, and a batch gives no more than it holds', async () => {
    const item = await newItem('BAT-1', { batch_tracked: true });
    const none = await entry('receipt', [{ item, qty: 5, rate: 2 }]);
    expect(none.body.error).toMatchObject({ code: 'FIELD_REQUIRED', field: 'lines.0.batch' });
    await entry('receipt', [{ item, qty: 5, rate: 2, batch: 'B1' }, { item, qty: 3, rate: 2, batch: 'B2' }]);
    const over = await entry('issue', [{ item, qty: 4, batch: 'B2' }]);
    expect(over.status).toBe(409);
    expect(over.body.error).toMatchObject({ code: 'STOCK_SHORTAGE', field: 'batch' });
    expect((await entry('issue', [{ item, qty: 2, batch: 'B2' }])).status).toBe(200);
    const byBatch = await t.api('GET', `/api/v1/stock/balance?group=batch&item=${item}`);
    expect(byBatch.status, JSON.stringify(byBatch.body)).toBe(200);
    expect(byBatch.body.data.map((r: any) => [r.batch, r.qty])).toEqual([['B1', '5.000000'], ['B2', '1.000000']]);
  });

  it('serial-tracked items need one distinct serial number per unit, recorded in the ledger', async () => {
    const item = await newItem('SER-1', { serial_tracked: true });
    const short = await entry('receipt', [{ item, qty: 2, rate: 100, serial_no: 'SN001' }]);
    expect(short.body.error).toMatchObject({ code: 'FIELD_INVALID', field: 'lines.0.serial_no' });
    expect((await entry('receipt', [{ item, qty: 2, rate: 100, serial_no: 'SN001, SN002' }])).status).toBe(200);
    const rows = await inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, (tx) =>
      sql<{ s: string }>`SELECT c_serial_no AS s FROM o_stock_ledger_entry WHERE c_item = ${item}`.execute(tx));
    expect(rows.rows.map((r) => r.s)).toEqual(['SN001,SN002']);
    const again = await entry('receipt', [{ item, qty: 1, rate: 100, serial_no: 'SN002' }]);
    expect(again.body.error).toMatchObject({ code: 'FIELD_INVALID', field: 'serial_no' });
    const unknown = await entry('issue', [{ item, qty: 1, serial_no: 'SN999' }]);
    expect(unknown.status).toBe(409);
    expect(unknown.body.error).toMatchObject({ code: 'STOCK_SHORTAGE', field: 'serial_no' });
    expect((await entry('issue', [{ item, qty: 1, serial_no: 'SN001' }])).status).toBe(200);
    expect((await entry('issue', [{ item, qty: 1, serial_no: 'SN001' }])).status).toBe(409); // gone already
    expect(await balance(item)).toMatchObject({ on_hand: '1.000000', value: '100.000000' });
  });
});

describe('replenishment', () => {
  it('raises one suggestion when available falls below the minimum, notifies the buyer, clears it when restocked', async () => {
    const item = await newItem('RO-1', { reorder: [{ warehouse: wh, min_qty: 5, reorder_qty: 20, buyer: t.tenant.adminId }] });
    const suggestions = async () => (await t.api('GET', `/api/v1/records/replenishment_suggestion?filter=${encodeURIComponent(JSON.stringify({ item }))}`)).body.data;
    const notices = async () => (await t.api('GET', '/api/v1/notifications')).body.data.filter((n: any) => n.object === 'replenishment_suggestion' && n.title.includes('RO-1'));
    await entry('receipt', [{ item, qty: 10, rate: 1 }]);
    expect(await suggestions()).toHaveLength(0);
    await entry('issue', [{ item, qty: 6 }]); // 4 < 5
    await entry('issue', [{ item, qty: 1 }]); // still below: no second one
    const open = await suggestions();
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ state: 'open', available: '4.000000', min_qty: '5.000000', suggested_qty: '20.000000' });
    expect(await notices()).toHaveLength(1);
    expect((await notices())[0].link).toBe(`/o/replenishment_suggestion/${open[0].id}`);
    await entry('receipt', [{ item, qty: 10, rate: 1 }]);
    expect((await suggestions()).map((s: any) => s.state)).toEqual(['cleared']);
    await entry('issue', [{ item, qty: 12 }]); // below again: a new suggestion
    expect((await suggestions()).map((s: any) => s.state).sort()).toEqual(['cleared', 'open']);
  });
});
