import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenantTx, sql } from '@mosaic/db';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { accountsByCode, submitDoc, vouchersOf } from './finance-fixture.ts';

// Foreign currency: a USD invoice booked at the day's rate, revalued at month end
// (and reversed the next day), then paid at another rate — the realised
// difference to 财务费用. VAT: the period's summary and the month-end transfer.
let t: TestApp;
let acct: Record<string, string>;
let customer: string;
let item: string;
const inv: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  acct = await accountsByCode(t);
  customer = (await t.api('POST', '/api/v1/records/customer', { name: 'Pacific Trading Co.' })).body.id;
  item = (await t.api('POST', '/api/v1/records/item', { code: 'EXP', name: '出口产品' })).body.id;
  for (const [rate_date, rate] of [['2026-11-01', '7.10'], ['2026-11-30', '7.20'], ['2026-12-10', '7.05']]) {
    const r = await t.api('POST', '/api/v1/records/currency_rate', { currency: 'USD', rate_date, rate });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
  }
});

afterAll(async () => {
  await t?.close();
});

const usdInvoice = async (amount: number, date: string, extra: Record<string, unknown> = {}) => {
  const r = await t.api('POST', '/api/v1/records/sales_invoice', { customer, posting_date: date, currency: 'USD', ...extra, lines: [{ item, qty: 1, rate: amount, tax_rate: 0 }] });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  const s = await submitDoc(t, 'sales_invoice', r.body.id);
  expect(s.status, JSON.stringify(s.body)).toBe(200);
  return r.body.id as string;
};
const payment = (body: Record<string, unknown>) => t.api('POST', '/api/v1/records/payment', { payment_type: 'receive', party_type: 'customer', party: customer, account: acct['1002'], ...body });
const foreignOf = (sourceId: string) => inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, async (tx) =>
  (await sql<{ code: string; currency: string; fc_debit: string; fc_credit: string }>`SELECT a.c_code AS code, g.c_currency AS currency, g.c_fc_debit::text AS fc_debit, g.c_fc_credit::text AS fc_credit
    FROM o_journal_entry j JOIN o_gl_entry g ON g.c_journal_entry = j.id JOIN o_gl_account a ON a.id = g.c_account
    WHERE j.c_source_id = ${sourceId} AND g.c_currency IS NOT NULL ORDER BY a.c_code`.execute(tx)).rows);

describe('multi-currency', () => {
  it('books a USD invoice at the day\'s rate (or its own), keeping the dollars on 1122', async () => {
    inv.a = await usdInvoice(1000, '2026-11-05'); // rate 7.10 from currency_rate
    inv.b = await usdInvoice(500, '2026-11-06', { exchange_rate: '7.12' });
    expect(await vouchersOf(t, inv.a)).toEqual([
      { code: '1122', debit: '7100.00', credit: '0.00', against: inv.a },
      { code: '5001', debit: '0.00', credit: '7100.00', against: null },
    ]);
    expect(await foreignOf(inv.a)).toEqual([{ code: '1122', currency: 'USD', fc_debit: '1000.00', fc_credit: '0.00' }]);
    expect((await vouchersOf(t, inv.b))[0]).toMatchObject({ code: '1122', debit: '3560.00' });
  });

  it('revalues open USD items at the month-end rate, reversed on the 1st', async () => {
    const r = await t.api('POST', '/api/v1/finance/revaluation', { period: '2026-11' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const lines = await vouchersOf(t, '2026-11');
    expect(lines).toEqual([
      { code: '1122', debit: '40.00', credit: '0.00', against: inv.b },
      { code: '1122', debit: '100.00', credit: '0.00', against: inv.a },
      { code: '5603', debit: '0.00', credit: '140.00', against: null },
      { code: '1122', debit: '-100.00', credit: '0.00', against: inv.a },
      { code: '1122', debit: '-40.00', credit: '0.00', against: inv.b },
      { code: '5603', debit: '0.00', credit: '-140.00', against: null },
    ]);
    const dates = await inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, async (tx) =>
      (await sql<{ d: string }>`SELECT to_char(c_posting_date, 'YYYY-MM-DD') AS d FROM o_journal_entry WHERE c_source_type = 'revaluation' ORDER BY created_at`.execute(tx)).rows.map((x) => x.d));
    expect(dates).toEqual(['2026-11-30', '2026-12-01']);
    const again = await t.api('POST', '/api/v1/finance/revaluation', { period: '2026-11' });
    expect(again.status).toBe(409);
  });

  it('realises the exchange difference when paid at another rate: a loss in full, a gain in part', async () => {
    const full = await payment({ posting_date: '2026-12-10', amount: 1000, currency: 'USD', allocations: [{ against_id: inv.a, allocated: 1000 }] });
    expect((await submitDoc(t, 'payment', full.body.id)).status).toBe(200);
    expect(await vouchersOf(t, full.body.id)).toEqual([
      { code: '1002', debit: '7050.00', credit: '0.00', against: null },
      { code: '1122', debit: '0.00', credit: '7100.00', against: inv.a },
      { code: '5603', debit: '50.00', credit: '0.00', against: null },
    ]);
    const part = await payment({ posting_date: '2026-12-11', amount: 200, currency: 'USD', exchange_rate: '7.30', allocations: [{ against_id: inv.b, allocated: 200 }] });
    expect((await submitDoc(t, 'payment', part.body.id)).status).toBe(200);
    expect(await vouchersOf(t, part.body.id)).toEqual([
      { code: '1002', debit: '1460.00', credit: '0.00', against: null },
      { code: '1122', debit: '0.00', credit: '1424.00', against: inv.b },
      { code: '5603', debit: '0.00', credit: '36.00', against: null },
    ]);
    const open = (await t.api('GET', `/api/v1/finance/open-items?party_type=customer&party=${customer}`)).body.data;
    expect(open).toEqual([expect.objectContaining({ againstId: inv.b, currency: 'USD', fcOutstanding: '300.00', outstanding: '2136.00', paidPercent: '40.00' })]);
  });

  it('refuses a payment in another currency than the invoice, or with no rate to be found', async () => {
    const cny = await payment({ posting_date: '2026-12-12', amount: 100, allocations: [{ against_id: inv.b, allocated: 100 }] });
    const r = await submitDoc(t, 'payment', cny.body.id);
    expect(r.body.error).toMatchObject({ code: 'FIELD_INVALID', field: 'allocations.0.against_id' });
    const eur = await payment({ posting_date: '2026-12-12', amount: 100, currency: 'EUR' });
    const e = await submitDoc(t, 'payment', eur.body.id);
    expect(e.status).toBe(422);
    expect(e.body.error.field).toBe('exchange_rate');
  });
});

describe('VAT', () => {
  it('has the VAT rates: 13 %, 9 %, 6 %, 0 and exempt', async () => {
    const r = await t.api('GET', '/api/v1/records/tax_rate?pageSize=50&fields=code,rate,direction');
    expect(r.body.data.map((x: any) => x.code).sort()).toEqual(['EXEMPT', 'IN13', 'IN6', 'IN9', 'VAT0', 'VAT13', 'VAT6', 'VAT9']);
  });

  it('sums the period\'s output and input VAT and transfers what is payable to 未交增值税', async () => {
    const si = await t.api('POST', '/api/v1/records/sales_invoice', { customer, posting_date: '2026-11-20', invoice_type: 'special', invoice_no: '44031234', invoice_date: '2026-11-20', lines: [{ item, qty: 1, rate: 1000 }] });
    expect(si.body).toMatchObject({ invoice_type: 'special', invoice_no: '44031234', invoice_date: '2026-11-20' });
    await submitDoc(t, 'sales_invoice', si.body.id);
    const purchase = await t.api('POST', '/api/v1/records/journal_entry', { posting_date: '2026-11-21', description: '采购', lines: [
      { account: acct['1405'], debit: 500 }, { account: acct['22210101'], debit: 65 }, { account: acct['2202'], credit: 565, party_type: 'supplier', party: 'S1', against_type: 'purchase_invoice', against_id: 'PI-1' }] });
    expect((await submitDoc(t, 'journal_entry', purchase.body.id)).status).toBe(200);
    const s = await t.api('GET', '/api/v1/finance/vat?period=2026-11');
    expect(s.body).toEqual({ period: '2026-11', output: '130.00', input: '65.00', carriedCredit: '0.00', payable: '65.00', transferred: false });
    const tr = await t.api('POST', '/api/v1/finance/vat-transfer', { period: '2026-11' });
    expect(tr.status, JSON.stringify(tr.body)).toBe(200);
    expect(await vouchersOf(t, '2026-11')).toEqual(expect.arrayContaining([
      { code: '22210103', debit: '65.00', credit: '0.00', against: null },
      { code: '222102', debit: '0.00', credit: '65.00', against: null },
    ]));
    expect((await t.api('GET', '/api/v1/finance/vat?period=2026-11')).body).toMatchObject({ payable: '65.00', transferred: true });
    expect((await t.api('POST', '/api/v1/finance/vat-transfer', { period: '2026-11' })).status).toBe(409);
  });

  it('carries input VAT beyond output on as 留抵, transferring nothing', async () => {
    const je = await t.api('POST', '/api/v1/records/journal_entry', { posting_date: '2026-12-05', lines: [{ account: acct['22210101'], debit: 100 }, { account: acct['1002'], credit: 100 }] });
    await submitDoc(t, 'journal_entry', je.body.id);
    const tr = await t.api('POST', '/api/v1/finance/vat-transfer', { period: '2026-12' });
    expect(tr.body).toMatchObject({ voucher: null, summary: { input: '100.00', payable: '0.00' } });
    expect((await t.api('GET', '/api/v1/finance/vat?period=2027-01')).body).toMatchObject({ carriedCredit: '100.00', payable: '0.00' });
  });
});
