import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '@mosaic/testing';
import { buying, buyingApp, ok } from './buying-fixture.ts';

// Procure to pay on a real PostgreSQL: requisition → RFQs to two suppliers →
// their quotations side by side → order from the chosen one → partial receipt
// (stock in, Dr 1405 / Cr 220202) → invoice (three-way matched, clears the
// estimate, books input VAT and the payable per supplier and invoice), with the
// order's received % and invoiced % following each step.
let t: TestApp;
let b: ReturnType<typeof buying>;
let wh: string;
let acme: string;
let bolt: string;

beforeAll(async () => {
  ({ t, b, wh, supplier: acme } = await buyingApp(['RM', '原料仓'], ['S-ACME', '苏州精工五金有限公司']));
  bolt = await b.item('BOLT', '六角螺栓 M8');
});

afterAll(async () => {
  await t?.close();
});

describe('procure to pay', () => {
  it('requisition → RFQs → quotations compared → order → partial receipt → invoice, with exact vouchers and chain status', async () => {
    const nut = await b.item('NUT', '螺母 M8');
    const other = await b.supplier('S-HUA', '华东紧固件厂');
    const pr = await ok(t.api('POST', '/api/v1/records/purchase_requisition', { warehouse: wh, reason: '生产备料', lines: [{ item: bolt, qty: 100 }, { item: nut, qty: 50 }] }), 201);
    await ok(b.submit('purchase_requisition', pr.id));

    // One action: an RFQ to each supplier, linked back to the requisition.
    const rfqs = (await ok(b.make(`purchase_requisition/${pr.id}/rfqs`, { suppliers: [acme, other], quote_by: '2026-12-01' }), 201)).data;
    expect(rfqs.map((r: any) => [r.supplier, r.purchase_requisition, r.lines.length])).toEqual([[acme, pr.id, 2], [other, pr.id, 2]]);
    for (const r of rfqs) await ok(b.submit('rfq', r.id));

    const answer = (rfq: any, lines: unknown[]) => ok(b.make(`rfq/${rfq.id}/supplier_quotation`, { lines, valid_till: '2026-12-31' }), 201);
    const sqAcme = await answer(rfqs[0], [{ rate: '5.00', lead_time_days: 10 }, { rate: '1.20', lead_time_days: 10 }]);
    const sqOther = await answer(rfqs[1], [{ rate: '4.80', lead_time_days: 20 }, { rate: '1.30', lead_time_days: 5 }]);
    expect(sqOther).toMatchObject({ status: 'submitted', supplier: other, rfq: rfqs[1].id, purchase_requisition: pr.id, net_total: '545.00' });
    // A second answer to the same RFQ is refused.
    expect((await b.make(`rfq/${rfqs[1].id}/supplier_quotation`, { lines: [{ rate: 1 }, { rate: 1 }] })).status).toBe(409);

    const cmp = await ok(t.api('GET', `/api/v1/buying/purchase_requisition/${pr.id}/quotation-comparison`));
    expect(cmp.suppliers.map((s: any) => [s.supplier_name, s.number])).toEqual([['苏州精工五金有限公司', sqAcme.number], ['华东紧固件厂', sqOther.number]]);
    const boltRow = cmp.items.find((i: any) => i.item === bolt);
    expect(boltRow.quotes.map((x: any) => [x.supplier_name, x.rate, x.net_unit, x.lead_time_days])).toEqual([
      ['苏州精工五金有限公司', '5.000000', '5', 10], ['华东紧固件厂', '4.800000', '4.8', 20],
    ]);
    expect(boltRow).toMatchObject({ cheapest: other, fastest: acme });
    expect(cmp.items.find((i: any) => i.item === nut)).toMatchObject({ cheapest: acme, fastest: other });

    // The chosen quotation becomes the order (lead time 20 days → required-by date set).
    const po = await ok(b.make(`supplier_quotation/${sqOther.id}/purchase_order`), 201);
    expect(po).toMatchObject({ status: 'draft', supplier: other, supplier_quotation: sqOther.id, purchase_requisition: pr.id, warehouse: wh, grand_total: '615.85' });
    expect(po.schedule_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const submitted = await ok(b.submit('purchase_order', po.id));
    expect(submitted).toMatchObject({ status: 'submitted', per_received: '0.000000', per_invoiced: '0.000000', shipping_status: 'not_shipped' });
    expect((await ok(t.api('GET', `/api/v1/records/purchase_requisition/${pr.id}`))).per_ordered).toBe('1.000000');

    // Partial receipt: 60 bolts of 100, no nuts yet.
    const boltLine = po.lines.find((l: any) => l.item === bolt);
    const grn = await b.receive(po.id, { lines: [{ order_line: boltLine.id, qty: 60 }] });
    expect(grn).toMatchObject({ status: 'submitted', purchase_order: po.id, supplier: other });
    expect(await b.balance(bolt, wh)).toMatchObject({ on_hand: '60.000000', value: '288.000000' });
    expect(await b.voucherOf(grn.id)).toEqual([
      { code: '1405', debit: '288.00', credit: '0.00' },
      { code: '220202', debit: '0.00', credit: '288.00' },
    ]);
    expect((await b.subLedgerOf(grn.id)).find((l) => l.code === '220202')).toEqual(
      { code: '220202', party_type: 'supplier', party: other, against_type: null, against_id: null });
    let chain = await ok(t.api('GET', `/api/v1/buying/purchase_order/${po.id}/chain`));
    expect(chain).toMatchObject({ per_received: '0.4000', per_invoiced: '0.0000' }); // 60 of 150 units
    expect(chain.lines.map((l: any) => [l.item, l.ordered, l.received, l.invoiced])).toEqual([[bolt, '100', '60', '0'], [nut, '50', '0', '0']]);
    expect(chain.documents.purchase_receipt).toEqual([{ id: grn.id, number: grn.number, status: 'submitted' }]);
    expect((await ok(t.api('GET', `/api/v1/records/purchase_order/${po.id}`))).per_received).toBe('0.400000');

    // The invoice of what was received: 60 × 4.80 = 288.00 + 13 % VAT 37.44.
    const inv = await ok(b.make(`purchase_receipt/${grn.id}/purchase_invoice`, { invoice_no: '04412345' }), 201);
    expect(inv).toMatchObject({ purchase_order: po.id, purchase_receipt: grn.id, net_total: '288.00', tax_total: '37.44', grand_total: '325.44' });
    await ok(b.submit('purchase_invoice', inv.id));
    expect(await b.voucherOf(inv.id)).toEqual([
      { code: '220202', debit: '288.00', credit: '0.00' },
      { code: '22210101', debit: '37.44', credit: '0.00' },
      { code: '2202', debit: '0.00', credit: '325.44' },
    ].sort((x, y) => x.code.localeCompare(y.code)));
    expect((await b.subLedgerOf(inv.id)).find((l) => l.code === '2202')).toEqual(
      { code: '2202', party_type: 'supplier', party: other, against_type: 'purchase_invoice', against_id: inv.id });
    chain = await ok(t.api('GET', `/api/v1/buying/purchase_order/${po.id}/chain`));
    expect(chain).toMatchObject({ per_received: '0.4000', per_invoiced: '0.4000' });

    // The rest arrives; nothing is left to receive; the order cannot be cancelled with goods booked.
    await b.receive(po.id);
    expect((await ok(t.api('GET', `/api/v1/records/purchase_order/${po.id}`))).per_received).toBe('1.000000');
    expect((await b.make(`purchase_order/${po.id}/purchase_receipt`)).status).toBe(409);
    expect((await b.cancel('purchase_order', po.id, (await ok(t.api('GET', `/api/v1/records/purchase_order/${po.id}`))).version)).status).toBe(409);
  });

  it('system-kept fields (chain status, quality status) cannot be written through the API', async () => {
    const po = await b.order(acme, wh, [{ item: bolt, qty: 1, rate: 1 }]);
    const r = await t.api('PATCH', `/api/v1/records/purchase_order/${po.id}`, { version: po.version, per_received: '1' });
    expect(r.status, JSON.stringify(r.body)).toBe(403);
    expect(r.body.error.message).toContain('buying module');
  });

  it('a price difference within tolerance passes and goes to 5401; the three-way match blocks what is beyond it, naming line and what differs', async () => {
    await ok(t.api('POST', '/api/v1/records/buying_settings', { qty_tolerance: '0', price_tolerance: '0.02' }), 201);
    const gear = await b.item('GEAR', '齿轮');
    const po = await b.order(acme, wh, [{ item: gear, qty: 10, rate: '10.00' }]);
    const grn = await b.receive(po.id);
    expect(await b.voucherOf(grn.id)).toEqual([{ code: '1405', debit: '100.00', credit: '0.00' }, { code: '220202', debit: '0.00', credit: '100.00' }]);
    const line = po.lines[0];
    const invoice = (lines: unknown[]) => ok(t.api('POST', '/api/v1/records/purchase_invoice', { supplier: acme, purchase_order: po.id, lines }), 201);

    // 12 invoiced, 10 received: blocked, nothing posted.
    const tooMany = await invoice([{ item: gear, qty: 12, rate: '10.00', order_line: line.id }]);
    const r1 = await b.submit('purchase_invoice', tooMany.id);
    expect(r1.status).toBe(422);
    expect(r1.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'lines.0.qty' });
    expect(r1.body.error.message).toContain('lines.0 (齿轮): invoiced quantity 12');
    expect(r1.body.error.message).toContain('exceeds the received quantity 10');
    expect(await b.voucherOf(tooMany.id)).toEqual([]);
    expect((await ok(t.api('GET', `/api/v1/records/purchase_invoice/${tooMany.id}`))).status).toBe('draft');

    // 11.00 against 10.00 is 10 % off, the tolerance is 2 %: blocked.
    const tooDear = await invoice([{ item: gear, qty: 10, rate: '11.00', order_line: line.id }]);
    const r2 = await b.submit('purchase_invoice', tooDear.id);
    expect(r2.status).toBe(422);
    expect(r2.body.error.field).toBe('lines.0.rate');
    expect(r2.body.error.message).toContain("unit price 11 (net of VAT) differs from the order's 10 by 1 (10%), more than the tolerance 2%");
    expect(r2.body.error.details.mismatches).toHaveLength(1);

    // A line that bills no order line is named too.
    const stray = await invoice([{ item: gear, qty: 1, rate: '10.00' }]);
    const r3 = await b.submit('purchase_invoice', stray.id);
    expect(r3.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'lines.0.order_line' });

    // 10.15 is 1.5 % off: within tolerance, posted; the 1.50 difference goes to 5401.
    const fine = await invoice([{ item: gear, qty: 10, rate: '10.15', order_line: line.id }]);
    expect(fine).toMatchObject({ net_total: '101.50', tax_total: '13.20', grand_total: '114.70' });
    await ok(b.submit('purchase_invoice', fine.id));
    expect(await b.voucherOf(fine.id)).toEqual([
      { code: '220202', debit: '100.00', credit: '0.00' },
      { code: '22210101', debit: '13.20', credit: '0.00' },
      { code: '2202', debit: '0.00', credit: '114.70' },
      { code: '5401', debit: '1.50', credit: '0.00' },
    ].sort((x, y) => x.code.localeCompare(y.code)));

    // Now everything received is invoiced: one more unit is blocked even at the right price.
    const again = await invoice([{ item: gear, qty: 1, rate: '10.00', order_line: line.id }]);
    const r4 = await b.submit('purchase_invoice', again.id);
    expect(r4.body.error.message).toContain('(this invoice 1, before 10) exceeds the received quantity 10');

    // Cancelling the invoice posts the exact red-ink reversal and frees the quantity.
    const current = await ok(t.api('GET', `/api/v1/records/purchase_invoice/${fine.id}`));
    await ok(b.cancel('purchase_invoice', fine.id, current.version));
    const v = await b.voucherOf(fine.id);
    expect(v.filter((l) => l.code === '2202').map((l) => l.credit)).toEqual(['114.70', '-114.70']);
    expect(v.filter((l) => l.code === '5401').map((l) => l.debit)).toEqual(['1.50', '-1.50']);
    expect((await ok(t.api('GET', `/api/v1/records/purchase_order/${po.id}`))).per_invoiced).toBe('0.000000');
  });

  it('racing invoices queue on the order: of five submitted at once for 4 units each against 10 received, exactly two post', async () => {
    const cog = await b.item('COG', '链轮');
    const po = await b.order(acme, wh, [{ item: cog, qty: 10, rate: '3' }]);
    await b.receive(po.id);
    const drafts = await Promise.all(Array.from({ length: 5 }, () =>
      ok(t.api('POST', '/api/v1/records/purchase_invoice', { supplier: acme, purchase_order: po.id, lines: [{ item: cog, qty: 4, rate: '3', order_line: po.lines[0].id }] }), 201)));
    const results = await Promise.all(drafts.map((d) => b.submit('purchase_invoice', d.id)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(2);
    for (const r of results.filter((x) => x.status !== 200)) expect(r.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'lines.0.qty' });
    const chain = await ok(t.api('GET', `/api/v1/buying/purchase_order/${po.id}/chain`));
    expect(chain.lines[0]).toMatchObject({ received: '10', invoiced: '8' });
  }, 60_000);

  it('runs with the built-in roles: the buyer orders, the warehouse keeper receives, the accountant books the invoice', async () => {
    const roles = (await ok(t.api('GET', '/api/v1/admin/roles'))).data as { id: string; code: string }[];
    const login = async (code: string) => {
      const email = `${code}-${t.tenant.tenantId.slice(0, 8)}@test.local`;
      await ok(t.api('POST', '/api/v1/admin/users', {
        email, name: code, password: 'Buying-Roles-Pw-2026', roleIds: [roles.find((r) => r.code === code)!.id], departmentId: t.tenant.departmentId, companyId: t.tenant.companyId,
      }), 201);
      const token = (await ok(t.api('POST', '/api/v1/auth/login', { email, password: 'Buying-Roles-Pw-2026' }, { token: null }))).token as string;
      return (method: string, url: string, body?: unknown) => t.api(method, url, body, { token });
    };
    const [buyer, keeper, accountant] = [await login('buyer'), await login('warehouse_keeper'), await login('accountant')];
    const valve = await b.item('VALVE', '球阀');

    const po = await ok(buyer('POST', '/api/v1/records/purchase_order', { supplier: acme, warehouse: wh, lines: [{ item: valve, qty: 4, rate: '25' }] }), 201);
    await ok(buyer('POST', `/api/v1/records/purchase_order/${po.id}/submit`, { version: po.version }));
    const grn = await ok(keeper('POST', `/api/v1/buying/purchase_order/${po.id}/purchase_receipt`, {}), 201);
    await ok(keeper('POST', `/api/v1/records/purchase_receipt/${grn.id}/submit`, { version: grn.version }));
    // The keeper books no invoices.
    expect((await keeper('POST', `/api/v1/buying/purchase_receipt/${grn.id}/purchase_invoice`, {})).status).toBe(404);
    const inv = await ok(accountant('POST', `/api/v1/buying/purchase_receipt/${grn.id}/purchase_invoice`, { invoice_no: '11223344' }), 201);
    await ok(accountant('POST', `/api/v1/records/purchase_invoice/${inv.id}/submit`, { version: inv.version }));
    expect(await b.voucherOf(inv.id)).toEqual([
      { code: '220202', debit: '100.00', credit: '0.00' },
      { code: '22210101', debit: '13.00', credit: '0.00' },
      { code: '2202', debit: '0.00', credit: '113.00' },
    ].sort((x, y) => x.code.localeCompare(y.code)));
    expect(await ok(buyer('GET', `/api/v1/buying/purchase_order/${po.id}/chain`))).toMatchObject({ per_received: '1.0000', per_invoiced: '1.0000' });
  });

  it('orders a requisition straight from a supplier at standard prices, partly, then the rest', async () => {
    const tape = await b.item('TAPE', '绝缘胶带', { standard_price: { amount: '3.50', currency: 'CNY' } });
    const pr = await ok(t.api('POST', '/api/v1/records/purchase_requisition', { warehouse: wh, required_date: '2026-12-10', lines: [{ item: tape, qty: 30 }] }), 201);
    await ok(b.submit('purchase_requisition', pr.id));
    expect((await b.make(`purchase_requisition/${pr.id}/purchase_order`, {})).body.error).toMatchObject({ code: 'FIELD_REQUIRED', field: 'supplier' });
    const tooMuch = await b.make(`purchase_requisition/${pr.id}/purchase_order`, { supplier: acme, lines: [{ requisition_line: pr.lines[0].id, qty: 31 }] });
    expect(tooMuch.body.error).toMatchObject({ field: 'lines.0.qty', message: 'lines.0.qty: only 30 is open' });
    const first = await ok(b.make(`purchase_requisition/${pr.id}/purchase_order`, { supplier: acme, lines: [{ requisition_line: pr.lines[0].id, qty: 10 }] }), 201);
    expect(first).toMatchObject({ supplier: acme, purchase_requisition: pr.id, warehouse: wh, schedule_date: '2026-12-10', net_total: '35.00' });
    expect(first.lines[0]).toMatchObject({ qty: '10.000000', rate: '3.500000', requisition_line: pr.lines[0].id });
    await ok(b.submit('purchase_order', first.id));
    expect((await ok(t.api('GET', `/api/v1/records/purchase_requisition/${pr.id}`))).per_ordered).toBe('0.333300');
    const rest = await ok(b.make(`purchase_requisition/${pr.id}/purchase_order`, { supplier: acme }), 201);
    expect(rest.lines[0].qty).toBe('20.000000');
  });
});
