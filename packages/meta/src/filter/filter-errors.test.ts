import { describe, expect, it } from 'vitest';
import { AppError, type ErrorCode } from '@mosaic/kernel';
import { compile } from './filter.fixtures.ts';
import { parseFilterJson } from './index.ts';

const nested = (levels: number): unknown => {
  let node: unknown = { name: 'x' };
  for (let i = 1; i < levels; i++) node = { not: node };
  return node;
};

// [input, code, field (undefined: the error is about the filter as a whole)]
type Failure = [unknown, ErrorCode, string | undefined];

function expectFailure(run: () => unknown, code: ErrorCode, field: string | undefined): void {
  let error: unknown;
  try {
    run();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(AppError);
  const e = error as AppError;
  expect({ code: e.code, field: e.field }).toEqual({ code, field });
  expect(e.status).toBeGreaterThanOrEqual(400);
  expect(e.status).toBeLessThan(500);
  if (field) expect(e.message).toContain(field.slice(0, 20));
}

const table = (cases: Failure[]) => it.each(cases)('%j → %s %s', (input, code, field) => expectFailure(() => compile(input), code, field));

describe('refused: fields that do not exist or are not paths', () => {
  table([
    [{ colour: 'red' }, 'FIELD_UNKNOWN', 'colour'],
    [{ 'customer.nope': 1 }, 'FIELD_UNKNOWN', 'customer.nope'],
    [{ "name'; DROP TABLE x; --": 'a' }, 'FIELD_UNKNOWN', "name'; DROP TABLE x; --"],
    [{ field: 'Name', op: 'eq', value: 'x' }, 'FIELD_UNKNOWN', 'Name'],
    [{ field: 'name.', op: 'eq', value: 'x' }, 'FIELD_UNKNOWN', 'name.'],
    [{ broken_lookup: 'x' }, 'FIELD_UNKNOWN', 'broken_lookup'],
    [{ field: 1, op: 'eq', value: 1 }, 'FILTER_INVALID', undefined],
    [{ op: 'eq', value: 1 }, 'FILTER_INVALID', undefined],
  ]);
});

describe('refused: operators unknown or not fitting the field type', () => {
  table([
    [{ field: 'amount', op: 'like', value: 1 }, 'OPERATOR_UNKNOWN', 'amount'],
    [{ amount: { like: 1 } }, 'OPERATOR_UNKNOWN', 'amount'],
    [JSON.parse('{"amount":{"__proto__":1}}'), 'OPERATOR_UNKNOWN', 'amount'], // JSON makes __proto__ an own key
    [JSON.parse('{"__proto__":{"eq":1}}'), 'FIELD_UNKNOWN', '__proto__'],
    [{ field: 'amount', value: 1 }, 'FILTER_INVALID', 'amount'],
    [{ field: 'active', op: 'gt', value: true }, 'OPERATOR_UNKNOWN', 'active'],
    [{ field: 'amount', op: 'contains', value: '1' }, 'OPERATOR_UNKNOWN', 'amount'],
    [{ field: 'stage', op: 'contains', value: 'w' }, 'OPERATOR_UNKNOWN', 'stage'],
    [{ field: 'tags', op: 'eq', value: 'vip' }, 'OPERATOR_UNKNOWN', 'tags'],
    [{ field: 'name', op: 'hasAny', value: ['x'] }, 'OPERATOR_UNKNOWN', 'name'],
    [{ field: 'location', op: 'eq', value: 'x' }, 'OPERATOR_UNKNOWN', 'location'],
    [{ field: 'created_at', op: 'in', value: ['2026-01-01'] }, 'OPERATOR_UNKNOWN', 'created_at'],
    [{ field: 'owner_id', op: 'startsWith', value: 'a' }, 'OPERATOR_UNKNOWN', 'owner_id'],
  ]);
});

describe('refused: values that do not fit the field (FIELD_INVALID naming field and value)', () => {
  table([
    [{ amount: { gt: 'cheap' } }, 'FIELD_INVALID', 'amount'],
    [{ amount: '1e999999' }, 'FIELD_INVALID', 'amount'],
    [{ amount: true }, 'FIELD_INVALID', 'amount'],
    [{ qty: { in: [1, 'two'] } }, 'FIELD_INVALID', 'qty'],
    [{ close_date: '2026-02-30' }, 'FIELD_INVALID', 'close_date'],
    [{ close_date: '2026-13-45x' }, 'FIELD_INVALID', 'close_date'],
    [{ close_date: '0000-01-01' }, 'FIELD_INVALID', 'close_date'],
    [{ close_date: 'someday' }, 'FIELD_INVALID', 'close_date'],
    [{ close_date: 20261124 }, 'FIELD_INVALID', 'close_date'],
    [{ created_at: '2026-11-24T25:00' }, 'FIELD_INVALID', 'created_at'],
    [{ created_at: '2026-11-24T10:00+25:00' }, 'FIELD_INVALID', 'created_at'],
    [{ created_at: 'tomorrow at noon' }, 'FIELD_INVALID', 'created_at'],
    [{ active: 'yes' }, 'FIELD_INVALID', 'active'],
    [{ stage: 'maybe' }, 'FIELD_INVALID', 'stage'],
    [{ tags: { hasAny: ['vip', 'gold'] } }, 'FIELD_INVALID', 'tags'],
    [{ owner_id: 'bob' }, 'FIELD_INVALID', 'owner_id'],
    [{ customer: { in: ['0190b5c8-7a4d-7cc3-9a4e-00000000000'] } }, 'FIELD_INVALID', 'customer'],
    [{ name: 5 }, 'FIELD_INVALID', 'name'],
    [{ name: 'a\u0000b' }, 'FIELD_INVALID', 'name'],
  ]);

  it('says which value is wrong', () => {
    expect(() => compile({ stage: 'maybe' })).toThrow(/stage.*"maybe"/);
    expect(() => compile({ owner_id: 'bob' })).toThrow(/owner_id.*"bob"/);
  });
});

describe('refused: malformed conditions and values (FILTER_INVALID)', () => {
  table([
    [{ field: 'qty', op: 'in', value: 3 }, 'FILTER_INVALID', 'qty'],
    [{ field: 'qty', op: 'eq', value: [1, 2] }, 'FILTER_INVALID', 'qty'],
    [{ field: 'qty', op: 'gt', value: [1] }, 'FILTER_INVALID', 'qty'],
    [{ field: 'qty', op: 'between', value: [1] }, 'FILTER_INVALID', 'qty'],
    [{ field: 'qty', op: 'between', value: [1, null] }, 'FILTER_INVALID', 'qty'],
    [{ field: 'qty', op: 'gt', value: null }, 'FILTER_INVALID', 'qty'],
    [{ field: 'qty', op: 'in', value: [1, null] }, 'FILTER_INVALID', 'qty'],
    [{ field: 'close_date', op: 'eq', value: { relative: 'someday' } }, 'FILTER_INVALID', 'close_date'],
    [{ field: 'amount', op: 'eq', value: { relative: 'today' } }, 'FILTER_INVALID', 'amount'],
    [{ field: 'close_date', op: 'in', value: ['today'] }, 'FILTER_INVALID', 'close_date'],
    [{ field: 'owner_id', op: 'eq', value: { var: '$boss' } }, 'FILTER_INVALID', 'owner_id'],
    [{ field: 'owner_id', op: 'eq', value: { var: 1 } }, 'FILTER_INVALID', 'owner_id'],
    [{ field: 'name', op: 'eq', value: { a: 1 } }, 'FILTER_INVALID', 'name'],
    [{ field: 'name', op: 'eq', value: { relative: 'today', x: 1 } }, 'FILTER_INVALID', 'name'],
    [{ field: 'name', op: 'in', value: [['a']] }, 'FILTER_INVALID', 'name'],
    [{ field: 'location', op: 'isNull', value: 'yes' }, 'FILTER_INVALID', 'location'],
    [{ field: 'name', op: 'eq', value: 'x', extra: 1 }, 'FILTER_INVALID', 'name'],
    [{ amount: {} }, 'FILTER_INVALID', 'amount'],
    [{ and: {} }, 'FILTER_INVALID', undefined],
    [{ and: [], x: 1 }, 'FILTER_INVALID', undefined],
    [{ not: [{ name: 'x' }] }, 'FILTER_INVALID', undefined],
    [{ or: [1] }, 'FILTER_INVALID', undefined],
    [[{ name: 'x' }], 'FILTER_INVALID', undefined],
    ['name', 'FILTER_INVALID', undefined],
    [null, 'FILTER_INVALID', undefined],
    [new Date(), 'FILTER_INVALID', undefined],
  ]);
});

describe('refused: beyond the limits', () => {
  table([
    [{ field: 'name', op: 'eq', value: 'x'.repeat(1001) }, 'FILTER_INVALID', 'name'],
    [{ field: 'name', op: 'in', value: ['x'.repeat(1001)] }, 'FILTER_INVALID', 'name'],
    [{ field: 'qty', op: 'in', value: Array.from({ length: 1001 }, (_, i) => i) }, 'FILTER_INVALID', 'qty'],
    [{ or: Array.from({ length: 201 }, () => ({ name: 'x' })) }, 'FILTER_INVALID', undefined],
    [{ and: Array.from({ length: 1001 }, () => ({})) }, 'FILTER_INVALID', undefined],
    [nested(11), 'FILTER_INVALID', undefined],
  ]);

  it('accepts exactly the limits', () => {
    expect(() => compile(nested(10))).not.toThrow();
    expect(() => compile({ field: 'name', op: 'in', value: ['x'.repeat(1000)] })).not.toThrow();
    expect(() => compile({ field: 'qty', op: 'in', value: Array.from({ length: 1000 }, (_, i) => i) })).not.toThrow();
  });

  it('refuses bad or oversized JSON text', () => {
    expectFailure(() => parseFilterJson('{"a":'), 'FILTER_INVALID', undefined);
    expectFailure(() => parseFilterJson(' '.repeat(100_001)), 'FILTER_INVALID', undefined);
    expectFailure(() => parseFilterJson('"name"'), 'FILTER_INVALID', undefined);
  });
});
