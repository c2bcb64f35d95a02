import { describe, expect, it } from 'vitest';
import type { FieldMeta, ObjectMeta } from '@mosaic/meta';
import type { Actor } from './access.types.ts';
import { rightNotHeld } from './grant-check.ts';
import { compilePolicy } from './policy.compile.ts';
import { policyGuard } from './policy.guard.ts';
import type { FieldRuleRow, PermissionRow, PolicyData } from './policy.types.ts';

const field = (apiName: string, extra: Partial<FieldMeta> = {}): FieldMeta => ({
  id: apiName, objectId: 'o', apiName, columnName: `c_${apiName}`, type: 'text', label: { zh: apiName }, required: false, unique: false,
  indexed: false, defaultValue: null, config: {}, position: 0, system: false, readOnly: false, archived: false, ...extra,
});
const object = (apiName: string, fields: string[], extra: Partial<ObjectMeta> = {}): ObjectMeta => ({
  id: apiName, apiName, tableName: `o_${apiName}`, label: { zh: apiName }, module: 'test', isChild: false, isDocument: false, titleField: 'name',
  searchFields: [], rules: [], fields: fields.map((f) => field(f)), archived: false, version: 1, ...extra,
});
const customer = object('customer', ['name', 'credit_limit', 'salary']);
const order = object('sales_order', ['number', 'amount']);
const line = object('sales_order_line', ['qty', 'cost'], { isChild: true, parentObject: 'sales_order' });
const actor: Actor = { tenantId: 't', userId: 'u', companyId: 'c', departmentId: 'd', departmentIds: ['d'], isAdmin: false, roleIds: ['r1', 'r2'], locale: 'zh-CN', timeZone: 'Asia/Shanghai' };

const perm = (roleId: string, object: string, action: PermissionRow['action'], scope: PermissionRow['scope'] = 'all', scopeFilter: unknown = null): PermissionRow =>
  ({ roleId, object, action, scope, scopeFilter });
const rule = (roleId: string, object: string, f: string, r: FieldRuleRow['rule']): FieldRuleRow => ({ roleId, object, field: f, rule: r });
const guardOf = (data: PolicyData) => policyGuard(actor, compilePolicy(data));

const OWN = { field: 'owner_id', op: 'eq', value: { var: '$user' } };
const DEPT_TREE = { field: 'department_id', op: 'in', value: { var: '$departmentTree' } };

describe('policy guard: actions and record scopes', () => {
  it('answers from the grants; nothing granted is nothing allowed', () => {
    const g = guardOf({ permissions: [perm('r1', 'customer', 'read', 'own')], fieldRules: [] });
    expect(g.can(customer, 'read')).toBe(true);
    expect(g.can(customer, 'edit')).toBe(false);
    expect(g.can(order, 'read')).toBe(false);
    expect(g.recordScope(customer, 'read')).toEqual(OWN);
    expect(g.recordScope(order, 'read')).toEqual({ or: [] });
  });

  it('adds rights up across roles: scopes are or-ed, and "all" wins', () => {
    const two = guardOf({ permissions: [perm('r1', 'customer', 'read', 'own'), perm('r2', 'customer', 'read', 'department_tree')], fieldRules: [] });
    expect(two.recordScope(customer, 'read')).toEqual({ or: [OWN, DEPT_TREE] });
    const all = guardOf({ permissions: [perm('r1', 'customer', 'read', 'own'), perm('r2', 'customer', 'read', 'all')], fieldRules: [] });
    expect(all.recordScope(customer, 'read')).toBeNull();
  });

  it('limits other actions to what may be read', () => {
    const g = guardOf({ permissions: [perm('r1', 'customer', 'read', 'own'), perm('r1', 'customer', 'edit', 'all'), perm('r1', 'customer', 'delete', 'company')], fieldRules: [] });
    expect(g.recordScope(customer, 'edit')).toEqual(OWN);
    expect(g.recordScope(customer, 'delete')).toEqual({ and: [{ field: 'company_id', op: 'eq', value: { var: '$company' } }, OWN] });
  });

  it('takes "*" grants for every object but not for admin areas, and a filter scope as stored', () => {
    const filter = { field: 'name', op: 'startsWith', value: 'A' };
    const g = guardOf({ permissions: [perm('r1', '*', 'read'), perm('r2', 'sales_order', 'edit', 'filter', filter)], fieldRules: [] });
    expect(g.can(order, 'read') && g.can(customer, 'read')).toBe(true);
    expect(g.canDo('admin.roles', 'read')).toBe(false);
    expect(g.recordScope(order, 'edit')).toEqual(filter);
  });

  it('lets child tables follow their parent', () => {
    const g = guardOf({ permissions: [perm('r1', 'sales_order', 'read', 'own')], fieldRules: [rule('r1', 'sales_order_line', 'cost', 'hidden')] });
    expect(g.can(line, 'read')).toBe(true);
    expect(g.recordScope(line, 'read')).toBeNull();
    expect(g.canReadField(line, field('qty'))).toBe(true);
    expect(g.canReadField(line, field('cost'))).toBe(false);
  });
});

describe('policy guard: field rules', () => {
  it('hides a field only when every role granting read hides it', () => {
    const hiddenByOne = guardOf({
      permissions: [perm('r1', 'customer', 'read'), perm('r2', 'customer', 'read')],
      fieldRules: [rule('r1', 'customer', 'salary', 'hidden')],
    });
    expect(hiddenByOne.canReadField(customer, field('salary'))).toBe(true);
    const hiddenByAll = guardOf({
      permissions: [perm('r1', 'customer', 'read'), perm('r2', 'customer', 'read')],
      fieldRules: [rule('r1', 'customer', 'salary', 'hidden'), rule('r2', 'customer', 'salary', 'hidden')],
    });
    expect(hiddenByAll.canReadField(customer, field('salary'))).toBe(false);
    expect(hiddenByAll.canWriteField(customer, field('salary'))).toBe(false);
  });

  it('makes a field writable when some role granting create or edit leaves it alone', () => {
    const g = guardOf({
      permissions: [perm('r1', 'customer', 'read'), perm('r1', 'customer', 'edit'), perm('r2', 'customer', 'read')],
      fieldRules: [rule('r1', 'customer', 'credit_limit', 'read_only')],
    });
    expect(g.canReadField(customer, field('credit_limit'))).toBe(true);
    expect(g.canWriteField(customer, field('credit_limit'))).toBe(false);
    expect(g.canWriteField(customer, field('name'))).toBe(true);
    const readOnlyRole = guardOf({ permissions: [perm('r1', 'customer', 'read')], fieldRules: [] });
    expect(readOnlyRole.canWriteField(customer, field('name'))).toBe(false);
  });
});

describe('a user cannot grant a right they do not hold', () => {
  const objects = new Map([['customer', customer], ['sales_order', order], ['sales_order_line', line]]);
  const granterData: PolicyData = {
    permissions: [perm('g', 'customer', 'read', 'department_tree'), perm('g', 'customer', 'edit', 'own'), perm('g', 'admin.roles', 'edit')],
    fieldRules: [rule('g', 'customer', 'salary', 'hidden')],
  };
  const granter = compilePolicy(granterData);
  const granterGuard = policyGuard(actor, granter);
  const check = (permissions: PermissionRow[], fieldRules: FieldRuleRow[] = []) => rightNotHeld(granter, granterGuard, { permissions, fieldRules }, objects);

  it('allows what is within the granter\'s rights', () => {
    expect(check([perm('x', 'customer', 'read', 'own'), perm('x', 'customer', 'read', 'department')], [rule('x', 'customer', 'salary', 'hidden')])).toBeNull();
  });

  it('refuses a wider scope, another action, another object, every object, or an admin area not held', () => {
    expect(check([perm('x', 'customer', 'read', 'all')], [rule('x', 'customer', 'salary', 'hidden')])).toBe('read on customer (all)');
    expect(check([perm('x', 'customer', 'delete', 'own')])).toBe('delete on customer (own)');
    expect(check([perm('x', 'sales_order', 'read', 'own')])).toBe('read on sales_order (own)');
    expect(check([perm('x', '*', 'read', 'own')])).toBe('read on * (own)');
    expect(check([perm('x', 'admin.users', 'read')])).toBe('read on admin.users (all)');
    expect(check([perm('x', 'customer', 'read', 'filter', { field: 'name', op: 'eq', value: 'a' })], [rule('x', 'customer', 'salary', 'hidden')])).toMatch(/filter/);
  });

  it('refuses showing a field hidden from the granter', () => {
    expect(check([perm('x', 'customer', 'read', 'own')])).toBe('reading customer.salary');
  });
});
