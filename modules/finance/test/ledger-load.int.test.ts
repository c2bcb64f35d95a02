import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenantTx, sql } from '@mosaic/db';
import { installModules } from '@mosaic/server';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { accountsByCode, userWithRole } from './finance-fixture.ts';
import { ledgerViolations } from './ledger-invariants.ts';
import { ledgerStep, mulberry32, type LoadCompany } from './ledger-workload.ts';

// The books under load, at suite size: the seeded workload of ledger-workload.ts
// (the full-size bench runs the same) across two companies by eight concurrent
// clients; then every invariant of ledgerViolations holds.
const CLIENTS = 8;
const OPS_PER_CLIENT = Number(process.env.FINANCE_LOAD_OPS ?? 12);
let t: TestApp;

const companies: LoadCompany[] = [];

beforeAll(async () => {
  t = await createTestApp();
  const second = await t.api('POST', '/api/v1/admin/companies', { name: '第二公司' });
  expect(second.status, JSON.stringify(second.body)).toBe(201);
  await installModules(t.testDb.db, t.store, [t.tenant.tenantId]); // the new company's chart and tax rates
  const tokens = [t.adminToken, await userWithRole(t, 'system_admin', second.body.id)];
  for (const [n, token] of tokens.entries()) {
    const api = (m: string, u: string, b?: unknown) => t.api(m, u, b, { token });
    const customers = [];
    for (let i = 0; i < 3; i++) customers.push((await api('POST', '/api/v1/records/customer', { name: `客户${n}-${i}` })).body.id);
    const created = await api('POST', '/api/v1/records/item', { code: `X${n}`, name: `商品${n}` });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const item = created.body.id as string;
    await api('POST', '/api/v1/records/currency_rate', { currency: 'USD', rate_date: '2026-11-01', rate: '7.10' });
    companies.push({ token, acct: await accountsByCode(t, token), customers, item, invoices: [] });
  }
}, 180_000); // a test database and a second company's chart, on a shared machine

afterAll(async () => {
  await t?.close();
});

async function client(seed: number): Promise<{ ok: number; refused: number }> {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  let ok = 0;
  let refused = 0;
  for (let i = 0; i < OPS_PER_CLIENT; i++) {
    const c = pick(companies);
    const api = (m: string, u: string, b?: unknown) => t.api(m, u, b, { token: c.token });
    const day = `2026-11-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}`;
    const submit = async (object: string, body: Record<string, unknown>) => {
      const r = await api('POST', `/api/v1/records/${object}`, body);
      if (r.status !== 201) throw new Error(`${object}: ${r.status} ${JSON.stringify(r.body)}`);
      const s = await api('POST', `/api/v1/records/${object}/${r.body.id}/submit`, { version: 1 });
      if (s.status >= 500) throw new Error(`${object} submit: ${s.status} ${JSON.stringify(s.body)}`);
      if (s.status === 200) ok++; else refused++;
      return s.status === 200 ? (r.body.id as string) : null;
    };
    const cancel = await ledgerStep(rnd, c, day, api, submit, 0.05);
    if (cancel?.cancelled) ok++;
    if (cancel?.refused) refused++;
  }
  return { ok, refused };
}

describe('ledger invariants under load', () => {
  it(`${CLIENTS} concurrent clients, 2 companies, CNY and USD: every invariant holds`, async () => {
    const results = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => client(1000 + i)));
    const ok = results.reduce((s, r) => s + r.ok, 0);
    expect(ok).toBeGreaterThan(CLIENTS * OPS_PER_CLIENT * 0.6);
    expect(await ledgerViolations(t.testDb.db, t.tenant.tenantId)).toEqual({
      unbalanced: 0, companyCurrency: 0, periodBalances: 0, dimensionBalances: 0, docsWithoutVoucher: 0, vouchersWithoutDoc: 0, subLedger: 0,
    });
    const perCompany = await inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, async (tx) =>
      (await sql<{ n: number }>`SELECT count(DISTINCT company_id)::int AS n FROM o_gl_entry`.execute(tx)).rows[0].n);
    expect(perCompany).toBe(2);
    // and no open item is over-settled: what a customer owes on an invoice never goes below zero
    for (const c of companies) {
      const open = (await t.api('GET', '/api/v1/finance/open-items?party_type=customer&all=1', undefined, { token: c.token })).body.data;
      expect(open.filter((i: any) => i.againstType === 'sales_invoice' && Number(i.fcOutstanding || i.outstanding) < 0)).toEqual([]);
    }
  });

  it("keeps each company's books to its own users", async () => {
    const companyB = (await t.api('GET', '/api/v1/admin/companies')).body.data.find((c: any) => c.id !== t.tenant.companyId).id;
    const accountantB = await userWithRole(t, 'accountant', companyB);
    const other = await t.api('GET', `/api/v1/finance/trial-balance?period=2026-11&company=${t.tenant.companyId}`, undefined, { token: accountantB });
    expect(other.status).toBe(403);
    const own = await t.api('GET', '/api/v1/finance/trial-balance?period=2026-11', undefined, { token: accountantB });
    expect(own.status).toBe(200);
    expect(own.body.totals.closingDebit).toBe(own.body.totals.closingCredit);
    const run = await t.api('POST', '/api/v1/finance/depreciation', { period: '2026-11', company: t.tenant.companyId }, { token: accountantB });
    expect(run.body.error).toMatchObject({ code: 'FIELD_INVALID', field: 'company' });
  });
});
