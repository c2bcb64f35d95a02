import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onClockDay, voucherDatesOf, type TestApp } from '@mosaic/testing';
import { buying, buyingApp, ok } from './buying-fixture.ts';

// 进项税率 per item: purchase order and supplier invoice lines without a VAT rate
// take their item's input rate (rice 9 %), else the company's standard input rate
// (13 %); a rate given is kept (6 %). The invoice's voucher books exactly the
// lines' input VAT:
//   rice ×100 @ 5  9 %  → net 500.00, VAT 45.00
//   bolt ×10  @ 2 13 %  → net  20.00, VAT  2.60
//   bolt ×5   @ 2  6 %  → net  10.00, VAT  0.60
//   totals                 net 530.00, VAT 48.20, gross 578.20
let t: TestApp;
let b: ReturnType<typeof buying>;
let wh: string;
let supplier: string;
let rice: string;
let bolt: string;

beforeAll(async () => {
  ({ t, b, wh, supplier } = await buyingApp(['RM', '原料仓'], ['S01', '中粮贸易有限公司']));
  const rates = (await ok(t.api('GET', '/api/v1/records/tax_rate?pageSize=50'))).data as any[];
  rice = await b.item('RICE', '大米', { input_tax_rate: rates.find((r) => r.code === 'IN9').id });
  bolt = await b.item('BOLT', '螺栓');
}, 180_000);

afterAll(async () => {
  await t?.close();
});

const LINES = () => [{ item: rice, qty: 100, rate: 5 }, { item: bolt, qty: 10, rate: 2 }, { item: bolt, qty: 5, rate: 2, tax_rate: '0.06' }];
const figures = (lines: any[]) => lines.map((l) => [Number(l.tax_rate), l.net, l.tax]);
const EXPECTED = [[0.09, '500.00', '45.00'], [0.13, '20.00', '2.60'], [0.06, '10.00', '0.60']];
const TOTALS = { net_total: '530.00', tax_total: '48.20', grand_total: '578.20' };

describe('input VAT rates of purchase lines', () => {
  it('an order takes the item’s input rate, else the company’s; the invoice made from it books that VAT to 22210101', async () => {
    const po = await b.order(supplier, wh, LINES());
    expect(figures(po.lines)).toEqual(EXPECTED);
    expect(po).toMatchObject(TOTALS);
    const grn = await b.receive(po.id);
    const inv = await ok(b.make(`purchase_receipt/${grn.id}/purchase_invoice`, { invoice_no: '04419999' }), 201);
    expect(figures(inv.lines)).toEqual(EXPECTED);
    expect(inv).toMatchObject(TOTALS);
    await ok(b.submit('purchase_invoice', inv.id));
    expect(await b.voucherOf(inv.id)).toEqual([
      { code: '220202', debit: '530.00', credit: '0.00' },
      { code: '22210101', debit: '48.20', credit: '0.00' },
      { code: '2202', debit: '0.00', credit: '578.20' },
    ].sort((x, y) => x.code.localeCompare(y.code)));
  });

  it('a supplier invoice or quotation entered through the records API defaults the same way, on create and on update', async () => {
    const po = await b.order(supplier, wh, LINES());
    // (a quotation: no flat 13 % for a 9 % item, as on the order)
    for (const [object, head] of [['purchase_invoice', { supplier, purchase_order: po.id }], ['supplier_quotation', { supplier }]] as const) {
      const doc = await ok(t.api('POST', `/api/v1/records/${object}`, { ...head, lines: [LINES()[0]] }), 201);
      expect(figures(doc.lines)).toEqual([EXPECTED[0]]);
      const kept = doc.lines.map((l: any) => ({ id: l.id }));
      const updated = await ok(t.api('PATCH', `/api/v1/records/${object}/${doc.id}`, { version: doc.version, lines: [...kept, ...LINES().slice(1)] }));
      expect(figures(updated.lines)).toEqual(EXPECTED);
      expect(updated).toMatchObject(TOTALS);
    }
  });

  it('the cancellation of a supplier invoice is dated the kernel clock\'s day', async () => {
    const po = await b.order(supplier, wh, [LINES()[0]]);
    const grn = await b.receive(po.id);
    const inv = await ok(b.make(`purchase_receipt/${grn.id}/purchase_invoice`, { invoice_no: '04419998' }), 201);
    const done = await ok(b.submit('purchase_invoice', inv.id, inv.version));
    const day = '2026-01-05';
    await onClockDay(day, () => ok(b.cancel('purchase_invoice', inv.id, done.version)));
    const dates = await voucherDatesOf(t, inv.id);
    expect(dates).toEqual([done.posting_date, day]);
  });

  it('bad input is a 4xx naming the field', async () => {
    for (const object of ['supplier_quotation', 'purchase_order', 'purchase_invoice']) {
      const head = object === 'purchase_order' ? { warehouse: wh } : object === 'purchase_invoice' ? { purchase_order: (await b.order(supplier, wh, LINES())).id } : {};
      const r = await t.api('POST', `/api/v1/records/${object}`, { supplier, ...head, lines: [LINES()[0], { item: 'not-an-id', qty: 1, rate: 1 }] });
      expect([r.status, r.body.error?.field, r.body.error?.code], JSON.stringify(r.body)).toEqual([422, 'lines.1.item', 'FIELD_INVALID']);
    }
  });
});
