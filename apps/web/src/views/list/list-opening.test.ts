import { describe, expect, it } from 'vitest';
import type { FieldMeta, FieldType, ObjectMeta } from '../../api/types.ts';
import { buildFilter, conditionsOf } from '../../lib/filter.ts';
import { defaultColumns, listColumns } from './column-choice.ts';
import { openingPatch, sortOfParam, sortParam } from './list-opening.ts';

// Which columns, sort and filter a list opens with: the object's list defaults when it has them (and the
// viewer can see their fields), else the web's own pick — with a document's status.
const field = (apiName: string, type: FieldType, extra: Partial<FieldMeta> = {}): FieldMeta =>
  ({ id: apiName, apiName, type, label: { zh: apiName }, required: false, unique: false, config: {}, position: 100, system: false, readOnly: false, archived: false, ...extra }) as FieldMeta;

const order = (over: Partial<ObjectMeta> = {}): ObjectMeta => ({
  id: 'o', apiName: 'sales_order', tableName: 'o_sales_order', label: { zh: '销售订单' }, module: 'selling', isChild: false, isDocument: true,
  titleField: 'number', searchFields: ['number'], archived: false, version: 1,
  fields: [
    field('id', 'link', { system: true, position: 0 }), field('status', 'single_select', { system: true, position: 1 }), field('created_at', 'datetime', { system: true, position: 2 }),
    ...['number:auto_number', 'order_date:date', 'delivery_date:date', 'allow_backorder:boolean', 'customer:link', 'warehouse:link', 'price_list:link', 'max_discount:rollup', 'net_total:rollup', 'grand_total:rollup', 'discount:percent']
      .map((s, i) => { const [n, t] = s.split(':'); return field(n, t as FieldType, { position: 100 + i }); }),
    field('lines', 'child_table', { position: 200 }),
  ],
  ...over,
});

describe('the columns a list opens with', () => {
  it('are the object\'s list defaults, in their order', () => {
    const obj = order({ listDefaults: { columns: ['number', 'customer', 'order_date', 'status', 'grand_total'] } });
    expect(listColumns(obj)).toEqual(['number', 'customer', 'order_date', 'status', 'grand_total']);
  });

  it('leave out a default the viewer cannot see and keep the title first', () => {
    const obj = order({ listDefaults: { columns: ['customer', 'grand_total', 'hidden_cost'] } });
    expect(listColumns(obj)).toEqual(['number', 'customer', 'grand_total']);
  });

  it('without defaults, show a document\'s status after its title', () => {
    expect(defaultColumns(order()).slice(0, 3)).toEqual(['number', 'status', 'order_date']);
    expect(listColumns(order())).toEqual(defaultColumns(order()));
    expect(defaultColumns(order({ isDocument: false }))).not.toContain('status');
  });
});

describe('the sort and filter a list opens with', () => {
  const defaults = { columns: ['number'], sort: { field: 'order_date', direction: 'desc' as const }, filter: { and: [{ field: 'status', op: 'in', value: ['draft', 'submitted'] }, { field: 'discount', op: 'gte', value: '0.1' }] } };

  it('take the defaults\' sort, newest first, and their filter as conditions the user can remove', () => {
    expect(openingPatch(order({ listDefaults: defaults }), new URLSearchParams(''))).toEqual({
      sort: '-order_date',
      conditions: [{ field: 'status', op: 'in', value: ['draft', 'submitted'] }, { field: 'discount', op: 'gte', value: '10' }],
    });
  });

  it('leave a list alone whose address already chooses, or whose object has no defaults', () => {
    for (const qs of ['sort=number', 'view=v1', 'f=[]', 'q=华', 'drill={}']) expect(openingPatch(order({ listDefaults: defaults }), new URLSearchParams(qs)), qs).toBeNull();
    expect(openingPatch(order(), new URLSearchParams(''))).toBeNull();
    expect(openingPatch(order({ listDefaults: { columns: ['number'] } }), new URLSearchParams('page=2'))).toBeNull();
  });

  it('drop a sort or condition on a field the viewer cannot read', () => {
    const obj = order({ listDefaults: { columns: ['number'], sort: { field: 'margin', direction: 'desc' }, filter: { field: 'margin', op: 'gt', value: '0' } } });
    expect(openingPatch(obj, new URLSearchParams(''))).toBeNull();
  });

  it('read a filter the bar built back as its conditions, and refuse one the bar cannot show', () => {
    const obj = order();
    const conditions = [{ field: 'discount', op: 'between' as const, value: ['5', '20'] }, { field: 'delivery_date', op: 'notNull' as const }];
    expect(conditionsOf(obj, buildFilter(obj, conditions, ''))).toEqual(conditions);
    expect(conditionsOf(obj, { or: [{ field: 'status', op: 'eq', value: 'draft' }] })).toBeNull();
    expect(sortOfParam(sortParam({ field: 'order_date', direction: 'desc' }))).toEqual({ field: 'order_date', direction: 'desc' });
    expect(sortOfParam('number')).toEqual({ field: 'number', direction: 'asc' });
  });
});
