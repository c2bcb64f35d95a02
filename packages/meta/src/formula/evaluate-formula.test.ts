import { describe, expect, it } from 'vitest';
import { AppError, Decimal } from '@mosaic/kernel';
import { FORMULA_CASES } from './formula.cases.ts';
import { display, env, fixedCtx, record, row } from './formula.fixtures.ts';
import { evaluateFormula, parseFormula } from './index.ts';

// fixedCtx.now is 2026-11-23T18:30Z — already 2026-11-24 02:30 in Asia/Shanghai.
const run = (src: string) => display(evaluateFormula(parseFormula(src), record, fixedCtx, env));

describe.each(Object.entries(FORMULA_CASES))('evaluateFormula: %s', (_group, rows) => {
  it.each(rows)('%s → %s', (src, expected) => {
    expect(run(src)).toBe(expected);
  });
});

describe('evaluateFormula without metadata (defaults: raw values taken as they come)', () => {
  const untyped = (src: string) => display(evaluateFormula(parseFormula(src), record, fixedCtx));
  it.each([
    ['qty * price', '3.5'], ['end - start', '29'], ['start + 1', '"2026-02-01"'], ['TODAY() + 30', '"2026-12-24"'],
    ['SUM(lines.amount)', '6.52'], ['AVG(lines.amount)', '3.26'], ['COUNT(lines.amount)', '2'], ['MAX(lines.amount)', '3.5'], ['qty > 9', 'TRUE'],
    ['name & "-" & qty', '"螺栓-10"'], ['IF(vip, 1, 2)', '1'], ['$user', `"${fixedCtx.userId}"`],
  ])('%s → %s', (src, expected) => {
    expect(untyped(src)).toBe(expected);
  });
});

describe('evaluateFormula: raw field values', () => {
  const one = (type: string, value: unknown) => evaluateFormula(parseFormula('x'), { get: () => value }, fixedCtx, {
    typeOf: () => ({ type: type as 'number', field: {} as never, many: false }),
  });
  it.each([
    ['number', '12.50', '12.5'], ['number', 12.5, '12.5'], ['number', new Decimal('1.1'), '1.1'], ['number', { amount: '9.90', currency: 'CNY' }, '9.9'],
    ['number', 'abc', 'NULL'], ['number', undefined, 'NULL'], ['datetime', '2026-11-23T18:30:00.000Z', '@2026-11-23T18:30:00.000Z'],
    ['date', new Date('2026-11-23T18:30:00Z'), '"2026-11-24"'], ['date', '2026-02-30', 'NULL'], ['boolean', 't', 'TRUE'], ['text', 42, '"42"'],
  ])('%s %j → %s', (type, value, expected) => {
    expect(display(one(type, value))).toBe(expected);
  });
});

describe('evaluateFormula: errors', () => {
  it('refuses a formula that does not type-check', () => {
    expect(() => evaluateFormula(parseFormula('name * 2'), record, fixedCtx, env)).toThrow(expect.objectContaining({ code: 'FORMULA_TYPE' }));
  });

  it('an overflowing number is FIELD_INVALID, as PostgreSQL numeric overflow maps to', () => {
    const e = (() => { try { evaluateFormula(parseFormula('POWER(10, 200000)'), record, fixedCtx, env); } catch (x) { return x; } })() as AppError;
    expect(e.code).toBe('FIELD_INVALID');
    expect(e.message).toBe('position 1: a number is out of range');
  });

  it('does not mutate the record or depend on evaluation order', () => {
    const before = JSON.stringify(row);
    run('SUM(lines.amount) + qty');
    expect(JSON.stringify(row)).toBe(before);
  });
});
