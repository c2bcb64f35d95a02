import { AppError } from '@mosaic/kernel';
import type { ScalarType } from '../meta.types.ts';
import type { FormulaTypeEnv } from '../query-scope.ts';
import type { FormulaAst } from './formula.ast.ts';
import { FUNCTIONS, TEXT_FORMAT_NAMES } from './functions.ts';

export const AGGREGATES = new Set(['SUM', 'AVG', 'MIN', 'MAX', 'COUNT']);
const VARIABLES: Record<string, ScalarType> = { $user: 'text', $department: 'text', $company: 'text', $today: 'date', $now: 'datetime' };

/**
 * Infers a formula's result type against the metadata, refusing unknown
 * fields, unknown functions, wrong argument counts, child-row paths outside an
 * aggregate, arithmetic on text. Errors carry the position.
 */
export function checkFormula(ast: FormulaAst, env: FormulaTypeEnv): ScalarType {
  return check(ast, env, false);
}

function check(ast: FormulaAst, env: FormulaTypeEnv, inAggregate: boolean): ScalarType {
  switch (ast.k) {
    case 'num': return 'number';
    case 'str': return 'text';
    case 'bool': return 'boolean';
    case 'null': return 'null';
    case 'var': {
      const t = VARIABLES[ast.name];
      if (!t) throw typeError(ast.pos, `unknown variable ${ast.name}; use ${Object.keys(VARIABLES).join(', ')}`);
      return t;
    }
    case 'ref': {
      let r;
      try {
        r = env.typeOf(ast.path);
      } catch (e) {
        if (e instanceof AppError) throw new AppError('FORMULA_TYPE', `position ${ast.pos}: ${e.message}`, { details: { position: ast.pos, reason: e.message }, field: ast.path });
        throw e;
      }
      if (r.many && !inAggregate) throw typeError(ast.pos, `${ast.path} holds child rows; use it inside SUM, AVG, MIN, MAX or COUNT`);
      return r.type;
    }
    case 'neg': expectNumber(check(ast.arg, env, inAggregate), ast.pos, 'minus'); return 'number';
    case 'not': check(ast.arg, env, inAggregate); return 'boolean';
    case 'bin': {
      const l = check(ast.l, env, inAggregate);
      const r = check(ast.r, env, inAggregate);
      if (['+', '-', '*', '/', '^'].includes(ast.op)) {
        // date ± number and date − date are allowed, as in spreadsheets
        if ((ast.op === '+' || ast.op === '-') && l === 'date' && (r === 'number' || r === 'null')) return 'date';
        if (ast.op === '-' && l === 'date' && r === 'date') return 'number';
        expectNumber(l, ast.l.pos, ast.op);
        expectNumber(r, ast.r.pos, ast.op);
        return 'number';
      }
      if (ast.op === '&') return 'text';
      return 'boolean';
    }
    case 'call': {
      const fn = FUNCTIONS[ast.fn];
      if (!fn) throw typeError(ast.pos, `unknown function ${ast.fn}`);
      if (ast.args.length < fn.min || ast.args.length > fn.max) {
        const want = fn.min === fn.max ? `${fn.min}` : fn.max > 50 ? `at least ${fn.min}` : `${fn.min} to ${fn.max}`;
        throw typeError(ast.pos, `${ast.fn} takes ${want} argument(s), got ${ast.args.length}`);
      }
      const agg = AGGREGATES.has(ast.fn);
      const types = ast.args.map((a) => check(a, env, agg));
      if (ast.fn === 'TEXT' && (ast.args[1].k !== 'str' || !TEXT_FORMAT_NAMES.includes(ast.args[1].v))) {
        throw typeError(ast.args[1].pos, `TEXT formats: ${TEXT_FORMAT_NAMES.join(' ')}`);
      }
      if ((ast.fn === 'DATEDIF' || ast.fn === 'DATEADD') && ast.args[2] && (ast.args[2].k !== 'str' || !/^[DMY]$/i.test(ast.args[2].v))) {
        throw typeError(ast.args[2].pos, `${ast.fn}'s unit is "D", "M" or "Y"`);
      }
      return fn.type(types);
    }
  }
}

function expectNumber(t: ScalarType, pos: number, op: string): void {
  if (t === 'text' || t === 'boolean' || t === 'list' || t === 'datetime') throw typeError(pos, `"${op}" needs numbers, not ${t}`);
}

export function typeError(position: number, reason: string): AppError {
  return new AppError('FORMULA_TYPE', `position ${position}: ${reason}`, { details: { position, reason } });
}

/** The field paths a formula reads (to know when a stored value must be recomputed). */
export function collectFieldPaths(ast: FormulaAst): string[] {
  switch (ast.k) {
    case 'ref': return [ast.path];
    case 'neg': case 'not': return collectFieldPaths(ast.arg);
    case 'bin': return [...new Set([...collectFieldPaths(ast.l), ...collectFieldPaths(ast.r)])];
    case 'call': return [...new Set(ast.args.flatMap(collectFieldPaths))];
    default: return [];
  }
}
