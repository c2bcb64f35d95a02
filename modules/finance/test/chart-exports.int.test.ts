import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenantTx, sql } from '@mosaic/db';
import { installModules } from '@mosaic/server';
import { pdfText } from '@mosaic/print/test-kit';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { IFRS_CHART } from '@mosaic/finance';
import { accountsByCode, salesInvoice, submitDoc, userWithRole } from './finance-fixture.ts';

// A company set up on the IFRS-style chart instead of 小企业会计准则, and the
// books' exports read back from the files: 对账单 as PDF, the statements and
// the trial balance as XLSX and PDF.
let t: TestApp;
let acct: Record<string, string>;

beforeAll(async () => {
  t = await createTestApp();
  acct = await accountsByCode(t);
});

afterAll(async () => {
  await t?.close();
});

const download = async (url: string, token = t.adminToken) => {
  const res = await t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
  return { type: String(res.headers['content-type']), body: res.rawPayload as Buffer };
};
const workbook = async (body: Buffer) => {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  return wb.worksheets[0];
};

/** A company's accounts, read from the table (an admin's record reads span every company). */
const chartOf = (companyId: string) => inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, async (tx) =>
  (await sql<{ id: string; code: string; name: string }>`SELECT id, c_code AS code, c_name AS name FROM o_gl_account WHERE company_id = ${companyId} ORDER BY c_code`.execute(tx)).rows);

describe('chart templates per company (set-up)', () => {
  let company: string;
  let token: string;

  it('offers 小企业会计准则 (the default) and a general IFRS-style chart', async () => {
    const r = await t.api('GET', '/api/v1/finance/chart-templates');
    expect(r.body.data.map((x: any) => [x.key, x.default])).toEqual([['small_business', true], ['ifrs', false]]);
  });

  it('says which chart a new company gets by its currency, as company creation decides it', async () => {
    const r = await t.api('GET', '/api/v1/finance/chart-templates');
    expect(r.body.defaults).toEqual({ byCurrency: { CNY: 'small_business' }, other: 'ifrs' });
    // The rule the web app is sent is the one the server applies.
    const usd = await t.api('POST', '/api/v1/admin/companies', { name: 'Mosaic US Inc.', currency: 'USD' });
    expect(usd.status, JSON.stringify(usd.body)).toBe(201);
    const charts = (await t.api('GET', '/api/v1/finance/chart-setup')).body.data as { company: string; template: string }[];
    expect(charts.find((c) => c.company === usd.body.id)?.template).toBe('ifrs');
  });

  it('sets a new company up on the IFRS chart: IAS 1 captions, IFRS accounts, no PRC planned-cost accounts', async () => {
    // Chosen when the company is created: its chart is there at once (company-books.ts).
    const r = await t.api('POST', '/api/v1/admin/companies', { name: 'Mosaic Europe B.V.', chartTemplate: 'ifrs' });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    company = r.body.id;
    // A restart installs the modules again: the company keeps its IFRS chart (nothing of the other template is added).
    await installModules(t.testDb.db, t.store, [t.tenant.tenantId]);
    token = await userWithRole(t, 'system_admin', company);
    const list = await chartOf(company);
    const byCode = Object.fromEntries(list.map((a) => [a.code, a.name]));
    expect(Object.keys(byCode)).toEqual(expect.arrayContaining(['1122', '1611', '2511', '2801', '1811', '5802']));
    expect(byCode['1122']).toBe('贸易应收款项 Trade receivables');
    expect(byCode['1601']).toBe('不动产、厂房和设备 Property, plant and equipment');
    expect(byCode['1611']).toBe('使用权资产 Right-of-use assets');
    expect(byCode['1401']).toBeUndefined();
    // all of it the template's, and 220202 暂估应付账款 which the buying module adds to every company
    const template = new Set(IFRS_CHART.map((a) => a.code));
    expect(list.map((a) => a.code).filter((c) => !template.has(c))).toEqual(['220202']);
    expect(list.length).toBe(template.size + 1);
    // The first company keeps 小企业会计准则.
    expect((await chartOf(t.tenant.companyId)).map((a) => a.code)).toContain('1401');
  });

  it('posts on the IFRS chart, and its balance sheet balances with IFRS 16 and IAS 12 accounts on their lines', async () => {
    const ifrs = Object.fromEntries((await chartOf(company)).map((a) => [a.code, a.id]));
    const voucher = async (lines: [string, number, number][]) => {
      const je = await t.api('POST', '/api/v1/records/journal_entry', { posting_date: '2026-11-03', lines: lines.map(([c, debit, credit]) => ({ account: ifrs[c], debit, credit })) }, { token });
      expect(je.status, JSON.stringify(je.body)).toBe(201);
      expect((await t.api('POST', `/api/v1/records/journal_entry/${je.body.id}/submit`, { version: 1 }, { token })).status).toBe(200);
    };
    await voucher([['1002', 50000, 0], ['3001', 0, 50000]]);
    await voucher([['1611', 12000, 0], ['2511', 0, 12000]]); // a lease: right-of-use asset against the lease liability
    await voucher([['1811', 300, 0], ['5802', 0, 300]]); // deferred tax income
    const bs = (await t.api('GET', '/api/v1/finance/statements/balance-sheet?period=2026-11', undefined, { token })).body;
    const line = (k: string) => bs.rows.find((r: any) => r.key === k).closing;
    expect(bs.balanced).toBe(true);
    expect([line('fixed_assets_cost'), line('other_non_current_assets'), line('long_payables'), line('total_assets')]).toEqual(['12000.00', '300.00', '12000.00', '62300.00']);
    const is = (await t.api('GET', '/api/v1/finance/statements/income-statement?period=2026-11', undefined, { token })).body;
    expect(is.rows.find((r: any) => r.key === 'net_profit').month).toBe('300.00');
  });

  it("refuses a voucher line on a sister company's account, naming the line, and posts nothing", async () => {
    const ifrs = Object.fromEntries((await chartOf(company)).map((a) => [a.code, a.id]));
    const home = Object.fromEntries((await chartOf(t.tenant.companyId)).map((a) => [a.code, a.id]));
    const je = await t.api('POST', '/api/v1/records/journal_entry', { posting_date: '2026-11-04', lines: [
      { account: ifrs['1002'], debit: 80, credit: 0 }, { account: home['1001'], debit: 0, credit: 80 }] }, { token });
    expect(je.status, JSON.stringify(je.body)).toBe(201);
    const submit = await t.api('POST', `/api/v1/records/journal_entry/${je.body.id}/submit`, { version: 1 }, { token });
    expect(submit.status).toBe(422);
    expect(submit.body.error).toMatchObject({ code: 'FIELD_INVALID', field: 'lines.1.account' });
    const posted = await inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, (tx) =>
      sql<{ n: number }>`SELECT count(*)::int AS n FROM o_gl_entry WHERE c_journal_entry = ${je.body.id}`.execute(tx));
    expect(posted.rows[0]!.n).toBe(0);
  });

  it('refuses another template once the company has posted, an unknown template, and a non-admin', async () => {
    const again = await t.api('POST', '/api/v1/finance/chart-setup', { company, template: 'small_business' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('CONFLICT');
    const fresh = (await t.api('POST', '/api/v1/admin/companies', { name: '新设公司' })).body.id;
    const bad = await t.api('POST', '/api/v1/finance/chart-setup', { company: fresh, template: 'us_gaap' });
    expect(bad.status).toBe(422);
    expect(bad.body.error).toMatchObject({ code: 'FIELD_INVALID', field: 'template' });
    const accountant = await userWithRole(t, 'accountant', fresh);
    expect((await t.api('POST', '/api/v1/finance/chart-setup', { company: fresh, template: 'ifrs' }, { token: accountant })).status).toBe(403);
  });

  it('lists for the statements\' picker the companies whose books the user may read', async () => {
    const all = (await t.api('GET', '/api/v1/finance/companies')).body.data as { id: string; name: string; own: boolean }[];
    expect(all.map((c) => c.id)).toEqual(expect.arrayContaining([t.tenant.companyId, company]));
    expect(all.find((c) => c.id === t.tenant.companyId)?.own).toBe(true);
    // An accountant reads the ledger of their own company only (scope "company"): that company alone, as the statements allow.
    const fresh = (await t.api('POST', '/api/v1/admin/companies', { name: '会计公司' })).body.id;
    const accountant = await userWithRole(t, 'accountant', fresh);
    const own = await t.api('GET', '/api/v1/finance/companies', undefined, { token: accountant });
    expect(own.body.data).toEqual([{ id: fresh, name: '会计公司', currency: 'CNY', own: true }]);
    expect((await t.api('GET', `/api/v1/finance/statements/balance-sheet?period=2026-01&company=${t.tenant.companyId}`, undefined, { token: accountant })).status).toBe(403);
  });

  it('switches a company that has posted nothing: renames what both charts have, removes what the new one has not', async () => {
    const fresh = (await t.api('POST', '/api/v1/admin/companies', { name: '切换公司' })).body.id;
    expect((await t.api('POST', '/api/v1/finance/chart-setup', { company: fresh, template: 'small_business' })).status).toBe(200);
    const r = await t.api('POST', '/api/v1/finance/chart-setup', { company: fresh, template: 'ifrs' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.updated).toContain('1122');
    expect(r.body.created).toContain('1611');
    expect(r.body.removed, JSON.stringify(r.body)).toEqual(expect.arrayContaining(['1401', '1101']));
    expect((await chartOf(fresh)).map((a) => a.code)).not.toContain('1401');
  });
});

describe('exports read back', () => {
  let customer: string;

  beforeAll(async () => {
    customer = (await t.api('POST', '/api/v1/records/customer', { name: '杭州西湖贸易有限公司' })).body.id;
    const item = (await t.api('POST', '/api/v1/records/item', { code: 'EXP1', name: '导出测试品' })).body.id;
    const inv = await salesInvoice(t, customer, item, 1000, '2026-11-05'); // 1130.00
    const p = await t.api('POST', '/api/v1/records/payment', {
      payment_type: 'receive', party_type: 'customer', party: customer, posting_date: '2026-11-20', account: acct['1002'], amount: '500.00',
      allocations: [{ against_id: inv, allocated: '500.00' }],
    });
    expect((await submitDoc(t, 'payment', p.body.id)).status).toBe(200);
  });

  it('对账单 as a PDF: the customer, each movement, the closing balance and its 大写', async () => {
    const pdf = await download(`/api/v1/finance/statement/pdf?party_type=customer&party=${customer}&from=2026-11-01&to=2026-11-30`);
    expect(pdf.type).toBe('application/pdf');
    const text = await pdfText(pdf.body);
    expect(text).toContain('客户对账单');
    expect(text).toContain('杭州西湖贸易有限公司');
    expect(text).toContain('1,130.00');
    expect(text).toContain('500.00');
    expect(text).toContain('630.00');
    expect(text).toContain('陆佰叁拾元整');
    // A CNY company's statement as it always was: no 单位 line, the 大写 without a currency name.
    expect(text).not.toContain('单位');
    expect(text).not.toContain('人民币');
    const bad = await t.api('GET', '/api/v1/finance/statement/pdf?party_type=customer&from=2026-11-01&to=2026-11-30');
    expect(bad.body.error.field).toBe('party');
    // From after the invoice: it is the opening balance, written like every other amount (it was 1130.00).
    const later = await pdfText((await download(`/api/v1/finance/statement/pdf?party_type=customer&party=${customer}&from=2026-11-10&to=2026-11-30`)).body);
    expect(later).toMatch(/期初余额：\s*1,130\.00/);
  });

  it('对账单 as XLSX: the same movements, running balance and totals as the JSON (and the PDF), as numbers', async () => {
    const range = `party_type=customer&party=${customer}&from=2026-11-01&to=2026-11-30`;
    const json = (await t.api('GET', `/api/v1/finance/statement?${range}`)).body;
    const file = await download(`/api/v1/finance/statement/xlsx?${range}`);
    expect(file.type).toContain('spreadsheetml');
    const ws = await workbook(file.body);
    const row = (n: number) => (ws.getRow(n).values as unknown[]).slice(1);
    expect(ws.name).toBe('客户对账单');
    expect(row(2)).toEqual(['客户', '杭州西湖贸易有限公司']);
    expect(row(3)).toEqual(['期间', '2026-11-01 至 2026-11-30']);
    expect(row(4)).toEqual(['期初余额', '', '', '', '', 0]);
    expect(row(5)).toEqual(['日期', '凭证号', '摘要', '借方', '贷方', '余额']);
    expect(json.lines).toHaveLength(2); // the invoice (Dr 1,130.00) and the receipt (Cr 500.00)
    json.lines.forEach((l: any, i: number) =>
      expect(row(6 + i)).toEqual([l.date, l.voucherNo, l.description ?? '', Number(l.debit), Number(l.credit), Number(l.balance)]));
    expect(row(6 + json.lines.length)).toEqual(['本期合计', '', '', 1130, 500, '']);
    expect(row(7 + json.lines.length)).toEqual(['期末余额', '', '', '', '', 630]);
    expect(ws.rowCount).toBe(7 + json.lines.length);
    // The opening and closing balances are money like the movements: a number, shown 1,130.00.
    const later = await workbook((await download(`/api/v1/finance/statement/xlsx?party_type=customer&party=${customer}&from=2026-11-10&to=2026-11-30`)).body);
    expect((later.getRow(4).values as unknown[]).slice(1)).toEqual(['期初余额', '', '', '', '', 1130]);
    expect(later.getRow(4).getCell(6).numFmt).toBe('#,##0.00');
    expect(later.getRow(later.rowCount).getCell(6)).toMatchObject({ value: 630, numFmt: '#,##0.00' });
    const bad = await t.api('GET', '/api/v1/finance/statement/xlsx?party_type=customer&from=2026-11-01&to=2026-11-30');
    expect(bad.status).toBe(422);
    expect(bad.body.error).toMatchObject({ code: 'FIELD_REQUIRED', field: 'party' });
  });

  it('资产负债表 as XLSX and PDF with the same figures as the API', async () => {
    const json = (await t.api('GET', '/api/v1/finance/statements/balance-sheet?period=2026-11')).body;
    const ws = await workbook((await download('/api/v1/finance/statements/balance-sheet/xlsx?period=2026-11')).body);
    const labelRow = (label: string) => { let found: unknown[] = []; ws.eachRow((r) => { if (r.getCell(1).value === label) found = (r.values as unknown[]).slice(1); }); return found; };
    expect((ws.getRow(2).values as unknown[]).slice(1)).toEqual(['单位', '元']);
    const total = json.rows.find((r: any) => r.key === 'total_assets');
    expect(labelRow('资产总计')).toEqual(['资产总计', Number(total.closing), Number(total.yearStart)]);
    const text = await pdfText((await download('/api/v1/finance/statements/balance-sheet/pdf?period=2026-11')).body);
    expect(text).toContain('资产负债表');
    expect(text).toContain('负债和所有者权益总计');
    expect(text).toContain(Number(total.closing).toLocaleString('en-US', { minimumFractionDigits: 2 }));
    expect(text).toContain('单位：元');
  });

  it('利润表 and 现金流量表 as PDF', async () => {
    const is = await pdfText((await download('/api/v1/finance/statements/income-statement/pdf?period=2026-11')).body);
    expect(is).toContain('利润表');
    expect(is).toContain('一、营业收入');
    expect(is).toContain('1,000.00');
    const cf = await pdfText((await download('/api/v1/finance/statements/cash-flow/pdf?period=2026-11')).body);
    expect(cf).toContain('现金流量表');
    expect(cf).toContain('500.00');
  });

  it('科目余额表 as XLSX and PDF: every account row and the balanced totals', async () => {
    const json = (await t.api('GET', '/api/v1/finance/trial-balance?period=2026-11')).body;
    const ws = await workbook((await download('/api/v1/finance/trial-balance/xlsx?period=2026-11')).body);
    expect(ws.getRow(2).values).toEqual([undefined, '单位', '元']);
    expect(ws.getRow(3).values).toEqual([undefined, '科目编码', '科目名称', '期初借方', '期初贷方', '本期借方', '本期贷方', '期末借方', '期末贷方']);
    const r1122 = json.rows.find((r: any) => r.code === '1122');
    const row = (n: number) => (ws.getRow(n).values as unknown[]).slice(1);
    expect(row(4 + json.rows.indexOf(r1122))).toEqual(['1122', r1122.name, 0, 0, 1130, 500, 630, 0]);
    const last = row(4 + json.rows.length);
    expect(last[1]).toBe('合计');
    expect(last[6]).toBe(last[7]); // closing debit = closing credit
    expect(last[6]).toBe(Number(json.totals.closingDebit));
    const text = await pdfText((await download('/api/v1/finance/trial-balance/pdf?period=2026-11')).body);
    expect(text).toContain('科目余额表');
    expect(text).toContain('应收账款');
    expect(text).toContain('合计');
    expect(text).toContain('单位：元');
    expect((await t.api('GET', '/api/v1/finance/trial-balance/csv?period=2026-11')).status).toBe(404);
  });
});

describe('exports of a company keeping its books in US dollars', () => {
  let company: string;
  let token: string;
  let customer: string;

  beforeAll(async () => {
    const r = await t.api('POST', '/api/v1/admin/companies', { name: 'Mosaic Trading (US) Inc.', currency: 'USD' });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    company = r.body.id;
    token = await userWithRole(t, 'system_admin', company);
    customer = (await t.api('POST', '/api/v1/records/customer', { name: 'Acme Supplies LLC' }, { token })).body.id;
    const usd = Object.fromEntries((await chartOf(company)).map((a) => [a.code, a.id]));
    // A sale on account of 113.00 dollars: Dr 1122 the customer, Cr 5001 revenue.
    const je = await t.api('POST', '/api/v1/records/journal_entry', { posting_date: '2026-11-06', lines: [
      { account: usd['1122'], debit: '113.00', credit: 0, party_type: 'customer', party: customer }, { account: usd['5001'], debit: 0, credit: '113.00' }] }, { token });
    expect(je.status, JSON.stringify(je.body)).toBe(201);
    expect((await t.api('POST', `/api/v1/records/journal_entry/${je.body.id}/submit`, { version: 1 }, { token })).status).toBe(200);
  });

  it('对账单 says its figures are dollars and writes the closing in words as 美元', async () => {
    const text = await pdfText((await download(`/api/v1/finance/statement/pdf?company=${company}&party_type=customer&party=${customer}&from=2026-11-01&to=2026-11-30`, token)).body);
    expect(text).toContain('Acme Supplies LLC');
    expect(text).toContain('113.00');
    expect(text).toContain('单位：美元');
    expect(text).toContain('美元壹佰壹拾叁元整');
  });

  it('the statements and the trial balance print 单位：美元, not 元', async () => {
    for (const url of ['/api/v1/finance/statements/balance-sheet/pdf', '/api/v1/finance/statements/income-statement/pdf', '/api/v1/finance/trial-balance/pdf']) {
      const text = await pdfText((await download(`${url}?company=${company}&period=2026-11`, token)).body);
      expect(text, url).toContain('单位：美元');
      expect(text, url).not.toContain('单位：元');
      expect(text, url).toContain('113.00');
    }
  });

  it('so do the workbooks: the statements, the trial balance and the 对账单 name 美元 as their 单位', async () => {
    for (const url of ['/api/v1/finance/statements/balance-sheet/xlsx', '/api/v1/finance/statements/income-statement/xlsx', '/api/v1/finance/trial-balance/xlsx']) {
      const ws = await workbook((await download(`${url}?company=${company}&period=2026-11`, token)).body);
      expect((ws.getRow(2).values as unknown[]).slice(1), url).toEqual(['单位', '美元']);
    }
    const ws = await workbook((await download(`/api/v1/finance/statement/xlsx?company=${company}&party_type=customer&party=${customer}&from=2026-11-01&to=2026-11-30`, token)).body);
    const row = (n: number) => (ws.getRow(n).values as unknown[]).slice(1);
    expect([row(2), row(4), row(5)]).toEqual([['客户', 'Acme Supplies LLC'], ['单位', '美元'], ['期初余额', '', '', '', '', 0]]);
    expect(row(ws.rowCount)).toEqual(['期末余额', '', '', '', '', 113]);
  });
});
