/**
 * The shape of metadata: objects and fields as they are stored in `meta_object`
 * and `meta_field` and cached in memory per tenant. Everything else — DDL,
 * validators, the filter compiler, formulas, OpenAPI, the UI — reads these.
 */

export const FIELD_TYPES = [
  'text', 'long_text', 'rich_text',
  'integer', 'decimal', 'money', 'percent',
  'boolean', 'date', 'datetime',
  'single_select', 'multi_select',
  'email', 'phone', 'url',
  'attachment', 'image', 'address',
  'auto_number', 'link', 'child_table',
  'formula', 'rollup', 'lookup',
  'user', 'department',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** Labels are bilingual; zh-CN is the default language. */
export interface Label {
  zh: string;
  en?: string;
}

export interface SelectOption {
  value: string;
  label: Label;
  color?: string;
}

/** Type-specific settings of a field. Only the keys that fit its type are used. */
export interface FieldConfig {
  maxLength?: number; // text
  precision?: number; // decimal/money/percent: total digits
  scale?: number; // decimal/money/percent: digits after the point
  min?: string | number; // numeric and date bounds (string for decimals and dates)
  max?: string | number;
  regex?: string; // text-like: must match
  options?: SelectOption[]; // single/multi select
  target?: string; // link/child_table: the object API name linked to
  onDelete?: 'restrict' | 'set_null' | 'cascade'; // link
  pattern?: string; // auto_number, e.g. "SO-{YYYY}-{#####}"
  dateField?: string; // auto_number: take {YYYY}/{MM}/{DD} from this date field instead of today
  formula?: string; // formula field expression
  resultType?: ScalarType; // formula: the declared/inferred result type
  stored?: boolean; // formula: computed on write (true) or on read (false)
  rollup?: { relation: string; field?: string; fn: 'sum' | 'count' | 'min' | 'max' | 'avg'; filter?: unknown };
  lookup?: { link: string; field: string }; // lookup: through link field `link`, read `field`
  defaultCurrency?: string; // money
  keyOf?: string; // a stored lookup key (phone_key …) of this field: hidden wherever that field is hidden
  keyReversed?: boolean; // keyOf: the key holds the digits reversed (phone_rkey: "ends with" as a prefix search)
  editableAfterSubmit?: boolean;
  /**
   * user / department fields: this field decides the record's owner (`owner`: owner_id = the user,
   * department_id = the user's department) or its department (`department`). The records layer copies
   * it into the standard columns on every write and then checks the row against the writer's create /
   * edit record scope (packages/access write-scope.ts): a record set for people outside that scope is a
   * 403 naming this field (a sales manager sets targets for their department tree only).
   */
  scopeLink?: 'owner' | 'department';
  /** Text fields: keeps the field's n-grams in search_gram, so `contains` is an index search (ADR 0009). */
  searchable?: boolean;
}

/** The value types of the formula language and of computed fields. */
export type ScalarType = 'text' | 'number' | 'boolean' | 'date' | 'datetime' | 'list' | 'null' | 'any';

export interface FieldMeta {
  id: string;
  objectId: string;
  apiName: string; // stable, snake_case, what the API and formulas use
  columnName: string | null; // generated physical column; null for virtual fields (child_table, virtual formula, lookup)
  type: FieldType;
  label: Label;
  required: boolean;
  unique: boolean;
  indexed: boolean;
  defaultValue: unknown; // a literal, or { formula: "TODAY()" }
  config: FieldConfig;
  position: number;
  system: boolean; // standard columns (id, created_at, …): not editable by admins
  readOnly: boolean; // set by the system only (auto-number, formula, rollup, audit columns)
  archived: boolean;
}

export interface ValidationRule {
  name: string;
  /** Formula that must be TRUE for the record to be valid. */
  formula: string;
  message: Label;
  field?: string;
}

export interface ObjectMeta {
  id: string;
  apiName: string; // e.g. "customer", "sales_order"
  tableName: string; // generated physical table, e.g. "o_customer"
  label: Label;
  pluralLabel?: Label;
  module: string; // "core", "crm", … or "custom"
  isChild: boolean; // a child table (order lines): has parent_id, no own API list
  parentObject?: string; // for child objects
  isDocument: boolean; // has status / docstatus and a lifecycle
  titleField: string; // the field shown as the record's name
  searchFields: string[];
  rules: ValidationRule[];
  fields: FieldMeta[]; // ordered by position, archived included (check `archived`)
  archived: boolean;
  version: number;
  /** What the object's list opens with when the user chose no saved view; absent: the web picks. */
  listDefaults?: ListDefaults;
  /** The list defaults are an admin's (list view designer): a module install leaves them alone. */
  listDefaultsCustom?: boolean;
}

/**
 * An object's default list view: the columns (field paths, in order), the sort and a
 * filter in the filter DSL (packages/meta/src/filter), each checked against the object's
 * fields when saved (list-defaults.ts).
 */
export interface ListDefaults {
  columns: string[];
  sort?: { field: string; direction: 'asc' | 'desc' };
  filter?: unknown;
}

/** A field reached through a path like `customer.region`: the links walked and the end field. */
export interface ResolvedPath {
  path: string;
  links: { field: FieldMeta; target: ObjectMeta }[];
  field: FieldMeta;
  object: ObjectMeta; // the object owning `field`
}
