import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { accountsByCode, submitDoc, vouchersOf } from './finance-fixture.ts';

// Procure to pay as the books see it (issue 9: "a purchase receipt then supplier
// invoice — stock received not yet invoiced, then cleared"): the receipt puts
// the goods on 1405 against 220202 暂估应付账款 (GR/IR clearing), which the trial
// balance shows as received-not-invoiced until the supplier's invoice clears it
// into a payable open item on 2202, which a payment then settles.
let t: TestApp;
let acct: Record<string, string>;
let supplier: string;
let item: string;
let wh: string;

const ok = async (p: Promise<{ status: number; body: any }>, status = 200) => {
  const r = await p;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r.body;
};
const DAY = '2026-10-12';
const PERIOD = DAY.slice(0, 7);
const row = async (code: string) => (await ok(t.api('GET', `/api/v1/finance/trial-balance?period=${PERIOD}`))).rows.find((r: any) => r.code === code);

beforeAll(async () => {
  t = await createTestApp();
  acct = await accountsByCode(t);
  supplier = (await ok(t.api('POST', '/api/v1/records/supplier', { code: 'S-GRIR', name: '无锡精密铸造有限公司' }), 201)).id;
  item = (await ok(t.api('POST', '/api/v1/records/item', { code: 'CAST', name: '铸件' }), 201)).id;
  wh = (await ok(t.api('POST', '/api/v1/records/warehouse', { code: 'GRIR', name: '原料仓' }), 201)).id;
});

afterAll(async () => {
  await t?.close();
});

describe('GR/IR clearing (暂估应付): receipt, then the supplier invoice, then the payment', () => {
  let invoice: string;
  let grn: { id: string; version: number };
  let po: { id: string; lines: { id: string }[] };

  it('the receipt: Dr 1405 库存商品 / Cr 220202 暂估应付账款 — received, not yet invoiced, no open item', async () => {
    po = await ok(t.api('POST', '/api/v1/records/purchase_order', { supplier, warehouse: wh, lines: [{ item, qty: 40, rate: '25.00' }] }), 201);
    await ok(submitDoc(t, 'purchase_order', po.id));
    grn = await ok(t.api('POST', `/api/v1/buying/purchase_order/${po.id}/purchase_receipt`, { posting_date: DAY }), 201);
    await ok(submitDoc(t, 'purchase_receipt', grn.id, grn.version));
    expect(await vouchersOf(t, grn.id)).toEqual([
      { code: '1405', debit: '1000.00', credit: '0.00', against: null },
      { code: '220202', debit: '0.00', credit: '1000.00', against: null },
    ]);
    expect(await row('220202')).toMatchObject({ periodCredit: '1000.00', closingCredit: '1000.00', closingDebit: '0.00' });
    expect(await row('1405')).toMatchObject({ closingDebit: '1000.00' });
    // The estimate is not owed yet: nothing to pay, but the supplier's 明细账 on 220202 shows it.
    expect((await ok(t.api('GET', `/api/v1/finance/open-items?party_type=supplier&party=${supplier}`))).data).toEqual([]);
    const sub = await ok(t.api('GET', `/api/v1/finance/subsidiary-ledger?account=220202&from=${PERIOD}-01&to=${PERIOD}-31&dim=supplier&value=${supplier}`));
    expect(sub).toMatchObject({ opening: '0.00', closing: '-1000.00' });
  });

  it('the invoice: Dr 220202 (cleared) + Dr 22210101 进项税额 / Cr 2202 应付账款 against the invoice', async () => {
    // Dated in the receipt's month (the make-invoice action dates it today), billing the receipt's order line.
    const inv = await ok(t.api('POST', '/api/v1/records/purchase_invoice', { supplier, purchase_order: po.id, purchase_receipt: grn.id, invoice_no: '3200261012',
      posting_date: DAY, lines: [{ item, qty: 40, rate: '25.00', order_line: po.lines[0].id }] }), 201);
    expect(inv).toMatchObject({ net_total: '1000.00', tax_total: '130.00', grand_total: '1130.00' });
    await ok(submitDoc(t, 'purchase_invoice', inv.id, inv.version));
    invoice = inv.id;
    expect(await vouchersOf(t, inv.id)).toEqual([
      { code: '220202', debit: '1000.00', credit: '0.00', against: null },
      { code: '2202', debit: '0.00', credit: '1130.00', against: inv.id },
      { code: '22210101', debit: '130.00', credit: '0.00', against: null },
    ].sort((a, b) => a.code.localeCompare(b.code)));
    // Cleared: nothing received-not-invoiced is left; the payable is an open item of the supplier.
    expect(await row('220202')).toMatchObject({ periodDebit: '1000.00', periodCredit: '1000.00', closingDebit: '0.00', closingCredit: '0.00' });
    expect(await row('2202')).toMatchObject({ closingCredit: '1130.00' });
    const open = (await ok(t.api('GET', `/api/v1/finance/open-items?party_type=supplier&party=${supplier}`))).data;
    expect(open).toEqual([expect.objectContaining({ againstType: 'purchase_invoice', againstId: inv.id, total: '1130.00', outstanding: '1130.00' })]);
  });

  it('the payment: Dr 2202 against the invoice / Cr 1002 银行存款, and the payable is settled', async () => {
    const p = await ok(t.api('POST', '/api/v1/records/payment', {
      payment_type: 'pay', party_type: 'supplier', party: supplier, posting_date: '2026-10-30', account: acct['1002'], amount: '1130.00',
      allocations: [{ against_type: 'purchase_invoice', against_id: invoice, allocated: '1130.00' }],
    }), 201);
    await ok(submitDoc(t, 'payment', p.id));
    expect(await vouchersOf(t, p.id)).toEqual([
      { code: '1002', debit: '0.00', credit: '1130.00', against: null },
      { code: '2202', debit: '1130.00', credit: '0.00', against: invoice },
    ]);
    expect((await ok(t.api('GET', `/api/v1/finance/open-items?party_type=supplier&party=${supplier}`))).data).toEqual([]);
    const bs = await ok(t.api('GET', `/api/v1/finance/statements/balance-sheet?period=${PERIOD}`));
    expect(bs.balanced).toBe(true);
    const line = (key: string) => bs.rows.find((r: any) => r.key === key).closing;
    expect([line('inventory'), line('payables')]).toEqual(['1000.00', '0.00']);
  });
});
