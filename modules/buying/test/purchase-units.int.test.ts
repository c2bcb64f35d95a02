import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '@mosaic/testing';
import { buying, buyingApp, ok } from './buying-fixture.ts';

// 采购单位 on a real PostgreSQL: the supplier sells by the case (箱 = 12 个), the
// warehouse counts pieces. Order, receipt, invoice and return lines may each be
// written in either unit; stock moves in pieces at the per-piece cost, and the
// chain figures, over-receipt and three-way match all compare in pieces.
let t: TestApp;
let b: ReturnType<typeof buying>;
let wh: string;
let supplier: string;
let ge: string;
let box: string;
let cup: string;

beforeAll(async () => {
  ({ t, b, wh, supplier } = await buyingApp(['RM', '原料仓'], ['S-CUP', '景德镇陶瓷厂']));
  ge = (await ok(t.api('POST', '/api/v1/records/uom', { name: '个' }), 201)).id;
  box = (await ok(t.api('POST', '/api/v1/records/uom', { name: '箱' }), 201)).id;
  cup = await b.item('CUP', '骨瓷杯', { uom: ge, uoms: [{ uom: box, factor: 12 }] });
});

afterAll(async () => {
  await t?.close();
});

describe('purchase units of measure', () => {
  it('orders in cases, receives in cases and pieces, invoices and returns — stock and figures in pieces', async () => {
    // 10 箱 @ 240 (net) = 120 个 @ 20.
    const po = await b.order(supplier, wh, [{ item: cup, qty: 10, uom: box, rate: 240 }]);
    expect(po).toMatchObject({ net_total: '2400.00', tax_total: '312.00' });
    const line = po.lines[0].id;

    // The receipt made from the order is in the order's unit.
    const draft = await ok(b.make(`purchase_order/${po.id}/purchase_receipt`, { lines: [{ order_line: line, qty: 48 }] }), 201);
    expect(draft.lines).toMatchObject([{ qty: '4.000000', uom: box, rate: '240.000000' }]);
    await ok(b.submit('purchase_receipt', draft.id, draft.version));
    expect(await b.balance(cup, wh)).toMatchObject({ on_hand: '48.000000', value: '960.000000' });
    expect(await b.voucherOf(draft.id)).toEqual([
      { code: '1405', debit: '960.00', credit: '0.00' },
      { code: '220202', debit: '0.00', credit: '960.00' },
    ]);

    // A receipt in pieces at the per-piece price matches the order in cases.
    const pieces = await ok(t.api('POST', '/api/v1/records/purchase_receipt', { supplier, purchase_order: po.id, warehouse: wh, lines: [{ item: cup, qty: 30, rate: 20, order_line: line }] }), 201);
    await ok(b.submit('purchase_receipt', pieces.id, pieces.version));
    expect(await b.balance(cup, wh)).toMatchObject({ on_hand: '78.000000', value: '1560.000000' });
    expect(Number((await ok(t.api('GET', `/api/v1/records/purchase_order/${po.id}`))).per_received)).toBe(0.65); // 78 of 120 pieces

    // Receiving more than ordered is measured in pieces too: 42 left, 4 箱 = 48 is too many.
    const over = await ok(t.api('POST', '/api/v1/records/purchase_receipt', { supplier, purchase_order: po.id, warehouse: wh, lines: [{ item: cup, qty: 4, uom: box, rate: 240, order_line: line }] }), 201);
    const refused = await b.submit('purchase_receipt', over.id, over.version);
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ field: 'lines.0.qty' });
    expect(refused.body.error.message).toContain('48');
    // A per-case price off the order is caught after conversion.
    const dear = await ok(t.api('POST', '/api/v1/records/purchase_receipt', { supplier, purchase_order: po.id, warehouse: wh, lines: [{ item: cup, qty: 1, uom: box, rate: 252, order_line: line }] }), 201);
    expect((await b.submit('purchase_receipt', dear.id, dear.version)).body.error).toMatchObject({ field: 'lines.0.rate' });
    // A unit the item has no conversion for names the line's unit.
    const kg = (await ok(t.api('POST', '/api/v1/records/uom', { name: '千克' }), 201)).id;
    const odd = await ok(t.api('POST', '/api/v1/records/purchase_receipt', { supplier, purchase_order: po.id, warehouse: wh, lines: [{ item: cup, qty: 1, uom: kg, rate: 20, order_line: line }] }), 201);
    const oddRes = await b.submit('purchase_receipt', odd.id, odd.version);
    expect(oddRes.status).toBe(422);
    expect(oddRes.body.error).toMatchObject({ code: 'FIELD_INVALID', field: 'lines.0.uom' });

    // Invoice in cases for the 78 pieces received? 6.5 箱 — three-way matched in pieces.
    const inv = await ok(t.api('POST', '/api/v1/records/purchase_invoice', { supplier, purchase_order: po.id, lines: [{ item: cup, qty: '6.5', uom: box, rate: 240, order_line: line }] }), 201);
    await ok(b.submit('purchase_invoice', inv.id, inv.version));
    const voucher = await b.voucherOf(inv.id);
    expect(voucher).toEqual(expect.arrayContaining([
      { code: '2202', debit: '0.00', credit: '1762.80' },
      { code: '220202', debit: '1560.00', credit: '0.00' }, // 78 pieces at the 20 they came in at: no price difference
      { code: '22210101', debit: '202.80', credit: '0.00' },
    ]));
    expect(voucher.filter((l) => l.code === '5401').every((l) => Number(l.debit) === 0 && Number(l.credit) === 0)).toBe(true);
    // One more case on the invoice would exceed what was received (in pieces).
    const more = await ok(t.api('POST', '/api/v1/records/purchase_invoice', { supplier, purchase_order: po.id, lines: [{ item: cup, qty: 1, uom: box, rate: 240, order_line: line }] }), 201);
    const mismatch = await b.submit('purchase_invoice', more.id, more.version);
    expect(mismatch.status).toBe(422);
    expect(mismatch.body.error.message).toContain('exceeds the received quantity 78');

    // Returning one case of the first receipt takes 12 pieces out at 20 each.
    const ret = await ok(t.api('POST', '/api/v1/records/purchase_return', { supplier, purchase_receipt: draft.id, purchase_order: po.id, warehouse: wh, lines: [{ item: cup, qty: 1, uom: box, order_line: line }] }), 201);
    await ok(b.submit('purchase_return', ret.id, ret.version));
    expect(await b.balance(cup, wh)).toMatchObject({ on_hand: '66.000000', value: '1320.000000' });
    // The rest of that receipt is 36 pieces: 4 cases (48) are more than is left to return.
    const tooMany = await ok(t.api('POST', '/api/v1/records/purchase_return', { supplier, purchase_receipt: draft.id, purchase_order: po.id, warehouse: wh, lines: [{ item: cup, qty: 4, uom: box, order_line: line }] }), 201);
    const r2 = await b.submit('purchase_return', tooMany.id, tooMany.version);
    expect(r2.status).toBe(422);
    expect(r2.body.error.message).toContain('only 36');
  });
});
