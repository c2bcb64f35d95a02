import { sql, type RawBuilder } from 'kysely';
import type { ChildAggregateScope, EvalContext, QueryScope } from '../query-scope.ts';
import { todayIn } from '../filter/relative-dates.ts';
import { typeError, AGGREGATES } from './check-formula.ts';
import type { FormulaAst } from './formula.ast.ts';
import { FUNCTIONS, type FnCtx } from './functions.ts';

/**
 * Formula → a PostgreSQL expression with the interpreter's meaning. Numbers are
 * parameters cast to numeric; field paths come only from the scope; division
 * is NULLIF-guarded. Example: ROUND(qty * price, 2) →
 *   round(((("t"."c_qty")::numeric * ("t"."c_price")::numeric))::numeric, ($1)::int)
 */
export function compileFormulaToSql(ast: FormulaAst, scope: QueryScope, ctx: EvalContext): RawBuilder<unknown> {
  const fctx: FnCtx = { today: todayIn(ctx), now: ctx.now, timeZone: ctx.timeZone };
  return compile(ast, scope, ctx, fctx);
}

function compile(ast: FormulaAst, scope: QueryScope, ctx: EvalContext, fctx: FnCtx): RawBuilder<unknown> {
  switch (ast.k) {
    case 'num': return sql`${ast.v}::numeric`;
    case 'str': return sql`${ast.v}::text`;
    case 'bool': return ast.v ? sql`TRUE` : sql`FALSE`;
    case 'null': return sql`NULL`;
    case 'var':
      return ast.name === '$today' ? sql`(now() AT TIME ZONE ${ctx.timeZone})::date` : ast.name === '$now' ? sql`now()`
        : sql`${(ast.name === '$user' ? ctx.userId : ast.name === '$department' ? ctx.departmentId : ctx.companyId) ?? null}::text`;
    case 'ref': return scope.ref(ast.path).sql;
    case 'neg': return sql`(-(${compile(ast.arg, scope, ctx, fctx)})::numeric)`;
    case 'not': return sql`(NOT (${compile(ast.arg, scope, ctx, fctx)})::boolean)`;
    case 'bin': {
      const l = compile(ast.l, scope, ctx, fctx);
      const r = compile(ast.r, scope, ctx, fctx);
      switch (ast.op) {
        case '&': return sql`(COALESCE((${l})::text, '') || COALESCE((${r})::text, ''))`;
        case 'and': return sql`((${l})::boolean AND (${r})::boolean)`;
        case 'or': return sql`((${l})::boolean OR (${r})::boolean)`;
        case '=': return sql`(${l} = ${r})`;
        case '<>': return sql`(${l} <> ${r})`;
        case '<': return sql`(${l} < ${r})`;
        case '<=': return sql`(${l} <= ${r})`;
        case '>': return sql`(${l} > ${r})`;
        case '>=': return sql`(${l} >= ${r})`;
        case '/': return sql`((${l})::numeric / NULLIF((${r})::numeric, 0))`;
        case '^': return sql`power((${l})::numeric, (${r})::numeric)`;
        default: {
          // + and − on a date shift it by days; date − date counts days.
          if (isDateExpr(ast.l, scope)) return ast.op === '-' && isDateExpr(ast.r, scope) ? sql`((${l})::date - (${r})::date)::numeric` : sql`((${l})::date ${sql.raw(ast.op)} (${r})::int)`;
          return sql`((${l})::numeric ${sql.raw(ast.op === '*' ? '*' : ast.op === '+' ? '+' : '-')} (${r})::numeric)`;
        }
      }
    }
    case 'call': {
      if (AGGREGATES.has(ast.fn) && ast.args.length === 1 && ast.args[0].k === 'ref' && ast.args[0].path.includes('.')) {
        const agg = childAggregate(scope, ast.args[0].path, ast.fn.toLowerCase() as 'sum');
        if (agg) return agg;
      }
      const args = ast.args.map((a) => compile(a, scope, ctx, fctx));
      const literals = ast.args.map((a) => (a.k === 'str' ? a.v : null));
      return FUNCTIONS[ast.fn].sql(args, fctx, literals);
    }
  }
}

function childAggregate(scope: QueryScope, path: string, fn: 'sum' | 'avg' | 'min' | 'max' | 'count'): RawBuilder<unknown> | null {
  const s = scope as QueryScope & Partial<ChildAggregateScope>;
  return s.childAggregate ? s.childAggregate(path, fn) : null;
}

// Date arithmetic needs to know which operands are dates: date functions, and
// fields whose metadata says date.
function isDateExpr(ast: FormulaAst, scope: QueryScope): boolean {
  if (ast.k === 'call') return ['TODAY', 'DATE', 'DATEADD', 'EDATE'].includes(ast.fn);
  if (ast.k === 'var') return ast.name === '$today';
  if (ast.k !== 'ref') return false;
  const f = scope.ref(ast.path).field;
  return f.type === 'date' || (f.type === 'formula' && f.config.resultType === 'date');
}
