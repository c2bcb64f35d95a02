import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { compileFilter, parseFilter } from './index.ts';
import { fakeField, fakeScope, fixedCtx, toSql } from '../test-scope.ts';
import type { QueryScope } from '../query-scope.ts';

// The exact SQL of number filters when the scope can name sibling columns (the records
// JoinScope): a leakproof range condition first, the exact numeric one after (ADR 0011).
const amount = { ...fakeField('amount', 'decimal'), indexed: true };
const plain = fakeField('price', 'money'); // not indexed: no key column
const qty = fakeField('qty', 'integer');
const base = fakeScope([amount, plain, qty]);
const scope: QueryScope = { root: base.root, ref: (p) => base.ref(p), siblingRef: (p, suffix) => sql.ref(`t.c_${p}${suffix}`) };
const compile = (filter: unknown) => toSql(compileFilter(parseFilter(filter), scope, fixedCtx));

describe('range keys', () => {
  it.each([
    [{ amount: { gte: 100 } }, '("t"."c_amount__k" >= ($1::numeric)::float8 AND "t"."c_amount" >= $2::numeric)', ['100', '100']],
    [{ amount: { lt: '2.5' } }, '("t"."c_amount__k" <= ($1::numeric)::float8 AND "t"."c_amount" < $2::numeric)', ['2.5', '2.5']],
    [{ amount: '7' }, '("t"."c_amount__k" BETWEEN ($1::numeric)::float8 AND ($2::numeric)::float8 AND "t"."c_amount" = $3::numeric)', ['7', '7', '7']],
    [{ amount: { between: [1, 2] } }, '("t"."c_amount__k" BETWEEN ($1::numeric)::float8 AND ($2::numeric)::float8 AND "t"."c_amount" BETWEEN $3::numeric AND $4::numeric)', ['1', '2', '1', '2']],
    [{ qty: { gt: '2.5' } }, '("t"."c_qty" >= floor($1::numeric)::int8 AND "t"."c_qty" > $2::numeric)', ['2.5', '2.5']],
    [{ qty: { lte: 3 } }, '("t"."c_qty" <= ceil($1::numeric)::int8 AND "t"."c_qty" <= $2::numeric)', ['3', '3']],
  ])('%j', (filter, expectedSql, params) => {
    const c = compile(filter);
    expect(c.sql).toBe(expectedSql);
    expect(c.parameters).toEqual(params);
  });

  it('adds nothing where no key helps: ne, in, a field without a key, values beyond float8 or int8', () => {
    expect(compile({ amount: { ne: 1 } }).sql).toBe('"t"."c_amount" IS DISTINCT FROM $1::numeric');
    expect(compile({ amount: { in: [1, 2] } }).sql).toBe('"t"."c_amount" = ANY($1::numeric[])');
    expect(compile({ price: { gt: 1 } }).sql).toBe('"t"."c_price" > $1::numeric');
    expect(compile({ amount: { gt: '1e400' } }).sql).toBe('"t"."c_amount" > $1::numeric');
    expect(compile({ amount: { gt: '1e-400' } }).sql).toBe('"t"."c_amount" > $1::numeric');
    expect(compile({ qty: { lt: '1e19' } }).sql).toBe('"t"."c_qty" < $1::numeric');
  });
});
