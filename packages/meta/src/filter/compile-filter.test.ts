import { describe, expect, it } from 'vitest';
import { compile, ctx, TZ } from './filter.fixtures.ts';

const UUID = '0190B5C8-7A4D-7CC3-9A4E-0000000000AA';
const uuid = UUID.toLowerCase();

// [filter, exact SQL, exact parameters]
type Case = [unknown, string, unknown[]];

const table = (cases: Case[]) => it.each(cases)('%j', (filter, expectedSql, params) => {
  const c = compile(filter);
  expect(c.sql).toBe(expectedSql);
  expect(c.parameters).toEqual(params);
});

describe('compileFilter: groups', () => {
  table([
    [{ and: [{ or: [{ field: 'stage', op: 'eq', value: 'won' }, { not: { active: true } }] }, { amount: { between: [1, '2.5'] } }] },
      '(("t"."c_stage" = $1::text OR NOT COALESCE("t"."c_active" = $2::boolean, FALSE)) AND "t"."c_amount" BETWEEN $3::numeric AND $4::numeric)',
      ['won', true, '1', '2.5']],
    [{ qty: { gt: 1, lte: '10' } }, '("t"."c_qty" > $1::numeric AND "t"."c_qty" <= $2::numeric)', ['1', '10']],
    [{ and: [{ name: 'x' }] }, '("t"."c_name" = $1::text)', ['x']],
    [{ and: [] }, 'TRUE', []],
    [{ or: [] }, 'FALSE', []],
    [{}, 'TRUE', []],
  ]);
});

describe('compileFilter: numbers go as decimal strings cast to numeric', () => {
  table([
    [{ field: 'amount', op: 'gte', value: 100 }, '"t"."c_amount" >= $1::numeric', ['100']],
    [{ amount: '1,234.50' }, '"t"."c_amount" = $1::numeric', ['1234.5']],
    [{ amount: 0.1 }, '"t"."c_amount" = $1::numeric', ['0.1']],
    [{ amount: { ne: '-3' } }, '"t"."c_amount" IS DISTINCT FROM $1::numeric', ['-3']],
    [{ amount: { lt: '1e3' } }, '"t"."c_amount" < $1::numeric', ['1000']],
    [{ field: 'qty', op: 'in', value: [1, '2'] }, '"t"."c_qty" = ANY($1::numeric[])', [['1', '2']]],
    [{ field: 'qty', op: 'nin', value: [1, 2] }, '("t"."c_qty" IS NULL OR "t"."c_qty" <> ALL($1::numeric[]))', [['1', '2']]],
    [{ 'customer.credit': { lt: '5000.00' } }, '"j1"."c_credit" < $1::numeric', ['5000']],
    [{ score: { gt: 1 } }, '"t"."c_score" > $1::numeric', ['1']],
  ]);
});

describe('compileFilter: text, ILIKE with % _ \\ escaped', () => {
  table([
    [{ name: '华为' }, '"t"."c_name" = $1::text', ['华为']],
    [{ name: null }, '"t"."c_name" IS NULL', []],
    [{ field: 'name', op: 'ne', value: 'x' }, '"t"."c_name" IS DISTINCT FROM $1::text', ['x']],
    [{ field: 'name', op: 'ne', value: null }, '"t"."c_name" IS NOT NULL', []],
    [{ name: { gte: 'M' } }, '"t"."c_name" >= $1::text', ['M']],
    [{ 'customer.region': { eq: '华南' } }, '"j1"."c_region" = $1::text', ['华南']],
    [{ field: 'name', op: 'in', value: ['a', "b'c"] }, '"t"."c_name" = ANY($1::text[])', [['a', "b'c"]]],
    [{ field: 'name', op: 'contains', value: '50%_a\\b' }, '"t"."c_name" ILIKE $1', ['%50\\%\\_a\\\\b%']],
    [{ field: 'name', op: 'notContains', value: 'x' }, '("t"."c_name" IS NULL OR "t"."c_name" NOT ILIKE $1)', ['%x%']],
    // No cased letter: the leakproof starts-with operator (an index range under row-level security).
    [{ field: 'name', op: 'startsWith', value: '深圳' }, '"t"."c_name" ^@ $1', ['深圳']],
    [{ field: 'name', op: 'startsWith', value: 'Shen%' }, '"t"."c_name" ILIKE $1', ['Shen\\%%']],
    [{ field: 'name', op: 'endsWith', value: '有限公司' }, '"t"."c_name" ILIKE $1', ['%有限公司']],
    // A lookup is filtered as the field it shows (customer.region: text).
    [{ customer_region: { contains: 'south' } }, '"t"."c_customer_region" ILIKE $1', ['%south%']],
  ]);
});

describe('compileFilter: selects, booleans, ids, empty values', () => {
  table([
    [{ field: 'stage', op: 'in', value: ['won', '输单'] }, '"t"."c_stage" = ANY($1::text[])', [['won', 'lost']]],
    [{ stage: { nin: ['lost'] } }, '("t"."c_stage" IS NULL OR "t"."c_stage" <> ALL($1::text[]))', [['lost']]],
    [{ active: false }, '"t"."c_active" = $1::boolean', [false]],
    [{ active: { ne: true } }, '"t"."c_active" IS DISTINCT FROM $1::boolean', [true]],
    [{ customer: UUID }, '"t"."c_customer" = $1::uuid', [uuid]],
    [{ field: 'owner_id', op: 'in', value: [UUID] }, '"t"."c_owner_id" = ANY($1::uuid[])', [[uuid]]],
    [{ field: 'tags', op: 'hasAny', value: ['vip'] }, '"t"."c_tags" && $1::text[]', [['vip']]],
    [{ field: 'tags', op: 'hasAll', value: ['vip', '新客户'] }, '"t"."c_tags" @> $1::text[]', [['vip', 'new']]],
    [{ tags: { isNull: true } }, '("t"."c_tags" IS NULL OR cardinality("t"."c_tags") = 0)', []],
    [{ tags: { isNull: false } }, 'cardinality("t"."c_tags") > 0', []],
    [{ files: null }, '("t"."c_files" IS NULL OR cardinality("t"."c_files") = 0)', []],
    [{ field: 'location', op: 'isNull', value: false }, '"t"."c_location" IS NOT NULL', []],
    [{ field: 'location', op: 'isNull' }, '"t"."c_location" IS NULL', []],
  ]);
});

describe('compileFilter: dates, relative dates (now = Tue 2026-11-24 in Shanghai), between', () => {
  table([
    [{ close_date: '2026-02-28' }, '"t"."c_close_date" = $1::date', ['2026-02-28']],
    [{ field: 'close_date', op: 'eq', value: { relative: 'this_month' } }, '"t"."c_close_date" BETWEEN $1::date AND $2::date', ['2026-11-01', '2026-11-30']],
    [{ close_date: 'last_week' }, '"t"."c_close_date" BETWEEN $1::date AND $2::date', ['2026-11-16', '2026-11-22']],
    [{ close_date: { gt: 'this_quarter' } }, '"t"."c_close_date" > $1::date', ['2026-12-31']],
    [{ close_date: { gte: 'this_quarter' } }, '"t"."c_close_date" >= $1::date', ['2026-10-01']],
    [{ close_date: { lt: { relative: 'this_year' } } }, '"t"."c_close_date" < $1::date', ['2026-01-01']],
    [{ close_date: { lte: { relative: 'yesterday' } } }, '"t"."c_close_date" <= $1::date', ['2026-11-23']],
    [{ close_date: { ne: 'today' } }, '("t"."c_close_date" IS NULL OR "t"."c_close_date" < $1::date OR "t"."c_close_date" > $2::date)', ['2026-11-24', '2026-11-24']],
    [{ close_date: { between: ['last_month', '2026-12-01'] } }, '"t"."c_close_date" BETWEEN $1::date AND $2::date', ['2026-10-01', '2026-12-01']],
    [{ close_date: { in: ['2026-01-01', { var: '$today' }] } }, '"t"."c_close_date" = ANY($1::date[])', [['2026-01-01', '2026-11-24']]],
    [{ close_date: { var: '$today' } }, '"t"."c_close_date" = $1::date', ['2026-11-24']],
    // Date-times: a day is [00:00, next day 00:00) on the tenant's wall clock.
    [{ field: 'created_at', op: 'eq', value: { relative: 'today' } },
      '("t"."c_created_at" >= ($1::timestamp AT TIME ZONE $2) AND "t"."c_created_at" < ($3::timestamp AT TIME ZONE $4))', ['2026-11-24', TZ, '2026-11-25', TZ]],
    [{ created_at: '2026-11-01' },
      '("t"."c_created_at" >= ($1::timestamp AT TIME ZONE $2) AND "t"."c_created_at" < ($3::timestamp AT TIME ZONE $4))', ['2026-11-01', TZ, '2026-11-02', TZ]],
    [{ created_at: { between: [{ relative: 'last_month' }, '2026-11-24'] } },
      '("t"."c_created_at" >= ($1::timestamp AT TIME ZONE $2) AND "t"."c_created_at" < ($3::timestamp AT TIME ZONE $4))', ['2026-10-01', TZ, '2026-11-25', TZ]],
    [{ created_at: { ne: 'last_week' } },
      '("t"."c_created_at" IS NULL OR "t"."c_created_at" < ($1::timestamp AT TIME ZONE $2) OR "t"."c_created_at" >= ($3::timestamp AT TIME ZONE $4))', ['2026-11-16', TZ, '2026-11-23', TZ]],
    [{ created_at: { gt: 'yesterday' } }, '"t"."c_created_at" >= ($1::timestamp AT TIME ZONE $2)', ['2026-11-24', TZ]],
    [{ created_at: { lte: 'yesterday' } }, '"t"."c_created_at" < ($1::timestamp AT TIME ZONE $2)', ['2026-11-24', TZ]],
    [{ created_at: { gte: '2026-11-24T09:30:00+08:00' } }, '"t"."c_created_at" >= $1::timestamptz', ['2026-11-24T09:30:00+08:00']],
    [{ created_at: { lt: '2026-11-24T01:30:00.250Z' } }, '"t"."c_created_at" < $1::timestamptz', ['2026-11-24T01:30:00.250Z']],
    [{ created_at: { lt: '2026-11-24 09:30' } }, '"t"."c_created_at" < ($1::timestamp AT TIME ZONE $2)', ['2026-11-24 09:30', TZ]],
    [{ created_at: { between: ['2026-11-24T00:00Z', '2026-11-24T12:00Z'] } }, '"t"."c_created_at" BETWEEN $1::timestamptz AND $2::timestamptz', ['2026-11-24T00:00Z', '2026-11-24T12:00Z']],
  ]);
});

describe('compileFilter: variables from the context', () => {
  table([
    [{ field: 'owner_id', op: 'eq', value: { var: '$user' } }, '"t"."c_owner_id" = $1::uuid', [ctx.userId]],
    [{ 'customer.owner_id': { ne: { var: '$user' } } }, '"j1"."c_owner_id" IS DISTINCT FROM $1::uuid', [ctx.userId]],
    [{ owner_id: { in: [{ var: '$user' }, UUID] } }, '"t"."c_owner_id" = ANY($1::uuid[])', [[ctx.userId, uuid]]],
    [{ owner_id: { in: { var: '$user' } } }, '"t"."c_owner_id" = ANY($1::uuid[])', [[ctx.userId]]],
    [{ department_id: { var: '$department' } }, '"t"."c_department_id" = $1::uuid', [ctx.departmentId]],
    // "Own department and below": eq or in against the department tree.
    [{ department_id: { var: '$departmentTree' } }, '"t"."c_department_id" = ANY($1::uuid[])', [ctx.departmentIds]],
    [{ field: 'department_id', op: 'in', value: { var: '$departmentTree' } }, '"t"."c_department_id" = ANY($1::uuid[])', [ctx.departmentIds]],
    [{ department_id: { ne: { var: '$departmentTree' } } }, '("t"."c_department_id" IS NULL OR "t"."c_department_id" <> ALL($1::uuid[]))', [ctx.departmentIds]],
    [{ customer: { var: '$company' } }, '"t"."c_customer" = $1::uuid', [ctx.companyId]],
  ]);

  it('a variable with no value matches nothing (a user in no department sees no department rows)', () => {
    const lone = { ...ctx, departmentId: undefined, departmentIds: undefined };
    expect(compile({ department_id: { var: '$department' } }, lone)).toEqual({ sql: 'FALSE', parameters: [] });
    expect(compile({ department_id: { in: { var: '$departmentTree' } } }, lone)).toEqual({ sql: 'FALSE', parameters: [] });
    expect(compile({ department_id: { in: [{ var: '$department' }, UUID] } }, lone))
      .toEqual({ sql: '"t"."c_department_id" = ANY($1::uuid[])', parameters: [[uuid]] });
    expect(compile({ department_id: { var: '$departmentTree' } }, { ...lone, departmentId: UUID }))
      .toEqual({ sql: '"t"."c_department_id" = ANY($1::uuid[])', parameters: [[uuid]] });
  });
});
