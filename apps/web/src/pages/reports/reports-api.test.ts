import { describe, expect, it } from 'vitest';
import { behindOf, isMoneyColumn } from '../../api/meta.ts';
import type { FieldBehind, FieldMeta, FieldType } from '../../api/types.ts';
import { summable } from './reports-api.ts';

// A lookup adds up as the field it reads, as the metadata answer says it (`behind`): the report builder offers a
// lookup of a number or of money as a measure, and the list totals a lookup of money per currency. A lookup whose
// field the viewer may not read comes without `behind`, and is offered as neither.
const field = (apiName: string, type: FieldType, extra: Partial<FieldMeta> = {}): FieldMeta => ({
  id: apiName, objectId: 'o', apiName, columnName: type === 'lookup' ? null : `c_${apiName}`, type, label: { zh: apiName },
  required: false, unique: false, indexed: false, defaultValue: null, config: {}, position: 0, system: false, readOnly: false, archived: false, ...extra,
});
const lookup = (apiName: string, behind?: FieldBehind) => field(apiName, 'lookup', { config: { lookup: { link: 'item', field: apiName } }, ...(behind ? { behind } : {}) });

describe('summable: what the report builder offers to add up', () => {
  it('offers stored numbers and money, and lookups of them', () => {
    for (const f of [field('qty', 'integer'), field('price', 'decimal'), field('amount', 'money'), field('rate', 'percent'), field('n', 'rollup'),
      lookup('item_cost', { type: 'money', scale: 4 }), lookup('item_weight', { type: 'decimal' }), lookup('item_stock', { type: 'integer' }), lookup('item_rate', { type: 'percent' })]) {
      expect(summable(f), f.apiName).toBe(true);
    }
  });

  it('not a lookup of text or a date, one the viewer may not read through, an archived or a system field', () => {
    for (const f of [lookup('item_name', { type: 'text' }), lookup('item_date', { type: 'date' }), lookup('hidden'), field('title', 'text'),
      field('old', 'money', { archived: true }), field('version', 'integer', { system: true }), field('lines', 'child_table')]) {
      expect(summable(f), f.apiName).toBe(false);
    }
  });
});

describe('the list totals a lookup of money in its own currency and scale', () => {
  it('isMoneyColumn and behindOf', () => {
    expect(isMoneyColumn(field('amount', 'money'))).toBe(true);
    expect(isMoneyColumn(lookup('item_cost', { type: 'money', scale: 4, defaultCurrency: 'USD' }))).toBe(true);
    expect(isMoneyColumn(lookup('item_stock', { type: 'integer' }))).toBe(false);
    expect(isMoneyColumn(lookup('hidden'))).toBe(false);
    expect(isMoneyColumn(undefined)).toBe(false);
    expect(behindOf(lookup('item_cost', { type: 'money', scale: 4, defaultCurrency: 'USD' }))).toMatchObject({ scale: 4, defaultCurrency: 'USD' });
    expect(behindOf(field('amount', 'money', { config: { scale: 3, defaultCurrency: 'EUR' } }))).toMatchObject({ type: 'money', scale: 3, defaultCurrency: 'EUR' });
  });
});
