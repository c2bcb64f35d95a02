import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenantTx, sql } from '@mosaic/db';
import { newId } from '@mosaic/kernel';
import { createTestApp, type TestApp } from '@mosaic/testing';

// The CRM's figures are in the caller's company currency as identity says it
// (companyCurrency): their company's, else the tenant's first company's — also
// for a user whose company is gone, who got a literal CNY before. The tenant's
// only company keeps its books in HKD here, so CNY would be wrong.
let t: TestApp;
const q = (query: ReturnType<typeof sql>) =>
  inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, async (tx) => (await query.execute(tx)).rows);

beforeAll(async () => {
  t = await createTestApp();
  await q(sql`UPDATE company SET currency = 'HKD' WHERE id = ${t.tenant.companyId}`);
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('the currency of CRM figures', () => {
  it('is the company\'s for its users, and the tenant\'s first company\'s for a user whose company is gone', async () => {
    const roles = (await t.api('GET', '/api/v1/admin/roles')).body.data as { id: string; code: string }[];
    const email = `gone-${t.tenant.tenantId.slice(0, 8)}@test.local`;
    const made = await t.api('POST', '/api/v1/admin/users', { email, name: '无公司经理', password: 'Gone-Pw-2026', roleIds: [roles.find((r) => r.code === 'sales_manager')!.id], companyId: t.tenant.companyId });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    await q(sql`UPDATE app_user SET company_id = ${newId()} WHERE id = ${made.body.id}`);
    const token = (await t.api('POST', '/api/v1/auth/login', { email, password: 'Gone-Pw-2026' }, { token: null })).body.token;
    const forecast = (opts = {}) => t.api('GET', '/api/v1/crm/reports/forecast?period=2031-Q1&by=rep', undefined, opts);
    const admin = await forecast();
    expect([admin.status, admin.body.currency], JSON.stringify(admin.body)).toEqual([200, 'HKD']);
    const gone = await forecast({ token });
    expect([gone.status, gone.body.currency], JSON.stringify(gone.body)).toEqual([200, 'HKD']);
  });
});
