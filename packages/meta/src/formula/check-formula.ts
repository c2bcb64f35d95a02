import { AppError } from '@mosaic/kernel';
import type { ScalarType } from '../meta.types.ts';
import type { FormulaTypeEnv } from '../query-scope.ts';
import type { BinaryNode, CallNode, FormulaAst } from './formula.ast.ts';
import { canConvert, compareType, describeType, SigInput, typeError, type Sig } from './formula-types.ts';
import { FUNCTIONS, type AggregateFn } from './functions.ts';

/**
 * The type of a field path. `aggregate` is set when the path is the only
 * argument of SUM/AVG/MIN/MAX/COUNT, where a child-row path is allowed.
 */
export type TypeLookup = (path: string, aggregate: AggregateFn | null) => { type: ScalarType; many: boolean };

/** The checker's findings, which the interpreter and the SQL compiler both follow. */
export interface Typed {
  type(node: FormulaAst): ScalarType;
  /** Element type of a list (child rows, a multi-select). */
  elem(node: FormulaAst): ScalarType;
  /** Conversions and result of an operator or call. */
  sig(node: FormulaAst): Sig;
  /** Field nodes naming child rows (lines.amount inside SUM). */
  isChildRows(node: FormulaAst): boolean;
}

const VARIABLE_TYPES: Record<string, ScalarType> = { $user: 'text', $department: 'text', $company: 'text', $today: 'date', $now: 'datetime' };
const isNumberish = (t: ScalarType) => t === 'number' || t === 'null' || t === 'any';

/**
 * Infers a formula's result type against the metadata. Refuses unknown
 * fields (FIELD_UNKNOWN), wrong argument counts and types, arithmetic on text,
 * child-row paths outside an aggregate (FORMULA_TYPE); every message starts
 * with the position: "position 5: "+" needs numbers, not text (use & to join text)".
 */
export function checkFormula(ast: FormulaAst, env: FormulaTypeEnv): ScalarType {
  return typeFormula(ast, envLookup(env)).type(ast);
}

export function envLookup(env: FormulaTypeEnv): TypeLookup {
  return (path) => {
    const r = env.typeOf(path);
    return { type: r.type, many: r.many };
  };
}

/**
 * Types every node. `lenient` is for field types guessed from values (no
 * metadata): a value of unknown type then stays unknown where values meet
 * (IF branches, COALESCE) instead of taking the others' type.
 */
export function typeFormula(ast: FormulaAst, lookup: TypeLookup, lenient = false): Typed {
  const types = new Map<FormulaAst, ScalarType>();
  const elems = new Map<FormulaAst, ScalarType>();
  const sigs = new Map<FormulaAst, Sig>();
  const childRows = new Set<FormulaAst>();

  const field = (node: FormulaAst & { kind: 'field' }, aggregate: AggregateFn | null): ScalarType => {
    let r;
    try {
      r = lookup(node.path, aggregate);
    } catch (e) {
      if (!(e instanceof AppError) || /^position \d+:/.test(e.message)) throw e;
      throw new AppError(e.code, `position ${node.pos}: ${e.message}`, { field: e.field ?? node.path, details: { position: node.pos, reason: e.message, path: node.path } });
    }
    if (r.many) {
      if (!aggregate) throw typeError(node.pos, `${node.path} holds child rows; use it as the only argument of SUM, AVG, MIN, MAX or COUNT`);
      childRows.add(node);
      elems.set(node, r.type);
      return 'list';
    }
    if (r.type === 'list') elems.set(node, 'text');
    return r.type;
  };

  const visit = (node: FormulaAst, aggregate: AggregateFn | null = null): ScalarType => {
    const t = infer(node, aggregate);
    types.set(node, t);
    return t;
  };

  const infer = (node: FormulaAst, aggregate: AggregateFn | null): ScalarType => {
    switch (node.kind) {
      case 'number': return 'number';
      case 'text': return 'text';
      case 'boolean': return 'boolean';
      case 'null': return 'null';
      case 'variable': return VARIABLE_TYPES[node.name];
      case 'field': return field(node, aggregate);
      case 'unary': {
        const t = visit(node.arg);
        const want = node.op === '-' ? 'number' : 'boolean';
        if (!canConvert(t, want, node.arg) || (want === 'number' && t === 'text')) {
          throw typeError(node.arg.pos, `${node.op === '-' ? 'minus' : 'NOT'} needs ${describeType(want)}, not ${describeType(t)}`);
        }
        sigs.set(node, { params: [want], result: want });
        return want;
      }
      case 'binary': {
        const sig = binarySig(node, visit(node.left), visit(node.right));
        sigs.set(node, sig);
        return sig.result;
      }
      case 'call': {
        const sig = callSig(node, visit, elems, lenient);
        sigs.set(node, sig);
        return sig.result;
      }
    }
  };

  visit(ast);
  return {
    type: (n) => types.get(n) ?? 'any',
    elem: (n) => elems.get(n) ?? 'any',
    sig: (n) => sigs.get(n)!,
    isChildRows: (n) => childRows.has(n),
  };
}

function callSig(node: CallNode, visit: (n: FormulaAst, a?: AggregateFn | null) => ScalarType, elems: Map<FormulaAst, ScalarType>, lenient: boolean): Sig {
  const fn = FUNCTIONS[node.fn];
  if (!fn) throw typeError(node.pos, `unknown function ${node.fn}`);
  const n = node.args.length;
  if (n < fn.min || n > fn.max) {
    const want = fn.min === fn.max ? `${fn.min}` : fn.max >= 254 ? `at least ${fn.min}` : `${fn.min} to ${fn.max}`;
    throw typeError(node.pos, `${node.fn} takes ${want} argument${want === '1' ? '' : 's'}, got ${n}`);
  }
  const soleField = fn.aggregate && n === 1 && node.args[0].kind === 'field';
  const types = node.args.map((a) => visit(a, soleField ? fn.aggregate : null));
  return fn.sig(new SigInput(node, types, node.args.map((a) => elems.get(a)), lenient));
}

function binarySig(node: BinaryNode, l: ScalarType, r: ScalarType): Sig {
  const { op, left, right } = node;
  const needs = (t: ScalarType, at: FormulaAst, want: ScalarType, hint = '') => {
    if (!canConvert(t, want, at) || (want === 'number' && t === 'text')) throw typeError(at.pos, `"${op}" needs ${describeType(want)}, not ${describeType(t)}${hint}`);
  };
  switch (op) {
    case '&':
      needs(l, left, 'text');
      needs(r, right, 'text');
      return { params: ['text', 'text'], result: 'text' };
    case 'and': case 'or':
      needs(l, left, 'boolean');
      needs(r, right, 'boolean');
      return { params: ['boolean', 'boolean'], result: 'boolean' };
    case '=': case '<>': case '<': case '<=': case '>': case '>=': {
      const c = compareType(l, r, left, right, node.pos);
      return { params: [c, c], result: 'boolean', option: c };
    }
    default:
  }
  // Dates: date ± days → date; date − date → days; the same for date-times.
  const temporal = (t: ScalarType) => t === 'date' || t === 'datetime';
  // A field of unknown type (no metadata, an empty value): date or number arithmetic is decided by the values.
  if ((op === '+' || op === '-') && (l === 'any' || r === 'any') && (isNumberish(l) || temporal(l)) && (isNumberish(r) || temporal(r))) {
    return { params: ['any', 'any'], result: 'any', option: 'dynamic' };
  }
  if ((op === '+' || op === '-') && (temporal(l) || (op === '+' && temporal(r)))) {
    const [d, n, nn] = temporal(l) ? [l, r, right] : [r, l, left];
    if (op === '-' && (temporal(r) || (r === 'text' && canConvert(r, l, right)))) {
      const as = l === 'datetime' || r === 'datetime' ? 'datetime' : 'date';
      needs(r, right, as);
      return { params: [as, as], result: 'number', option: `${as}-${as}` };
    }
    if (!isNumberish(n)) throw typeError(nn.pos, `"${op}" adds a number of days to ${describeType(d)}, not ${describeType(n)}`);
    const params: ScalarType[] = temporal(l) ? [d, 'number'] : ['number', d];
    return { params, result: d, option: `${d}${op}days` };
  }
  const hint = op === '+' && (l === 'text' || r === 'text') ? ' (use & to join text)' : '';
  needs(l, left, 'number', hint);
  needs(r, right, 'number', hint);
  return { params: ['number', 'number'], result: 'number', option: 'number' };
}

/** The field paths a formula reads, in order of first use — what a stored value must be recomputed on. */
export function collectFieldPaths(ast: FormulaAst): string[] {
  const out = new Set<string>();
  const walk = (n: FormulaAst): void => {
    if (n.kind === 'field') out.add(n.path);
    else if (n.kind === 'unary') walk(n.arg);
    else if (n.kind === 'binary') { walk(n.left); walk(n.right); }
    else if (n.kind === 'call') n.args.forEach(walk);
  };
  walk(ast);
  return [...out];
}

/** Whether the formula reads the clock (TODAY(), NOW(), $today, $now): a stored copy would go stale. */
export function dependsOnClock(ast: FormulaAst): boolean {
  switch (ast.kind) {
    case 'variable': return ast.name === '$today' || ast.name === '$now';
    case 'unary': return dependsOnClock(ast.arg);
    case 'binary': return dependsOnClock(ast.left) || dependsOnClock(ast.right);
    case 'call': return ast.fn === 'TODAY' || ast.fn === 'NOW' || ast.args.some(dependsOnClock);
    default: return false;
  }
}
