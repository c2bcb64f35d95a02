import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError, Decimal } from '@mosaic/kernel';
import type { FormulaTypeEnv } from '../query-scope.ts';
import { fakeField, fakeScope, fixedCtx, toSql } from '../test-scope.ts';
import { checkFormula, compileAndCheck, compileFormulaToSql, evaluateFormula, parseFormula } from './index.ts';

const record: Record<string, unknown> = {
  qty: '10', price: '0.35', name: '螺栓', note: null, start: '2026-01-31', end: '2026-03-01', vip: true,
  'customer.region': '华南', 'lines.amount': ['3.50', '3.02', null],
};
const run = (src: string) => {
  const v = evaluateFormula(parseFormula(src), { get: (p) => record[p] ?? null }, fixedCtx);
  return v instanceof Decimal ? v.toFixed() : v instanceof Date ? v.toISOString() : v;
};

describe('formula interpreter', () => {
  it.each([
    ['0.1 + 0.2', '0.3'],
    ['ROUND(2.675, 2)', '2.68'],
    ['ROUND(-2.5)', '-3'],
    ['ROUNDUP(1.001, 2)', '1.01'],
    ['ROUNDDOWN(1.999, 2)', '1.99'],
    ['qty * price', '3.5'],
    ['10 / 4', '2.5'],
    ['1 / 0', null],
    ['2 ^ 3 ^ 2', '512'],
    ['-2 ^ 2', '4'],
    ['1 + 2 * 3', '7'],
    ['(1 + 2) * 3', '9'],
    ['MOD(-3, 2)', '1'],
    ['POWER(2, 10)', '1024'],
    ['SQRT(16)', '4'],
    ['ABS(-5.5)', '5.5'],
    ['INT(-1.5)', '-2'],
    ['SUM(lines.amount)', '6.52'],
    ['AVG(lines.amount)', '3.26'],
    ['COUNT(lines.amount)', '2'],
    ['MAX(lines.amount)', '3.5'],
    ['SUM(1, 2, note)', '3'],
    ['note + 1', null],
    ['IF(qty > 5, "大单", "小单")', '大单'],
    ['IF(note > 5, "x", "y")', 'y'],
    ['IFS(qty > 100, "A", qty > 5, "B", TRUE, "C")', 'B'],
    ['SWITCH(customer.region, "华东", 1, "华南", 2, 0)', '2'],
    ['AND(vip, qty >= 10)', true],
    ['OR(FALSE, note = 1)', null],
    ['NOT(vip)', false],
    ['vip and not FALSE', true],
    ['ISBLANK(note)', true],
    ['IN(customer.region, "华南", "华北")', true],
    ['CONCATENATE(name, "-", qty)', '螺栓-10'],
    ['name & note & "!"', '螺栓!'],
    ['LEFT("深圳市南山区", 3)', '深圳市'],
    ['RIGHT("深圳市南山区", 3)', '南山区'],
    ['MID("深圳市南山区", 4, 2)', '南山'],
    ['LEN("深圳")', '2'],
    ['UPPER("abc")', 'ABC'],
    ['TRIM("  a   b ")', 'a b'],
    ['SUBSTITUTE("有限公司", "有限", "")', '公司'],
    ['FIND("市", "深圳市")', '3'],
    ['CONTAINS(name, "螺")', true],
    ['TEXT(1234.5, "#,##0.00")', '1,234.50'],
    ['TEXT(0.135, "0.0%")', '13.5%'],
    ['TEXT(start, "yyyy年mm月dd日")', '2026年01月31日'],
    ['VALUE("¥1,234.50")', '1234.5'],
    ['COALESCE(note, "无")', '无'],
    ['TODAY()', '2026-11-24'],
    ['DATE(2026, 2, 30)', '2026-03-02'],
    ['YEAR(start) * 100 + MONTH(start)', '202601'],
    ['WEEKDAY("2026-11-23")', '2'],
    ['DATEDIF(start, end, "D")', '29'],
    ['DATEDIF(start, end, "M")', '1'],
    ['DATEDIF("2020-02-29", "2026-02-28", "Y")', '5'],
    ['EDATE(start, 1)', '2026-02-28'],
    ['DATEADD(start, 3)', '2026-02-03'],
    ['DAYS(end, start)', '29'],
    ['end - start', '29'],
    ['start + 1', '2026-02-01'],
  ])('%s = %j', (src, expected) => {
    expect(run(src)).toEqual(expected);
  });
});

describe('formula parser errors name the position', () => {
  it.each([
    ['qty * (price + 1', 17, 'expected'],
    ['qty * ', 7, 'ends where a value'],
    ['qty price', 5, 'after a complete formula'],
    ['"abc', 1, 'no closing quote'],
    ['qty # 2', 5, 'unexpected character'],
    ['IF(qty > 1, 2,', 15, 'ends where a value'],
  ])('%s → position %i', (src, position, reason) => {
    try {
      parseFormula(src);
      expect.unreachable();
    } catch (e) {
      expect((e as AppError).code).toBe('FORMULA_SYNTAX');
      expect((e as AppError).details).toMatchObject({ position });
      expect((e as AppError).message).toContain(reason);
    }
  });
});

const env: FormulaTypeEnv = {
  typeOf(path) {
    const types: Record<string, 'number' | 'text' | 'date' | 'boolean'> = { qty: 'number', price: 'number', name: 'text', start: 'date', vip: 'boolean', 'lines.amount': 'number' };
    if (!(path in types)) throw new AppError('FIELD_UNKNOWN', `no field ${path}`, { field: path });
    return { type: types[path], field: fakeField(path, 'decimal'), many: path.startsWith('lines.') };
  },
};

describe('formula type checker', () => {
  it.each([
    ['qty * price', 'number'], ['name & qty', 'text'], ['qty > 1', 'boolean'], ['start + 30', 'date'], ['TODAY() - start', 'number'],
    ['IF(vip, 1, 2)', 'number'], ['SUM(lines.amount) * 1.13', 'number'], ['TEXT(qty, "0.00")', 'text'],
  ])('%s : %s', (src, type) => {
    expect(checkFormula(parseFormula(src), env)).toBe(type);
  });

  it.each([
    ['name * 2', 'needs numbers'],
    ['nope + 1', 'no field nope'],
    ['FOO(1)', 'unknown function FOO'],
    ['ROUND()', 'ROUND takes 1 to 2'],
    ['lines.amount + 1', 'child rows'],
    ['TEXT(qty, "weird")', 'TEXT formats'],
    ['DATEDIF(start, start, "W")', 'unit'],
    ['$boss', 'unknown variable'],
  ])('%s is refused: %s', (src, reason) => {
    expect(() => checkFormula(parseFormula(src), env)).toThrow(reason);
  });

  it('lists the fields a formula depends on', () => {
    expect(compileAndCheck('IF(vip, qty * price, SUM(lines.amount))', env).dependsOn.sort()).toEqual(['lines.amount', 'price', 'qty', 'vip']);
  });
});

const scope = fakeScope([fakeField('qty', 'decimal'), fakeField('price', 'decimal'), fakeField('name', 'text'), fakeField('start', 'date')], { customer: [fakeField('region', 'text')] });
const sqlOf = (src: string) => toSql(compileFormulaToSql(parseFormula(src), scope, fixedCtx));

describe('formula → SQL (exact text and parameters)', () => {
  it.each([
    ['ROUND(qty * price, 2)', 'round(((("t"."c_qty")::numeric * ("t"."c_price")::numeric))::numeric, ($1::numeric)::int)', ['2']],
    ['qty / 0', '(("t"."c_qty")::numeric / NULLIF(($1::numeric)::numeric, 0))', ['0']],
    ['IF(customer.region = "华南", 1, 0)', 'CASE WHEN (("j1"."c_region" = $1::text))::boolean THEN $2::numeric ELSE $3::numeric END', ['华南', '1', '0']],
    ['name & "-"', '(COALESCE(("t"."c_name")::text, \'\') || COALESCE(($1::text)::text, \'\'))', ['-']],
    ['start + 30', '(("t"."c_start")::date + ($1::numeric)::int)', ['30']],
    ['SUM(lines.amount)', '(SELECT sum(c."c_amount") FROM o_line c WHERE c.parent_id = t.id)', []],
    ['TEXT(qty, "0.00")', 'round(("t"."c_qty")::numeric, 2)::text', []],
  ])('%s', (src, expectedSql, params) => {
    const c = sqlOf(src);
    expect(c.sql).toBe(expectedSql);
    expect(c.parameters).toEqual(params);
  });
});

describe('fuzz', () => {
  it('random text never crashes the parser: a formula or a FORMULA_SYNTAX error', () => {
    const tokens = fc.constantFrom('qty', 'price', '(', ')', ',', '+', '-', '*', '/', '^', '&', '=', '<>', '"x"', '1.5', 'IF', 'SUM', 'AND', 'not', '$user', '，', '（', ' ', '"', "'", ';', 'DROP');
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.array(tokens, { maxLength: 30 }).map((t) => t.join(''))), (src) => {
        try {
          parseFormula(src);
        } catch (e) {
          expect(e).toBeInstanceOf(AppError);
          expect((e as AppError).code).toBe('FORMULA_SYNTAX');
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('compiled SQL carries values only as parameters', () => {
    const lit = fc.string({ minLength: 3, maxLength: 12 }).filter((s) => !/["\\]/.test(s) && /[^a-z_.0-9]/.test(s));
    const expr = fc.letrec((tie) => ({
      e: fc.oneof({ depthSize: 'small' }, lit.map((s) => `"${s}"`), fc.constantFrom('qty', 'price', 'name', '1.25'),
        fc.tuple(tie('e'), fc.constantFrom('+', '&', '=', '*'), tie('e')).map(([a, o, b]) => `(${a} ${o} ${b})`),
        fc.tuple(tie('e'), tie('e')).map(([a, b]) => `CONCATENATE(${a}, ${b})`)),
    })).e;
    fc.assert(
      fc.property(expr, (src) => {
        const c = sqlOf(src);
        for (const m of src.matchAll(/"([^"]*)"/g)) expect(c.sql.includes(m[1])).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('a formula nested beyond the limit is refused, not a stack overflow', () => {
    expect(() => parseFormula('('.repeat(5000) + '1' + ')'.repeat(5000))).toThrow(AppError);
    expect(() => parseFormula('-'.repeat(3000) + '1')).toThrow(AppError);
  });
});
