import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { importAndWait } from '@mosaic/io/test-kit';
import { accountsByCode, submitDoc, vouchersOf } from './finance-fixture.ts';

// Bank statements imported through packages/io with a column mapping,
// reconciliation suggesting matches by amount, reference and date, posting
// what only the bank knew; budgets that warn or block.
let t: TestApp;
let acct: Record<string, string>;
let bank: string;

beforeAll(async () => {
  t = await createTestApp();
  acct = await accountsByCode(t);
  bank = (await t.api('POST', '/api/v1/records/bank_account', { account_no: '6222020200112233', name: '工行基本户', bank_name: '工商银行深圳分行', gl_account: acct['1002'] })).body.id;
});

afterAll(async () => {
  await t?.close();
});

const pay = async (body: Record<string, unknown>) => {
  const p = await t.api('POST', '/api/v1/records/payment', { account: acct['1002'], ...body });
  expect((await submitDoc(t, 'payment', p.body.id)).status).toBe(200);
  return p.body.id as string;
};
const je = async (lines: Record<string, unknown>[], date = '2026-11-15') => {
  const r = await t.api('POST', '/api/v1/records/journal_entry', { posting_date: date, lines });
  return submitDoc(t, 'journal_entry', r.body.id);
};

describe('bank reconciliation (银行对账)', () => {
  it('imports a statement with a column mapping and suggests matches by amount, reference and date', async () => {
    await pay({ payment_type: 'receive', party_type: 'customer', party: 'C1', posting_date: '2026-11-10', amount: 1130, reference: 'TXN-001' });
    await pay({ payment_type: 'pay', party_type: 'supplier', party: 'S1', posting_date: '2026-11-12', amount: 500 });
    const csv = '本方账号,交易日期,金额,流水号,对方户名,摘要\n'
      + '6222020200112233,2026-11-10,1130.00,TXN-001,深圳华强,货款\n'
      + '6222020200112233,2026-11-13,-500.00,B-77,东莞五金,付-202611-0001 货款\n'
      + '6222020200112233,2026-11-30,-15.50,FEE-1,工商银行,手续费\n';
    const job = await importAndWait(t, 'bank_statement', { name: '工行流水.csv', content: csv, mime: 'text/csv' }, {
      mapping: JSON.stringify({ 本方账号: 'bank_account', 交易日期: 'txn_date', 金额: 'amount', 流水号: 'reference', 对方户名: 'counterparty', 摘要: 'description' }),
    });
    expect(job.result, JSON.stringify(job)).toMatchObject({ inserted: 3 });
    const r = await t.api('GET', `/api/v1/finance/bank-reconciliation?bank_account=${bank}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const [receipt, payment, fee] = r.body.statement;
    expect(receipt.suggestions[0]).toMatchObject({ voucherNo: '收-202611-0001', why: ['amount', 'reference', 'date'] });
    expect(payment.suggestions[0]).toMatchObject({ voucherNo: '付-202611-0001', why: ['amount', 'reference'] });
    expect(fee.suggestions).toEqual([]);
    expect(r.body.ledger).toHaveLength(2);
  });

  it('auto-matches the certain ones, posts the bank charge, and is then reconciled', async () => {
    const auto = await t.api('POST', '/api/v1/finance/bank-reconciliation/auto-match', { bank_account: bank });
    expect(auto.body).toEqual({ matched: 2 });
    const [fee] = (await t.api('GET', `/api/v1/finance/bank-reconciliation?bank_account=${bank}`)).body.statement;
    const posted = await t.api('POST', '/api/v1/finance/bank-reconciliation/post', { bank_account: bank, statement_line: fee.id, counter_account: acct['5603'], description: '银行手续费' });
    expect(posted.status, JSON.stringify(posted.body)).toBe(200);
    expect(await vouchersOf(t, fee.id)).toEqual([
      { code: '1002', debit: '0.00', credit: '15.50', against: null },
      { code: '5603', debit: '15.50', credit: '0.00', against: null },
    ]);
    const after = (await t.api('GET', `/api/v1/finance/bank-reconciliation?bank_account=${bank}`)).body;
    expect(after).toEqual({ statement: [], ledger: [] });
  });

  it('refuses a match of different amounts, and an unknown bank account', async () => {
    const line = await t.api('POST', '/api/v1/records/bank_statement', { bank_account: bank, txn_date: '2026-11-20', amount: 99, reference: 'X' });
    await pay({ payment_type: 'receive', party_type: 'customer', party: 'C2', posting_date: '2026-11-20', amount: 98 });
    const { ledger } = (await t.api('GET', `/api/v1/finance/bank-reconciliation?bank_account=${bank}`)).body;
    const wrong = await t.api('POST', '/api/v1/finance/bank-reconciliation/match', { bank_account: bank, statement_line: line.body.id, gl_entry: ledger[0].id });
    expect(wrong.body.error).toMatchObject({ code: 'FIELD_INVALID', field: 'gl_entry' });
    const bad = await t.api('GET', '/api/v1/finance/bank-reconciliation?bank_account=nope');
    expect(bad.body.error.field).toBe('bank_account');
  });
});

describe('budgets (预算)', () => {
  it('blocks a posting beyond a blocking budget, lets a warning one run over, and reports both', async () => {
    const b1 = await t.api('POST', '/api/v1/records/budget', { name: '销售费用年度', year: '2026', account: acct['5601'], amount: 1000, on_overrun: 'block' });
    expect(b1.status, JSON.stringify(b1.body)).toBe(201);
    await t.api('POST', '/api/v1/records/budget', { name: '行政部11月', year: '2026', period: '2026-11', account: acct['5602'], cost_center: 'CC-A', amount: 300, on_overrun: 'warn' });
    expect((await je([{ account: acct['5601'], debit: 800 }, { account: acct['1002'], credit: 800 }])).status).toBe(200);
    const over = await je([{ account: acct['5601'], debit: 300 }, { account: acct['1002'], credit: 300 }]);
    expect(over.status).toBe(409);
    expect(over.body.error).toMatchObject({ code: 'BUDGET_EXCEEDED' });
    expect(over.body.error.message).toContain('1100.00 would exceed 1000.00');
    expect((await je([{ account: acct['5602'], debit: 400, cost_center: 'CC-A' }, { account: acct['1002'], credit: 400 }])).status).toBe(200);
    const report = await t.api('GET', '/api/v1/finance/budget-report?year=2026');
    expect(report.body.data).toEqual([
      expect.objectContaining({ account: '5601', amount: '1000.00', actual: '800.00', remaining: '200.00', overrun: false, onOverrun: 'block' }),
      expect.objectContaining({ account: '5602', costCenter: 'CC-A', actual: '400.00', usedPercent: '133.33', overrun: true, onOverrun: 'warn' }),
    ]);
  });
});
