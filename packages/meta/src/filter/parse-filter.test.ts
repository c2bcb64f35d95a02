import { describe, expect, it } from 'vitest';
import { filterFieldPaths, parseFilter, parseFilterJson } from './index.ts';

describe('parseFilter: canonical form and shorthand → one canonical tree', () => {
  it.each([
    ['a canonical condition stays as it is', { field: 'amount', op: 'gte', value: 100 }, { field: 'amount', op: 'gte', value: 100 }],
    ['a bare value means eq', { status: 'open' }, { field: 'status', op: 'eq', value: 'open' }],
    ['null means isNull', { closed_at: null }, { field: 'closed_at', op: 'isNull', value: true }],
    ['several keys are an implicit and, an operator object several conditions',
      { status: 'open', amount: { gte: 100, lt: 500 } },
      { and: [{ field: 'status', op: 'eq', value: 'open' }, { field: 'amount', op: 'gte', value: 100 }, { field: 'amount', op: 'lt', value: 500 }] }],
    ['a value object is a value, not operators', { close_date: { relative: 'this_month' }, owner_id: { var: '$user' } },
      { and: [{ field: 'close_date', op: 'eq', value: { relative: 'this_month' } }, { field: 'owner_id', op: 'eq', value: { var: '$user' } }] }],
    ['shorthand inside groups', { or: [{ 'customer.region': '华南' }, { not: { stage: { in: ['lost'] } } }] },
      { or: [{ field: 'customer.region', op: 'eq', value: '华南' }, { not: { field: 'stage', op: 'in', value: ['lost'] } }] }],
    ['isNull without a value means true', { field: 'email', op: 'isNull' }, { field: 'email', op: 'isNull', value: true }],
    ['an empty object matches everything', {}, { and: [] }],
  ])('%s', (_, input, expected) => {
    expect(parseFilter(input)).toEqual(expected);
  });

  it('reads JSON text', () => {
    expect(parseFilterJson('{"customer.region":"华南"}')).toEqual({ field: 'customer.region', op: 'eq', value: '华南' });
  });

  it('accepts nesting up to 10 levels and 200 conditions', () => {
    let deep: unknown = { name: 'x' };
    for (let i = 0; i < 9; i++) deep = { not: deep };
    expect(() => parseFilter(deep)).not.toThrow();
    expect(() => parseFilter({ or: Array.from({ length: 200 }, () => ({ name: 'x' })) })).not.toThrow();
  });
});

describe('filterFieldPaths', () => {
  it('lists each path once, in order of appearance', () => {
    const node = parseFilter({ or: [{ amount: { gt: 1, lt: 9 } }, { not: { 'customer.region': 'x' } }, { and: [{ amount: 5 }, { stage: null }] }] });
    expect(filterFieldPaths(node)).toEqual(['amount', 'customer.region', 'stage']);
  });
});
