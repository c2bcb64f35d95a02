import { describe, expect, it } from 'vitest';
import type { FieldMeta, ObjectMeta } from '@mosaic/meta';
import type { Actor } from './access.types.ts';
import { systemGuard } from './allow-all.guard.ts';
import { compilePolicy } from './policy.compile.ts';
import { policyGuard } from './policy.guard.ts';
import type { PermissionRow } from './policy.types.ts';
import { scopeLinks, writeScope } from './write-scope.ts';

const field = (apiName: string, type: FieldMeta['type'], config: FieldMeta['config'] = {}): FieldMeta => ({
  id: apiName, objectId: 'o', apiName, columnName: `c_${apiName}`, type, label: { zh: apiName }, required: false, unique: false,
  indexed: false, defaultValue: null, config, position: 0, system: false, readOnly: false, archived: false,
});
const object = (apiName: string, fields: FieldMeta[]): ObjectMeta => ({
  id: apiName, apiName, tableName: `o_${apiName}`, label: { zh: apiName }, module: 'test', isChild: false, isDocument: false, titleField: 'id',
  searchFields: [], rules: [], fields, archived: false, version: 1,
});
// Declared department first: the owner link still comes first (the field a refusal names when set).
const target = object('sales_target', [field('team', 'department', { scopeLink: 'department' }), field('rep', 'user', { scopeLink: 'owner' }), field('period', 'text')]);
const plain = object('customer', [field('name', 'text'), field('owner_hint', 'user')]);
const actor: Actor = { tenantId: 't', userId: 'u', companyId: 'c', departmentId: 'd', departmentIds: ['d'], isAdmin: false, roleIds: ['r'], locale: 'zh-CN', timeZone: 'Asia/Shanghai' };
const perm = (object: string, action: PermissionRow['action'], scope: PermissionRow['scope']): PermissionRow => ({ roleId: 'r', object, action, scope, scopeFilter: null });
const DEPT_TREE = { field: 'department_id', op: 'in', value: { var: '$departmentTree' } };

describe('write scope of objects with owner/department links', () => {
  it('lists the links owner first; an object without links has none', () => {
    expect(scopeLinks(target).map((f) => f.apiName)).toEqual(['rep', 'team']);
    expect(scopeLinks(plain)).toEqual([]);
  });

  it('is the create/edit scope within the read scope; nothing to check when unrestricted or without links', () => {
    const manager = policyGuard(actor, compilePolicy({ permissions: [perm('sales_target', 'read', 'department_tree'), perm('sales_target', 'create', 'all'), perm('sales_target', 'edit', 'department_tree'), perm('customer', 'create', 'own'), perm('customer', 'read', 'own')], fieldRules: [] }));
    expect(writeScope(manager, target, 'create')).toMatchObject({ scope: DEPT_TREE });
    expect(writeScope(manager, target, 'edit')?.links.map((f) => f.apiName)).toEqual(['rep', 'team']);
    expect(writeScope(manager, plain, 'create')).toBeNull();
    const everywhere = policyGuard(actor, compilePolicy({ permissions: [perm('sales_target', 'read', 'all'), perm('sales_target', 'create', 'all')], fieldRules: [] }));
    expect(writeScope(everywhere, target, 'create')).toBeNull();
    expect(writeScope(systemGuard({ ...actor, isAdmin: true }), target, 'create')).toBeNull();
  });
});
