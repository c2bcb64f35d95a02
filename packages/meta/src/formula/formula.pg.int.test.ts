import fc from 'fast-check';
import { sql, type RawBuilder } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, Decimal } from '@mosaic/kernel';
import { createTestDb, type TestDb } from '@mosaic/testing';
import { FIELD_TYPE_DEFS } from '../field-types/index.ts';
import type { FieldMeta } from '../meta.types.ts';
import { formulas } from './formula.arbitraries.ts';
import { FORMULA_CASES } from './formula.cases.ts';
import { customerFields, display, env, fixedCtx, orderFields, record, row, scope } from './formula.fixtures.ts';
import { checkFormula, compileFormulaToSql, evaluateFormula, parseFormula } from './index.ts';

/**
 * The interpreter and the SQL compiler must agree. Each formula runs in both:
 * in PostgreSQL against a one-row table shaped like the fixture record (real
 * column types from the field registry, order lines in o_line), and in the
 * interpreter against the same values; the two results must print the same.
 */
let tdb: TestDb;
beforeAll(async () => {
  tdb = await createTestDb();
});
afterAll(async () => {
  await tdb?.drop();
});

const columnType = (f: FieldMeta, plain: boolean) => {
  const t = FIELD_TYPE_DEFS[f.type].sqlType(f) || 'text';
  return plain && t.startsWith('numeric') ? 'numeric' : t;
};
const columns = (fields: FieldMeta[], values: (f: FieldMeta) => unknown, plain: boolean) =>
  sql.join(fields.map((f) => {
    const v = values(f);
    return sql`${v instanceof Date ? v.toISOString() : v ?? null}::${sql.raw(columnType(f, plain))} AS ${sql.id(f.columnName!)}`;
  }));

/** SELECT <expr> FROM a one-row "t" (the order), "j1" (its customer) and o_line (its lines). */
async function runInPg(expr: RawBuilder<unknown>, values: Record<string, unknown>, plain = false): Promise<unknown> {
  const lines = values['lines.amount'] as unknown[];
  const skus = values['lines.sku'] as unknown[];
  const lineRows = sql.join(lines.map((a, i) => sql`(1, ${a}::numeric, ${skus[i] ?? null}::text)`));
  const { rows } = await sql<{ v: unknown }>`WITH o_line(parent_id, c_amount, c_sku) AS (VALUES ${lineRows})
    SELECT ${expr} AS v
    FROM (SELECT 1 AS id, ${columns(orderFields, (f) => values[f.apiName], plain)}) AS t
    CROSS JOIN (SELECT ${columns(customerFields, (f) => values[`customer.${f.apiName}`], plain)}) AS j1`.execute(tdb.db.app);
  return rows[0].v;
}

/** PostgreSQL's value in the interpreter's form: NUMERIC strings become Decimals. */
const fromPg = (v: unknown, type: string) => (v !== null && type === 'number' ? new Decimal(String(v)) : v);

describe('PostgreSQL agrees with the interpreter on every table case', () => {
  const cases = Object.entries(FORMULA_CASES).flatMap(([group, rows]) => rows.map(([src, value]) => ({ group, src, value })));
  it.each(cases)('$group: $src → $value', async ({ src, value }) => {
    const ast = parseFormula(src);
    const v = await runInPg(compileFormulaToSql(ast, scope, fixedCtx), row);
    expect(display(fromPg(v, checkFormula(ast, env)))).toBe(value);
  });
});

describe('PostgreSQL agrees with the interpreter on random formulas', () => {
  // Plain NUMERIC columns: values keep the scale they are written with, as the generator's literals do.
  const values: Record<string, unknown> = { ...row, amount: '1234.5', 'customer.credit': '50000', total: '3.5', discount: '0.13' };
  const rec = { get: (p: string) => values[p] ?? null };

  it('for 1,500 generated formulas', async () => {
    const samples = fc.sample(formulas, { numRuns: 1500, seed: 20261124 });
    const mismatches: string[] = [];
    for (const src of samples) {
      const ast = parseFormula(src);
      let mine: string;
      try {
        mine = display(evaluateFormula(ast, rec, fixedCtx, env));
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        mine = `error ${e.code}`;
      }
      let theirs: string;
      try {
        theirs = display(fromPg(await runInPg(compileFormulaToSql(ast, scope, fixedCtx), values, true), checkFormula(ast, env)));
      } catch (e) {
        theirs = `error ${(e as { code?: string }).code === '22003' ? 'FIELD_INVALID' : (e as Error).message}`;
      }
      if (mine !== theirs) mismatches.push(`${src}\n    interpreter: ${mine}\n    postgresql:  ${theirs}`);
    }
    expect(mismatches.slice(0, 10).join('\n')).toBe('');
  }, 120_000);
});

describe('the interpreter reads rows as PostgreSQL returns them', () => {
  it('a numeric(20,2) amount and a date column round-trip', async () => {
    const ast = parseFormula('amount & " / " & TEXT(start, "yyyy-mm-dd")');
    expect(await runInPg(compileFormulaToSql(ast, scope, fixedCtx), row)).toBe(evaluateFormula(ast, record, fixedCtx, env));
  });
});
