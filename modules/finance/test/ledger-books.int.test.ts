import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenantTx, sql } from '@mosaic/db';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { accountsByCode, salesInvoice, submitDoc, vouchersOf } from './finance-fixture.ts';

// Credit notes, balances per dimension kept as entries post, 总账 and 明细账.
let t: TestApp;
let acct: Record<string, string>;
let customer: string;
let item: string;
let invoice: string;

beforeAll(async () => {
  t = await createTestApp();
  acct = await accountsByCode(t);
  customer = (await t.api('POST', '/api/v1/records/customer', { name: '佛山市南海五金厂' })).body.id;
  item = (await t.api('POST', '/api/v1/records/item', { code: 'P1', name: '产品一' })).body.id;
  invoice = await salesInvoice(t, customer, item, 1000, '2026-10-15'); // 1130.00
});

afterAll(async () => {
  await t?.close();
});

const creditNote = async (body: Record<string, unknown>) => {
  const cn = await t.api('POST', '/api/v1/records/credit_note', { customer, posting_date: '2026-11-05', ...body });
  expect(cn.status, JSON.stringify(cn.body)).toBe(201);
  return { id: cn.body.id as string, body: cn.body, submit: () => submitDoc(t, 'credit_note', cn.body.id) };
};

describe('credit notes (红字发票)', () => {
  it('reverses revenue and output VAT in red ink against the invoice, reducing what is open', async () => {
    const cn = await creditNote({ against_invoice: invoice, net_amount: 200, reason: '退货' });
    expect(cn.body).toMatchObject({ tax_amount: '26.00', gross_amount: '226.00' });
    expect((await cn.submit()).status).toBe(200);
    expect(await vouchersOf(t, cn.id)).toEqual([
      { code: '1122', debit: '-226.00', credit: '0.00', against: invoice },
      { code: '22210102', debit: '0.00', credit: '-26.00', against: null },
      { code: '5001', debit: '0.00', credit: '-200.00', against: null },
    ]);
    const open = (await t.api('GET', `/api/v1/finance/open-items?party_type=customer&party=${customer}`)).body.data;
    expect(open).toEqual([expect.objectContaining({ againstId: invoice, total: '1130.00', outstanding: '904.00' })]);
  });

  it('never takes an invoice below zero; without an invoice it is the customer\'s credit', async () => {
    const tooBig = await creditNote({ against_invoice: invoice, net_amount: 900 });
    const r = await tooBig.submit();
    expect(r.status).toBe(422);
    expect(r.body.error.field).toBe('against_invoice');
    const loose = await creditNote({ net_amount: 100, tax_rate: '0.06' });
    expect((await loose.submit()).status).toBe(200);
    const open = (await t.api('GET', `/api/v1/finance/open-items?party_type=customer&party=${customer}`)).body.data;
    expect(open.find((i: any) => i.againstId === loose.id)).toMatchObject({ againstType: 'credit_note', outstanding: '-106.00' });
  });
});

describe('balances per dimension, 总账 and 明细账', () => {
  it('keeps party and cost-center balances equal to the sum of their entries', async () => {
    const cc = 'cc-sales-south';
    const je = await t.api('POST', '/api/v1/records/journal_entry', { posting_date: '2026-11-10', description: '差旅费', lines: [
      { account: acct['5601'], debit: 320, cost_center: cc }, { account: acct['1001'], credit: 320 }] });
    expect((await submitDoc(t, 'journal_entry', je.body.id)).status).toBe(200);
    const diff = await inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, (tx) => sql<{ n: number; rows: number }>`
      WITH e AS (
        SELECT company_id, c_account AS account_id, c_period AS period, c_party_type AS dim, c_party AS value, sum(c_debit) AS d, sum(c_credit) AS c
          FROM o_gl_entry WHERE c_party IS NOT NULL GROUP BY 1, 2, 3, 4, 5
        UNION ALL
        SELECT company_id, c_account, c_period, 'cost_center', c_cost_center, sum(c_debit), sum(c_credit)
          FROM o_gl_entry WHERE c_cost_center IS NOT NULL GROUP BY 1, 2, 3, 4, 5)
      SELECT count(*) FILTER (WHERE b.debit IS DISTINCT FROM e.d OR b.credit IS DISTINCT FROM e.c)::int AS n, count(*)::int AS rows
      FROM gl_dimension_balance b FULL JOIN e ON e.company_id = b.company_id AND e.account_id = b.account_id AND e.period = b.period AND e.dim = b.dim AND e.value = b.value`.execute(tx));
    expect(diff.rows[0]).toMatchObject({ n: 0 });
    expect(diff.rows[0].rows).toBeGreaterThanOrEqual(3);
    const book = await t.api('GET', `/api/v1/finance/subsidiary-ledger?account=5601&from=2026-11-01&to=2026-11-30&dim=cost_center&value=${cc}`);
    expect(book.body).toMatchObject({ opening: '0.00', closing: '320.00', lines: [expect.objectContaining({ debit: '320.00', account: '5601' })] });
  });

  it('总账: month by month, sub-accounts included, from the period balances', async () => {
    const r = await t.api('GET', '/api/v1/finance/general-ledger?account=2221&year=2026');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.rows).toHaveLength(12);
    expect(r.body.rows[9]).toEqual({ period: '2026-10', opening: '0.00', debit: '0.00', credit: '130.00', closing: '-130.00' });
    expect(r.body.rows[10]).toEqual({ period: '2026-11', opening: '-130.00', debit: '0.00', credit: '-32.00', closing: '-98.00' });
    expect(r.body.rows[11]).toMatchObject({ opening: '-98.00', closing: '-98.00' });
  });

  it('明细账 of a customer: opening from earlier periods, running balance to the closing', async () => {
    const r = await t.api('GET', `/api/v1/finance/subsidiary-ledger?account=1122&from=2026-11-01&to=2026-11-30&dim=customer&value=${customer}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.opening).toBe('1130.00');
    expect(r.body.lines.map((l: any) => [l.debit, l.balance])).toEqual([['-226.00', '904.00'], ['-106.00', '798.00']]);
    expect(r.body.closing).toBe('798.00');
    const bad = await t.api('GET', '/api/v1/finance/subsidiary-ledger?account=11x&from=2026-11-01&to=2026-11-30');
    expect(bad.body.error).toMatchObject({ code: 'FIELD_INVALID', field: 'account' });
  });
});
