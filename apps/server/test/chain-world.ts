import { expect } from 'vitest';
import type { TestApp } from '@mosaic/testing';

/**
 * The company the chain test runs in, set up as an administrator would at
 * go-live — through the admin API only: a sales department with its manager
 * and one rep (territory 广东 → that team), a warehouse keeper, a buyer and a
 * purchasing manager who approves orders, an accountant. Everyone logs in.
 */
export const PASSWORD = 'Chain-Test-Pw-2026';
export const PEOPLE = { rep: 'sales_rep', salesMgr: 'sales_manager', keeper: 'warehouse_keeper', buyer: 'buyer', buyMgr: 'buyer', accountant: 'accountant' } as const;
export type Person = keyof typeof PEOPLE;
export type Call = (method: string, url: string, body?: unknown) => Promise<{ status: number; body: any; headers: Record<string, unknown> }>;

/** Where the chain runs: an API to call (with a token, or none for public doors) and the tenant's first company. */
export interface ChainHost {
  api: TestApp['api'];
  tenant: { tenantId: string; companyId: string; departmentId: string };
}

export interface ChainWorld {
  ids: Record<Person, string>;
  emails: Record<Person, string>;
  salesDept: string;
  as: Record<Person | 'admin', Call>;
}

export async function ok(p: Promise<{ status: number; body: any }>, status = 200): Promise<any> {
  const r = await p;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r.body;
}

export async function chainWorld(t: ChainHost): Promise<ChainWorld> {
  const admin: Call = (m, u, b) => t.api(m, u, b);
  const roles = (await ok(admin('GET', '/api/v1/admin/roles'))).data as { id: string; code: string }[];
  const roleId = (code: string) => roles.find((r) => r.code === code)!.id;
  const salesDept = (await ok(admin('POST', '/api/v1/admin/departments', { name: '华南销售部', parentId: t.tenant.departmentId }), 201)).id as string;
  const ids = {} as Record<Person, string>;
  const emails = {} as Record<Person, string>;
  const as = { admin } as ChainWorld['as'];
  for (const [person, role] of Object.entries(PEOPLE) as [Person, string][]) {
    emails[person] = `${person.toLowerCase()}-${t.tenant.tenantId.slice(0, 8)}@test.local`;
    const inSales = person === 'rep' || person === 'salesMgr';
    ids[person] = (await ok(admin('POST', '/api/v1/admin/users', {
      email: emails[person], name: person, password: PASSWORD, roleIds: [roleId(role)], departmentId: inSales ? salesDept : t.tenant.departmentId, companyId: t.tenant.companyId,
    }), 201)).id;
    const token = (await ok(t.api('POST', '/api/v1/auth/login', { email: emails[person], password: PASSWORD }, { token: null }))).token as string;
    as[person] = (m, u, b) => t.api(m, u, b, { token });
  }
  await ok(admin('PATCH', `/api/v1/admin/departments/${salesDept}`, { name: '华南销售部', parentId: t.tenant.departmentId, companyId: t.tenant.companyId, managerId: ids.salesMgr }));
  await ok(admin('POST', '/api/v1/records/crm_territory', { province: '44', team: salesDept }), 201);
  return { ids, emails, salesDept, as };
}

export { waitFor } from '@mosaic/testing';

export const q = (x: unknown) => encodeURIComponent(JSON.stringify(x));
