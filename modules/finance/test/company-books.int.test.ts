import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenantTx, sql } from '@mosaic/db';
import { installModules } from '@mosaic/server';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { userWithRole, vouchersOf } from './finance-fixture.ts';

// A company created at runtime has its books in the same transaction: the chart
// (chosen, or the default for its currency), the VAT rates and buying's clearing
// account — an invoice of the new company posts at once, with no restart.
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(async () => {
  await t?.close();
});

const inTenant = <T>(fn: Parameters<typeof inTenantTx<T>>[2]) => inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, fn);
const codesOf = async (companyId: string) => inTenant(async (tx) =>
  (await sql<{ code: string }>`SELECT c_code AS code FROM o_gl_account WHERE company_id = ${companyId} ORDER BY c_code`.execute(tx)).rows.map((r) => r.code));
const chartOf = (companyId: string) => inTenant(async (tx) =>
  (await sql<{ template: string }>`SELECT template FROM finance_chart WHERE company_id = ${companyId}`.execute(tx)).rows[0]?.template);
const taxCodesOf = (companyId: string) => inTenant(async (tx) =>
  (await sql<{ code: string }>`SELECT c_code AS code FROM o_tax_rate WHERE company_id = ${companyId} ORDER BY c_code`.execute(tx)).rows.map((r) => r.code));
const companyCount = async () => (await t.api('GET', '/api/v1/admin/companies')).body.data.length as number;

describe('a company created at runtime', () => {
  let company: string;

  it('has 小企业会计准则, its VAT rates and 220202 as soon as it is created (人民币 books, nothing chosen)', async () => {
    const r = await t.api('POST', '/api/v1/admin/companies', { name: '新开分公司' });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    company = r.body.id;
    const codes = await codesOf(company);
    expect(codes).toEqual(expect.arrayContaining(['1001', '1122', '1401', '2221', '22210102', '220202', '3103', '5001', '5401']));
    expect(await chartOf(company)).toBe('small_business');
    expect(await taxCodesOf(company)).toEqual(['EXEMPT', 'IN13', 'IN6', 'IN9', 'VAT0', 'VAT13', 'VAT6', 'VAT9']);
  });

  it('posts a sales invoice with 13 % VAT at once, without a restart', async () => {
    const token = await userWithRole(t, 'system_admin', company);
    const api = (m: string, u: string, b?: unknown) => t.api(m, u, b, { token });
    const customer = (await api('POST', '/api/v1/records/customer', { name: '宁波新开客户' })).body.id;
    const item = (await api('POST', '/api/v1/records/item', { code: 'NEW1', name: '新开商品' })).body.id;
    const inv = await api('POST', '/api/v1/records/sales_invoice', { customer, posting_date: '2026-11-10', lines: [{ item, qty: 2, rate: 500 }] });
    expect(inv.status, JSON.stringify(inv.body)).toBe(201);
    const s = await api('POST', `/api/v1/records/sales_invoice/${inv.body.id}/submit`, { version: 1 });
    expect(s.status, JSON.stringify(s.body)).toBe(200);
    expect(await vouchersOf(t, inv.body.id)).toEqual([
      { code: '1122', debit: '1130.00', credit: '0.00', against: inv.body.id },
      { code: '22210102', debit: '0.00', credit: '130.00', against: null },
      { code: '5001', debit: '0.00', credit: '1000.00', against: null },
    ]);
    // The vouchers are the new company's, on its own accounts.
    const companies = await inTenant(async (tx) => (await sql<{ company_id: string }>`SELECT DISTINCT a.company_id FROM o_journal_entry j
      JOIN o_gl_entry g ON g.c_journal_entry = j.id JOIN o_gl_account a ON a.id = g.c_account WHERE j.c_source_id = ${inv.body.id}`.execute(tx)).rows);
    expect(companies).toEqual([{ company_id: company }]);
  });

  it('is set up on the chart its creator chose, or on the IFRS-style chart when its books are not in 人民币', async () => {
    const chosen = await t.api('POST', '/api/v1/admin/companies', { name: 'Mosaic Trading Ltd', chartTemplate: 'ifrs' });
    expect(chosen.status, JSON.stringify(chosen.body)).toBe(201);
    const byCurrency = await t.api('POST', '/api/v1/admin/companies', { name: 'Mosaic Europe GmbH', currency: 'EUR' });
    expect(byCurrency.status, JSON.stringify(byCurrency.body)).toBe(201);
    const cnyChoosingIfrs = await t.api('POST', '/api/v1/admin/companies', { name: '人民币公司', currency: 'CNY', chartTemplate: 'small_business' });
    for (const id of [chosen.body.id, byCurrency.body.id]) {
      const codes = await codesOf(id);
      expect(codes).toEqual(expect.arrayContaining(['1122', '1611', '2511', '22210102', '220202']));
      expect(codes).not.toContain('1401'); // 材料采购: the small-business chart's, not IFRS's
      expect(await chartOf(id)).toBe('ifrs');
      expect(await taxCodesOf(id)).toContain('VAT13');
    }
    expect(await chartOf(cnyChoosingIfrs.body.id)).toBe('small_business');
  });

  it('refuses an unknown chart naming the field, and creates no company then', async () => {
    const before = await companyCount();
    // A name an object has without being a template ('constructor', 'toString') is unknown too.
    for (const chartTemplate of ['us_gaap', 'constructor', 'toString', '__proto__']) {
      const bad = await t.api('POST', '/api/v1/admin/companies', { name: '坏科目公司', chartTemplate });
      expect(bad.status, chartTemplate).toBe(422);
      expect(bad.body.error).toMatchObject({ code: 'FIELD_INVALID', field: 'chartTemplate' });
    }
    expect(await companyCount()).toBe(before);
    const swap = await t.api('POST', '/api/v1/finance/chart-setup', { company, template: 'constructor' });
    expect(swap.status).toBe(422);
    expect(swap.body.error.field).toBe('template');
    // The chart is chosen at creation; later it is swapped through chart-setup, not by editing the company.
    const patch = await t.api('PATCH', `/api/v1/admin/companies/${company}`, { chartTemplate: 'ifrs' });
    expect(patch.status).toBe(422);
  });

  it('keeps its books as they are when the modules install again (a restart): nothing added twice', async () => {
    const before = await codesOf(company);
    await installModules(t.testDb.db, t.store, [t.tenant.tenantId]);
    expect(await codesOf(company)).toEqual(before);
    expect((await taxCodesOf(company)).length).toBe(8);
    expect(await chartOf(company)).toBe('small_business');
  });

  it('gets on install the accounts a later chart added, under their parent: 222112 应交个人所得税 for a chart that predates it', async () => {
    // The company's chart as it was before 222112 existed.
    await inTenant((tx) => sql`DELETE FROM o_gl_account WHERE company_id = ${company} AND c_code = '222112'`.execute(tx));
    expect(await codesOf(company)).not.toContain('222112');
    await installModules(t.testDb.db, t.store, [t.tenant.tenantId]);
    await installModules(t.testDb.db, t.store, [t.tenant.tenantId]);
    const rows = await inTenant(async (tx) => (await sql<{ code: string; parent: string | null; is_group: boolean }>`
      SELECT a.c_code AS code, p.c_code AS parent, a.c_is_group AS is_group FROM o_gl_account a LEFT JOIN o_gl_account p ON p.id = a.c_parent
      WHERE a.company_id = ${company} AND a.c_code IN ('2221', '222112') ORDER BY a.c_code`.execute(tx)).rows);
    expect(rows).toEqual([{ code: '2221', parent: null, is_group: true }, { code: '222112', parent: '2221', is_group: false }]);
  });

  it('can still swap its chart until it posts, then refuses with 409', async () => {
    const fresh = (await t.api('POST', '/api/v1/admin/companies', { name: '待定科目公司' })).body.id;
    const swap = await t.api('POST', '/api/v1/finance/chart-setup', { company: fresh, template: 'ifrs' });
    expect(swap.status, JSON.stringify(swap.body)).toBe(200);
    expect(await chartOf(fresh)).toBe('ifrs');
    const posted = await t.api('POST', '/api/v1/finance/chart-setup', { company, template: 'ifrs' });
    expect(posted.status).toBe(409);
    expect(posted.body.error.code).toBe('CONFLICT');
    // The admin's view of the companies' charts: which one each follows, and which can no longer swap.
    const list = (await t.api('GET', '/api/v1/finance/chart-setup')).body.data;
    expect(list.find((c: any) => c.company === company)).toMatchObject({ name: '新开分公司', currency: 'CNY', template: 'small_business', posted: true });
    expect(list.find((c: any) => c.company === fresh)).toMatchObject({ template: 'ifrs', posted: false });
    const accountant = await userWithRole(t, 'accountant', company);
    expect((await t.api('GET', '/api/v1/finance/chart-setup', undefined, { token: accountant })).status).toBe(403);
  });
});
