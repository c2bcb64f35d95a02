import { describe, expect, it } from 'vitest';
import { AppError } from '@mosaic/kernel';
import { env } from './formula.fixtures.ts';
import { checkFormula, collectFieldPaths, compileAndCheck, dependsOnClock, parseFormula } from './index.ts';

const typeOf = (src: string) => checkFormula(parseFormula(src), env);

describe('checkFormula: result types', () => {
  it.each([
    ['qty * price', 'number'], ['name & qty', 'text'], ['qty > 1', 'boolean'], ['start + 30', 'date'], ['30 + start', 'date'],
    ['TODAY() - start', 'number'], ['created_at - start', 'number'], ['created_at + 1', 'datetime'], ['IF(vip, 1, 2)', 'number'],
    ['IF(vip, 1, "a")', 'text'], ['IF(vip, start, created_at)', 'datetime'], ['IF(vip, start, "2026-01-01")', 'date'], ['IF(vip, 1)', 'number'],
    ['IF(vip, NULL, NULL)', 'null'], ['COALESCE(bonus, 0)', 'number'], ['SUM(lines.amount) * 1.13', 'number'], ['COUNT(lines.sku)', 'number'],
    ['TEXT(qty, "0.00")', 'text'], ['MAX(start, end)', 'date'], ['MIN("a", "b")', 'text'], ['$user', 'text'], ['$now', 'datetime'],
    ['customer.region', 'text'], ['extra', 'any'], ['extra + 1', 'any'], ['extra * 2', 'number'], ['IF(vip, extra, 1)', 'number'], ['tags', 'list'],
    ['CONTAINS(tags, "vip")', 'boolean'], ['NOW()', 'datetime'], ['DATEADD(start, 1, "m")', 'date'], ['50%', 'number'],
  ])('%s : %s', (src, type) => {
    expect(typeOf(src)).toBe(type);
  });
});

describe('checkFormula: what is refused, with the position', () => {
  it.each([
    ['name * 2', 'FORMULA_TYPE', 1, '"*" needs a number, not text'],
    ['name + 1', 'FORMULA_TYPE', 1, '(use & to join text)'],
    ['-name', 'FORMULA_TYPE', 2, 'minus needs a number, not text'],
    ['NOT qty', 'FORMULA_TYPE', 5, 'NOT needs TRUE/FALSE, not a number'],
    ['qty and vip', 'FORMULA_TYPE', 1, '"and" needs TRUE/FALSE, not a number'],
    ['nope + 1', 'FIELD_UNKNOWN', 1, 'order has no field "nope"'],
    ['customer.nope', 'FIELD_UNKNOWN', 1, 'order has no field "customer.nope"'],
    ['ROUND()', 'FORMULA_TYPE', 1, 'ROUND takes 1 to 2 arguments, got 0'],
    ['ABS(1, 2)', 'FORMULA_TYPE', 1, 'ABS takes 1 argument, got 2'],
    ['IF(vip)', 'FORMULA_TYPE', 1, 'IF takes 2 to 3 arguments, got 1'],
    ['SUM()', 'FORMULA_TYPE', 1, 'SUM takes at least 1 argument'],
    ['IFS(vip, 1, qty)', 'FORMULA_TYPE', 1, 'IFS takes pairs of condition, value'],
    ['IF(qty, 1, 2)', 'FORMULA_TYPE', 4, 'IF needs TRUE/FALSE as argument 1, not a number'],
    ['lines.amount + 1', 'FORMULA_TYPE', 1, 'lines.amount holds child rows'],
    ['SUM(lines.amount, 1)', 'FORMULA_TYPE', 5, 'lines.amount holds child rows'],
    ['SUM(lines.sku)', 'FORMULA_TYPE', 5, 'SUM needs numbers, but the rows hold text'],
    ['IF(vip, tags, 1)', 'FORMULA_TYPE', 9, 'cannot be a list of rows here'],
    ['TEXT(qty, "weird")', 'FORMULA_TYPE', 11, 'TEXT\'s format must be written in quotes'],
    ['TEXT(qty, code)', 'FORMULA_TYPE', 11, 'TEXT\'s format must be written in quotes'],
    ['TEXT(name, "0.00")', 'FORMULA_TYPE', 6, 'TEXT needs a number as argument 1, not text'],
    ['DATEDIF(start, start, "W")', 'FORMULA_TYPE', 23, 'DATEDIF\'s unit must be written as one of "D", "M", "Y"'],
    ['WEEKDAY(start, 9)', 'FORMULA_TYPE', 16, 'WEEKDAY\'s type must be one of 1, 2, 3'],
    ['DATEDIF(name, end, "D")', 'FORMULA_TYPE', 9, '(write dates as "2026-01-31" or use DATE(y, m, d))'],
    ['DATEDIF("2026-02-30", end, "D")', 'FORMULA_TYPE', 9, 'DATEDIF needs a date as argument 1, not text'],
    ['qty = "10"', 'FORMULA_TYPE', 5, 'cannot compare a number with text (VALUE() turns text into a number'],
    ['start = 1', 'FORMULA_TYPE', 7, 'cannot compare a date with a number'],
    ['qty = NULL', 'FORMULA_TYPE', 5, 'use ISBLANK(…) to test for an empty value'],
    ['start + "x"', 'FORMULA_TYPE', 9, 'adds a number of days to a date, not text'],
    ['start * 2', 'FORMULA_TYPE', 1, '"*" needs a number, not a date'],
    ['1 - start', 'FORMULA_TYPE', 5, '"-" needs a number, not a date'],
    ['MIN(tags)', 'FORMULA_TYPE', 5, 'MIN needs numbers, but the rows hold text'],
    ['SWITCH(qty, "a", 1)', 'FORMULA_TYPE', 13, 'cannot compare a number with text'],
  ])('%s → %s at %i', (src, code, position, reason) => {
    let error: AppError | undefined;
    try {
      typeOf(src);
    } catch (e) {
      error = e as AppError;
    }
    expect(error).toBeInstanceOf(AppError);
    expect(error!.code).toBe(code);
    expect(error!.message).toContain(`position ${position}: `);
    expect(error!.message).toContain(reason);
    expect(error!.details).toMatchObject({ position });
  });

  it('names the unknown field', () => {
    expect(() => typeOf('customer.nope')).toThrow(expect.objectContaining({ field: 'customer.nope' }));
  });
});

describe('what a formula depends on', () => {
  it('lists field paths in order of first use', () => {
    expect(collectFieldPaths(parseFormula('IF(vip, qty * price, SUM(lines.amount)) + qty & customer.region'))).toEqual(['vip', 'qty', 'price', 'lines.amount', 'customer.region']);
    expect(collectFieldPaths(parseFormula('TODAY() + 1'))).toEqual([]);
  });

  it.each([
    ['TODAY()', true], ['$today + 1', true], ['IF(vip, NOW(), created_at)', true], ['$now', true], ['qty * 2', false], ['$user', false],
  ])('%s reads the clock: %s', (src, volatile) => {
    expect(dependsOnClock(parseFormula(src))).toBe(volatile);
  });

  it('compileAndCheck gives what saving a formula needs', () => {
    const r = compileAndCheck('ROUND(SUM(lines.amount) * (1 - discount), 2)', env);
    expect(r).toMatchObject({ type: 'number', dependsOn: ['lines.amount', 'discount'], volatile: false });
    expect(r.ast.kind).toBe('call');
  });
});
