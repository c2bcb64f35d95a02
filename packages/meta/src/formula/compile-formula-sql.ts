import { sql, type RawBuilder } from 'kysely';
import { AppError } from '@mosaic/kernel';
import { scalarOf } from '../field-types/index.ts';
import type { FieldMeta, ScalarType } from '../meta.types.ts';
import type { ChildAggregateScope, EvalContext, QueryScope } from '../query-scope.ts';
import { typeFormula, type Typed } from './check-formula.ts';
import { runtimeOf } from './evaluate-formula.ts';
import { addDaysSql } from './fn-date.ts';
import { powerSql } from './fn-math.ts';
import type { BinaryNode, CallNode, FormulaAst } from './formula.ast.ts';
import { SQL_TYPE, typeError } from './formula-types.ts';
import { FUNCTIONS, type AggregateFn } from './functions.ts';
import { clampSql, compareSql, convertSql, MAX_DAYS, numberLiteral, simple, simpleIf, sqlRuntime, type CompareOp, type Sql, type SqlRuntime } from './sql-convert.ts';

/**
 * Formula → one PostgreSQL expression with the interpreter's meaning. Every
 * literal and context value (TODAY(), $user, the time zone) is a typed
 * parameter; column references come only from `scope.ref(path)`; nothing from
 * the formula is spliced into SQL text.
 *
 *   ROUND(qty * price, 2)          → round((("t"."c_qty")::numeric * ("t"."c_price")::numeric), $1::int)   [2]
 *   IF(customer.region = "华南", 1, 0)
 *     → (CASE WHEN COALESCE((("j1"."c_region")::text) = ($1::text), FALSE) THEN $2::numeric ELSE $3::numeric END)
 *
 * SUM/AVG/MIN/MAX/COUNT over child rows (SUM(lines.amount)) need a scope that
 * implements ChildAggregateScope; otherwise they are refused with FORMULA_TYPE.
 * Errors from the scope (FIELD_UNKNOWN, FIELD_FORBIDDEN) pass through with the position.
 */
export function compileFormulaToSql(ast: FormulaAst, scope: QueryScope, ctx: EvalContext): RawBuilder<unknown> {
  const rt = runtimeOf(ctx);
  const sqlRt = sqlRuntime(rt.timeZone, rt.today, rt.now);
  const refs = new Map<string, { sql: Sql; field: FieldMeta }>();
  const ref = (path: string) => {
    let r = refs.get(path);
    if (!r) refs.set(path, (r = scope.ref(path)));
    return r;
  };
  const children = new Map<string, Sql>();
  const aggregating = scope as QueryScope & Partial<ChildAggregateScope>;
  const typed = typeFormula(ast, (path, aggregate) => {
    if (aggregate && path.includes('.')) {
      const agg = aggregating.childAggregate?.(path, aggregate) ?? null;
      if (agg) {
        children.set(`${aggregate}:${path}`, agg);
        return { type: 'number', many: true };
      }
      if (!aggregating.childAggregate) {
        try {
          return { type: scalarOf(ref(path).field), many: false };
        } catch (e) {
          throw new AppError('FORMULA_TYPE', `${aggregate.toUpperCase()}(${path}): aggregates over child rows are not supported in SQL here (${(e as Error).message})`, { field: path, cause: e });
        }
      }
    }
    return { type: scalarOf(ref(path).field), many: false };
  });
  return new SqlCompiler(typed, ref, children, ctx, sqlRt).compile(ast);
}

class SqlCompiler {
  constructor(
    private readonly typed: Typed,
    private readonly ref: (path: string) => { sql: Sql; field: FieldMeta },
    private readonly children: Map<string, Sql>,
    private readonly ctx: EvalContext,
    private readonly rt: SqlRuntime,
  ) {}

  /** SQL for `node`, of the SQL type of its static type. */
  compile(node: FormulaAst): Sql {
    switch (node.kind) {
      case 'number': return numberLiteral(node.value);
      case 'text': return simple(sql`${node.value}::text`);
      case 'boolean': return simple(sql`${node.value}::boolean`);
      case 'null': return simple(sql`NULL`);
      case 'variable':
        if (node.name === '$today') return this.rt.today();
        if (node.name === '$now') return this.rt.now();
        return simple(sql`${(node.name === '$user' ? this.ctx.userId : node.name === '$department' ? this.ctx.departmentId : this.ctx.companyId) ?? null}::text`);
      case 'field': {
        // Columns repeat cheaply; a computed field's SQL stays bounded because the scope limits how deep they nest.
        const t = this.typed.type(node);
        const column = this.ref(node.path).sql;
        return simple(t in SQL_TYPE ? sql`(${column})::${sql.raw(SQL_TYPE[t])}` : column);
      }
      case 'unary': {
        if (node.op === '-' && node.arg.kind === 'number') return numberLiteral(`-${node.arg.value}`);
        const x = this.arg(node.arg, node.op === '-' ? 'number' : 'boolean');
        return node.op === '-' ? simpleIf([x], sql`(-${x})`) : sql`(NOT COALESCE(${x}, FALSE))`;
      }
      case 'binary': return this.binary(node);
      case 'call': return this.call(node);
    }
  }

  private arg(node: FormulaAst, to: ScalarType | undefined): Sql {
    const x = this.compile(node);
    const from = node.kind === 'binary' && this.typed.sig(node).option === 'dynamic' ? this.dynamicType(node) : this.typed.type(node);
    return to ? convertSql(x, from, to, this.rt) : x;
  }

  private binary(node: BinaryNode): Sql {
    const sig = this.typed.sig(node);
    const l = this.arg(node.left, sig.params[0]);
    const r = this.arg(node.right, sig.params[1]);
    switch (node.op) {
      case '&': return sql`(COALESCE(${l}, '') || COALESCE(${r}, ''))`;
      case 'and': return sql`(COALESCE(${l}, FALSE) AND COALESCE(${r}, FALSE))`;
      case 'or': return sql`(COALESCE(${l}, FALSE) OR COALESCE(${r}, FALSE))`;
      case '=': case '<>': case '<': case '<=': case '>': case '>=': return compareSql(node.op as CompareOp, l, r, sig.option as ScalarType);
      default:
    }
    switch (sig.option) {
      case 'date+days': return sig.params[0] === 'date' ? addDaysSql(l, r, this.rt) : addDaysSql(r, l, this.rt);
      case 'date-days': return addDaysSql(l, simpleIf([r], sql`(-${r})`), this.rt);
      case 'date-date': return sql`(${l} - ${r})::numeric`;
      case 'datetime+days': case 'datetime-days': {
        const [t, n] = sig.params[0] === 'datetime' ? [l, r] : [r, l];
        return sql`(${t} ${sql.raw(sig.option === 'datetime+days' ? '+' : '-')} (${clampSql(n, this.rt, MAX_DAYS)} * 86400) * interval '1 second')`;
      }
      case 'datetime-datetime': return sql`((extract(epoch from ${l}) - extract(epoch from ${r})) / 86400)`;
      case 'dynamic': return this.dynamic(node, l, r);
      default:
    }
    switch (node.op) {
      case '/': return sql`(${l} / NULLIF(${r}, 0))`;
      case '^': return powerSql(l, r, this.rt);
      default: return sql`(${l} ${sql.raw(node.op === '+' ? '+' : node.op === '-' ? '-' : '*')} ${r})`;
    }
  }

  // Only computed fields of unknown type (lookups) get here in SQL: beside a date such a
  // field is taken as a number of days, otherwise both sides are numbers.
  private dynamicType(node: BinaryNode): ScalarType {
    const [l, r] = [this.typed.type(node.left), this.typed.type(node.right)];
    return l === 'date' || l === 'datetime' ? l : node.op === '+' && (r === 'date' || r === 'datetime') ? r : 'number';
  }

  private dynamic(node: BinaryNode, l: Sql, r: Sql): Sql {
    const t = this.dynamicType(node);
    const [lt, rt] = [this.typed.type(node.left), this.typed.type(node.right)];
    const num = (x: Sql, from: ScalarType) => convertSql(x, from, 'number', this.rt);
    if (t === 'number') return sql`(${num(l, lt)} ${sql.raw(node.op === '+' ? '+' : '-')} ${num(r, rt)})`;
    const [when, days] = lt === t ? [l, num(r, rt)] : [r, num(l, lt)];
    const signed = node.op === '-' ? simpleIf([days], sql`(-${days})`) : days;
    if (t === 'date') return addDaysSql(when, signed, this.rt);
    return sql`(${when} + (${clampSql(signed, this.rt, MAX_DAYS)} * 86400) * interval '1 second')`;
  }

  private call(node: CallNode): Sql {
    const fn = FUNCTIONS[node.fn];
    const sig = this.typed.sig(node);
    if (fn.aggregate && sig.option === 'list') return this.listAggregate(node, fn.aggregate);
    return fn.sql(node.args.map((a, i) => this.arg(a, sig.params[i])), this.rt, sig);
  }

  // SUM(lines.amount) through the scope; COUNT(tags) of a multi-select counts its options.
  private listAggregate(node: CallNode, fn: AggregateFn): Sql {
    const arg = node.args[0];
    if (arg.kind === 'field' && this.typed.isChildRows(arg)) {
      const agg = this.children.get(`${fn}:${arg.path}`)!;
      return fn === 'sum' || fn === 'count' ? sql`COALESCE((${agg})::numeric, 0)` : sql`(${agg})::numeric`;
    }
    if (fn === 'count') return sql`(COALESCE(cardinality(${this.compile(arg)}), 0))::numeric`;
    throw typeError(node.pos, `${node.fn} over a list is not supported in SQL`);
  }
}
