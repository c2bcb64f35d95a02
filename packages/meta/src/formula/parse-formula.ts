import { AppError } from '@mosaic/kernel';
import { FORMULA_LIMITS, type BinaryOp, type FormulaAst } from './formula.ast.ts';

/**
 * Excel-like formulas → a syntax tree. A hand-written tokenizer and a Pratt
 * parser with Excel's precedence (lowest first): or, and, not, comparison,
 * `&`, `+ -`, `* /`, `^`, unary minus. Errors name the position and the reason:
 * "position 7: expected ')' but found the end of the formula".
 */
type Tok = { t: 'num' | 'str' | 'id' | 'var' | 'op' | '(' | ')' | ',' | 'end'; v: string; pos: number };

export function parseFormula(src: string): FormulaAst {
  if (typeof src !== 'string') throw syntax(1, 'a formula must be text');
  if (src.length > FORMULA_LIMITS.length) throw syntax(FORMULA_LIMITS.length, `longer than ${FORMULA_LIMITS.length} characters`);
  const p = new Parser(tokenize(src));
  const ast = p.expr(0, 0);
  p.expectEnd();
  return ast;
}

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    const pos = i + 1;
    if (/\s/.test(c)) { i++; continue; }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(src.slice(i))!;
      out.push({ t: 'num', v: m[0], pos });
      i += m[0].length;
      continue;
    }
    if (c === '"' || c === '“' || c === '”') {
      const close = c === '"' ? '"' : '”';
      let s = '';
      i++;
      for (;;) {
        if (i >= src.length) throw syntax(pos, 'the text starting here has no closing quote');
        if (src[i] === '\\' && i + 1 < src.length) { s += src[i + 1]; i += 2; continue; }
        if (src[i] === close || (close === '”' && src[i] === '"')) {
          if (close === '"' && src[i + 1] === '"') { s += '"'; i += 2; continue; } // Excel's "" escape
          i++;
          break;
        }
        s += src[i++];
      }
      out.push({ t: 'str', v: s, pos });
      continue;
    }
    if (c === '$' || /[A-Za-z_]/.test(c)) {
      const m = /^\$?[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*/.exec(src.slice(i));
      if (!m) throw syntax(pos, `unexpected "${c}"`);
      out.push({ t: c === '$' ? 'var' : 'id', v: m[0], pos });
      i += m[0].length;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (['<>', '<=', '>=', '!=', '==', '&&', '||'].includes(two)) {
      out.push({ t: 'op', v: two, pos });
      i += 2;
      continue;
    }
    if ('+-*/^&=<>!'.includes(c)) { out.push({ t: 'op', v: c, pos }); i++; continue; }
    if (c === '(' || c === ')' || c === ',') { out.push({ t: c, v: c, pos }); i++; continue; }
    if (c === '，') { out.push({ t: ',', v: ',', pos }); i++; continue; } // a Chinese comma typed by habit
    if (c === '（' || c === '）') { out.push({ t: c === '（' ? '(' : ')', v: c, pos }); i++; continue; }
    throw syntax(pos, `unexpected character "${c}"`);
  }
  out.push({ t: 'end', v: '', pos: src.length + 1 });
  return out;
}

// Binding powers: higher binds tighter.
const INFIX: Record<string, [number, BinaryOp]> = {
  or: [1, 'or'], '||': [1, 'or'], and: [2, 'and'], '&&': [2, 'and'],
  '=': [4, '='], '==': [4, '='], '<>': [4, '<>'], '!=': [4, '<>'], '<': [4, '<'], '<=': [4, '<='], '>': [4, '>'], '>=': [4, '>='],
  '&': [5, '&'], '+': [6, '+'], '-': [6, '-'], '*': [7, '*'], '/': [7, '/'], '^': [9, '^'],
};

class Parser {
  private i = 0;
  constructor(private readonly toks: Tok[]) {}

  expr(minBp: number, depth: number): FormulaAst {
    if (depth > FORMULA_LIMITS.depth) throw syntax(this.peek().pos, `nests deeper than ${FORMULA_LIMITS.depth} levels`);
    let left = this.prefix(depth);
    for (;;) {
      const tok = this.peek();
      const key = tok.t === 'op' ? tok.v : tok.t === 'id' ? tok.v.toLowerCase() : '';
      const info = INFIX[key];
      if (!info || (tok.t === 'id' && key !== 'and' && key !== 'or')) break;
      const [bp, op] = info;
      if (bp <= minBp) break;
      this.i++;
      // ^ is right-associative; everything else left-associative.
      const right = this.expr(op === '^' ? bp - 1 : bp, depth + 1);
      left = { k: 'bin', op, l: left, r: right, pos: tok.pos };
    }
    return left;
  }

  private prefix(depth: number): FormulaAst {
    const tok = this.next();
    switch (tok.t) {
      case 'num': return { k: 'num', v: tok.v, pos: tok.pos };
      case 'str': return { k: 'str', v: tok.v, pos: tok.pos };
      case 'var': return { k: 'var', name: tok.v, pos: tok.pos };
      case '(': {
        const inner = this.expr(0, depth + 1);
        this.expect(')');
        return inner;
      }
      case 'op':
        // Excel: negation binds tighter than ^, so -2^2 = 4.
        if (tok.v === '-') return { k: 'neg', arg: this.expr(9, depth + 1), pos: tok.pos };
        if (tok.v === '+') return this.expr(8, depth + 1);
        if (tok.v === '!') return { k: 'not', arg: this.expr(3, depth + 1), pos: tok.pos };
        throw syntax(tok.pos, `unexpected "${tok.v}"`);
      case 'id': {
        const upper = tok.v.toUpperCase();
        if (this.peek().t === '(' && !tok.v.includes('.')) {
          this.i++;
          const args: FormulaAst[] = [];
          if (this.peek().t !== ')') {
            do args.push(this.expr(0, depth + 1));
            while (this.peek().t === ',' && this.next());
          }
          this.expect(')');
          return { k: 'call', fn: upper, args, pos: tok.pos };
        }
        if (upper === 'TRUE' || upper === 'FALSE') return { k: 'bool', v: upper === 'TRUE', pos: tok.pos };
        if (upper === 'NULL') return { k: 'null', pos: tok.pos };
        if (upper === 'NOT') return { k: 'not', arg: this.expr(3, depth + 1), pos: tok.pos };
        return { k: 'ref', path: tok.v, pos: tok.pos };
      }
      case 'end': throw syntax(tok.pos, 'the formula ends where a value was expected');
      default: throw syntax(tok.pos, `unexpected "${tok.v}"`);
    }
  }

  expectEnd(): void {
    const tok = this.peek();
    if (tok.t !== 'end') throw syntax(tok.pos, `unexpected "${tok.v}" after a complete formula (missing operator?)`);
  }

  private expect(t: Tok['t']): void {
    const tok = this.next();
    if (tok.t !== t) throw syntax(tok.pos, `expected "${t}" but found ${tok.t === 'end' ? 'the end of the formula' : `"${tok.v}"`}`);
  }

  private peek(): Tok {
    return this.toks[this.i];
  }

  private next(): Tok {
    return this.toks[this.i++] ?? this.toks[this.toks.length - 1];
  }
}

export function syntax(position: number, reason: string): AppError {
  return new AppError('FORMULA_SYNTAX', `position ${position}: ${reason}`, { details: { position, reason } });
}
