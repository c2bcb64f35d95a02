import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { USER_PASSWORD, userWith } from './access-helpers.ts';

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
  return r.body.user as { companyId: string | null; companyCurrency: string };
};

describe('GET /auth/me companyCurrency', () => {
  it("is the user's company's currency", async () => {
    expect((await me()).companyCurrency).toBe('CNY'); // the admin, in the tenant's first company (CNY by default)
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
