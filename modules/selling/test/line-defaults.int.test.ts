import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@mosaic/testing';

// One line-defaulting function in selling (pricing/line-defaults.ts) for quotes,
// sales orders and sales invoices, on every write path: a line without a price
// takes the price list's — the customer's default list first, at the quantity's
// break — and records which price_list priced it; a line without a VAT rate
// takes its item's output rate (9 %), else the company's standard one (13 %).
// A price the user typed is kept. Figures are exact:
//   rice ×150 @ 8 (break at 100) 9 %  → net 1200.00, VAT 108.00
//   rice ×10  @ 10               9 %  → net  100.00, VAT   9.00
//   bolt ×3   @ 20              13 %  → net   60.00, VAT   7.80
//   bolt ×2   @ 19.5 typed      13 %  → net   39.00, VAT   5.07
//   totals                              net 1399.00, VAT 129.87, gross 1528.87
let t: TestApp;
let wh: string;
let customer: string;
let walkIn: string;
let rice: string;
let bolt: string;
let unpriced: string;
let dealerList: string;
let standardList: string;

const ok = async (p: Promise<{ status: number; body: any }>, status = 200) => {
  const r = await p;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r.body;
};

beforeAll(async () => {
  t = await createTestApp();
  const rates = (await ok(t.api('GET', '/api/v1/records/tax_rate?pageSize=50'))).data as any[];
  const vat9 = rates.find((r) => r.code === 'VAT9').id;
  wh = (await ok(t.api('POST', '/api/v1/records/warehouse', { code: 'FG', name: '成品仓' }), 201)).id;
  rice = (await ok(t.api('POST', '/api/v1/records/item', { code: 'RICE', name: '大米', tax_rate: vat9 }), 201)).id;
  bolt = (await ok(t.api('POST', '/api/v1/records/item', { code: 'BOLT', name: '螺栓' }), 201)).id;
  unpriced = (await ok(t.api('POST', '/api/v1/records/item', { code: 'NOPRICE', name: '无价物料' }), 201)).id;
  // For everyone; the dealer list is the customer's default and comes first, with a break at 100.
  standardList = (await ok(t.api('POST', '/api/v1/records/price_list', { name: '标准价', list_type: 'selling', prices: [{ item: rice, rate: '12' }, { item: bolt, rate: '25' }] }), 201)).id;
  dealerList = (await ok(t.api('POST', '/api/v1/records/price_list', {
    name: '经销商价', list_type: 'selling', customer_group: 'Z',
    prices: [{ item: rice, rate: '10' }, { item: rice, rate: '8', min_qty: '100' }, { item: bolt, rate: '20' }],
  }), 201)).id;
  const c = await ok(t.api('POST', '/api/v1/records/customer', { name: '华南粮油经销有限公司' }), 201);
  await ok(t.api('PATCH', `/api/v1/records/customer/${c.id}`, { price_list: dealerList, version: c.version }));
  customer = c.id;
  walkIn = (await ok(t.api('POST', '/api/v1/records/customer', { name: '零售散客有限公司' }), 201)).id;
}, 180_000);

afterAll(async () => {
  await t?.close();
});

const LINES = () => [{ item: rice, qty: 150 }, { item: rice, qty: 10 }, { item: bolt, qty: 3 }];
const TYPED = () => ({ item: bolt, qty: 2 });

/** [price, VAT rate, net, VAT, which list] per line. */
const figures = (lines: any[], priceField: string) =>
  lines.map((l) => [Number(l[priceField]), Number(l.tax_rate), l.net, l.tax, l.price_list ?? null]);
const EXPECTED = () => [
  [8, 0.09, '1200.00', '108.00', dealerList],
  [10, 0.09, '100.00', '9.00', dealerList],
  [20, 0.13, '60.00', '7.80', dealerList],
  [19.5, 0.13, '39.00', '5.07', null],
];
const TOTALS = { net_total: '1399.00', tax_total: '129.87', grand_total: '1528.87' };

const documents = [
  { object: 'sales_order', priceField: 'rate', head: () => ({ customer, warehouse: wh }), endpoint: '/api/v1/selling/sales-orders', keepsList: true, dateField: 'order_date' },
  { object: 'sales_invoice', priceField: 'rate', head: () => ({ customer }), endpoint: null, keepsList: false, dateField: 'posting_date' },
  { object: 'quote', priceField: 'list_price', head: () => ({ customer }), endpoint: '/api/v1/crm/quotes', keepsList: false, dateField: 'quote_date' },
];

// The documents with a module endpoint of their own (a sales invoice is made through the records API or from a delivery).
describe.each(documents.filter((d) => d.endpoint))('the module endpoint of $object', ({ priceField, head, endpoint }) => {
  it('defaults the lines the same way as the records API', async () => {
    const doc = await ok(t.api('POST', endpoint!, { ...head(), lines: [...LINES(), { ...TYPED(), [priceField]: '19.5' }] }), 201);
    expect(figures(doc.lines, priceField)).toEqual(EXPECTED());
    expect(doc).toMatchObject(TOTALS);
  });
});

describe.each(documents)('line defaults of $object', ({ object, priceField, head, keepsList, dateField }) => {
  const expected = EXPECTED;
  const body = () => ({ ...head(), lines: [...LINES(), { ...TYPED(), [priceField]: '19.5' }] });

  it('the records API prices unpriced lines from the customer’s default list at the quantity break, at the item’s or the company’s VAT rate; a typed price is kept', async () => {
    const doc = await ok(t.api('POST', `/api/v1/records/${object}`, body()), 201);
    expect(figures(doc.lines, priceField)).toEqual(expected());
    expect(doc).toMatchObject(TOTALS);
    // An order keeps the list price of a priced line (discounts are measured against it); a typed one has none.
    if (keepsList) expect(doc.lines.map((l: any) => (l.list_rate === null ? null : Number(l.list_rate)))).toEqual([8, 10, 20, null]);
  });

  it('an update defaults a new line and keeps the stored prices of kept lines', async () => {
    const doc = await ok(t.api('POST', `/api/v1/records/${object}`, { ...head(), lines: [{ ...TYPED(), [priceField]: '19.5' }] }), 201);
    const kept = doc.lines.map((l: any) => ({ id: l.id, item: l.item, qty: l.qty }));
    const updated = await ok(t.api('PATCH', `/api/v1/records/${object}/${doc.id}`, { version: doc.version, lines: [...LINES(), ...kept] }));
    expect(figures(updated.lines, priceField)).toEqual(expected());
    expect(updated).toMatchObject(TOTALS);
  });

  it('a customer without a default list gets the list for everyone; a given VAT rate is kept', async () => {
    const doc = await ok(t.api('POST', `/api/v1/records/${object}`, { ...head(), customer: walkIn, lines: [{ item: rice, qty: 150 }, { item: bolt, qty: 1, tax_rate: '0.06' }] }), 201);
    expect(figures(doc.lines, priceField)).toEqual([
      [12, 0.09, '1800.00', '162.00', standardList],
      [25, 0.06, '25.00', '1.50', standardList],
    ]);
  });

  it('bad input is a 4xx naming the field', async () => {
    const bad = async (line: Record<string, unknown>, status: number, field: string, code: string) => {
      const r = await t.api('POST', `/api/v1/records/${object}`, { ...head(), lines: [{ item: bolt, qty: 1 }, line] });
      expect([r.status, r.body.error?.field, r.body.error?.code], JSON.stringify(r.body)).toEqual([status, field, code]);
    };
    await bad({ item: 'not-an-id', qty: 1 }, 422, 'lines.1.item', 'FIELD_INVALID');
    await bad({ item: rice, qty: 'many' }, 422, 'lines.1.qty', 'FIELD_INVALID');
    await bad({ item: unpriced, qty: 1 }, 422, `lines.1.${priceField}`, 'FIELD_REQUIRED');
    const badDate = await t.api('POST', `/api/v1/records/${object}`, { ...head(), [dateField]: '2026-02-30', lines: [{ item: bolt, qty: 1 }] });
    expect([badDate.status, badDate.body.error?.field, badDate.body.error?.code]).toEqual([422, dateField, 'FIELD_INVALID']);
    const bulk = await t.api('POST', `/api/v1/records/${object}/bulk`, { records: [{ ...head(), lines: [{ item: bolt, qty: 1 }] }, { ...head(), lines: [{ item: unpriced, qty: 1 }] }] });
    expect([bulk.status, bulk.body.error?.field]).toEqual([422, `1.lines.0.${priceField}`]);
  });
});

describe('price lookups', () => {
  it('the selling price endpoint answers as a line is defaulted: the default list and its break', async () => {
    const at = (qty: number) => ok(t.api('GET', `/api/v1/selling/price?item=${rice}&qty=${qty}&customer=${customer}`));
    expect(await at(99)).toEqual({ rate: '10', priceIncludesTax: false, priceList: dealerList });
    expect(await at(100)).toEqual({ rate: '8', priceIncludesTax: false, priceList: dealerList });
    const r = await t.api('GET', `/api/v1/selling/price?item=${rice}&qty=x`);
    expect([r.status, r.body.error?.field]).toEqual([422, 'qty']);
  });

  it('the quote price endpoint gives the item’s VAT rate beside the price', async () => {
    expect(await ok(t.api('GET', `/api/v1/crm/quotes/price?item=${rice}&qty=150&customer=${customer}`))).toEqual({ listPrice: '8', priceList: dealerList, taxRate: '0.09' });
    expect(await ok(t.api('GET', `/api/v1/crm/quotes/price?item=${bolt}&qty=1&customer=${walkIn}`))).toEqual({ listPrice: '25', priceList: standardList, taxRate: '0.13' });
  });
});
