import type { FieldMeta, FieldType, ScalarType } from '../meta.types.ts';
import * as c from './coerce.ts';

/**
 * What each field type is, in one table: how it is stored (columns and SQL
 * types), how API input becomes a stored value, and what type formulas see.
 * DDL, validation, the filter compiler, OpenAPI and the UI all read this.
 */
export interface FieldTypeDef {
  /** 'column': one real column; 'virtual': computed on read (no column); 'children': a child table. */
  storage: 'column' | 'virtual' | 'children';
  /** SQL type of the main column. */
  sqlType(field: FieldMeta): string;
  /** Extra columns beside the main one: money keeps its currency in `<col>_ccy`. */
  extraColumns?: (field: FieldMeta) => { suffix: string; sqlType: string }[];
  coerce: c.Coercer;
  scalar: ScalarType;
  /** Can hold a unique constraint / be indexed / be sorted on. */
  comparable: boolean;
  /** Set only by the system (never by API input). */
  computed?: boolean;
  openApi: Record<string, unknown>;
}

const numeric = (f: FieldMeta, dp: number) => `numeric(${f.config.precision ?? 20},${f.config.scale ?? dp})`;
const str = { type: 'string' };

export const FIELD_TYPE_DEFS: Record<FieldType, FieldTypeDef> = {
  text: { storage: 'column', sqlType: () => 'text', coerce: c.coerceText, scalar: 'text', comparable: true, openApi: str },
  long_text: { storage: 'column', sqlType: () => 'text', coerce: c.coerceText, scalar: 'text', comparable: false, openApi: str },
  rich_text: { storage: 'column', sqlType: () => 'text', coerce: c.coerceRichText, scalar: 'text', comparable: false, openApi: { type: 'string', format: 'html' } },
  integer: {
    storage: 'column', sqlType: () => 'bigint', coerce: (v, f, p) => c.coerceNumber(v, f, p, { integer: true }),
    scalar: 'number', comparable: true, openApi: { type: 'integer' },
  },
  decimal: { storage: 'column', sqlType: (f) => numeric(f, 6), coerce: (v, f, p) => c.coerceNumber(v, f, p), scalar: 'number', comparable: true, openApi: { type: 'string', format: 'decimal' } },
  money: {
    storage: 'column', sqlType: (f) => numeric(f, 2),
    extraColumns: () => [{ suffix: '_ccy', sqlType: 'char(3)' }],
    coerce: (v, f, p) => {
      const amount = v && typeof v === 'object' && 'amount' in v ? (v as { amount: unknown }).amount : v;
      const ccy = v && typeof v === 'object' && 'currency' in v ? (v as { currency: unknown }).currency : undefined;
      if (ccy !== undefined && (typeof ccy !== 'string' || !/^[A-Z]{3}$/.test(ccy))) throw c.invalid(`${p}.currency`, 'must be a 3-letter currency code');
      // No currency given and none by default: null here, the company's on write (records' fillCompanyCurrency), not a fixed CNY.
      return { amount: c.coerceNumber(amount, f, p), currency: (ccy as string | undefined) ?? f.config.defaultCurrency ?? null };
    },
    scalar: 'number', comparable: true,
    openApi: { type: 'object', properties: { amount: { type: 'string', format: 'decimal' }, currency: { type: 'string' } } },
  },
  // A percent is stored as a fraction (13 % = 0.13), as spreadsheets do, so formulas multiply correctly.
  percent: { storage: 'column', sqlType: (f) => numeric(f, 6), coerce: (v, f, p) => c.coerceNumber(v, { ...f, config: { scale: 6, ...f.config } }, p), scalar: 'number', comparable: true, openApi: { type: 'string', format: 'decimal' } },
  boolean: { storage: 'column', sqlType: () => 'boolean', coerce: c.coerceBoolean, scalar: 'boolean', comparable: true, openApi: { type: 'boolean' } },
  date: { storage: 'column', sqlType: () => 'date', coerce: c.coerceDate, scalar: 'date', comparable: true, openApi: { type: 'string', format: 'date' } },
  datetime: { storage: 'column', sqlType: () => 'timestamptz', coerce: c.coerceDatetime, scalar: 'datetime', comparable: true, openApi: { type: 'string', format: 'date-time' } },
  single_select: { storage: 'column', sqlType: () => 'text', coerce: c.coerceSelect, scalar: 'text', comparable: true, openApi: str },
  multi_select: { storage: 'column', sqlType: () => 'text[]', coerce: c.coerceMultiSelect, scalar: 'list', comparable: false, openApi: { type: 'array', items: str } },
  email: { storage: 'column', sqlType: () => 'text', coerce: c.coerceEmail, scalar: 'text', comparable: true, openApi: { type: 'string', format: 'email' } },
  phone: { storage: 'column', sqlType: () => 'text', coerce: c.coercePhone, scalar: 'text', comparable: true, openApi: str },
  url: { storage: 'column', sqlType: () => 'text', coerce: c.coerceUrl, scalar: 'text', comparable: true, openApi: { type: 'string', format: 'uri' } },
  // Attachments hold file ids; the records service checks the files exist in the tenant.
  attachment: {
    storage: 'column', sqlType: () => 'uuid[]', coerce: (v, f, p) => {
      const list = Array.isArray(v) ? v : [v];
      if (list.length > 50) throw c.invalid(p, 'has more than 50 files');
      return list.map((x, i) => c.coerceUuid(x, f, `${p}.${i}`));
    }, scalar: 'list', comparable: false, openApi: { type: 'array', items: { type: 'string', format: 'uuid' } },
  },
  image: { storage: 'column', sqlType: () => 'uuid', coerce: c.coerceUuid, scalar: 'text', comparable: false, openApi: { type: 'string', format: 'uuid' } },
  address: { storage: 'column', sqlType: () => 'jsonb', coerce: c.coerceAddress, scalar: 'any', comparable: false, openApi: { type: 'object' } },
  auto_number: { storage: 'column', sqlType: () => 'text', coerce: c.coerceText, scalar: 'text', comparable: true, computed: true, openApi: { type: 'string', readOnly: true } },
  link: { storage: 'column', sqlType: () => 'uuid', coerce: c.coerceUuid, scalar: 'text', comparable: true, openApi: { type: 'string', format: 'uuid' } },
  user: { storage: 'column', sqlType: () => 'uuid', coerce: c.coerceUuid, scalar: 'text', comparable: true, openApi: { type: 'string', format: 'uuid' } },
  department: { storage: 'column', sqlType: () => 'uuid', coerce: c.coerceUuid, scalar: 'text', comparable: true, openApi: { type: 'string', format: 'uuid' } },
  child_table: { storage: 'children', sqlType: () => '', coerce: (v) => v, scalar: 'list', comparable: false, openApi: { type: 'array' } },
  formula: {
    storage: 'column', // stored formulas; virtual ones have no column (see hasColumn)
    sqlType: (f) => formulaSqlType(f.config.resultType), coerce: (v) => v, scalar: 'any', comparable: true, computed: true,
    openApi: { readOnly: true },
  },
  rollup: { storage: 'column', sqlType: (f) => (f.config.rollup?.fn === 'count' ? 'bigint' : 'numeric'), coerce: (v) => v, scalar: 'number', comparable: true, computed: true, openApi: { type: 'string', format: 'decimal', readOnly: true } },
  lookup: { storage: 'virtual', sqlType: () => '', coerce: (v) => v, scalar: 'any', comparable: true, computed: true, openApi: { readOnly: true } },
};

export function formulaSqlType(t: ScalarType | undefined): string {
  switch (t) {
    case 'number': return 'numeric';
    case 'boolean': return 'boolean';
    case 'date': return 'date';
    case 'datetime': return 'timestamptz';
    default: return 'text';
  }
}

/** Whether the field has a physical column. */
export function hasColumn(field: Pick<FieldMeta, 'type' | 'config'>): boolean {
  const def = FIELD_TYPE_DEFS[field.type];
  if (field.type === 'formula') return field.config.stored !== false;
  return def.storage === 'column';
}

/** The scalar type formulas and filters see for a field. */
export function scalarOf(field: FieldMeta): ScalarType {
  if (field.type === 'formula') return field.config.resultType ?? 'any';
  return FIELD_TYPE_DEFS[field.type].scalar;
}
