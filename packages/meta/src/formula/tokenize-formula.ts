import { AppError } from '@mosaic/kernel';
import { CONTEXT_VARIABLES } from './formula.ast.ts';

export type TokenType = 'number' | 'text' | 'name' | 'variable' | 'op' | '(' | ')' | ',' | 'end';
export interface Token {
  type: TokenType;
  value: string;
  pos: number; // 1-based
}

const TWO_CHAR_OPS = new Set(['<>', '<=', '>=', '!=', '==', '&&', '||']);
const ONE_CHAR_OPS = new Set(['+', '-', '*', '/', '^', '&', '=', '<', '>', '!', '%']);
// Full-width punctuation typed by habit with a Chinese input method.
const FULL_WIDTH: Record<string, TokenType> = { '（': '(', '）': ')', '，': ',' };
const NUMBER_RE = /(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/y;
const NAME_RE = /[A-Za-z_][A-Za-z0-9_]*/y;
const MAX_NUMBER_DIGITS = 40; // Decimal keeps 40 significant digits; longer literals would round silently
const MAX_EXPONENT = 40;

/**
 * Splits a formula into tokens. Names may be dotted paths (`customer.region`);
 * strings use "…" (with \" or "" for a quote inside, \\ for a backslash) or
 * Chinese “…” quotes.
 */
export function tokenizeFormula(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    const pos = i + 1;
    if (/\s/.test(c)) {
      i++;
    } else if (/[0-9.]/.test(c) && /[0-9]/.test(c === '.' ? (src[i + 1] ?? '') : c)) {
      NUMBER_RE.lastIndex = i;
      const m = NUMBER_RE.exec(src)!;
      const digits = m[1].replace('.', '').length;
      if (digits > MAX_NUMBER_DIGITS || (m[3] && Math.abs(Number(m[3].slice(1))) > MAX_EXPONENT)) {
        throw syntaxError(pos, `the number ${m[0].slice(0, 20)}… has too many digits`);
      }
      out.push({ type: 'number', value: m[0], pos });
      i += m[0].length;
      if (/[A-Za-z_]/.test(src[i] ?? '')) throw syntaxError(i + 1, `a number cannot run into the name "${src.slice(i, i + 20)}"`);
    } else if (c === '"' || c === '“' || c === '”') {
      const [value, end] = readText(src, i);
      out.push({ type: 'text', value, pos });
      i = end;
    } else if (c === '$' || /[A-Za-z_]/.test(c)) {
      const [value, end] = c === '$' ? readName(src, i + 1, false) : readName(src, i, true);
      if (c === '$') {
        const name = `$${value.toLowerCase()}`;
        if (!(CONTEXT_VARIABLES as readonly string[]).includes(name)) {
          throw syntaxError(pos, `unknown variable $${value}; use one of ${CONTEXT_VARIABLES.join(', ')}`);
        }
        out.push({ type: 'variable', value: name, pos });
      } else {
        out.push({ type: 'name', value, pos });
      }
      i = end;
    } else if (TWO_CHAR_OPS.has(src.slice(i, i + 2))) {
      out.push({ type: 'op', value: src.slice(i, i + 2), pos });
      i += 2;
    } else if (ONE_CHAR_OPS.has(c)) {
      out.push({ type: 'op', value: c, pos });
      i++;
    } else if (c === '(' || c === ')' || c === ',') {
      out.push({ type: c, value: c, pos });
      i++;
    } else if (FULL_WIDTH[c]) {
      out.push({ type: FULL_WIDTH[c], value: c, pos });
      i++;
    } else {
      const hint = /[^\x00-\x7f]/.test(c) ? ' (fields are named by their API name, e.g. amount; text goes in quotes)' : '';
      throw syntaxError(pos, `unexpected character "${c}"${hint}`);
    }
  }
  out.push({ type: 'end', value: '', pos: src.length + 1 });
  return out;
}

function readText(src: string, start: number): [string, number] {
  const curly = src[start] !== '"';
  let s = '';
  let i = start + 1;
  for (;;) {
    if (i >= src.length) throw syntaxError(start + 1, 'the text starting here has no closing quote');
    const c = src[i];
    if (c === '\\' && i + 1 < src.length && '"\\“”'.includes(src[i + 1])) {
      s += src[i + 1]; // \" and \\ only: any other backslash is kept, so "C:\temp" stays as written
      i += 2;
    } else if (!curly && c === '"') {
      if (src[i + 1] !== '"') return [s, i + 1];
      s += '"'; // Excel's "" inside a string
      i += 2;
    } else if (curly && (c === '”' || c === '“')) {
      return [s, i + 1];
    } else {
      s += c;
      i++;
    }
  }
}

function readName(src: string, start: number, dotted: boolean): [string, number] {
  const parts: string[] = [];
  let i = start;
  for (;;) {
    NAME_RE.lastIndex = i;
    const m = NAME_RE.exec(src);
    if (!m) {
      throw syntaxError(i + 1, parts.length ? `a field name must follow "${parts.join('.')}."` : 'a name must follow "$"');
    }
    parts.push(m[0]);
    i += m[0].length;
    if (src[i] !== '.' || !dotted) break;
    i++;
  }
  return [parts.join('.'), i];
}

export function syntaxError(position: number, reason: string): AppError {
  return new AppError('FORMULA_SYNTAX', `position ${position}: ${reason}`, { details: { position, reason } });
}
