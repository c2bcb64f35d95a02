import { AppError, Decimal } from '@mosaic/kernel';
import type { FieldMeta, FieldType } from '../meta.types.ts';
import { scalarOf } from '../field-types/index.ts';
import type { FormulaTypeEnv } from '../query-scope.ts';
import { fakeField, fakeScope, fixedCtx } from '../test-scope.ts';
import type { FormulaRecord } from './evaluate-formula.ts';

/**
 * Test fixtures for the formula suites: an order with fields of every kind, a
 * linked customer, order lines (child rows), the type env the checker sees, a
 * fake QueryScope (`amount` → "t"."c_amount", `customer.region` → "j1"."c_region")
 * and one record as PostgreSQL returns it (NUMERIC as strings, bigint as numbers).
 */
export { fixedCtx };

const f = (name: string, type: FieldType, config: FieldMeta['config'] = {}) => fakeField(name, type, config);

export const orderFields: FieldMeta[] = [
  f('qty', 'decimal'), f('price', 'money'), f('discount', 'percent'), f('amount', 'decimal'), f('bonus', 'decimal'), f('count_int', 'integer'),
  f('name', 'text'), f('note', 'text'), f('code', 'text'), f('vip', 'boolean'), f('flag_null', 'boolean'),
  f('start', 'date'), f('end', 'date'), f('due', 'date'), f('created_at', 'datetime'), f('tags', 'multi_select'),
  f('owner_id', 'user'), f('total', 'formula', { formula: 'qty * price', resultType: 'number' }), f('extra', 'lookup'),
];
export const customerFields: FieldMeta[] = [f('region', 'text'), f('credit', 'decimal')];
export const lineFields: FieldMeta[] = [f('amount', 'decimal'), f('sku', 'text')];

export const scope = fakeScope(orderFields, { customer: customerFields });

export const env: FormulaTypeEnv = {
  typeOf(path) {
    const [head, tail] = path.split('.');
    const field = tail === undefined ? orderFields.find((x) => x.apiName === head)
      : head === 'customer' ? customerFields.find((x) => x.apiName === tail)
        : head === 'lines' ? lineFields.find((x) => x.apiName === tail) : undefined;
    if (!field || path.split('.').length > 2) throw new AppError('FIELD_UNKNOWN', `order has no field "${path}"`, { field: path });
    return { type: scalarOf(field), field, many: head === 'lines' && tail !== undefined };
  },
};

export const row: Record<string, unknown> = {
  qty: '10', price: '0.35', discount: '0.13', amount: '1234.50', bonus: null, count_int: 3,
  name: '螺栓', note: null, code: 'A-01', vip: true, flag_null: null,
  start: '2026-01-31', end: '2026-03-01', due: null, created_at: new Date('2026-11-23T18:30:00Z'), tags: ['vip', 'new'],
  owner_id: fixedCtx.userId, total: '3.50', extra: 'x',
  'customer.region': '华南', 'customer.credit': '50000.00',
  'lines.amount': ['3.50', '3.02', null], 'lines.sku': ['a', 'b', 'c'],
};

export const record: FormulaRecord = { get: (p) => row[p] ?? null };

/** A value as a table cell: numbers bare, text quoted, dates as text, instants with @. */
export function display(v: unknown): string {
  if (v === null) return 'NULL';
  if (Decimal.isDecimal(v)) return (v as Decimal).isZero() ? '0' : (v as Decimal).toFixed();
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) return `@${v.toISOString()}`;
  if (Array.isArray(v)) return `[${v.map(display).join(', ')}]`;
  return `?${String(v)}`;
}
