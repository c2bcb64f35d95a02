import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { compileFilter } from './compile-filter.ts';
import { parseFilter } from './parse-filter.ts';
import { hasSearchGrams } from './search-grams.ts';
import { fakeField, fakeScope, fixedCtx, toSql } from '../test-scope.ts';

// The SQL side (grams, trigger, plans, same rows as ILIKE) is tested on PostgreSQL in
// apps/server/test/search-gram.int.test.ts; here: when the gate is used and how an OR shares it.
const fields = [fakeField('name', 'text', { searchable: true }), fakeField('code', 'text', { searchable: true }), fakeField('note', 'text')];
const withRows = { ...fakeScope(fields), rowOf: () => ({ id: sql.ref('t.id'), table: 'o_order', key: 't' }) };
const compile = (filter: unknown, scope = withRows) => toSql(compileFilter(parseFilter(filter), scope, fixedCtx));
const gates = (s: string) => s.split('search_gram AS s').length - 1;

describe('hasSearchGrams', () => {
  it.each([['华', true], ['ab', false], ['abc', true], ['a华', true], ['%_', false], ['5%_', true], ['', false], ['𠀀b', false]])('%j → %j', (q, yes) => {
    expect(hasSearchGrams(q as string)).toBe(yes);
  });
});

describe('contains through search_gram', () => {
  it('gates a searchable field, rechecking the ILIKE', () => {
    const c = compile({ field: 'name', op: 'contains', value: '华强' });
    expect(gates(c.sql)).toBe(1);
    expect(c.sql).toMatch(/^\("t"\."id" = ANY\(ARRAY\(SELECT s\.record_id FROM search_gram AS s/);
    expect(c.sql).toMatch(/AND "t"\."c_name" ILIKE \$\d+\)$/);
    expect(c.parameters).toContain('%华强%');
    expect(c.parameters).toContain('华强');
  });

  it('leaves alone a field not searchable, a 1–2 character Latin query, other operators, and a scope that cannot name rows', () => {
    expect(gates(compile({ field: 'note', op: 'contains', value: '华强' }).sql)).toBe(0);
    expect(gates(compile({ field: 'name', op: 'contains', value: 'ab' }).sql)).toBe(0);
    expect(gates(compile({ field: 'name', op: 'notContains', value: '华强' }).sql)).toBe(0);
    expect(gates(compile({ field: 'name', op: 'contains', value: '华强' }, { ...fakeScope(fields), rowOf: undefined } as any).sql)).toBe(0);
  });

  it('an OR of searchable fields with one text shares one gate; other terms stay beside it', () => {
    const c = compile({ or: [{ field: 'name', op: 'contains', value: 'acme' }, { field: 'note', op: 'eq', value: 'x' }, { field: 'code', op: 'contains', value: 'acme' }] });
    expect(gates(c.sql)).toBe(1);
    expect(c.sql).toMatch(/AND \("t"\."c_name" ILIKE \$\d+ OR "t"\."c_code" ILIKE \$\d+\)\) OR "t"\."c_note" = \$\d+::text\)$/);
    // Two texts: two gates.
    expect(gates(compile({ or: [{ field: 'name', op: 'contains', value: 'acme' }, { field: 'code', op: 'contains', value: 'beta' }] }).sql)).toBe(2);
  });
});
