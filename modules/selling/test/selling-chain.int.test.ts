import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenantTx, sql } from '@mosaic/db';
import { createTestApp, onClockDay, testTopology, voucherDatesOf, type TestApp } from '@mosaic/testing';

// The order-to-cash chain on a real PostgreSQL: partial deliveries and invoices
// with the order's ordered/delivered/invoiced/paid %, documents made from the
// previous one with one action, returns at the original cost with their credit
// note, prices from price lists, the credit limit, and units on sales documents.
let t: TestApp;
let wh: string;
let customer: string;
let ge: string;
let box: string;
const acct: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  wh = (await t.api('POST', '/api/v1/records/warehouse', { code: 'FG', name: '成品仓' })).body.id;
  customer = (await t.api('POST', '/api/v1/records/customer', { name: '杭州西湖贸易有限公司', tier: 'A' })).body.id;
  ge = (await t.api('POST', '/api/v1/records/uom', { name: '个' })).body.id;
  box = (await t.api('POST', '/api/v1/records/uom', { name: '箱' })).body.id;
  const list = await t.api('GET', '/api/v1/records/gl_account?pageSize=200&fields=code');
  for (const a of list.body.data) acct[a.code] = a.id;
});

afterAll(async () => {
  await t?.close();
});

const item = async (code: string, stock = 0, rate = 0, extra: Record<string, unknown> = {}) => {
  const r = await t.api('POST', '/api/v1/records/item', { code, name: `商品${code}`, uom: ge, ...extra });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  if (stock) await receive(r.body.id, stock, rate);
  return r.body.id as string;
};
const receive = async (it: string, qty: number, rate: number) => {
  const r = await t.api('POST', '/api/v1/records/stock_entry', { entry_type: 'receipt', warehouse: wh, lines: [{ item: it, qty, rate }] });
  expect((await t.api('POST', `/api/v1/records/stock_entry/${r.body.id}/submit`, { version: 1 })).status).toBe(200);
};
const submit = (object: string, id: string, version = 1) => t.api('POST', `/api/v1/records/${object}/${id}/submit`, { version });
const create = async (object: string, body: Record<string, unknown>) => {
  const r = await t.api('POST', `/api/v1/records/${object}`, body);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
};
const chain = async (so: string) => (await t.api('GET', `/api/v1/selling/sales-orders/${so}/chain`)).body;
const balance = async (it: string) =>
  (await t.api('GET', `/api/v1/records/stock_balance?filter=${encodeURIComponent(JSON.stringify({ item: it, warehouse: wh }))}`)).body.data[0];
const vouchersOf = (sourceId: string) => inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, async (tx) =>
  (await sql<Record<string, string | null>>`SELECT a.c_code AS code, g.c_debit::text AS debit, g.c_credit::text AS credit, g.c_party AS party
    FROM o_journal_entry j JOIN o_gl_entry g ON g.c_journal_entry = j.id JOIN o_gl_account a ON a.id = g.c_account
    WHERE j.c_source_id = ${sourceId} ORDER BY j.created_at, j.id, a.c_code`.execute(tx)).rows);

describe('partial delivery and invoicing, with the chain status', () => {
  it('tracks ordered / delivered / invoiced / paid % through partial documents made with one action', async () => {
    const a = await item('CH-A', 50, 4);
    const b = await item('CH-B', 50, 8);
    const so = await create('sales_order', { customer, warehouse: wh, lines: [{ item: a, qty: 10, rate: 10 }, { item: b, qty: 5, rate: 20 }] });
    expect(so).toMatchObject({ grand_total: '226.00' });
    expect((await submit('sales_order', so.id)).status).toBe(200);
    expect(await chain(so.id)).toMatchObject({ perDelivered: '0.00', perInvoiced: '0.00', perPaid: '0.00' });

    // first delivery: 4 of A
    const dn1 = await create('delivery_note', { customer, sales_order: so.id, warehouse: wh, lines: [{ item: a, qty: 4 }] });
    expect((await submit('delivery_note', dn1.id)).status).toBe(200);
    expect(await chain(so.id)).toMatchObject({ perDelivered: '26.67' }); // 4 of 15
    expect(await balance(a)).toMatchObject({ on_hand: '46.000000', reserved: '6.000000' });

    // more than is left is refused, naming the line
    const over = await create('delivery_note', { customer, sales_order: so.id, warehouse: wh, lines: [{ item: a, qty: 7 }] });
    const refused = await submit('delivery_note', over.id);
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'FIELD_INVALID', field: 'lines.0.qty' });
    expect(refused.body.error.message).toContain('only 6 left');

    // the invoice for what was delivered, made from the order in one action
    const inv = await t.api('POST', `/api/v1/selling/sales-orders/${so.id}/sales-invoice`);
    expect(inv.status, JSON.stringify(inv.body)).toBe(201);
    expect(inv.body.lines.map((l: any) => [l.item, l.qty, l.rate])).toEqual([[a, '4.000000', '10.000000']]);
    expect(inv.body).toMatchObject({ sales_order: so.id, grand_total: '45.20', status: 'draft' });
    expect((await submit('sales_invoice', inv.body.id)).status).toBe(200);
    expect(await chain(so.id)).toMatchObject({ perInvoiced: '20.00', invoicedAmount: '45.20' });

    // a receipt of payment (finance records it) settles against the invoice on 1122
    const pay = await t.api('POST', '/api/v1/records/journal_entry', {
      posting_date: '2026-11-23', description: '收款', lines: [
        { account: acct['1002'], debit: '45.20', credit: 0 },
        { account: acct['1122'], debit: 0, credit: '45.20', party_type: 'customer', party: customer, against_type: 'sales_invoice', against_id: inv.body.id },
      ],
    });
    expect(pay.status, JSON.stringify(pay.body)).toBe(201);
    expect((await t.api('POST', `/api/v1/records/journal_entry/${pay.body.id}/submit`, { version: 1 })).status).toBe(200);
    expect(await chain(so.id)).toMatchObject({ perPaid: '20.00', paidAmount: '45.20' });

    // the rest delivered in one action, then invoiced in one action
    const dn2 = await t.api('POST', `/api/v1/selling/sales-orders/${so.id}/delivery-note`);
    expect(dn2.status, JSON.stringify(dn2.body)).toBe(201);
    expect(dn2.body.lines.map((l: any) => [l.item, l.qty])).toEqual([[a, '6.000000'], [b, '5.000000']]);
    expect((await submit('delivery_note', dn2.body.id)).status).toBe(200);
    const inv2 = await t.api('POST', `/api/v1/selling/sales-orders/${so.id}/sales-invoice`);
    expect((await submit('sales_invoice', inv2.body.id)).status).toBe(200);
    const done = await chain(so.id);
    expect(done).toMatchObject({ perDelivered: '100.00', perInvoiced: '100.00', perPaid: '20.00' });
    expect(done.deliveryNotes).toEqual([dn1.id, dn2.body.id]);
    expect(await balance(a)).toMatchObject({ on_hand: '40.000000', reserved: '0.000000' });
    expect((await t.api('POST', `/api/v1/selling/sales-orders/${so.id}/delivery-note`)).status).toBe(409);
  });
});

describe('sales returns', () => {
  it('come back at the rate they left with, reverse the COGS exactly and book the credit note', async () => {
    const x = await item('RT-1', 10, 10);
    const dn = await create('delivery_note', { customer, warehouse: wh, lines: [{ item: x, qty: 5 }] });
    expect((await submit('delivery_note', dn.id)).status).toBe(200); // 5 @ 10 out
    await receive(x, 10, 40); // average now (50 + 400) / 15 = 30
    const sr = await create('sales_return', { customer, delivery_note: dn.id, warehouse: wh, reason: '质量问题', lines: [{ item: x, qty: 2, rate: 15 }] });
    expect(sr).toMatchObject({ net_total: '30.00', tax_total: '3.90', grand_total: '33.90' });
    const done = await submit('sales_return', sr.id);
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(await balance(x)).toMatchObject({ on_hand: '17.000000', value: '470.000000' }); // 450 + 2 × 10, not 2 × 30
    expect(await vouchersOf(sr.id)).toEqual([
      { code: '1405', debit: '20.00', credit: '0.00', party: null },
      { code: '5401', debit: '0.00', credit: '20.00', party: null },
      { code: '1122', debit: '-33.90', credit: '0.00', party: customer },
      { code: '22210102', debit: '0.00', credit: '-3.90', party: null },
      { code: '5001', debit: '0.00', credit: '-30.00', party: null },
    ]);
    // made from the delivery in one action: a draft with the delivery's lines
    const draft = await t.api('POST', `/api/v1/selling/delivery-notes/${dn.id}/sales-return`);
    expect(draft.status, JSON.stringify(draft.body)).toBe(201);
    expect(draft.body).toMatchObject({ status: 'draft', delivery_note: dn.id, customer });
    expect(draft.body.lines.map((l: any) => [l.item, l.qty])).toEqual([[x, '5.000000']]);
    // an invoice from the delivery, priced from the price list (no order behind it)
    await create('price_list', { name: '退货测试价', prices: [{ item: x, rate: 15 }] });
    const inv = await t.api('POST', `/api/v1/selling/delivery-notes/${dn.id}/sales-invoice`);
    expect(inv.status, JSON.stringify(inv.body)).toBe(201);
    expect(inv.body).toMatchObject({ delivery_note: dn.id, grand_total: '84.75' }); // 5 × 15 × 1.13
    // no more can come back than went out
    const more = await create('sales_return', { customer, delivery_note: dn.id, warehouse: wh, lines: [{ item: x, qty: 4 }] });
    const refused = await submit('sales_return', more.id);
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'FIELD_INVALID', field: 'lines.0.qty' });
    expect(refused.body.error.message).toContain('only 3');
  });
});

describe('sales return lines', () => {
  it('take the VAT rate and price of the order line they return (in their own unit); a rate or price given is kept', async () => {
    const x = await item('RT-2', 48, 5, { uoms: [{ uom: box, factor: 12 }] });
    // 2 boxes at 240 a box (20 a piece) including 9 % VAT — not the company's 13 %.
    const so = await create('sales_order', { customer, warehouse: wh, lines: [{ item: x, qty: 2, uom: box, rate: 240, tax_rate: '0.09', price_includes_tax: true }] });
    expect((await submit('sales_order', so.id)).status).toBe(200);
    const dn = await t.api('POST', `/api/v1/selling/sales-orders/${so.id}/delivery-note`);
    expect(dn.status, JSON.stringify(dn.body)).toBe(201);
    expect((await submit('delivery_note', dn.body.id)).status).toBe(200);
    const terms = (l: any) => [l.qty, l.rate, Number(l.tax_rate), l.price_includes_tax];
    // made from the delivery in one action: 24 pieces at the order's 20 a piece, 9 %, price including VAT
    const draft = await t.api('POST', `/api/v1/selling/delivery-notes/${dn.body.id}/sales-return`);
    expect(draft.status, JSON.stringify(draft.body)).toBe(201);
    expect(draft.body.lines.map(terms)).toEqual([['24.000000', '20.000000', 0.09, true]]);
    expect(draft.body).toMatchObject({ grand_total: '480.00', tax_total: '39.63' }); // 480 − 480 ÷ 1.09
    // (the invoice of the delivery takes the same terms)
    const inv = await t.api('POST', `/api/v1/selling/delivery-notes/${dn.body.id}/sales-invoice`);
    expect(inv.status, JSON.stringify(inv.body)).toBe(201);
    expect(inv.body.lines.map(terms)).toEqual([['24.000000', '20.000000', 0.09, true]]);
    // keyed in through the records API: one box at the order's box price; a given rate and price are kept
    const typed = await create('sales_return', { customer, delivery_note: dn.body.id, warehouse: wh, lines: [{ item: x, qty: 1, uom: box }, { item: x, qty: 1, rate: 5, tax_rate: '0.06' }] });
    expect(typed.lines.map(terms)).toEqual([['1.000000', '240.000000', 0.09, true], ['1.000000', '5.000000', 0.06, false]]);
    // an update's new line takes them too (the delivery is the stored one)
    const updated = await t.api('PATCH', `/api/v1/records/sales_return/${typed.id}`, { version: typed.version, lines: [{ id: typed.lines[0].id }, { item: x, qty: 2 }] });
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    expect(updated.body.lines.map(terms)).toEqual([['1.000000', '240.000000', 0.09, true], ['2.000000', '20.000000', 0.09, true]]);
    // a unit the item has no conversion for is a 422 naming the line
    const pallet = (await t.api('POST', '/api/v1/records/uom', { name: '托' })).body.id;
    const bad = await t.api('POST', '/api/v1/records/sales_return', { customer, delivery_note: dn.body.id, warehouse: wh, lines: [{ item: x, qty: 1, rate: 1 }, { item: x, qty: 1, uom: pallet }] });
    expect([bad.status, bad.body.error?.field], JSON.stringify(bad.body)).toEqual([422, 'lines.1.uom']);
  });

  it('of a delivery without an order take the item\'s output VAT rate, not a flat 13 %', async () => {
    const rates = (await t.api('GET', '/api/v1/records/tax_rate?pageSize=50')).body.data as any[];
    const x = await item('RT-3', 10, 5, { tax_rate: rates.find((r) => r.code === 'VAT9').id });
    const dn = await create('delivery_note', { customer, warehouse: wh, lines: [{ item: x, qty: 2 }] });
    expect((await submit('delivery_note', dn.id)).status).toBe(200);
    const sr = await create('sales_return', { customer, delivery_note: dn.id, warehouse: wh, lines: [{ item: x, qty: 1, rate: 10 }] });
    expect(sr.lines.map((l: any) => [l.rate, Number(l.tax_rate)])).toEqual([['10.000000', 0.09]]);
    expect(sr).toMatchObject({ net_total: '10.00', tax_total: '0.90' });
  });
});

describe('price lists', () => {
  it('price order lines by customer group, quantity break, validity and unit', async () => {
    const p = await item('PL-1', 0, 0, { uoms: [{ uom: box, factor: 12 }] });
    await create('price_list', { name: '标准价', list_type: 'selling', prices: [{ item: p, rate: 12 }] });
    await create('price_list', { name: 'A 类客户价', list_type: 'selling', customer_group: 'A', valid_from: '2026-01-01', valid_to: '2026-12-31',
      prices: [{ item: p, rate: 10 }, { item: p, rate: 9, min_qty: 100 }] });
    await create('price_list', { name: '过期促销', list_type: 'selling', customer_group: 'A', valid_to: '2025-12-31', prices: [{ item: p, rate: 1 }] });
    const other = (await t.api('POST', '/api/v1/records/customer', { name: '普通客户', tier: 'B' })).body.id;
    const price = async (q: string) => (await t.api('GET', `/api/v1/selling/price?item=${p}&date=2026-11-23&${q}`)).body.rate;
    expect(await price(`customer=${customer}&qty=50`)).toBe('10');
    expect(await price(`customer=${customer}&qty=120`)).toBe('9');
    expect(await price(`customer=${other}&qty=120`)).toBe('12');
    expect(await price(`customer=${customer}&qty=10&uom=${box}`)).toBe('108'); // 10 箱 = 120 个 ≥ 100 → 9 per 个 = 108 per 箱
    const so = await t.api('POST', '/api/v1/selling/sales-orders', { customer, warehouse: wh, order_date: '2026-11-23', lines: [{ item: p, qty: 2, uom: box }, { item: p, qty: 5 }, { item: p, qty: 3, rate: 11 }] });
    expect(so.status, JSON.stringify(so.body)).toBe(201);
    expect(so.body.lines.map((l: any) => l.rate)).toEqual(['120.000000', '10.000000', '11.000000']); // 2 箱 = 24 个 < 100 → 10 × 12
    const none = await t.api('POST', '/api/v1/selling/sales-orders', { customer, warehouse: wh, lines: [{ item: await item('PL-NONE'), qty: 1 }] });
    expect(none.status).toBe(422);
    expect(none.body.error).toMatchObject({ code: 'FIELD_REQUIRED', field: 'lines.0.rate' });
  });

  it('never price one customer\'s order from another customer\'s 专价 list or a list in another currency', async () => {
    const p = await item('PL-2');
    await create('price_list', { name: '标准价 2', list_type: 'selling', prices: [{ item: p, rate: 20 }] });
    await create('price_list', { name: '美元价', list_type: 'selling', currency: 'USD', prices: [{ item: p, rate: 3 }] });
    await create('price_list', { name: '西湖专价', list_type: 'selling', customer, prices: [{ item: p, rate: 15 }] });
    const other = (await t.api('POST', '/api/v1/records/customer', { name: '别家客户', tier: 'A' })).body.id;
    const price = async (who: string) => (await t.api('GET', `/api/v1/selling/price?item=${p}&date=2026-11-23&customer=${who}`)).body.rate;
    expect(await price(customer)).toBe('15'); // its own 专价 is the most specific
    expect(await price(other)).toBe('20'); // not the other customer's, nor the USD list
    const so = await t.api('POST', '/api/v1/selling/sales-orders', { customer: other, warehouse: wh, order_date: '2026-11-23', lines: [{ item: p, qty: 1 }] });
    expect(so.status, JSON.stringify(so.body)).toBe(201);
    expect(so.body.lines[0].rate).toBe('20.000000');
  });
});

describe('credit limit', () => {
  it('refuses an order that takes receivables + open orders over the limit, with a clear 422', async () => {
    const c = (await t.api('POST', '/api/v1/records/customer', { name: '额度客户', credit_limit: 1000 })).body.id;
    const x = await item('CL-1', 100, 1);
    const inv = await create('sales_invoice', { customer: c, lines: [{ item: x, qty: 50, rate: 10 }] }); // 565.00 receivable
    expect((await submit('sales_invoice', inv.id)).status).toBe(200);
    const open = await create('sales_order', { customer: c, warehouse: wh, lines: [{ item: x, qty: 30, rate: 10 }] }); // 339.00 open
    expect((await submit('sales_order', open.id)).status).toBe(200);
    const big = await create('sales_order', { customer: c, warehouse: wh, lines: [{ item: x, qty: 20, rate: 10 }] }); // 226.00 → 1130 > 1000
    const refused = await submit('sales_order', big.id);
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'CREDIT_LIMIT_EXCEEDED', field: 'customer' });
    expect(refused.body.error.message).toContain('1130.00');
    const small = await create('sales_order', { customer: c, warehouse: wh, lines: [{ item: x, qty: 5, rate: 10 }] }); // 56.50 → 960.50
    expect((await submit('sales_order', small.id)).status).toBe(200);
  });
});

describe('units on sales documents', () => {
  it('reserves and delivers in the stock unit whatever unit the order is written in', async () => {
    const x = await item('SU-1', 60, 2, { uoms: [{ uom: box, factor: 12 }] });
    const so = await create('sales_order', { customer, warehouse: wh, lines: [{ item: x, qty: 3, uom: box, rate: 240 }] });
    expect((await submit('sales_order', so.id)).status).toBe(200);
    expect(await balance(x)).toMatchObject({ reserved: '36.000000' });
    const dn = await create('delivery_note', { customer, sales_order: so.id, warehouse: wh, lines: [{ item: x, qty: 1, uom: box }, { item: x, qty: 6, uom: ge }] });
    expect((await submit('delivery_note', dn.id)).status).toBe(200);
    expect(await balance(x)).toMatchObject({ on_hand: '42.000000', reserved: '18.000000', value: '84.000000' });
    expect(await chain(so.id)).toMatchObject({ perDelivered: '50.00' });
  });
});

describe('VAT on a multi-line invoice', () => {
  it('rounds per line at 13 / 9 / 6 / 0 %, inclusive and exclusive, and the voucher carries the same totals', async () => {
    const x = await item('VAT-2', 100, 1);
    const inv = await create('sales_invoice', {
      customer, lines: [
        { item: x, qty: 7, rate: '14.285', tax_rate: '0.13' }, // 100.00 (99.995 → 100.00) + 13.00
        { item: x, qty: 3, rate: '10.99', tax_rate: '0.09', price_includes_tax: true }, // 32.97 → 30.25 + 2.72
        { item: x, qty: 1, rate: '0.05', tax_rate: '0.06' }, // 0.05 + 0.00
        { item: x, qty: 2, rate: '50', tax_rate: '0' }, // 100.00 + 0
      ],
    });
    expect(inv.lines.map((l: any) => [l.net, l.tax, l.gross])).toEqual([['100.00', '13.00', '113.00'], ['30.25', '2.72', '32.97'], ['0.05', '0.00', '0.05'], ['100.00', '0.00', '100.00']]);
    expect(inv).toMatchObject({ net_total: '230.30', tax_total: '15.72', grand_total: '246.02' });
    expect((await submit('sales_invoice', inv.id)).status).toBe(200);
    expect((await vouchersOf(inv.id)).map((l) => [l.code, l.debit, l.credit])).toEqual([['1122', '246.02', '0.00'], ['22210102', '0.00', '15.72'], ['5001', '0.00', '230.30']]);
  });

  // The test clock is this process's: under MOSAIC_TEST_TOPOLOGY=multi the server processes keep real time.
  it.skipIf(testTopology() === 'multi')('a cancellation is dated the kernel clock\'s day (a test that sets the clock sets it)', async () => {
    const x = await item('VAT-4', 10, 1);
    const inv = await create('sales_invoice', { customer, lines: [{ item: x, qty: 1, rate: '10', tax_rate: '0.13' }] });
    expect((await submit('sales_invoice', inv.id)).status).toBe(200);
    const day = '2026-01-05';
    const r = await onClockDay(day, () => t.api('POST', `/api/v1/records/sales_invoice/${inv.id}/cancel`, { version: 2, reason: '开错' }));
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const dates = await voucherDatesOf(t, inv.id);
    expect(dates).toEqual([inv.posting_date, day]);
  });

  it('an invoice that names the company\'s own currency books as one that names none (no CNY→CNY rate wanted)', async () => {
    const x = await item('VAT-3', 10, 1);
    const inv = await create('sales_invoice', { customer, currency: 'CNY', lines: [{ item: x, qty: 2, rate: '50', tax_rate: '0.13' }] });
    const done = await submit('sales_invoice', inv.id);
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect((await vouchersOf(inv.id)).map((l) => [l.code, l.debit, l.credit])).toEqual([['1122', '113.00', '0.00'], ['22210102', '0.00', '13.00'], ['5001', '0.00', '100.00']]);
  });
});
