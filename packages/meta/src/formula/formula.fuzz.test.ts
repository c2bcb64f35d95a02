import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '@mosaic/kernel';
import { toSql } from '../test-scope.ts';
import { formulas } from './formula.arbitraries.ts';
import { env, fixedCtx, record, scope } from './formula.fixtures.ts';
import { checkFormula, compileFormulaToSql, evaluateFormula, parseFormula } from './index.ts';

const TOKENS = [
  'qty', 'price', 'name', 'start', 'lines.amount', 'customer.region', 'tags', '$user', '$today', '$boss', '(', ')', ',', '，', '（', '）',
  '+', '-', '*', '/', '^', '&', '%', '=', '<>', '!=', '<', '>=', '&&', '||', '!', ' and ', ' or ', ' not ', '"x"', '"', '“华南”', "'",
  '1.5', '0', '1e40', '.', 'IF', 'SUM', 'ROUND', 'TEXT', 'DATE', 'DATEDIF', 'MID', 'SWITCH', 'IN', 'TRUE', 'NULL', 'BLANK()', ' ', ';', '#', '\\', 'DROP TABLE',
];
const soup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 40 }).map((t) => t.join(''));
const anyText = fc.oneof(fc.string({ maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 60 }), soup);

/** Everything a formula goes through when it is saved and used; only AppErrors may come out. */
function pipeline(src: string): void {
  const ast = parseFormula(src);
  checkFormula(ast, env);
  evaluateFormula(ast, record, fixedCtx, env);
  evaluateFormula(ast, record, fixedCtx);
  toSql(compileFormulaToSql(ast, scope, fixedCtx));
}

function onlyAppErrors(run: () => void): void {
  try {
    run();
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    expect(['FORMULA_SYNTAX', 'FORMULA_TYPE', 'FIELD_UNKNOWN', 'FIELD_INVALID']).toContain(e.code);
  }
}

describe('fuzz: hostile input', () => {
  it('random text and token soups never throw anything but AppError from the parser', () => {
    fc.assert(fc.property(anyText, (src) => {
      try {
        parseFormula(src);
      } catch (e) {
        expect(e).toBeInstanceOf(AppError);
        expect((e as AppError).code).toBe('FORMULA_SYNTAX');
        const { position } = (e as AppError).details as { position: number };
        expect(position).toBeGreaterThanOrEqual(1);
        expect(position).toBeLessThanOrEqual(src.length + 1);
      }
    }), { numRuns: 5000 });
  });

  it('random text through check, evaluate and compile throws only AppError', () => {
    fc.assert(fc.property(anyText, (src) => onlyAppErrors(() => pipeline(src))), { numRuns: 3000 });
  });

  it('valid formulas with a character dropped or inserted throw only AppError', () => {
    const mutated = fc.tuple(formulas, fc.nat(), fc.constantFrom('', '(', ')', ',', '"', '+', 'x', ' ')).map(([src, at, ch]) => {
      const i = at % (src.length + 1);
      return ch ? src.slice(0, i) + ch + src.slice(i) : src.slice(0, i) + src.slice(i + 1);
    });
    fc.assert(fc.property(mutated, (src) => onlyAppErrors(() => pipeline(src))), { numRuns: 1500 });
  });
});

describe('fuzz: generated valid formulas', () => {
  it('check, evaluate and compile without error', () => {
    fc.assert(fc.property(formulas, (src) => {
      try {
        pipeline(src);
      } catch (e) {
        expect(e).toMatchObject({ code: 'FIELD_INVALID' }); // only a numeric overflow may legitimately occur
      }
    }), { numRuns: 1000 });
  });

  it('compiled SQL carries every literal as a parameter, never in its text', () => {
    fc.assert(fc.property(formulas, (src) => {
      const c = toSql(compileFormulaToSql(parseFormula(src), scope, fixedCtx));
      expect(c.sql).not.toContain('zq'); // text literals all start with zq
      expect(c.sql).not.toMatch(/\d\.(17|83)\b/); // number literals have decimals .17 or .83
      expect(c.sql).not.toMatch(/\$(user|today|now)\b/i);
      const placeholders = new Set([...c.sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
      expect(placeholders.size).toBe(c.parameters.length);
    }), { numRuns: 1000 });
  });
});
