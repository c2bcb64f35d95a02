import type { FieldMeta, ObjectMeta } from './meta.types.ts';

/**
 * Users, departments and companies are system tables, not metadata objects,
 * but links point at them (owner_id, department_id, company_id). These
 * read-only descriptions let paths like `owner_id.name` resolve.
 */
function field(objectId: string, apiName: string, columnName: string, type: FieldMeta['type'], zh: string, en: string): FieldMeta {
  return {
    id: `${objectId}.${apiName}`, objectId, apiName, columnName, type, label: { zh, en }, required: false, unique: false,
    indexed: false, defaultValue: null, config: {}, position: 0, system: true, readOnly: true, archived: false,
  };
}

function systemObject(apiName: string, tableName: string, zh: string, en: string, fields: [string, string, FieldMeta['type'], string, string][]): ObjectMeta {
  return {
    id: `system.${apiName}`, apiName, tableName, label: { zh, en }, module: 'core', isChild: false, isDocument: false,
    titleField: 'name', searchFields: ['name'], rules: [], archived: false, version: 1,
    fields: fields.map(([a, c, t, z, e]) => field(`system.${apiName}`, a, c, t, z, e)),
  };
}

export const SYSTEM_OBJECTS = {
  user: systemObject('user', 'app_user', '用户', 'User', [
    ['id', 'id', 'link', 'ID', 'ID'], ['name', 'name', 'text', '姓名', 'Name'], ['email', 'email', 'email', '邮箱', 'Email'],
    ['department_id', 'department_id', 'department', '部门', 'Department'],
  ]),
  department: systemObject('department', 'department', '部门', 'Department', [
    ['id', 'id', 'link', 'ID', 'ID'], ['name', 'name', 'text', '名称', 'Name'], ['manager_id', 'manager_id', 'user', '负责人', 'Manager'],
  ]),
  company: systemObject('company', 'company', '公司', 'Company', [
    ['id', 'id', 'link', 'ID', 'ID'], ['name', 'name', 'text', '名称', 'Name'], ['currency', 'currency', 'text', '本位币', 'Currency'],
  ]),
} as const;
