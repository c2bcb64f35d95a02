import { sql, type RawBuilder } from 'kysely';
import { AppError } from '@mosaic/kernel';
import {
  checkFormula, compileFilter, compileFormulaToSql, parseFormula, scalarOf,
  type EvalContext, type FieldMeta, type FormulaAst, type ObjectMeta, type QueryScope,
} from '@mosaic/meta';
import type { JoinScope } from '@mosaic/records';
import { isFormulaMeasure, type TMeasure } from './report.schema.ts';
import { substituteParams, type ParamValues } from './report.params.ts';

/** What the inner select must carry for a measure: its input column and its condition. */
export interface MeasureInput {
  name: string;
  value?: RawBuilder<unknown>;
  cond?: RawBuilder<unknown>;
  fn: string;
  numeric: boolean;
}

export type Variant = 'cur' | 'prev';

/**
 * Measures. Aggregates read per-record inputs the inner select computes
 * (r."m0", r."f0"); formula measures are expressions over other measures'
 * names, compiled by the formula compiler (division NULLIF-guarded):
 *
 *   sum(r."m0")                                               revenue
 *   count(DISTINCT r."m2") FILTER (WHERE r."f2")              buyers
 *   ((sum(r."m0") - sum(r."m1"))::numeric / NULLIF(sum(r."m0")::numeric, 0))   margin_pct
 *
 * With a period comparison each measure is built twice, FILTERed to the current
 * and to the previous window (r."$cur" / NOT r."$cur").
 */
export class MeasureSet {
  readonly inputs = new Map<string, MeasureInput>();
  private readonly formulas = new Map<string, FormulaAst>();
  readonly order: { name: string; numeric: boolean }[] = [];

  constructor(private readonly root: ObjectMeta, private readonly evalCtx: EvalContext) {}

  add(scope: JoinScope, m: TMeasure, index: number, values: ParamValues, taken: Set<string>): void {
    if (taken.has(m.name)) throw new AppError('BAD_REQUEST', `measures.${index}.name: "${m.name}" is used twice`, { field: `measures.${index}.name` });
    taken.add(m.name);
    if (isFormulaMeasure(m)) {
      this.formulas.set(m.name, parseFormula(m.formula));
      this.order.push({ name: m.name, numeric: true });
      return;
    }
    let value: RawBuilder<unknown> | undefined;
    let numeric = m.fn === 'count' || m.fn === 'count_distinct';
    if (m.field) {
      const { sql: col, field } = scope.ref(m.field);
      checkMeasureField(m.fn, field, m.field, index);
      value = col;
      numeric ||= scalarOf(field) === 'number';
    } else if (m.fn !== 'count') {
      throw new AppError('BAD_REQUEST', `measures.${index}.field: ${m.fn} needs a field`, { field: `measures.${index}.field` });
    }
    const filter = substituteParams(m.filter, values);
    const cond = filter ? sql`COALESCE(${compileFilter(filter, scope, this.evalCtx)}, FALSE)` : undefined;
    this.inputs.set(m.name, { name: m.name, value, cond, fn: m.fn, numeric });
    this.order.push({ name: m.name, numeric });
  }

  /** Checks every formula measure against the measure names (unknown names, text in arithmetic, cycles). */
  checkFormulas(): void {
    const env = { typeOf: (name: string) => ({ type: 'number' as const, field: this.fieldFor(name), many: false }) };
    for (const [name, ast] of this.formulas) {
      try {
        checkFormula(ast, env);
      } catch (e) {
        if (e instanceof AppError) throw new AppError(e.code, `${name}: ${e.message}`, { field: name, details: e.details });
        throw e;
      }
    }
  }

  /** The aggregate SQL of measure `name` for one side of a comparison (or the only side). */
  sqlFor(name: string, inner: (col: string) => RawBuilder<unknown>, variant: Variant | null, stack: string[] = []): RawBuilder<unknown> {
    const input = this.inputs.get(name);
    if (input) {
      const conds: RawBuilder<unknown>[] = [];
      if (input.cond) conds.push(inner(`f:${name}`));
      if (variant === 'cur') conds.push(inner('$cur'));
      if (variant === 'prev') conds.push(sql`NOT ${inner('$cur')}`);
      const col = input.value ? inner(`m:${name}`) : null;
      const agg = aggregateSql(input.fn, col);
      return conds.length ? sql`${agg} FILTER (WHERE ${sql.join(conds, sql` AND `)})` : agg;
    }
    const ast = this.formulas.get(name);
    if (!ast) throw new AppError('FIELD_UNKNOWN', `no measure named "${name}"`, { field: name });
    if (stack.includes(name)) throw new AppError('FORMULA_TYPE', `${name}: formula measures refer to each other in a circle (${[...stack, name].join(' → ')})`, { field: name });
    const scope: QueryScope = {
      root: this.root,
      ref: (ref) => ({ sql: this.sqlFor(ref, inner, variant, [...stack, name]), field: this.fieldFor(ref) }),
    };
    return compileFormulaToSql(ast, scope, this.evalCtx);
  }

  private fieldFor(name: string): FieldMeta {
    if (!this.inputs.has(name) && !this.formulas.has(name)) throw new AppError('FIELD_UNKNOWN', `no measure named "${name}"`, { field: name });
    return {
      id: name, objectId: this.root.id, apiName: name, columnName: null, type: 'decimal', label: { zh: name }, required: false, unique: false,
      indexed: false, defaultValue: null, config: {}, position: 0, system: false, readOnly: true, archived: false,
    };
  }
}

function aggregateSql(fn: string, col: RawBuilder<unknown> | null): RawBuilder<unknown> {
  switch (fn) {
    case 'count': return col ? sql`count(${col})` : sql`count(*)`;
    case 'count_distinct': return sql`count(DISTINCT ${col})`;
    case 'sum': return sql`sum(${col})`;
    case 'avg': return sql`avg(${col})`;
    case 'min': return sql`min(${col})`;
    case 'max': return sql`max(${col})`;
    default: throw new AppError('BAD_REQUEST', `unknown aggregate ${fn}`);
  }
}

function checkMeasureField(fn: string, field: FieldMeta, path: string, index: number): void {
  const scalar = scalarOf(field);
  const ok = fn === 'count' || fn === 'count_distinct'
    ? !['child_table', 'attachment', 'address'].includes(field.type)
    : fn === 'sum' || fn === 'avg' ? scalar === 'number' : ['number', 'date', 'datetime', 'text'].includes(scalar);
  if (!ok) throw new AppError('BAD_REQUEST', `measures.${index}.field: ${fn} cannot aggregate ${path} (a ${field.type} field)`, { field: `measures.${index}.field` });
}
