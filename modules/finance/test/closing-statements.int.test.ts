import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenantTx, sql } from '@mosaic/db';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { ledgerViolations } from './ledger-invariants.ts';
import { accountsByCode, salesInvoice, submitDoc, userWithRole, vouchersOf } from './finance-fixture.ts';

// A small company's October and November, then November's checklist, closing
// to 本年利润, the three statements (balance sheet balances, profit = closing
// entry, cash flow reconciles), drill-down, XLSX, and reopening by role.
let t: TestApp;
let acct: Record<string, string>;
let customer: string;

beforeAll(async () => {
  t = await createTestApp();
  acct = await accountsByCode(t);
  customer = (await t.api('POST', '/api/v1/records/customer', { name: '东莞市长安模具厂' })).body.id;
  const item = (await t.api('POST', '/api/v1/records/item', { code: 'M1', name: '模具' })).body.id;
  const je = async (date: string, lines: [string, number, number, Record<string, unknown>?][]) => {
    const r = await t.api('POST', '/api/v1/records/journal_entry', { posting_date: date, lines: lines.map(([c, d, cr, x]) => ({ account: acct[c], debit: d, credit: cr, ...x })) });
    expect((await submitDoc(t, 'journal_entry', r.body.id)).status).toBe(200);
  };
  await je('2026-10-01', [['1002', 100000, 0], ['3001', 0, 100000]]);
  const cat = (await t.api('POST', '/api/v1/records/asset_category', { name: '设备', method: 'straight_line', life_months: 60, residual_rate: '0.05' })).body.id;
  const fa = await t.api('POST', '/api/v1/records/fixed_asset', { name: '冲床', category: cat, cost: 12000, acquisition_date: '2026-10-15', credit_account: acct['1002'] });
  await submitDoc(t, 'fixed_asset', fa.body.id);
  const inv = await salesInvoice(t, customer, item, 1000, '2026-11-05');
  await je('2026-11-06', [['1405', 600, 0], ['22210101', 78, 0], ['2202', 0, 678, { party_type: 'supplier', party: 'S1', against_type: 'purchase_invoice', against_id: 'PI-1' }]]);
  await je('2026-11-07', [['5401', 400, 0], ['1405', 0, 400]]);
  const pay = async (body: Record<string, unknown>) => {
    const p = await t.api('POST', '/api/v1/records/payment', { account: acct['1002'], ...body });
    expect((await submitDoc(t, 'payment', p.body.id)).status).toBe(200);
  };
  await pay({ payment_type: 'receive', party_type: 'customer', party: customer, posting_date: '2026-11-10', amount: 1130, allocations: [{ against_id: inv, allocated: 1130 }] });
  await pay({ payment_type: 'pay', party_type: 'supplier', party: 'S1', posting_date: '2026-11-11', amount: 678, allocations: [{ against_type: 'purchase_invoice', against_id: 'PI-1', allocated: 678 }] });
  await je('2026-11-12', [['5602', 100, 0], ['1002', 0, 100]]);
});

afterAll(async () => {
  await t?.close();
});

const statement = async (kind: string, period = '2026-11', extra = '') => {
  const r = await t.api('GET', `/api/v1/finance/statements/${kind}?period=${period}${extra}`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return { ...r.body, row: (key: string) => r.body.rows.find((x: any) => x.key === key) };
};

describe('month-end closing (结账)', () => {
  it('lists what is left to do, and refuses to close until it is done', async () => {
    const draft = await t.api('POST', '/api/v1/records/journal_entry', { posting_date: '2026-11-20', lines: [{ account: acct['5602'], debit: 1 }, { account: acct['1002'], credit: 1 }] });
    const c = await t.api('GET', '/api/v1/finance/closing-checklist?period=2026-11');
    expect(c.status, JSON.stringify(c.body)).toBe(200);
    const ok = Object.fromEntries(c.body.items.map((i: any) => [i.key, i.ok]));
    expect(ok).toEqual({ drafts: false, depreciation: false, revaluation: true, vat: false, trial_balance: true, previous_closed: false });
    const refused = await t.api('POST', '/api/v1/finance/close', { period: '2026-11' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain('已计提折旧');
    expect((await t.api('DELETE', `/api/v1/records/journal_entry/${draft.body.id}?version=1`)).status).toBeLessThan(300);
    expect((await t.api('POST', '/api/v1/finance/depreciation', { period: '2026-11' })).body.total).toBe('190.00');
    expect((await t.api('POST', '/api/v1/finance/vat-transfer', { period: '2026-11' })).body.summary.payable).toBe('52.00');
    expect((await t.api('GET', '/api/v1/finance/closing-checklist?period=2026-11')).body.ready).toBe(true);
  });

  it('carries income and expense to 本年利润 and locks the period', async () => {
    const r = await t.api('POST', '/api/v1/finance/close', { period: '2026-11' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.profit).toBe('310.00');
    expect(await vouchersOf(t, '2026-11', 'closing')).toEqual([
      { code: '3103', debit: '0.00', credit: '310.00', against: null },
      { code: '5001', debit: '1000.00', credit: '0.00', against: null },
      { code: '5401', debit: '0.00', credit: '400.00', against: null },
      { code: '5602', debit: '0.00', credit: '290.00', against: null },
    ]);
    // The period balances keep the closing vouchers' part apart (what the 利润表 leaves out), equal to their lines.
    const closingPart = await inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, async (tx) => (await sql<{ debit: string; credit: string }>`
      SELECT closing_debit::text AS debit, closing_credit::text AS credit FROM gl_period_balance WHERE account_id = ${acct['5001']} AND period = '2026-11'`.execute(tx)).rows);
    expect(closingPart).toEqual([{ debit: '1000.00', credit: '0.00' }]);
    expect(await ledgerViolations(t.testDb.db, t.tenant.tenantId)).toMatchObject({ unbalanced: 0, periodBalances: 0 });
    const late = await t.api('POST', '/api/v1/records/journal_entry', { posting_date: '2026-11-30', lines: [{ account: acct['5602'], debit: 5 }, { account: acct['1002'], credit: 5 }] });
    expect((await submitDoc(t, 'journal_entry', late.body.id)).body.error.code).toBe('PERIOD_CLOSED');
    await t.api('DELETE', `/api/v1/records/journal_entry/${late.body.id}?version=1`);
    expect((await t.api('POST', '/api/v1/finance/close', { period: '2026-11' })).status).toBe(409);
  });

  it('lets no one flip is_closed by hand', async () => {
    const fp = (await t.api('GET', `/api/v1/records/fiscal_period?filter=${encodeURIComponent(JSON.stringify({ period: '2026-11' }))}`)).body.data[0];
    const r = await t.api('PATCH', `/api/v1/records/fiscal_period/${fp.id}`, { is_closed: false, version: fp.version });
    expect(r.status).toBe(403);
  });
});

describe('statements (小企业会计准则)', () => {
  it('资产负债表 balances, with the year-start column', async () => {
    const bs = await statement('balance-sheet');
    expect(bs.balanced).toBe(true);
    expect(bs.row('cash')).toMatchObject({ closing: '88352.00', yearStart: '0.00' });
    expect(bs.row('inventory').closing).toBe('200.00');
    expect(bs.row('fixed_assets').closing).toBe('11810.00');
    expect(bs.row('taxes').closing).toBe('52.00');
    expect(bs.row('retained_earnings').closing).toBe('310.00');
    expect(bs.row('total_assets').closing).toBe('100362.00');
    expect(bs.row('total_liabilities_and_equity').closing).toBe('100362.00');
    const before = await statement('balance-sheet', '2026-10', '&compare=2026-11');
    expect(before.balanced).toBe(true);
    expect(before.row('total_assets')).toMatchObject({ closing: '100000.00', compare: '100362.00' });
  });

  it('利润表: the month and the year, closing left out — net profit equals the closing entry', async () => {
    const is = await statement('income-statement');
    expect(is.row('revenue')).toMatchObject({ month: '1000.00', ytd: '1000.00' });
    expect(is.row('cost_of_sales').month).toBe('400.00');
    expect(is.row('admin_expenses').month).toBe('290.00');
    expect(is.row('operating_profit').month).toBe('310.00');
    const closing = (await vouchersOf(t, '2026-11', 'closing')).find((l) => l.code === '3103')!;
    expect(is.row('net_profit').month).toBe(closing.credit);
    // A column beside from an earlier period (the same one read of the period balances): October had no P&L.
    const compared = await statement('income-statement', '2026-11', '&compare=2026-10');
    expect(compared.row('revenue')).toMatchObject({ month: '1000.00', ytd: '1000.00', compare: '0.00' });
    expect(compared.row('net_profit')).toMatchObject({ month: closing.credit, compare: '0.00' });
  });

  it('现金流量表 (direct method) classifies cash lines and reconciles to the ledger', async () => {
    const cf = await statement('cash-flow');
    expect(cf.reconciles).toBe(true);
    expect(cf.row('sales_receipts').month).toBe('1130.00');
    expect(cf.row('purchases_paid').month).toBe('678.00');
    expect(cf.row('other_operating_out').month).toBe('100.00');
    expect(cf.row('operating_net').month).toBe('352.00');
    expect(cf.row('opening_cash').month).toBe('88000.00');
    expect(cf.row('closing_cash').month).toBe('88352.00');
    expect(cf.row('capital_received').ytd).toBe('100000.00');
    expect(cf.row('assets_purchased').ytd).toBe('12000.00');
  });

  it('drills from a figure down to its vouchers', async () => {
    const r = await t.api('GET', '/api/v1/finance/drill-down?statement=balance_sheet&line=cash&period=2026-11');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.data.map((v: any) => v.amount)).toEqual(['1130.00', '-678.00', '-100.00']);
    expect(r.body.data[0]).toMatchObject({ source_type: 'payment', voucher_no: '收-202611-0001' });
    const bad = await t.api('GET', '/api/v1/finance/drill-down?statement=balance_sheet&line=nope&period=2026-11');
    expect(bad.body.error.field).toBe('line');
  });

  it('exports a statement to XLSX', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/finance/statements/income-statement/xlsx?period=2026-11', headers: { authorization: `Bearer ${t.adminToken}` } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws.getRow(2).values).toEqual([undefined, '单位', '元']);
    expect(ws.getRow(4).values).toEqual([undefined, '一、营业收入', 1000, 1000]);
  });
});

describe('reopening (反结账)', () => {
  it('needs the finance manager role and a reason, and is audited', async () => {
    const accountant = await userWithRole(t, 'accountant');
    const refused = await t.api('POST', '/api/v1/finance/reopen', { period: '2026-11', reason: '调账' }, { token: accountant });
    expect(refused.status).toBe(403);
    // The right it lacks, named as every module endpoint names it (requireRight, @mosaic/records).
    expect(refused.body.error).toMatchObject({ code: 'FORBIDDEN', details: { object: 'fiscal_period', action: 'cancel' } });
    const manager = await userWithRole(t, 'finance_manager');
    const noReason = await t.api('POST', '/api/v1/finance/reopen', { period: '2026-11' }, { token: manager });
    expect(noReason.body.error).toMatchObject({ code: 'FIELD_REQUIRED', field: 'reason' });
    const ok = await t.api('POST', '/api/v1/finance/reopen', { period: '2026-11', reason: '补记折旧' }, { token: manager });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    const audit = await inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, async (tx) =>
      (await sql<{ kind: string; changes: any }>`SELECT kind, changes FROM audit_log WHERE object = 'fiscal_period' AND kind LIKE 'record.%' ORDER BY at`.execute(tx)).rows);
    expect(audit.map((a) => a.kind)).toEqual(['record.close', 'record.reopen']);
    expect(JSON.stringify(audit[1].changes)).toContain('补记折旧');
    // open again: a late entry posts, and closing again carries only it
    const late = await t.api('POST', '/api/v1/records/journal_entry', { posting_date: '2026-11-30', lines: [{ account: acct['5602'], debit: 10 }, { account: acct['1002'], credit: 10 }] });
    expect((await submitDoc(t, 'journal_entry', late.body.id)).status).toBe(200);
    const again = await t.api('POST', '/api/v1/finance/close', { period: '2026-11' });
    expect(again.body.profit, JSON.stringify(again.body)).toBe('-10.00');
    expect((await statement('income-statement')).row('net_profit').month).toBe('300.00');
    expect((await statement('balance-sheet')).balanced).toBe(true);
  });

  it('closes December with the year-end carry-forward of 本年利润 to 利润分配', async () => {
    expect((await t.api('POST', '/api/v1/finance/depreciation', { period: '2026-12' })).body.total).toBe('190.00');
    const dec = await t.api('POST', '/api/v1/finance/close', { period: '2026-12' });
    expect(dec.status, JSON.stringify(dec.body)).toBe(200);
    expect(dec.body.profit).toBe('-190.00');
    // Nov 310 − 10, Dec −190: the year's profit 110 moves from 3103 to 3104
    expect(await vouchersOf(t, '2026', 'year_end')).toEqual([
      { code: '3103', debit: '110.00', credit: '0.00', against: null },
      { code: '3104', debit: '0.00', credit: '110.00', against: null },
    ]);
    const bs = await statement('balance-sheet', '2026-12');
    expect(bs.balanced).toBe(true);
    expect(bs.row('retained_earnings').closing).toBe('110.00');
    expect((await statement('income-statement', '2026-12')).row('net_profit').ytd).toBe('110.00');
  });
});
