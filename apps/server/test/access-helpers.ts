import { expect } from 'vitest';
import type { TestApp } from '@mosaic/testing';

export const USER_PASSWORD = 'Access-Helper-Pw-2026';
let counter = 0;

/** A custom role through the admin API: its permissions and field rules. */
export async function roleWith(t: TestApp, code: string, permissions: unknown[], rules: unknown[] = [], token?: string): Promise<string> {
  const r = await t.api('POST', '/api/v1/admin/roles', { code, label: code }, { token });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  const p = await t.api('PUT', `/api/v1/admin/roles/${r.body.id}/permissions`, { permissions }, { token });
  expect(p.status, JSON.stringify(p.body)).toBe(200);
  if (rules.length) {
    const f = await t.api('PUT', `/api/v1/admin/roles/${r.body.id}/field-rules`, { rules }, { token });
    expect(f.status, JSON.stringify(f.body)).toBe(200);
  }
  return r.body.id;
}

/** A user with these roles (made by the admin), logged in. */
export async function userWith(t: TestApp, roleIds: string[], opts: { departmentId?: string; companyId?: string; name?: string } = {}): Promise<{ id: string; email: string; token: string }> {
  const email = `${opts.name ?? 'user'}-${++counter}-${t.tenant.tenantId.slice(0, 8)}@test.local`;
  const c = await t.api('POST', '/api/v1/admin/users', {
    email, name: opts.name ?? `用户${counter}`, password: USER_PASSWORD, roleIds,
    departmentId: opts.departmentId ?? t.tenant.departmentId, companyId: opts.companyId ?? t.tenant.companyId,
  });
  expect(c.status, JSON.stringify(c.body)).toBe(201);
  const login = await t.api('POST', '/api/v1/auth/login', { email, password: USER_PASSWORD }, { token: null });
  expect(login.status, JSON.stringify(login.body)).toBe(200);
  return { id: c.body.id, email, token: login.body.token };
}

export const q = (x: unknown) => encodeURIComponent(JSON.stringify(x));
