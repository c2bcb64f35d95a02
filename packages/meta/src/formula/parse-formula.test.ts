import { describe, expect, it } from 'vitest';
import { AppError } from '@mosaic/kernel';
import type { FormulaAst } from './formula.ast.ts';
import { parseFormula } from './parse-formula.ts';

/** The tree as an S-expression, so a table row shows the grouping at a glance. */
function show(ast: FormulaAst): string {
  switch (ast.kind) {
    case 'number': return ast.value;
    case 'text': return JSON.stringify(ast.value);
    case 'boolean': return ast.value ? 'TRUE' : 'FALSE';
    case 'null': return 'NULL';
    case 'field': return ast.path;
    case 'variable': return ast.name;
    case 'unary': return `(${ast.op === '-' ? 'neg' : 'not'} ${show(ast.arg)})`;
    case 'binary': return `(${ast.op} ${show(ast.left)} ${show(ast.right)})`;
    case 'call': return `(${[ast.fn, ...ast.args.map(show)].join(' ')})`;
  }
}

describe('parseFormula: what parses, and how it groups', () => {
  it.each([
    ['1 + 2 * 3', '(+ 1 (* 2 3))'],
    ['(1 + 2) * 3', '(* (+ 1 2) 3)'],
    ['1 - 2 - 3', '(- (- 1 2) 3)'],
    ['8 / 4 / 2', '(/ (/ 8 4) 2)'],
    ['2 ^ 3 ^ 2', '(^ 2 (^ 3 2))'], // right-associative, as in mathematics
    ['-2 ^ 2', '(^ (neg 2) 2)'], // unary minus binds tighter than ^, as in Excel
    ['2 ^ -1', '(^ 2 (neg 1))'],
    ['-a * b', '(* (neg a) b)'],
    ['+5', '5'],
    ['50%', '(/ 50 100)'],
    ['-50% * 2', '(* (neg (/ 50 100)) 2)'],
    ['a & b = c & d', '(= (& a b) (& c d))'],
    ['a + 1 & "元"', '(& (+ a 1) "元")'],
    ['a = 1 and b > 2 or not c', '(or (and (= a 1) (> b 2)) (not c))'],
    ['a AND b Or c', '(or (and a b) c)'],
    ['a && b || c', '(or (and a b) c)'],
    ['not a = b', '(not (= a b))'],
    ['not a and b', '(and (not a) b)'],
    ['!a', '(not a)'],
    ['a != b', '(<> a b)'],
    ['a == b', '(= a b)'],
    ['a <= b', '(<= a b)'],
    ['a >= b', '(>= a b)'],
    ['a < b', '(< a b)'],
    ['a <> b', '(<> a b)'],
    ['NOT(a)', '(NOT a)'],
    ['if(a, 1, 2)', '(IF a 1 2)'],
    ['Average(lines.amount)', '(AVG lines.amount)'],
    ['concat("a", "b")', '(CONCATENATE "a" "b")'],
    ['SUM(lines.amount) * 1.13', '(* (SUM lines.amount) 1.13)'],
    ['customer.region', 'customer.region'],
    ['customer.owner_id.name', 'customer.owner_id.name'],
    ['$user', '$user'],
    ['$Today + 1', '(+ $today 1)'],
    ['TRUE', 'TRUE'],
    ['false', 'FALSE'],
    ['True()', 'TRUE'],
    ['NULL', 'NULL'],
    ['BLANK()', 'NULL'],
    ['TODAY()', '(TODAY)'],
    ['"say \\"hi\\""', '"say \\"hi\\""'],
    ['"a""b"', '"a\\"b"'],
    ['"C:\\temp"', '"C:\\\\temp"'],
    ['"a\\\\b"', '"a\\\\b"'],
    ['“华南”', '"华南"'],
    ['""', '""'],
    ['IF（a，1，2）', '(IF a 1 2)'],
    ['.5 + 1e3 + 2.', '(+ (+ .5 1e3) 2.)'],
    ['  amount\n\t* 2　', '(* amount 2)'],
    ['IF(a, IF(b, 1, 2), 3)', '(IF a (IF b 1 2) 3)'],
  ])('%s → %s', (src, tree) => {
    expect(show(parseFormula(src))).toBe(tree);
  });

  it('records 1-based positions on every node', () => {
    const ast = parseFormula('IF(qty > 5, "大", x)');
    expect(ast).toMatchObject({ kind: 'call', pos: 1, args: [{ kind: 'binary', pos: 8, left: { pos: 4 } }, { pos: 13 }, { pos: 18 }] });
  });
});

describe('parseFormula: what is refused, and where', () => {
  const refused: [src: string, position: number, reason: string][] = [
    ['qty * (price + 1', 17, 'expected ")" to close the "(" at position 7 but found the end of the formula'],
    ['qty * ', 7, 'ends where a value was expected'],
    ['qty price', 5, 'unexpected "price" after a complete formula'],
    ['"abc', 1, 'no closing quote'],
    ['“abc', 1, 'no closing quote'],
    ['qty # 2', 5, 'unexpected character "#"'],
    ['金额 * 2', 1, 'unexpected character "金" (fields are named by their API name'],
    ['IF(qty > 1, 2,', 15, 'ends where a value was expected'],
    ['', 1, 'the formula is empty'],
    ['   ', 1, 'the formula is empty'],
    ['FOO(1)', 1, 'unknown function FOO'],
    ['$boss', 1, 'unknown variable $boss'],
    ['a + $', 6, 'a name must follow "$"'],
    ['customer.', 10, 'a field name must follow "customer."'],
    ['lines.sum(1)', 1, 'lines.sum is a field, not a function'],
    ['1 +* 2', 4, 'unexpected "*" where a value was expected'],
    ['(1, 2)', 3, 'expected ")" to close the "(" at position 1 but found ","'],
    ['SUM(1,)', 7, 'unexpected ")" where a value was expected'],
    [')', 1, 'unexpected ")"'],
    ['a = = b', 5, 'unexpected "="'],
    ['TRUE(1)', 1, 'TRUE() takes no arguments'],
    ['12abc', 3, 'a number cannot run into the name "abc"'],
    ['1e999', 1, 'has too many digits'],
    ['and', 1, 'unexpected "and"'],
    ['a and', 6, 'ends where a value was expected'],
    ['x'.repeat(4001), 4001, 'at most 4000 characters'],
    [`${'('.repeat(70)}1${')'.repeat(70)}`, 66, 'nests deeper than 64 levels'],
    [Array(300).fill('1').join('+'), 86, 'too long a chain'],
  ];
  it.each(refused.map(([src, position, reason]) => ({ src, position, reason, name: src.length > 40 ? `${src.slice(0, 30)}…` : src })))(
    '$name → position $position', ({ src, position, reason }) => {
    const e = catchError(() => parseFormula(src));
    expect(e.code).toBe('FORMULA_SYNTAX');
    expect(e.details).toEqual({ position, reason: expect.stringContaining(reason) });
    expect(e.message).toBe(`position ${position}: ${(e.details as { reason: string }).reason}`);
  },
  );

  it('refuses deep nesting without overflowing the stack', () => {
    expect(catchError(() => parseFormula(`${'('.repeat(3000)}1${')'.repeat(3000)}`)).code).toBe('FORMULA_SYNTAX');
    expect(catchError(() => parseFormula(`${'-'.repeat(3000)}1`)).code).toBe('FORMULA_SYNTAX');
    expect(catchError(() => parseFormula(`${'NOT('.repeat(900)}1${')'.repeat(900)}`)).code).toBe('FORMULA_SYNTAX');
  });

  it('accepts the longest chain allowed', () => {
    expect(() => parseFormula(Array(200).fill('1').join('+'))).not.toThrow();
  });
});

function catchError(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}
