import { Decimal } from '@mosaic/kernel';
import type { EvalContext } from '../query-scope.ts';
import { todayIn } from '../filter/relative-dates.ts';
import type { FormulaAst } from './formula.ast.ts';
import { FUNCTIONS, type FnCtx } from './functions.ts';
import { bool, compare, date, fromDayNumber, num, text, toDayNumber, type Value } from './values.ts';

/** The values a formula reads: `get('customer.region')`, `get('lines.amount')` → a list for child rows. */
export interface FormulaRecord {
  get(path: string): unknown;
}

/** Evaluates a checked formula on one record, with Decimal arithmetic throughout. */
export function evaluateFormula(ast: FormulaAst, record: FormulaRecord, ctx: EvalContext): Value {
  const fctx: FnCtx = { today: todayIn(ctx), now: ctx.now, timeZone: ctx.timeZone };
  return evalNode(ast, record, ctx, fctx);
}

function evalNode(ast: FormulaAst, rec: FormulaRecord, ctx: EvalContext, fctx: FnCtx): Value {
  switch (ast.k) {
    case 'num': return new Decimal(ast.v);
    case 'str': return ast.v;
    case 'bool': return ast.v;
    case 'null': return null;
    case 'var':
      return ast.name === '$user' ? ctx.userId ?? null : ast.name === '$department' ? ctx.departmentId ?? null : ast.name === '$company' ? ctx.companyId ?? null
        : ast.name === '$today' ? fctx.today : ast.name === '$now' ? ctx.now : null;
    case 'ref': {
      const v = rec.get(ast.path);
      if (Array.isArray(v)) return v as Value[];
      if (v && typeof v === 'object' && 'amount' in (v as object)) return num((v as { amount: unknown }).amount); // money
      return (v ?? null) as Value;
    }
    case 'neg': {
      const d = num(evalNode(ast.arg, rec, ctx, fctx));
      return d ? d.neg() : null;
    }
    case 'not': {
      const b = bool(evalNode(ast.arg, rec, ctx, fctx));
      return b === null ? null : !b;
    }
    case 'bin': return binary(ast.op, evalNode(ast.l, rec, ctx, fctx), evalNode(ast.r, rec, ctx, fctx));
    case 'call': return FUNCTIONS[ast.fn].eval(ast.args.map((a) => evalNode(a, rec, ctx, fctx)), fctx);
  }
}

function binary(op: string, l: Value, r: Value): Value {
  switch (op) {
    case '&': return (text(l) ?? '') + (text(r) ?? '');
    case 'and': { const a = bool(l); const b = bool(r); return a === false || b === false ? false : a === null || b === null ? null : true; }
    case 'or': { const a = bool(l); const b = bool(r); return a === true || b === true ? true : a === null || b === null ? null : false; }
    case '=': case '<>': case '<': case '<=': case '>': case '>=': {
      const c = compare(l, r);
      if (c === null) return null;
      return op === '=' ? c === 0 : op === '<>' ? c !== 0 : op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
    }
  }
  // date arithmetic: date ± days, date − date
  const ld = typeof l === 'string' ? date(l) : null;
  if (ld && (op === '+' || op === '-')) {
    const rd = typeof r === 'string' ? date(r) : null;
    if (rd && op === '-') return new Decimal(toDayNumber(ld) - toDayNumber(rd));
    const n = num(r);
    return n ? fromDayNumber(toDayNumber(ld) + (op === '+' ? 1 : -1) * n.toNumber()) : null;
  }
  const a = num(l);
  const b = num(r);
  if (!a || !b) return null;
  switch (op) {
    case '+': return a.plus(b);
    case '-': return a.minus(b);
    case '*': return a.times(b);
    case '/': return b.isZero() ? null : a.div(b);
    case '^': return a.pow(b);
  }
  return null;
}
