import { sql, type RawBuilder } from 'kysely';
import { AppError } from '@mosaic/kernel';
import {
  checkFormula, collectFieldPaths, compileFilter, compileFormulaToSql, fieldBehind, moneyBehind, parseFormula, scalarOf,
  type EvalContext, type FieldMeta, type FormulaAst, type Label, type ObjectMeta, type QueryScope,
} from '@mosaic/meta';
import type { JoinScope } from '@mosaic/records';
import { isFormulaMeasure, type TMeasure, type TReportDefinition } from './report.schema.ts';
import { substituteParams, type ParamValues } from './report.params.ts';

/** What the inner select must carry for a measure: its input column and its condition. */
export interface MeasureInput {
  name: string;
  value?: RawBuilder<unknown>;
  cond?: RawBuilder<unknown>;
  fn: string;
  numeric: boolean;
  /** A sum / avg / min / max of a money field or a lookup of one: the currency each record's amount is in (`<money>.currency`, '' for none). */
  currency?: RawBuilder<unknown>;
}

/**
 * A measure as the result describes it; `money`: an aggregate of a money field (or a lookup of one), whose cells say their currency.
 * `label`: what a column of it is called when the definition names none (the field's label, 记录数 for a count), so a viewer never
 * reads a measure's API name; `scale`: the digits its figures show, where the field says (a count, an integer: 0).
 */
export interface MeasureInfo { name: string; numeric: boolean; money?: boolean; moneyDeps?: string[]; label?: Label; scale?: number }

const COUNT_LABEL: Label = { zh: '记录数', en: 'Count' };

/** The label a measure of `field` goes by when its definition gives none. */
function defaultLabel(fn: string, field: FieldMeta | undefined): Label | undefined {
  if (!field) return fn === 'count' ? COUNT_LABEL : undefined;
  if (fn !== 'count_distinct') return field.label;
  return { zh: `${field.label.zh}（去重）`, en: `Distinct ${field.label.en ?? field.label.zh}` };
}

/** The digits a measure's figures show, when known: a count or an integer's sum none; a decimal or money field's own scale. */
function displayScale(fn: string, field: FieldMeta | undefined): number | undefined {
  if (fn === 'count' || fn === 'count_distinct') return 0;
  if (!field) return undefined;
  if (field.type === 'integer' && fn !== 'avg') return 0;
  return field.config.scale;
}

const MONEY_FNS = new Set(['sum', 'avg', 'min', 'max']);

/**
 * Whether a report's measure is money — its cells carry `$currency` (MeasureSet.add's rule: a sum / avg / min /
 * max of a money field or a lookup of one) — from the metadata alone, without running the report: what a KPI
 * alert's threshold currency is checked and shown by. A formula, a count, or a field that no longer resolves is not.
 */
export function isMoneyMeasure(objects: Map<string, ObjectMeta>, def: TReportDefinition, name: string): boolean {
  const m = def.measures.find((x) => x.name === name);
  const root = objects.get(def.source);
  if (!m || !root || isFormulaMeasure(m) || !m.field || !MONEY_FNS.has(m.fn)) return false;
  try {
    return moneyBehind(objects, root, m.field) !== null;
  } catch {
    return false;
  }
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
  readonly order: MeasureInfo[] = [];
  /**
   * Set when a measure is over money: the records are first grouped by every per-record key
   * (dimensions, measure conditions, the comparison side, the currencies, count-distinct values)
   * with partial aggregates (`p:<name>:<i>`), and the measures combine those partials — so a cell
   * sees its currencies without a second statement.
   */
  split = false;

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
    let currency: RawBuilder<unknown> | undefined;
    let numeric = m.fn === 'count' || m.fn === 'count_distinct';
    let named: FieldMeta | undefined;
    let shown: FieldMeta | undefined;
    if (m.field) {
      const { sql: col, field } = scope.ref(m.field);
      // A lookup (through lookups of lookups) is the field it reads: a number summed as that number, money as
      // its amount, in its currency.
      const behind = field.type === 'lookup' ? fieldBehind(scope.objects, this.root, m.field) : field;
      const money = behind?.type === 'money' ? moneyBehind(scope.objects, this.root, m.field) : null;
      checkMeasureField(m.fn, behind ?? field, m.field, index);
      named = field; // called by the field measured (a lookup by its own label), shown at the digits of the field it reads
      shown = behind ?? field;
      value = col;
      numeric ||= scalarOf(behind ?? field) === 'number';
      // Through the same guard as the amount: whoever may not read it never sees its currency. An amount stored
      // without one is '' (the field's default, else the company's: what the web shows it in), not any other's.
      if (money && MONEY_FNS.has(m.fn)) currency = sql`COALESCE((${scope.currencyRef(m.field)})::text, '')`;
    } else if (m.fn !== 'count') {
      throw new AppError('BAD_REQUEST', `measures.${index}.field: ${m.fn} needs a field`, { field: `measures.${index}.field` });
    }
    const filter = substituteParams(m.filter, values);
    const cond = filter ? sql`COALESCE(${compileFilter(filter, scope, this.evalCtx)}, FALSE)` : undefined;
    this.inputs.set(m.name, { name: m.name, value, cond, fn: m.fn, numeric, currency });
    const label = defaultLabel(m.fn, named);
    const scale = displayScale(m.fn, shown);
    this.order.push({ name: m.name, numeric, ...(currency ? { money: true } : {}), ...(label ? { label } : {}), ...(scale !== undefined ? { scale } : {}) });
    if (currency) this.split = true;
  }

  /** Checks every formula measure against the measure names (unknown names, text in arithmetic, cycles). */
  checkFormulas(): void {
    for (const info of this.order) {
      const deps = this.formulas.has(info.name) ? this.moneyDeps(info.name) : [];
      if (deps.length) info.moneyDeps = deps;
    }
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

  /** The money measures a formula measure reads, through other formulas too. */
  private moneyDeps(name: string, seen = new Set<string>()): string[] {
    if (seen.has(name)) return [];
    seen.add(name);
    const input = this.inputs.get(name);
    if (input) return input.currency ? [name] : [];
    const ast = this.formulas.get(name);
    return ast ? [...new Set(collectFieldPaths(ast).flatMap((ref) => this.moneyDeps(ref, seen)))] : [];
  }

  /**
   * With `split`: the per-record keys and the partial aggregates of the pre-grouping (see `split`),
   * each as [expression, column name]; keys first (the pre-grouping groups by their positions).
   */
  splitColumns(): { keys: [RawBuilder<unknown>, string][]; parts: [RawBuilder<unknown>, string][] } {
    const keys: [RawBuilder<unknown>, string][] = [];
    const parts: [RawBuilder<unknown>, string][] = [];
    for (const m of this.inputs.values()) {
      if (m.cond) keys.push([m.cond, `f:${m.name}`]);
      if (m.currency) keys.push([m.currency, `c:${m.name}`]);
      if (m.fn === 'count_distinct') keys.push([m.value!, `m:${m.name}`]);
      else partials(m.fn, m.value ?? null).forEach((p, i) => parts.push([p, `p:${m.name}:${i}`]));
    }
    return { keys, parts };
  }

  /** The aggregate SQL of measure `name` for one side of a comparison (or the only side); a money measure's is NULL where its records are in more than one currency. */
  sqlFor(name: string, inner: (col: string) => RawBuilder<unknown>, variant: Variant | null, stack: string[] = []): RawBuilder<unknown> {
    const input = this.inputs.get(name);
    if (input) {
      const filter = filterSql(this.conds(input, inner, variant));
      if (!this.split) {
        const agg = aggregateSql(input.fn, input.value ? inner(`m:${name}`) : null);
        return sql`${agg}${filter}`;
      }
      const agg = combineSql(input.fn, (i) => sql`${sql.raw(input.fn === 'avg' && i === 1 ? 'sum' : combinerOf(input.fn))}(${inner(`p:${name}:${i}`)})${filter}`, sql`count(DISTINCT ${inner(`m:${name}`)})${filter}`);
      if (!input.currency) return agg;
      const { min, max } = this.currencyBounds(input, inner, variant);
      return sql`CASE WHEN ${min} < ${max} THEN NULL ELSE ${agg} END`;
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

  /**
   * A money measure's currency columns for one side: the cell's one currency (NULL when mixed or
   * empty), and where mixed, the amounts per currency as an object of decimal strings, built from
   * the cell's few pre-grouped rows (one per currency and key), never from its records:
   *
   *   CASE WHEN min(r."c:revenue") < max(r."c:revenue") THEN (SELECT jsonb_object_agg(u.c, u.v) FROM
   *     (SELECT COALESCE(x.c, '') AS c, (sum(x.a))::text AS v FROM unnest(array_agg(r."c:revenue"), array_agg(r."p:revenue:0")) AS x(c, a) GROUP BY 1) AS u) END
   */
  currencySql(name: string, inner: (col: string) => RawBuilder<unknown>, variant: Variant | null): { currency: RawBuilder<unknown>; byCurrency: RawBuilder<unknown> } {
    const input = this.inputs.get(name);
    if (!input?.currency) throw new AppError('INTERNAL', `${name} is not a money measure`);
    const { min, max, filter } = this.currencyBounds(input, inner, variant);
    const n = input.fn === 'avg' ? 2 : 1;
    const cols = ['a', 'b'].slice(0, n);
    const arrays = [sql`array_agg(${inner(`c:${name}`)})${filter}`, ...cols.map((_, i) => sql`array_agg(${inner(`p:${name}:${i}`)})${filter}`)];
    const per = input.fn === 'avg' ? sql`sum(x.a) / NULLIF(sum(x.b), 0)` : sql`${sql.raw(combinerOf(input.fn))}(x.a)`;
    return {
      currency: sql`CASE WHEN ${min} = ${max} THEN ${min} END`,
      byCurrency: sql`CASE WHEN ${min} < ${max} THEN (SELECT jsonb_object_agg(u.c, u.v) FROM (SELECT COALESCE(x.c, '') AS c, (${per})::text AS v
        FROM unnest(${sql.join(arrays)}) AS ${sql.raw(`x(c, ${cols.join(', ')})`)} WHERE x.a IS NOT NULL GROUP BY 1) AS u) END`,
    };
  }

  // The currencies a cell's amounts are in: only pre-grouped rows with an amount count.
  private currencyBounds(input: MeasureInput, inner: (col: string) => RawBuilder<unknown>, variant: Variant | null) {
    const filter = filterSql([...this.conds(input, inner, variant), sql`${inner(`p:${input.name}:0`)} IS NOT NULL`]);
    const c = inner(`c:${input.name}`);
    return { min: sql`min(${c})${filter}`, max: sql`max(${c})${filter}`, filter };
  }

  private conds(input: MeasureInput, inner: (col: string) => RawBuilder<unknown>, variant: Variant | null): RawBuilder<unknown>[] {
    const conds: RawBuilder<unknown>[] = [];
    if (input.cond) conds.push(inner(`f:${input.name}`));
    if (variant === 'cur') conds.push(inner('$cur'));
    if (variant === 'prev') conds.push(sql`NOT ${inner('$cur')}`);
    return conds;
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

const filterSql = (conds: RawBuilder<unknown>[]) => (conds.length ? sql` FILTER (WHERE ${sql.join(conds, sql` AND `)})` : sql``);

/** The partial aggregates of a measure over one pre-grouped row's records (avg: its sum and its count). */
function partials(fn: string, col: RawBuilder<unknown> | null): RawBuilder<unknown>[] {
  if (fn === 'avg') return [sql`sum((${col})::numeric)`, sql`count(${col})`];
  return [aggregateSql(fn, col)];
}

/** How partials combine: counts and sums add up, minima and maxima take theirs. */
const combinerOf = (fn: string) => (fn === 'min' || fn === 'max' ? fn : 'sum');

/** The measure from its partials (`part(i)`, already aggregated over the cell), or a distinct count over its key. */
function combineSql(fn: string, part: (i: number) => RawBuilder<unknown>, distinct: RawBuilder<unknown>): RawBuilder<unknown> {
  switch (fn) {
    case 'count': return sql`COALESCE(${part(0)}, 0)::bigint`;
    case 'count_distinct': return distinct;
    // avg(numeric) is its sum divided by its count (numeric_avg): the same digits in one step or two.
    case 'avg': return sql`(${part(0)} / NULLIF(${part(1)}, 0))`;
    default: return part(0);
  }
}

function checkMeasureField(fn: string, field: FieldMeta, path: string, index: number): void {
  const scalar = scalarOf(field);
  const ok = fn === 'count' || fn === 'count_distinct'
    ? !['child_table', 'attachment', 'address'].includes(field.type)
    : fn === 'sum' || fn === 'avg' ? scalar === 'number' : ['number', 'date', 'datetime', 'text'].includes(scalar);
  if (!ok) throw new AppError('BAD_REQUEST', `measures.${index}.field: ${fn} cannot aggregate ${path} (a ${field.type} field)`, { field: `measures.${index}.field` });
}
