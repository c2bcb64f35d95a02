import { FORMULA_LIMITS, type BinaryOp, type ContextVariable, type FormulaAst } from './formula.ast.ts';
import { canonicalFunctionName } from './functions.ts';
import { syntaxError, tokenizeFormula, type Token } from './tokenize-formula.ts';

/**
 * Excel-like formula text → a syntax tree, with a hand-written tokenizer and a
 * Pratt parser. Binding, loosest first: `or ||`, `and &&`, `not`, comparison
 * (`= == <> != < <= > >=`), `&`, `+ -`, `* /`, `^` (right-associative, as in
 * mathematics: 2^3^2 = 512), unary minus (tighter than `^`, as in Excel:
 * -2^2 = 4), postfix `%` (50% = 0.5).
 *
 *   parseFormula('ROUND(qty * price, 2)')
 *   // { kind: 'call', fn: 'ROUND', args: [{ kind: 'binary', op: '*', … }, { kind: 'number', value: '2' }] }
 *
 * Throws AppError FORMULA_SYNTAX "position 7: expected ")" but found the end of
 * the formula", with `details: { position, reason }`.
 */
export function parseFormula(src: string): FormulaAst {
  if (typeof src !== 'string') throw syntaxError(1, 'a formula must be text');
  if (src.length > FORMULA_LIMITS.length) throw syntaxError(FORMULA_LIMITS.length + 1, `a formula may have at most ${FORMULA_LIMITS.length} characters`);
  const parser = new Parser(tokenizeFormula(src));
  if (parser.peek().type === 'end') throw syntaxError(1, 'the formula is empty');
  const ast = parser.expression(0, 0);
  const rest = parser.peek();
  if (rest.type !== 'end') {
    throw syntaxError(rest.pos, `unexpected ${describe(rest)} after a complete formula (missing operator or comma?)`);
  }
  checkTreeDepth(ast, 1);
  return ast;
}

const INFIX: Record<string, { bp: number; op: BinaryOp }> = {
  or: { bp: 1, op: 'or' }, '||': { bp: 1, op: 'or' },
  and: { bp: 2, op: 'and' }, '&&': { bp: 2, op: 'and' },
  '=': { bp: 4, op: '=' }, '==': { bp: 4, op: '=' }, '<>': { bp: 4, op: '<>' }, '!=': { bp: 4, op: '<>' },
  '<': { bp: 4, op: '<' }, '<=': { bp: 4, op: '<=' }, '>': { bp: 4, op: '>' }, '>=': { bp: 4, op: '>=' },
  '&': { bp: 5, op: '&' },
  '+': { bp: 6, op: '+' }, '-': { bp: 6, op: '-' },
  '*': { bp: 7, op: '*' }, '/': { bp: 7, op: '/' },
  '^': { bp: 8, op: '^' },
};
const NOT_OPERAND_BP = 2; // `not a = b` is not (a = b); `not a and b` is (not a) and b
const NEG_OPERAND_BP = 8; // `-2^2` is (-2)^2
const PERCENT_BP = 9;
const RESERVED = new Set(['and', 'or', 'not', 'true', 'false', 'null']);

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  peek(): Token {
    return this.tokens[this.i];
  }

  private next(): Token {
    const t = this.tokens[this.i];
    if (t.type !== 'end') this.i++;
    return t;
  }

  expression(minBp: number, depth: number): FormulaAst {
    if (depth > FORMULA_LIMITS.depth) throw syntaxError(this.peek().pos, `the formula nests deeper than ${FORMULA_LIMITS.depth} levels`);
    let left = this.prefix(depth);
    for (;;) {
      const t = this.peek();
      if (t.type === 'op' && t.value === '%') {
        if (PERCENT_BP <= minBp) break;
        this.next();
        left = { kind: 'binary', op: '/', left, right: { kind: 'number', value: '100', pos: t.pos }, pos: t.pos };
        continue;
      }
      const key = t.type === 'op' ? t.value : t.type === 'name' ? t.value.toLowerCase() : '';
      const infix = t.type === 'op' || key === 'and' || key === 'or' ? INFIX[key] : undefined;
      if (!infix || infix.bp <= minBp) break;
      this.next();
      const right = this.expression(infix.op === '^' ? infix.bp - 1 : infix.bp, depth + 1);
      left = { kind: 'binary', op: infix.op, left, right, pos: t.pos };
    }
    return left;
  }

  private prefix(depth: number): FormulaAst {
    const t = this.next();
    switch (t.type) {
      case 'number': return { kind: 'number', value: t.value, pos: t.pos };
      case 'text': return { kind: 'text', value: t.value, pos: t.pos };
      case 'variable': return { kind: 'variable', name: t.value as ContextVariable, pos: t.pos };
      case '(': {
        const inner = this.expression(0, depth + 1);
        this.expect(')', t);
        return inner;
      }
      case 'op':
        if (t.value === '-') return { kind: 'unary', op: '-', arg: this.expression(NEG_OPERAND_BP, depth + 1), pos: t.pos };
        if (t.value === '+') return this.expression(NEG_OPERAND_BP, depth + 1);
        if (t.value === '!') return { kind: 'unary', op: 'not', arg: this.expression(NOT_OPERAND_BP, depth + 1), pos: t.pos };
        throw syntaxError(t.pos, `unexpected ${describe(t)} where a value was expected`);
      case 'name': return this.name(t, depth);
      case 'end': throw syntaxError(t.pos, 'the formula ends where a value was expected');
      default: throw syntaxError(t.pos, `unexpected ${describe(t)} where a value was expected`);
    }
  }

  private name(t: Token, depth: number): FormulaAst {
    const lower = t.value.toLowerCase();
    if (this.peek().type === '(') {
      if (t.value.includes('.')) throw syntaxError(t.pos, `${t.value} is a field, not a function`);
      const open = this.next();
      const args: FormulaAst[] = [];
      if (this.peek().type !== ')') {
        for (;;) {
          if (args.length >= FORMULA_LIMITS.args) throw syntaxError(this.peek().pos, `a function takes at most ${FORMULA_LIMITS.args} arguments`);
          args.push(this.expression(0, depth + 1));
          if (this.peek().type !== ',') break;
          this.next();
        }
      }
      this.expect(')', open);
      if (lower === 'true' || lower === 'false') return this.literalCall(t, args, { kind: 'boolean', value: lower === 'true', pos: t.pos });
      if (lower === 'blank' || lower === 'null') return this.literalCall(t, args, { kind: 'null', pos: t.pos });
      const fn = canonicalFunctionName(t.value);
      if (!fn) throw syntaxError(t.pos, `unknown function ${t.value.toUpperCase()}`);
      return { kind: 'call', fn, args, pos: t.pos };
    }
    if (lower === 'not') return { kind: 'unary', op: 'not', arg: this.expression(NOT_OPERAND_BP, depth + 1), pos: t.pos };
    if (lower === 'true' || lower === 'false') return { kind: 'boolean', value: lower === 'true', pos: t.pos };
    if (lower === 'null') return { kind: 'null', pos: t.pos };
    if (RESERVED.has(lower)) throw syntaxError(t.pos, `unexpected "${t.value}" where a value was expected`);
    return { kind: 'field', path: t.value, pos: t.pos };
  }

  private literalCall(t: Token, args: FormulaAst[], node: FormulaAst): FormulaAst {
    if (args.length) throw syntaxError(t.pos, `${t.value.toUpperCase()}() takes no arguments`);
    return node;
  }

  private expect(type: ')', opened: Token): void {
    const t = this.next();
    if (t.type === type) return;
    const found = t.type === 'end' ? 'the end of the formula' : describe(t);
    throw syntaxError(t.pos, `expected ")" to close the "(" at position ${opened.pos} but found ${found}`);
  }
}

function describe(t: Token): string {
  if (t.type === 'end') return 'the end of the formula';
  if (t.type === 'text') return `the text "${t.value.slice(0, 20)}"`;
  return `"${t.value}"`;
}

function checkTreeDepth(ast: FormulaAst, depth: number): void {
  if (depth > FORMULA_LIMITS.treeDepth) throw syntaxError(ast.pos, `the formula is too long a chain (more than ${FORMULA_LIMITS.treeDepth} levels of operators)`);
  switch (ast.kind) {
    case 'unary': return checkTreeDepth(ast.arg, depth + 1);
    case 'binary': checkTreeDepth(ast.left, depth + 1); return checkTreeDepth(ast.right, depth + 1);
    case 'call': for (const a of ast.args) checkTreeDepth(a, depth + 1); return;
    default:
  }
}
