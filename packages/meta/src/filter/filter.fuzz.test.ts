import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '@mosaic/kernel';
import { compile, customerFields, fields } from './filter.fixtures.ts';
import { hostileFilter, PAYLOADS } from './filter.arbitraries.ts';

/**
 * Whatever a caller sends, the compiler either refuses it with a 4xx AppError
 * or returns SQL built only from our own words, column references and `$n`
 * placeholders — every value is a parameter, and no parameter is a JS number.
 */
const WORDS = new Set([
  't', 'j1', ...fields.map((f) => f.columnName), ...customerFields.map((f) => f.columnName),
  'AND', 'OR', 'NOT', 'COALESCE', 'TRUE', 'FALSE', 'IS', 'NULL', 'DISTINCT', 'FROM', 'BETWEEN', 'ANY', 'ALL', 'ILIKE',
  'cardinality', 'AT', 'TIME', 'ZONE', 'numeric', 'text', 'date', 'timestamp', 'timestamptz', 'boolean', 'uuid',
]);
// '^': the starts-with operator ^@ (text without cased letters, see compile-filter).
const PUNCTUATION = new Set(['(', ')', ',', '.', '"', ':', '[', ']', '=', '<', '>', '&', '@', '^', '0']);

function checkSql(input: unknown, c: { sql: string; parameters: readonly unknown[] }): void {
  const placeholders = c.sql.match(/\$\d+/g) ?? [];
  expect(placeholders.length).toBe(c.parameters.length);
  for (const token of c.sql.replace(/\$\d+/g, '').match(/[A-Za-z_][A-Za-z0-9_]*|\S/g) ?? []) {
    expect(WORDS.has(token) || PUNCTUATION.has(token), `unexpected ${JSON.stringify(token)} in ${c.sql}`).toBe(true);
  }
  for (const p of c.parameters) {
    const items = Array.isArray(p) ? p : [p];
    for (const x of items) expect(['string', 'boolean']).toContain(typeof x);
  }
  for (const s of strings(input)) {
    if (s.length >= 6 && /[^A-Za-z0-9_]/.test(s)) expect(c.sql.includes(s), `${JSON.stringify(s)} leaked into ${c.sql}`).toBe(false);
  }
}

function strings(x: unknown): string[] {
  if (typeof x === 'string') return [x];
  if (Array.isArray(x)) return x.flatMap(strings);
  if (x && typeof x === 'object') return Object.entries(x).flatMap(([k, v]) => [k, ...strings(v)]);
  return [];
}

describe('fuzz: parseFilter + compileFilter on hostile input', () => {
  it('gives a 4xx AppError or SQL whose text holds no value', () => {
    let compiled = 0;
    fc.assert(
      fc.property(hostileFilter, (input) => {
        let c;
        try {
          c = compile(input);
        } catch (e) {
          if (!(e instanceof AppError)) throw e;
          expect(e.status).toBeGreaterThanOrEqual(400);
          expect(e.status).toBeLessThan(500);
          return;
        }
        checkSql(input, c);
        if (c.parameters.length) compiled++;
      }),
      { numRuns: 3000 },
    );
    // The property means little unless a fair share of inputs compile to real conditions.
    expect(compiled).toBeGreaterThan(200);
  });

  it('keeps SQL payloads in parameters on every operator that takes text', () => {
    for (const payload of PAYLOADS.filter((p) => !p.includes('\u0000'))) {
      for (const filter of [
        { name: payload }, { name: { ne: payload } }, { name: { in: [payload, 'x'] } }, { name: { contains: payload } },
        { name: { notContains: payload } }, { name: { startsWith: payload } }, { name: { endsWith: payload } }, { 'customer.region': { gte: payload } },
      ]) {
        const c = compile(filter);
        checkSql(filter, c);
        const params = strings(c.parameters).flatMap((p) => [p, p.replace(/\\(.)/g, '$1')]); // as given, and LIKE-unescaped
        expect(params.some((p) => p.includes(payload)), `${payload} in ${JSON.stringify(c.parameters)}`).toBe(true);
      }
    }
  });
});
