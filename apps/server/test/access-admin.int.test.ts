import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenantTx, sql } from '@mosaic/db';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { q, roleWith, userWith } from './access-helpers.ts';

// The permission admin API: roles, permissions and field rules as data, every
// change audited and in force on the very next request; nobody grants a right
// they do not hold; users, departments (a tree, with managers) and companies.
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  for (const [name, tier] of [['甲客户', 'A'], ['乙客户', 'B'], ['丙客户', 'A']]) {
    expect((await t.api('POST', '/api/v1/records/customer', { name, tier })).status).toBe(201);
  }
});

afterAll(async () => {
  await t?.close();
});

const auditKinds = async (kindPrefix: string) => (await inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, (tx) =>
  sql<{ kind: string; detail: any; changes: any }>`SELECT kind, detail, changes FROM audit_log WHERE kind LIKE ${`${kindPrefix}%`} ORDER BY id`.execute(tx))).rows;

describe('roles and permissions', () => {
  it('ships the built-in roles as data', async () => {
    const roles = (await t.api('GET', '/api/v1/admin/roles')).body.data;
    expect(roles.map((r: any) => r.code)).toEqual(expect.arrayContaining(['sales_rep', 'sales_manager', 'warehouse_keeper', 'accountant', 'general_manager', 'system_admin']));
    const rep = roles.find((r: any) => r.code === 'sales_rep');
    expect(rep).toMatchObject({ label: { zh: '销售员' }, builtIn: true });
    expect(rep.permissions).toContainEqual({ object: 'customer', action: 'read', scope: 'own' });
    expect((await t.api('DELETE', `/api/v1/admin/roles/${rep.id}`)).status).toBe(409);
  });

  it('takes effect on the very next request, and audits every change', async () => {
    const roleId = await roleWith(t, 'tier_a_reader', []);
    const u = await userWith(t, [roleId], { name: 'reader' });
    expect((await t.api('GET', '/api/v1/records/customer', undefined, { token: u.token })).status).toBe(404);
    const set = await t.api('PUT', `/api/v1/admin/roles/${roleId}/permissions`, {
      permissions: [{ object: 'customer', action: 'read', scope: 'filter', filter: { tier: 'A' } }],
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    const list = await t.api('GET', `/api/v1/records/customer?sort=name`, undefined, { token: u.token });
    expect(list.body.data.map((r: any) => r.name)).toEqual(['丙客户', '甲客户']);
    await t.api('PUT', `/api/v1/admin/roles/${roleId}/permissions`, { permissions: [] });
    expect((await t.api('GET', '/api/v1/records/customer', undefined, { token: u.token })).status).toBe(404);
    const audit = await auditKinds('access.permissions');
    expect(audit.slice(-2).map((a) => a.detail)).toEqual([
      { code: 'tier_a_reader', added: ['customer:read:filter:{"field":"tier","op":"eq","value":"A"}'], removed: [] },
      { code: 'tier_a_reader', added: [], removed: ['customer:read:filter:{"field":"tier","op":"eq","value":"A"}'] },
    ]);
    expect((await auditKinds('access.role.create')).length).toBeGreaterThan(0);
  });

  it('refuses permissions that do not make sense', async () => {
    const roleId = await roleWith(t, 'bad_input', []);
    const put = (permissions: unknown) => t.api('PUT', `/api/v1/admin/roles/${roleId}/permissions`, { permissions });
    expect((await put([{ object: 'nope', action: 'read' }])).status).toBe(422);
    expect((await put([{ object: 'customer', action: 'fly' }])).status).toBe(422);
    expect((await put([{ object: 'customer', action: 'read', scope: 'galaxy' }])).status).toBe(422);
    expect((await put([{ object: 'customer', action: 'read', scope: 'filter' }])).status).toBe(422);
    expect((await put([{ object: 'customer', action: 'read', scope: 'own', filter: { tier: 'A' } }])).status).toBe(422);
    const unknownField = await put([{ object: 'customer', action: 'read', scope: 'filter', filter: { colour: 'red' } }]);
    expect(unknownField.body.error).toMatchObject({ code: 'FIELD_UNKNOWN', field: 'permissions.0.filter' });
    expect((await put([{ object: 'admin.users', action: 'read', scope: 'own' }])).status).toBe(422);
    const rules = await t.api('PUT', `/api/v1/admin/roles/${roleId}/field-rules`, { rules: [{ object: 'customer', field: 'nope', rule: 'hidden' }] });
    expect(rules.status).toBe(422);
  });
});

describe('a user cannot grant a right they do not hold', () => {
  it('lets a delegated role manager grant within their own rights only', async () => {
    const delegate = await roleWith(t, 'role_manager', [
      { object: 'admin.roles', action: 'read' }, { object: 'admin.roles', action: 'create' }, { object: 'admin.roles', action: 'edit' },
      { object: 'admin.users', action: 'read' }, { object: 'admin.users', action: 'edit' },
      { object: 'customer', action: 'read', scope: 'department_tree' }, { object: 'customer', action: 'edit', scope: 'own' },
    ], [{ object: 'customer', field: 'credit_limit', rule: 'hidden' }]);
    const m = await userWith(t, [delegate], { name: 'manager' });
    const as = (method: string, url: string, body?: unknown) => t.api(method, url, body, { token: m.token });
    const created = await as('POST', '/api/v1/admin/roles', { code: 'junior', label: '助理' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const within = await as('PUT', `/api/v1/admin/roles/${created.body.id}/permissions`, { permissions: [{ object: 'customer', action: 'read', scope: 'own' }] });
    expect(within.status, JSON.stringify(within.body)).toBe(403); // credit_limit is hidden from the manager: the role must hide it too
    expect(within.body.error.message).toMatch(/credit_limit/);
    expect((await as('PUT', `/api/v1/admin/roles/${created.body.id}/field-rules`, { rules: [{ object: 'customer', field: 'credit_limit', rule: 'hidden' }] })).status).toBe(200);
    expect((await as('PUT', `/api/v1/admin/roles/${created.body.id}/permissions`, { permissions: [{ object: 'customer', action: 'read', scope: 'own' }] })).status).toBe(200);
    for (const permissions of [
      [{ object: 'customer', action: 'read', scope: 'all' }],
      [{ object: 'customer', action: 'delete', scope: 'own' }],
      [{ object: 'sales_order', action: 'read', scope: 'own' }],
      [{ object: '*', action: 'read', scope: 'own' }],
      [{ object: 'admin.org', action: 'read' }],
    ]) {
      const r = await as('PUT', `/api/v1/admin/roles/${created.body.id}/permissions`, { permissions });
      expect(r.status, JSON.stringify(permissions)).toBe(403);
      expect(r.body.error.code).toBe('FORBIDDEN');
    }
    const roles = (await t.api('GET', '/api/v1/admin/roles')).body.data;
    const admin = roles.find((r: any) => r.code === 'system_admin');
    expect((await as('PATCH', `/api/v1/admin/roles/${admin.id}`, { label: '我的' })).status).toBe(403);
    expect((await as('PUT', `/api/v1/admin/roles/${admin.id}/permissions`, { permissions: [] })).status).toBe(403);
    const someone = await userWith(t, [], { name: 'someone' });
    expect((await as('PUT', `/api/v1/admin/users/${someone.id}/roles`, { roleIds: [admin.id] })).status).toBe(403);
    expect((await as('PUT', `/api/v1/admin/users/${someone.id}/roles`, { roleIds: [created.body.id] })).status).toBe(200);
    expect((await as('PATCH', `/api/v1/admin/users/${someone.id}`, { isAdmin: true })).status).toBe(403);
    expect((await as('POST', `/api/v1/admin/users/${t.tenant.adminId}/password`, { password: 'Taken-Over-2026' })).status).toBe(403);
    expect((await as('PATCH', `/api/v1/admin/users/${t.tenant.adminId}`, { name: 'x' })).status).toBe(403);
    expect((await as('GET', '/api/v1/admin/departments')).status).toBe(403);
    expect((await auditKinds('auth.denied')).length).toBeGreaterThan(5);
  });
});

describe('the organisation', () => {
  it('keeps the department tree: department-and-below scopes follow a move at once', async () => {
    const dept = async (name: string, parentId?: string) => {
      const r = await t.api('POST', '/api/v1/admin/departments', { name, parentId });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body;
    };
    const south = await dept('华南大区', t.tenant.departmentId);
    const gz = await dept('广州办', south.id);
    const sz = await dept('深圳办');
    expect(gz.path).toEqual([t.tenant.departmentId, south.id, gz.id]);
    const role = await roleWith(t, 'tree_reader', [{ object: 'customer', action: 'read', scope: 'department_tree' }, { object: 'customer', action: 'create' }]);
    const boss = await userWith(t, [role], { name: 'south-boss', departmentId: south.id });
    const rep = await userWith(t, [role], { name: 'sz-rep', departmentId: sz.id });
    expect((await t.api('POST', '/api/v1/records/customer', { name: '深圳客户' }, { token: rep.token })).status).toBe(201);
    const seen = async () => (await t.api('GET', `/api/v1/records/customer?filter=${q({ name: '深圳客户' })}`, undefined, { token: boss.token })).body.total;
    expect(await seen()).toBe(0);
    const moved = await t.api('PATCH', `/api/v1/admin/departments/${sz.id}`, { parentId: gz.id, managerId: rep.id });
    expect(moved.body.path).toEqual([t.tenant.departmentId, south.id, gz.id, sz.id]);
    expect(await seen()).toBe(1);
    expect((await t.api('PATCH', `/api/v1/admin/departments/${south.id}`, { parentId: sz.id })).status).toBe(422);
    expect((await t.api('DELETE', `/api/v1/admin/departments/${south.id}`)).status).toBe(409);
    const empty = await dept('临时组', gz.id);
    expect((await t.api('DELETE', `/api/v1/admin/departments/${empty.id}`)).status).toBe(204);
    expect((await auditKinds('org.department')).map((a) => a.kind)).toContain('org.department.update');
  });

  it('manages companies and users', async () => {
    const c = await t.api('POST', '/api/v1/admin/companies', { name: '星河贸易有限公司', currency: 'CNY' });
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    expect((await t.api('PATCH', `/api/v1/admin/companies/${c.body.id}`, { name: '星河国际贸易有限公司' })).body.name).toBe('星河国际贸易有限公司');
    const users = await t.api('GET', '/api/v1/admin/users');
    expect(users.body.data.find((u: any) => u.id === t.tenant.adminId)).toMatchObject({ isAdmin: true, active: true });
    expect(JSON.stringify(users.body)).not.toMatch(/password|argon2/);
    const dup = await t.api('POST', '/api/v1/admin/users', { email: users.body.data[0].email, name: 'dup', password: 'Duplicate-Pw-1' });
    expect(dup.body.error).toMatchObject({ code: 'CONFLICT', field: 'email' });
    expect((await t.api('POST', '/api/v1/admin/users', { email: 'x@y.cn', name: 'x', password: 'Some-Pw-2026', departmentId: c.body.id })).status).toBe(422);
    expect((await t.api('PATCH', '/api/v1/admin/users/not-an-id', { name: 'x' })).status).toBe(404);
  });
});
