import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenantTx, sql } from '@mosaic/db';
import { createTestApp, type TestApp } from '@mosaic/testing';

// Order to cash on a real PostgreSQL: an order reserves stock (64 racing orders
// for 20 units: exactly 20 win), delivery takes it out and books the cost of
// goods sold, the invoice books receivable, revenue and output VAT exactly.
let t: TestApp;
let wh: string;
let customer: string;

beforeAll(async () => {
  t = await createTestApp();
  wh = (await t.api('POST', '/api/v1/records/warehouse', { code: 'FG', name: '成品仓' })).body.id;
  customer = (await t.api('POST', '/api/v1/records/customer', { name: '深圳市华强电子有限公司', phone: '0755-83000000' })).body.id;
});

afterAll(async () => {
  await t?.close();
});

const item = async (code: string, stock: number, rate: number) => {
  const id = (await t.api('POST', '/api/v1/records/item', { code, name: `产品${code}` })).body.id as string;
  const r = await t.api('POST', '/api/v1/records/stock_entry', { entry_type: 'receipt', warehouse: wh, lines: [{ item: id, qty: stock, rate }] });
  await t.api('POST', `/api/v1/records/stock_entry/${r.body.id}/submit`, { version: 1 });
  return id;
};
const submit = (object: string, id: string, version = 1) => t.api('POST', `/api/v1/records/${object}/${id}/submit`, { version });
const balance = async (it: string) =>
  (await t.api('GET', `/api/v1/records/stock_balance?filter=${encodeURIComponent(JSON.stringify({ item: it, warehouse: wh }))}`)).body.data[0];
const voucherOf = (sourceId: string) => inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, async (tx) =>
  (await sql<{ code: string; debit: string; credit: string }>`SELECT a.c_code AS code, g.c_debit::text AS debit, g.c_credit::text AS credit
    FROM o_journal_entry j JOIN o_gl_entry g ON g.c_journal_entry = j.id JOIN o_gl_account a ON a.id = g.c_account
    WHERE j.c_source_id = ${sourceId} ORDER BY j.created_at, a.c_code`.execute(tx)).rows);

describe('order to cash', () => {
  it('reserves on submit, delivers partially, books COGS and the invoice with 13 % VAT', async () => {
    const bolt = await item('BOLT', 100, 2);
    const so = await t.api('POST', '/api/v1/records/sales_order', { customer, warehouse: wh, lines: [{ item: bolt, qty: 30, rate: 5 }] });
    expect(so.status, JSON.stringify(so.body)).toBe(201);
    expect(so.body).toMatchObject({ net_total: '150.00', tax_total: '19.50', grand_total: '169.50' });
    expect((await submit('sales_order', so.body.id)).status).toBe(200);
    expect(await balance(bolt)).toMatchObject({ on_hand: '100.000000', reserved: '30.000000', available: '70.000000' });

    const dn = await t.api('POST', '/api/v1/records/delivery_note', { customer, sales_order: so.body.id, warehouse: wh, lines: [{ item: bolt, qty: 12 }] });
    const dns = await submit('delivery_note', dn.body.id);
    expect(dns.status, JSON.stringify(dns.body)).toBe(200);
    expect(await balance(bolt)).toMatchObject({ on_hand: '88.000000', reserved: '18.000000' });
    expect(await voucherOf(dn.body.id)).toEqual([
      { code: '1405', debit: '0.00', credit: '24.00' },
      { code: '5401', debit: '24.00', credit: '0.00' },
    ]);

    const inv = await t.api('POST', '/api/v1/records/sales_invoice', { customer, sales_order: so.body.id, lines: [{ item: bolt, qty: 12, rate: 5 }] });
    expect(inv.body).toMatchObject({ net_total: '60.00', tax_total: '7.80', grand_total: '67.80' });
    expect((await submit('sales_invoice', inv.body.id)).status).toBe(200);
    expect(await voucherOf(inv.body.id)).toEqual([
      { code: '1122', debit: '67.80', credit: '0.00' },
      { code: '22210102', debit: '0.00', credit: '7.80' },
      { code: '5001', debit: '0.00', credit: '60.00' },
    ]);
    // The receivable line carries the sub-ledger: the customer owes it, against this invoice.
    const subLedger = await inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, async (tx) =>
      (await sql<{ code: string; party_type: string | null; party: string | null; against_type: string | null; against_id: string | null }>`
        SELECT a.c_code AS code, g.c_party_type AS party_type, g.c_party AS party, g.c_against_type AS against_type, g.c_against_id AS against_id
        FROM o_journal_entry j JOIN o_gl_entry g ON g.c_journal_entry = j.id JOIN o_gl_account a ON a.id = g.c_account
        WHERE j.c_source_id = ${inv.body.id} ORDER BY a.c_code`.execute(tx)).rows);
    expect(subLedger).toEqual([
      { code: '1122', party_type: 'customer', party: customer, against_type: 'sales_invoice', against_id: inv.body.id },
      { code: '22210102', party_type: null, party: null, against_type: null, against_id: null },
      { code: '5001', party_type: null, party: null, against_type: null, against_id: null },
    ]);
  });

  it('rounds VAT per line, price inclusive or exclusive, so the lines add up to the totals', async () => {
    const x = await item('VAT', 10, 1);
    const inv = await t.api('POST', '/api/v1/records/sales_invoice', {
      customer, lines: [
        { item: x, qty: 3, rate: '33.33', tax_rate: '0.13' },
        { item: x, qty: 1, rate: '100', tax_rate: '0.09', price_includes_tax: true },
        { item: x, qty: 7, rate: '0.99', tax_rate: '0.06', price_includes_tax: true },
      ],
    });
    expect(inv.status, JSON.stringify(inv.body)).toBe(201);
    // 99.99 + 13.00; 100 → 91.74 + 8.26; 6.93 → 6.54 + 0.39
    expect(inv.body.lines.map((l: any) => [l.net, l.tax, l.gross])).toEqual([['99.99', '13.00', '112.99'], ['91.74', '8.26', '100.00'], ['6.54', '0.39', '6.93']]);
    expect(inv.body).toMatchObject({ net_total: '198.27', tax_total: '21.65', grand_total: '219.92' });
  });

  it('cancelling an invoice posts the red-ink reversal', async () => {
    const x = await item('RED', 10, 1);
    const inv = await t.api('POST', '/api/v1/records/sales_invoice', { customer, lines: [{ item: x, qty: 1, rate: 100 }] });
    await submit('sales_invoice', inv.body.id);
    await t.api('POST', `/api/v1/records/sales_invoice/${inv.body.id}/cancel`, { version: 2, reason: '开错' });
    const v = await voucherOf(inv.body.id);
    expect(v.filter((l) => l.code === '1122').map((l) => l.debit)).toEqual(['113.00', '-113.00']);
  });

  it('the oversell test: 64 clients each order and deliver 1 unit of 20 in stock — exactly 20 succeed', async () => {
    const hot = await item('HOT', 20, 3);
    const attempt = async () => {
      const so = await t.api('POST', '/api/v1/records/sales_order', { customer, warehouse: wh, lines: [{ item: hot, qty: 1, rate: 9 }] });
      const s = await submit('sales_order', so.body.id);
      if (s.status !== 200) return s;
      const dn = await t.api('POST', '/api/v1/records/delivery_note', { customer, sales_order: so.body.id, warehouse: wh, lines: [{ item: hot, qty: 1 }] });
      return submit('delivery_note', dn.body.id);
    };
    const results = await Promise.all(Array.from({ length: 64 }, attempt));
    // On failure, say what the others got: a lock conflict or timeout here would leave a reservation behind.
    const outcomes = results.map((r) => `${r.status} ${r.body?.error?.code ?? ''}`.trim()).sort().join(', ');
    expect(results.filter((r) => r.status === 200), outcomes).toHaveLength(20);
    for (const r of results.filter((x) => x.status !== 200)) {
      expect(r.status).toBe(409);
      expect(r.body.error.code).toBe('STOCK_SHORTAGE');
      expect(r.body.error.message).toContain('产品HOT');
    }
    expect(await balance(hot)).toMatchObject({ on_hand: '0.000000', reserved: '0.000000', value: '0.000000' });
    const ledger = await inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, (tx) =>
      sql<{ qty: string }>`SELECT sum(c_qty)::text AS qty FROM o_stock_ledger_entry WHERE c_item = ${hot}`.execute(tx));
    expect(Number(ledger.rows[0].qty)).toBe(0);
  }, 90_000);
});
