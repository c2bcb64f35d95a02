import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { USER_PASSWORD, roleWith, userWith } from './access-helpers.ts';

// GET /auth/me carries the currency of the user's company: the web app formats figures that carry no
// currency of their own (customer 360 totals, forecasts, project portfolios) in it, not in a fixed CNY.
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(async () => {
  await t?.close();
});

const me = async (token?: string) => {
  const r = await t.api('GET', '/api/v1/auth/me', undefined, { token });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.user as { companyId: string | null; companyCurrency: string; timeZone: string };
};

describe('GET /auth/me companyCurrency', () => {
  it("is the user's company's currency", async () => {
    expect((await me()).companyCurrency).toBe('CNY'); // the admin, in the tenant's first company (CNY by default)
    expect((await me()).timeZone).toBe('Asia/Shanghai'); // and the time zone its dates are in (the demo seed's "today")
    const us = await t.api('POST', '/api/v1/admin/companies', { name: 'Mosaic Trading Inc.', currency: 'USD' });
    expect(us.status, JSON.stringify(us.body)).toBe(201);
    const clerk = await userWith(t, [], { companyId: us.body.id, name: 'us-clerk' });
    expect(await me(clerk.token)).toMatchObject({ companyId: us.body.id, companyCurrency: 'USD' });
  });

  it("is the tenant's first company's for a user in no company", async () => {
    const u = await userWith(t, [], { name: 'no-company' });
    const moved = await t.api('PATCH', `/api/v1/admin/users/${u.id}`, { companyId: null, departmentId: null });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    const login = await t.api('POST', '/api/v1/auth/login', { email: u.email, password: USER_PASSWORD }, { token: null });
    expect(login.status, JSON.stringify(login.body)).toBe(200);
    expect(await me(login.body.token)).toMatchObject({ companyId: null, companyCurrency: 'CNY' }); // not the USD company made later
  });
});

describe('a money value written without a currency', () => {
  it("is in the writer's company's currency, not CNY — on create, update and child rows; a field's default currency first", async () => {
    const object = async (body: Record<string, unknown>) => expect((await t.api('POST', '/api/v1/meta/objects', body)).status).toBe(201);
    await object({ apiName: 'cc_bill', label: '账单', fields: [
      { apiName: 'name', type: 'text', label: '名称' },
      { apiName: 'amount', type: 'money', label: '金额' },
      { apiName: 'fee', type: 'money', label: '手续费', config: { defaultCurrency: 'EUR' } },
    ] });
    await object({ apiName: 'cc_bill_line', label: '明细', isChild: true, parentObject: 'cc_bill', fields: [{ apiName: 'price', type: 'money', label: '单价' }] });
    expect((await t.api('POST', '/api/v1/meta/objects/cc_bill/fields', { apiName: 'lines', type: 'child_table', label: '明细', config: { target: 'cc_bill_line' } })).status).toBe(201);
    const us = (await t.api('GET', '/api/v1/admin/companies')).body.data.find((c: { currency: string }) => c.currency === 'USD');
    const role = await roleWith(t, 'cc_writer', ['read', 'create', 'edit'].map((action) => ({ object: 'cc_bill', action, scope: 'all' })));
    const clerk = await userWith(t, [role], { companyId: us.id, name: 'cc-clerk' });
    const as = (method: string, url: string, body?: unknown) => t.api(method, url, body, { token: clerk.token });

    const made = await as('POST', '/api/v1/records/cc_bill', { name: '一号', amount: '100', fee: '2', lines: [{ price: '5' }, { price: { amount: '6', currency: 'JPY' } }] });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const read = async () => (await as('GET', `/api/v1/records/cc_bill/${made.body.id}`)).body;
    const got = await read();
    expect([got.amount, got.fee, got.lines.map((l: { price: unknown }) => l.price)]).toEqual([
      { amount: '100.00', currency: 'USD' }, { amount: '2.00', currency: 'EUR' }, [{ amount: '5.00', currency: 'USD' }, { amount: '6.00', currency: 'JPY' }],
    ]);

    const lines = [{ id: got.lines[0].id, price: '7' }, { price: '8' }]; // an updated row and an added one
    const edited = await as('PATCH', `/api/v1/records/cc_bill/${made.body.id}`, { version: got.version, amount: { amount: '120' }, lines });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    const again = await read();
    expect([again.amount, again.lines.map((l: { price: unknown }) => l.price)]).toEqual([
      { amount: '120.00', currency: 'USD' }, [{ amount: '7.00', currency: 'USD' }, { amount: '8.00', currency: 'USD' }],
    ]);
    // The admin's company is in CNY: the same input from them is in yuan.
    const theirs = await t.api('POST', '/api/v1/records/cc_bill', { name: '二号', amount: '100' });
    expect(theirs.body.amount).toEqual({ amount: '100.00', currency: 'CNY' });
  });
});
