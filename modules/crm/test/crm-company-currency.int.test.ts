import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenantTx, sql } from '@mosaic/db';
import { newId } from '@mosaic/kernel';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { installSelling } from '../../selling/selling.install.ts';

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

describe('prices and quotes start in the company currency, not CNY', () => {
  const ok = async (p: Promise<{ status: number; body: any }>, status = 200) => {
    const r = await p;
    expect(r.status, JSON.stringify(r.body)).toBe(status);
    return r.body;
  };
  let item: string;
  let customer: string;
  beforeAll(async () => {
    item = (await ok(t.api('POST', '/api/v1/records/item', { code: 'HK-1', name: '港货一号' }), 201)).id;
    customer = (await ok(t.api('POST', '/api/v1/records/customer', { name: '香港九龙贸易行' }), 201)).id;
  });

  it('a price list and a quote given no currency are in the company\'s, and their lines are priced from its lists', async () => {
    const list = await ok(t.api('POST', '/api/v1/records/price_list', { name: '港币价', list_type: 'selling', prices: [{ item, rate: '80' }] }), 201);
    expect(list.currency).toBe('HKD');
    const quote = await ok(t.api('POST', '/api/v1/records/quote', { customer, quote_date: '2026-11-20', lines: [{ item, qty: 2 }] }), 201);
    expect(quote.currency).toBe('HKD');
    const lines = (await ok(t.api('GET', `/api/v1/records/quote/${quote.id}`))).lines;
    expect(lines.map((l: any) => [Number(l.list_price), l.price_list?.id ?? l.price_list])).toEqual([[80, list.id]]);
    // The price look-ups, asked without a currency, answer in the company's too.
    expect(await ok(t.api('GET', `/api/v1/selling/price?item=${item}&customer=${customer}&date=2026-11-20`))).toMatchObject({ rate: '80', priceList: list.id });
    expect(await ok(t.api('GET', `/api/v1/crm/quotes/price?item=${item}&customer=${customer}&date=2026-11-20`))).toMatchObject({ listPrice: '80', priceList: list.id });
    // A list explicitly in CNY prices only CNY documents.
    const cny = await ok(t.api('POST', '/api/v1/records/price_list', { name: '人民币价', list_type: 'selling', currency: 'CNY', prices: [{ item, rate: '70' }] }), 201);
    expect(await ok(t.api('GET', `/api/v1/selling/price?item=${item}&customer=${customer}&date=2026-11-20&currency=CNY`))).toMatchObject({ rate: '70', priceList: cny.id });
  });

  it('a sales target written without a company or an amount currency takes the tenant\'s first company\'s', async () => {
    const obj = await t.store.object(t.tenant.tenantId, 'sales_target');
    const c = (f: string) => obj!.fields.find((x) => x.apiName === f)!.columnName!;
    const id = newId();
    await q(sql`INSERT INTO ${sql.id(obj!.tableName)} (tenant_id, id, company_id, ${sql.ref(c('period'))}, ${sql.ref(c('amount'))}) VALUES (${t.tenant.tenantId}, ${id}, NULL, '2031-Q1', 1000)`);
    const [row] = await q(sql`SELECT ${sql.ref(c('currency'))} AS currency FROM ${sql.id(obj!.tableName)} WHERE id = ${id}`);
    expect((row as { currency: string }).currency).toBe('HKD');
  });

  it('an upgrade drops the CNY default the price list shipped with, but keeps a default an admin set', async () => {
    const field = async () => (await t.store.object(t.tenant.tenantId, 'price_list'))!.fields.find((f) => f.apiName === 'currency')!;
    const id = (await field()).id;
    // A tenant installed before: the field still holds the shipped default, never edited since it was made.
    await q(sql`UPDATE meta_field SET default_value = '"CNY"'::jsonb, updated_at = created_at WHERE id = ${id}`);
    t.store.invalidate(t.tenant.tenantId);
    await installSelling(t.testDb.db, t.store, t.tenant.tenantId);
    expect((await field()).defaultValue ?? null).toBeNull();
    expect((await ok(t.api('POST', '/api/v1/records/price_list', { name: '升级后', list_type: 'selling' }), 201)).currency).toBe('HKD');
    // An admin who sets a default keeps it, through the next install too.
    const set = await t.api('PATCH', `/api/v1/meta/objects/price_list/fields/currency`, { defaultValue: 'CNY' });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    await installSelling(t.testDb.db, t.store, t.tenant.tenantId);
    expect((await field()).defaultValue).toBe('CNY');
    expect((await ok(t.api('POST', '/api/v1/records/price_list', { name: '管理员默认', list_type: 'selling' }), 201)).currency).toBe('CNY');
  });
});
