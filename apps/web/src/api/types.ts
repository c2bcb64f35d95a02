/**
 * What the server's metadata API returns (GET /api/v1/meta/objects): a mirror of
 * packages/meta/src/meta.types.ts, kept as types only so the bundle stays small.
 */
export type FieldType =
  | 'text' | 'long_text' | 'rich_text'
  | 'integer' | 'decimal' | 'money' | 'percent'
  | 'boolean' | 'date' | 'datetime'
  | 'single_select' | 'multi_select'
  | 'email' | 'phone' | 'url'
  | 'attachment' | 'image' | 'address'
  | 'auto_number' | 'link' | 'child_table'
  | 'formula' | 'rollup' | 'lookup'
  | 'user' | 'department';

export const FIELD_TYPES: FieldType[] = [
  'text', 'long_text', 'rich_text', 'integer', 'decimal', 'money', 'percent', 'boolean', 'date', 'datetime',
  'single_select', 'multi_select', 'email', 'phone', 'url', 'attachment', 'image', 'address', 'auto_number',
  'link', 'child_table', 'formula', 'rollup', 'lookup', 'user', 'department',
];

export interface Label {
  zh: string;
  en?: string;
}

export interface SelectOption {
  value: string;
  label: Label;
  color?: string;
}

export type ScalarType = 'text' | 'number' | 'boolean' | 'date' | 'datetime' | 'list' | 'null' | 'any';

export interface FieldConfig {
  maxLength?: number;
  precision?: number;
  scale?: number;
  min?: string | number;
  max?: string | number;
  regex?: string;
  options?: SelectOption[];
  target?: string;
  onDelete?: 'restrict' | 'set_null' | 'cascade';
  pattern?: string;
  formula?: string;
  resultType?: ScalarType;
  stored?: boolean;
  rollup?: { relation: string; field?: string; fn: 'sum' | 'count' | 'min' | 'max' | 'avg'; filter?: unknown };
  lookup?: { link: string; field: string };
  defaultCurrency?: string;
}

export interface FieldMeta {
  id: string;
  objectId: string;
  apiName: string;
  columnName: string | null;
  type: FieldType;
  label: Label;
  required: boolean;
  unique: boolean;
  indexed: boolean;
  defaultValue: unknown;
  config: FieldConfig;
  position: number;
  system: boolean;
  readOnly: boolean;
  archived: boolean;
  /**
   * A lookup's: what the field it reads is (through lookups of lookups) — its type, and a money field's scale and
   * default currency. The server leaves it out when the viewer may not read that field (see behindOf).
   */
  behind?: FieldBehind;
}

/** What a lookup reads, as the metadata answer says it (apps/server meta.routes.ts withBehind). */
export interface FieldBehind {
  type: FieldType;
  scale?: number;
  defaultCurrency?: string;
  resultType?: ScalarType;
}

export interface ObjectMeta {
  id: string;
  apiName: string;
  tableName: string;
  label: Label;
  pluralLabel?: Label;
  module: string;
  isChild: boolean;
  parentObject?: string;
  isDocument: boolean;
  titleField: string;
  searchFields: string[];
  fields: FieldMeta[];
  archived: boolean;
  version: number;
  /** What the object's list opens with when the user chose no saved view (the list view designer). */
  listDefaults?: ListDefaults;
  /** Set by an admin (a module's install no longer replaces them). */
  listDefaultsCustom?: boolean;
}

/** An object's default list view: columns in order, a sort, a filter in the filter DSL. */
export interface ListDefaults {
  columns: string[];
  sort?: { field: string; direction: 'asc' | 'desc' };
  filter?: FilterNode;
}

export type RecordData = Record<string, unknown> & { id: string; version?: number; $title?: string };

export interface ListReply {
  data: RecordData[];
  total?: number;
  page: number;
  pageSize: number;
  nextCursor?: string | null;
}

export interface Me {
  id: string;
  tenantId: string;
  companyId: string | null;
  departmentId: string | null;
  isAdmin: boolean;
  locale?: string | null;
  /** The currency of the user's company (see api/company-currency.ts). */
  companyCurrency?: string;
}

export type FilterNode =
  | { and: FilterNode[] }
  | { or: FilterNode[] }
  | { not: FilterNode }
  | { field: string; op: string; value?: unknown };

/** A built-in module as GET /api/v1/meta/modules describes it: the navigation is built from these. */
export interface ModuleInfo {
  name: string;
  label: Label;
  depends: string[];
  /** The menu group the module's objects and pages are filed under; 'admin' is 设置. */
  menu: { group: string; label: Label; order: number };
  /** The `module` its objects declare. */
  objectModules: string[];
}
