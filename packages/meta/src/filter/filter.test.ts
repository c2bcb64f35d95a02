import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '@mosaic/kernel';
import { fakeField, fakeScope, fixedCtx, toSql } from '../test-scope.ts';
import { compileFilter, parseFilter, parseFilterJson, relativeDateRange } from './index.ts';

const fields = [
  fakeField('name', 'text'), fakeField('amount', 'money'), fakeField('qty', 'integer'), fakeField('close_date', 'date'),
  fakeField('created_at', 'datetime'), fakeField('active', 'boolean'), fakeField('owner_id', 'user'), fakeField('department_id', 'department'),
  fakeField('stage', 'single_select', { options: [{ value: 'won', label: { zh: '赢单' } }, { value: 'lost', label: { zh: '输单' } }] }),
  fakeField('tags', 'multi_select', { options: [{ value: 'vip', label: { zh: 'VIP' } }, { value: 'new', label: { zh: '新' } }] }),
  fakeField('location', 'address'),
];
const scope = fakeScope(fields, { customer: [fakeField('region', 'text'), fakeField('credit', 'decimal')] });
const compile = (f: unknown) => toSql(compileFilter(parseFilter(f), scope, fixedCtx));

describe('filter DSL → SQL (exact text and parameters)', () => {
  it.each([
    [{ field: 'amount', op: 'gte', value: 100 }, '"t"."c_amount" >= $1::numeric', ['100']],
    [{ name: '华为' }, '"t"."c_name" = $1::text', ['华为']],
    [{ name: null }, '"t"."c_name" IS NULL', []],
    [{ 'customer.region': { eq: '华南' } }, '"j1"."c_region" = $1::text', ['华南']],
    [{ qty: { gt: 1, lte: '10' } }, '("t"."c_qty" > $1::numeric AND "t"."c_qty" <= $2::numeric)', ['1', '10']],
    [{ or: [{ field: 'stage', op: 'eq', value: 'won' }, { not: { field: 'active', op: 'eq', value: true } }] },
      '("t"."c_stage" = $1::text OR NOT COALESCE("t"."c_active" = $2::boolean, FALSE))', ['won', true]],
    [{ field: 'stage', op: 'in', value: ['won', 'lost'] }, '"t"."c_stage" = ANY($1::text[])', [['won', 'lost']]],
    [{ field: 'qty', op: 'nin', value: [1, 2] }, '(NOT ("t"."c_qty" = ANY($1::numeric[])) OR "t"."c_qty" IS NULL)', [['1', '2']]],
    [{ field: 'name', op: 'contains', value: '50%_a\\b' }, '"t"."c_name" ILIKE $1', ['%50\\%\\_a\\\\b%']],
    [{ field: 'name', op: 'startsWith', value: '深圳' }, '"t"."c_name" ILIKE $1', ['深圳%']],
    [{ field: 'amount', op: 'between', value: [1, 2.5] }, '"t"."c_amount" BETWEEN $1::numeric AND $2::numeric', ['1', '2.5']],
    [{ field: 'close_date', op: 'eq', value: { relative: 'this_month' } }, '("t"."c_close_date" >= $1::date AND "t"."c_close_date" < ($2::date + 1))', ['2026-11-01', '2026-11-30']],
    [{ field: 'created_at', op: 'eq', value: { relative: 'today' } },
      '("t"."c_created_at" >= ($1::date::timestamp AT TIME ZONE $2) AND "t"."c_created_at" < (($3::date + 1)::timestamp AT TIME ZONE $4))', ['2026-11-24', 'Asia/Shanghai', '2026-11-24', 'Asia/Shanghai']],
    [{ field: 'owner_id', op: 'eq', value: { var: '$user' } }, '"t"."c_owner_id" = $1::uuid', [fixedCtx.userId]],
    [{ field: 'department_id', op: 'in', value: { var: '$departmentTree' } }, '"t"."c_department_id" = ANY($1::uuid[])', [fixedCtx.departmentIds]],
    [{ field: 'tags', op: 'hasAny', value: ['vip'] }, '"t"."c_tags" && $1::text[]', [['vip']]],
    [{ field: 'location', op: 'isNull', value: false }, '"t"."c_location" IS NOT NULL', []],
    [{ and: [] }, 'TRUE', []],
  ])('%j', (filter, expectedSql, params) => {
    const c = compile(filter);
    expect(c.sql).toBe(expectedSql);
    expect(c.parameters).toEqual(params);
  });
});

describe('filter DSL refuses what is wrong, naming it', () => {
  it.each([
    [{ colour: 'red' }, 'FIELD_UNKNOWN', 'colour'],
    [{ field: 'amount', op: 'like', value: 1 }, 'OPERATOR_UNKNOWN', 'amount'],
    [{ field: 'active', op: 'gt', value: true }, 'OPERATOR_UNKNOWN', 'active'],
    [{ field: 'amount', op: 'contains', value: '1' }, 'OPERATOR_UNKNOWN', 'amount'],
    [{ amount: { gt: 'cheap' } }, 'FILTER_INVALID', 'amount'],
    [{ close_date: '2026-13-45x' }, 'FILTER_INVALID', 'close_date'],
    [{ stage: 'maybe' }, 'FILTER_INVALID', 'stage'],
    [{ owner_id: 'bob' }, 'FILTER_INVALID', 'owner_id'],
    [{ field: 'qty', op: 'in', value: 3 }, 'FILTER_INVALID', 'qty'],
    [{ field: 'qty', op: 'between', value: [1] }, 'FILTER_INVALID', 'qty'],
    [{ field: 'close_date', op: 'eq', value: { relative: 'someday' } }, 'FILTER_INVALID', 'filter'],
    [{ field: 'owner_id', op: 'eq', value: { var: '$boss' } }, 'FILTER_INVALID', 'owner_id'],
    [{ and: {} }, 'FILTER_INVALID', 'filter'],
    [{ and: [], x: 1 }, 'FILTER_INVALID', 'filter'],
    [{ field: 'name', op: 'eq', value: 'x', extra: 1 }, 'FILTER_INVALID', 'filter'],
    [[1, 2], 'FILTER_INVALID', 'filter'],
    [{ "name'; DROP TABLE x; --": 'a' }, 'FIELD_UNKNOWN', undefined],
    [{ field: 'name', op: 'eq', value: 'x'.repeat(1001) }, 'FIELD_INVALID', 'name'],
  ])('%j → %s', (filter, code, field) => {
    try {
      compile(filter);
      expect.unreachable('should have thrown');
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).code).toBe(code);
      if (field) expect((e as AppError).field).toBe(field);
      expect((e as AppError).status).toBeLessThan(500);
    }
  });

  it('refuses nesting beyond the limit and bad JSON text', () => {
    let deep: unknown = { name: 'x' };
    for (let i = 0; i < 12; i++) deep = { not: deep };
    expect(() => parseFilter(deep)).toThrow(/deeper/);
    expect(() => parseFilterJson('{"a":')).toThrow(/not valid JSON/);
  });
});

describe('relative dates', () => {
  it('are calendar ranges in the tenant time zone, weeks from Monday', () => {
    expect(relativeDateRange('today', fixedCtx)).toEqual({ from: '2026-11-24', to: '2026-11-24' });
    expect(relativeDateRange('this_week', fixedCtx)).toEqual({ from: '2026-11-23', to: '2026-11-29' });
    expect(relativeDateRange('last_month', fixedCtx)).toEqual({ from: '2026-10-01', to: '2026-10-31' });
    expect(relativeDateRange('this_quarter', fixedCtx)).toEqual({ from: '2026-10-01', to: '2026-12-31' });
    expect(relativeDateRange('last_30_days', fixedCtx)).toEqual({ from: '2026-10-26', to: '2026-11-24' });
    expect(relativeDateRange('last_year', fixedCtx)).toEqual({ from: '2025-01-01', to: '2025-12-31' });
  });
});

describe('fuzz', () => {
  const values = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }),
    fc.constantFrom("'; DROP TABLE o_order; --", 'pg_sleep(10)', '1 OR 1=1', '$1', '\\', "%'--"));
  const leaf = fc.record({ field: fc.constantFrom(...fields.map((f) => f.apiName), 'customer.region', 'nope', 'name.x'), op: fc.constantFrom('eq', 'ne', 'gt', 'in', 'contains', 'between', 'isNull', 'hasAll', 'xx'), value: values });
  const tree = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: 'small' }, leaf, fc.record({ and: fc.array(tie('node'), { maxLength: 3 }) }), fc.record({ or: fc.array(tie('node'), { maxLength: 3 }) }), fc.record({ not: tie('node') })),
  })).node;

  it('random input gives a 4xx AppError or SQL whose text holds none of the values', () => {
    fc.assert(
      fc.property(fc.oneof(tree, fc.jsonValue()), (input) => {
        let c;
        try {
          c = compile(input);
        } catch (e) {
          expect(e).toBeInstanceOf(AppError);
          expect((e as AppError).status).toBeGreaterThanOrEqual(400);
          expect((e as AppError).status).toBeLessThan(500);
          return;
        }
        for (const s of collectStrings(input)) {
          if (s.length >= 3 && !/^[a-z_.]+$/.test(s)) expect(c.sql.includes(s), `${s} leaked into ${c.sql}`).toBe(false);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

function collectStrings(x: unknown): string[] {
  if (typeof x === 'string') return [x];
  if (Array.isArray(x)) return x.flatMap(collectStrings);
  if (x && typeof x === 'object') return Object.entries(x).flatMap(([k, v]) => (k === 'value' ? collectStrings(v) : collectStrings(v)));
  return [];
}
