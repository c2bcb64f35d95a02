import { expect } from 'vitest';
import { inTenantTx, sql } from '@mosaic/db';
import { DEFAULT_ROLES } from '@mosaic/access';
import type { TenantCreated } from '@mosaic/identity';
import { newId } from '@mosaic/kernel';
import type { ObjectMeta } from '@mosaic/meta';
import { createTwoTenantApp, type TestApp } from '@mosaic/testing';
import { rowFactory } from './access-rows.ts';

/**
 * The organisation the access tests run in (tenant A), plus a second tenant B:
 *
 *   company A1: 总部 (root) ─┬─ 销售部 (sales) ── 华东组 (east)
 *                            └─ 仓储部 (warehouse)
 *   company A2: 分公司 (a2)
 *
 * One user per built-in role, all in 销售部 of A1, plus the owners of the other
 * records: a colleague (销售部), someone in 华东组 (below 销售部), in 仓储部, in
 * company A2, and tenant B's admin. Records of every object (not child tables:
 * they are reached through their parent) are written straight into the tables
 * with the owner, department and company each case needs (access-rows.ts).
 */
export const CASES = ['own', 'colleague', 'sub_department', 'other_department', 'other_company', 'other_tenant'] as const;
export type Case = (typeof CASES)[number];
export const ROLE_CODES = DEFAULT_ROLES.map((r) => r.code);
export type TestObject = string;
export const PASSWORD = 'Access-Test-Pw-2026';

export interface Person {
  id: string;
  tenantId: string;
  departmentId: string;
  companyId: string;
}

export interface RecordFacts {
  id: string;
  ownerId: string;
  departmentId: string;
  companyId: string;
  tenantId: string;
}

export interface AccessWorld {
  t: TestApp;
  tenantB: TenantCreated;
  /** Every object of the tenant the matrix asks about. */
  objects: ObjectMeta[];
  /** Whose the records are that scaffolding rows link to (access-rows.ts): tenant A's admin. */
  adminFacts: RecordFacts;
  org: { a1: string; a2: string; root: string; sales: string; east: string; warehouse: string; a2dept: string };
  users: Record<string, Person & { token: string; roleId: string }>;
  /** records[object][role][case]: the record of that case as seen by that role's user. */
  records: Record<TestObject, Record<string, Record<Case, RecordFacts>>>;
  /** For a sales order: the customer it links to. */
  orderCustomer: Map<string, RecordFacts>;
  /** departmentIds of a user's department and below (what "department_tree" means for them). */
  treeOf(departmentId: string): string[];
}

export async function accessWorld(): Promise<AccessWorld> {
  // Tenant B comes with the database, every module installed (tenant-b-template.ts).
  const t = await createTwoTenantApp();
  const tenantB = t.tenantB;
  const { tenantId, companyId: a1, departmentId: root } = t.tenant;
  const org = { a1, a2: newId(), root, sales: newId(), east: newId(), warehouse: newId(), a2dept: newId() };
  await inTenantTx(t.testDb.db.app, { tenantId }, async (tx) => {
    await sql`INSERT INTO company (tenant_id, id, name) VALUES (${tenantId}, ${org.a2}, '分公司')`.execute(tx);
    await sql`INSERT INTO department (tenant_id, id, company_id, parent_id, name, path) VALUES
      (${tenantId}, ${org.sales}, ${a1}, ${root}, '销售部', ARRAY[${root}, ${org.sales}]::uuid[]),
      (${tenantId}, ${org.east}, ${a1}, ${org.sales}, '华东组', ARRAY[${root}, ${org.sales}, ${org.east}]::uuid[]),
      (${tenantId}, ${org.warehouse}, ${a1}, ${root}, '仓储部', ARRAY[${root}, ${org.warehouse}]::uuid[]),
      (${tenantId}, ${org.a2dept}, ${org.a2}, NULL, '分公司', ARRAY[${org.a2dept}]::uuid[])`.execute(tx);
  });
  const roles = (await t.api('GET', '/api/v1/admin/roles')).body.data as { id: string; code: string }[];
  const roleId = (code: string) => roles.find((r) => r.code === code)!.id;

  // Every role user through the admin API (which checks it too), then a real login.
  const users: AccessWorld['users'] = {};
  const person = async (name: string, departmentId: string, companyId: string, roleIds: string[] = []): Promise<Person & { token: string }> => {
    const email = `${name}-${tenantId.slice(0, 8)}@test.local`;
    const c = await t.api('POST', '/api/v1/admin/users', { email, name, password: PASSWORD, departmentId, companyId, roleIds });
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    const login = await t.api('POST', '/api/v1/auth/login', { email, password: PASSWORD }, { token: null });
    expect(login.status, JSON.stringify(login.body)).toBe(200);
    return { id: c.body.id, tenantId, departmentId, companyId, token: login.body.token };
  };
  for (const code of ROLE_CODES) users[code] = { ...(await person(code, org.sales, a1, [roleId(code)])), roleId: roleId(code) };
  const others = {
    colleague: await person('colleague', org.sales, a1),
    sub_department: await person('east', org.east, a1),
    other_department: await person('keeper', org.warehouse, a1),
    other_company: await person('branch', org.a2dept, org.a2),
  };

  const objects = await t.store.objects(tenantId);
  const column = (object: string, field: string) => objects.get(object)!.fields.find((f) => f.apiName === field)!.columnName!;
  const admins = new Map([[tenantId, { ownerId: t.tenant.adminId, departmentId: root, companyId: a1, tenantId }],
    [tenantB.tenantId, { ownerId: tenantB.adminId, departmentId: tenantB.departmentId, companyId: tenantB.companyId, tenantId: tenantB.tenantId }]]);
  // crm_settings keeps one row per tenant (a unique index, tested in crm-sales-fixes); the matrix
  // needs one record per case. It asks about access, not about that rule, so this copy of the
  // database lifts the index.
  await sql`DROP INDEX IF EXISTS crm_settings_one_per_tenant_key`.execute(t.testDb.db.owner);
  const rows = await rowFactory(t.testDb.db, objects, (tenant) => admins.get(tenant)!);
  const insert = async (object: TestObject, facts: Omit<RecordFacts, 'id'>, extra: Record<string, unknown> = {}): Promise<RecordFacts> =>
    ({ id: await rows.insert(object, facts, extra), ...facts });
  const factsOf = (p: Person) => ({ ownerId: p.id, departmentId: p.departmentId, companyId: p.companyId, tenantId: p.tenantId });
  const shared: Record<Exclude<Case, 'own'>, Omit<RecordFacts, 'id'>> = {
    colleague: factsOf(others.colleague), sub_department: factsOf(others.sub_department), other_department: factsOf(others.other_department),
    other_company: factsOf(others.other_company), other_tenant: admins.get(tenantB.tenantId)!,
  };
  const testObjects = [...objects.values()].filter((o) => !o.isChild && !o.archived && !o.id.startsWith('system.')).sort((a, b) => a.apiName.localeCompare(b.apiName));
  const records = {} as AccessWorld['records'];
  const orderCustomer = new Map<string, RecordFacts>();
  // Each order links to the customer of the next case, so a readable order often shows a customer the user may not see.
  const next: Record<Case, Exclude<Case, 'own'>> = { own: 'colleague', colleague: 'sub_department', sub_department: 'other_department', other_department: 'other_company', other_company: 'colleague', other_tenant: 'other_tenant' };
  const sharedCustomers = {} as Record<Exclude<Case, 'own'>, RecordFacts>;
  for (const c of Object.keys(shared) as Exclude<Case, 'own'>[]) sharedCustomers[c] = await insert('customer', shared[c], { [column('customer', 'name')]: `客户-${c}` });
  const extraFor = (object: string, c: Case) => object === 'sales_order' ? { [column('sales_order', 'customer')]: sharedCustomers[next[c]].id } : {};
  const unwritable: string[] = [];
  for (const obj of testObjects) {
    try {
      await recordsOf(obj.apiName);
    } catch (e) {
      unwritable.push((e as Error).message);
    }
  }
  // Every object must be writable here, or the matrix silently asks about fewer.
  expect(unwritable).toEqual([]);
  async function recordsOf(object: string): Promise<void> {
    const sharedRecs = {} as Record<Exclude<Case, 'own'>, RecordFacts>;
    for (const c of Object.keys(shared) as Exclude<Case, 'own'>[]) {
      sharedRecs[c] = object === 'customer' ? sharedCustomers[c] : await insert(object, shared[c], extraFor(object, c));
      if (object === 'sales_order') orderCustomer.set(sharedRecs[c].id, sharedCustomers[next[c]]);
    }
    records[object] = {};
    for (const code of ROLE_CODES) {
      const own = await insert(object, factsOf(users[code]), object === 'customer' ? { [column('customer', 'name')]: `客户-${code}` } : extraFor(object, 'own'));
      if (object === 'sales_order') orderCustomer.set(own.id, sharedCustomers[next.own]);
      records[object][code] = { own, ...sharedRecs };
    }
  }
  const tree = new Map([[org.sales, [org.sales, org.east]], [org.east, [org.east]], [org.warehouse, [org.warehouse]], [org.a2dept, [org.a2dept]]]);
  return { t, tenantB, objects: testObjects, adminFacts: { id: t.tenant.adminId, ...admins.get(tenantId)! }, org, users, records, orderCustomer, treeOf: (d) => tree.get(d) ?? [d] };
}
