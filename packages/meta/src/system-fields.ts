import type { FieldMeta, FieldType, Label, ObjectMeta } from './meta.types.ts';

/**
 * Standard columns every object table has (DESIGN.md, Data). They appear in
 * metadata as system fields so that filters, sorts and formulas can use them,
 * but only the system sets them: they can never be mass-assigned.
 */
interface SystemColumn {
  apiName: string;
  type: FieldType;
  sql: string;
  label: Label;
  target?: string;
}

export const STANDARD_COLUMNS: SystemColumn[] = [
  { apiName: 'id', type: 'link', sql: 'uuid NOT NULL', label: { zh: 'ID', en: 'ID' } },
  { apiName: 'company_id', type: 'link', sql: 'uuid', label: { zh: '公司', en: 'Company' }, target: 'company' },
  { apiName: 'owner_id', type: 'user', sql: 'uuid', label: { zh: '负责人', en: 'Owner' } },
  { apiName: 'department_id', type: 'department', sql: 'uuid', label: { zh: '所属部门', en: 'Department' } },
  { apiName: 'created_at', type: 'datetime', sql: 'timestamptz NOT NULL DEFAULT now()', label: { zh: '创建时间', en: 'Created at' } },
  { apiName: 'created_by', type: 'user', sql: 'uuid', label: { zh: '创建人', en: 'Created by' } },
  { apiName: 'updated_at', type: 'datetime', sql: 'timestamptz NOT NULL DEFAULT now()', label: { zh: '修改时间', en: 'Updated at' } },
  { apiName: 'updated_by', type: 'user', sql: 'uuid', label: { zh: '修改人', en: 'Updated by' } },
  { apiName: 'version', type: 'integer', sql: 'integer NOT NULL DEFAULT 1', label: { zh: '版本', en: 'Version' } },
];

/** Documents (draft → submitted → cancelled) add a status (DESIGN.md, Documents). */
export const DOCUMENT_COLUMNS: SystemColumn[] = [
  { apiName: 'status', type: 'single_select', sql: "text NOT NULL DEFAULT 'draft'", label: { zh: '状态', en: 'Status' } },
  { apiName: 'submitted_at', type: 'datetime', sql: 'timestamptz', label: { zh: '提交时间', en: 'Submitted at' } },
  { apiName: 'cancelled_at', type: 'datetime', sql: 'timestamptz', label: { zh: '作废时间', en: 'Cancelled at' } },
  { apiName: 'cancel_reason', type: 'text', sql: 'text', label: { zh: '作废原因', en: 'Cancel reason' } },
  { apiName: 'amended_from', type: 'link', sql: 'uuid', label: { zh: '修订自', en: 'Amended from' } },
];

/** Child rows (order lines) point at their parent and keep their order. */
export const CHILD_COLUMNS: SystemColumn[] = [
  { apiName: 'parent_id', type: 'link', sql: 'uuid NOT NULL', label: { zh: '上级', en: 'Parent' } },
  { apiName: 'idx', type: 'integer', sql: 'integer NOT NULL DEFAULT 0', label: { zh: '行号', en: 'Row' } },
];

export const DOCUMENT_STATUS_OPTIONS = [
  { value: 'draft', label: { zh: '草稿', en: 'Draft' } },
  { value: 'submitted', label: { zh: '已提交', en: 'Submitted' } },
  { value: 'approved', label: { zh: '已审批', en: 'Approved' } },
  { value: 'cancelled', label: { zh: '已作废', en: 'Cancelled' } },
];

export function systemColumnsFor(obj: Pick<ObjectMeta, 'isChild' | 'isDocument'>): SystemColumn[] {
  const cols = obj.isChild
    ? STANDARD_COLUMNS.filter((c) => ['id', 'created_at', 'updated_at', 'version'].includes(c.apiName)).concat(CHILD_COLUMNS)
    : [...STANDARD_COLUMNS];
  return obj.isDocument ? cols.concat(DOCUMENT_COLUMNS) : cols;
}

export function systemFieldMeta(col: SystemColumn, objectId: string, objectApiName: string, position: number): Omit<FieldMeta, 'id'> {
  return {
    objectId,
    apiName: col.apiName,
    columnName: col.apiName,
    type: col.type,
    label: col.label,
    required: false,
    unique: false,
    indexed: false,
    defaultValue: null,
    config: {
      ...(col.type === 'link' ? { target: col.target ?? objectApiName } : {}),
      ...(col.apiName === 'status' ? { options: DOCUMENT_STATUS_OPTIONS } : {}),
    },
    position,
    system: true,
    readOnly: true,
    archived: false,
  };
}

/** Fields the caller may never set through create/update/bulk/import (DESIGN.md, Access). */
export const PROTECTED_FIELDS = new Set(['id', 'tenant_id', 'company_id', 'owner_id', 'department_id', 'created_at', 'created_by', 'updated_at', 'updated_by', 'version', 'status', 'parent_id', 'submitted_at', 'cancelled_at', 'cancel_reason', 'amended_from']);
