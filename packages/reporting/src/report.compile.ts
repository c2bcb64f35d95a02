import { sql, type RawBuilder } from 'kysely';
import { AppError } from '@mosaic/kernel';
import { compileFilter, scalarOf, type EvalContext, type FilterNode, type ObjectMeta } from '@mosaic/meta';
import { JoinScope, whereSql, type RecordsCtx } from '@mosaic/records';
import { compileDimension, type DimPlan } from './report.dims.ts';
import { MeasureSet, type MeasureInfo, type Variant } from './report.measures.ts';
import { resolveDateSpec, substituteParams, type ParamValues } from './report.params.ts';
import { addDays, previousWindow, zonedDayStart, type DateWindow, type Shift } from './report.period.ts';
import type { TReportDefinition } from './report.schema.ts';

export interface CompileInput {
  ctx: RecordsCtx;
  objects: Map<string, ObjectMeta>;
  obj: ObjectMeta;
  def: TReportDefinition;
  values: ParamValues;
  evalCtx: EvalContext;
  /** Conditions ANDed in from outside the report (a dashboard's global filters). */
  extraFilter?: FilterNode;
  /** Replaces the report's period (a dashboard's date range), or gives it one. */
  period?: { field: string; window: DateWindow };
  maxRows: number;
}

export interface CompiledReport {
  query: RawBuilder<Record<string, unknown>>;
  dims: DimPlan[];
  measures: MeasureInfo[];
  period?: { field: string; current: DateWindow; previous?: DateWindow; shift?: Shift };
  totals: boolean;
  /** Rows asked for: the report's top-N, else maxRows + 1 (one more tells "truncated"). */
  limit: number;
}

/**
 * Report definition → one parameterised SELECT, built through a JoinScope (so
 * every field and linked object is checked with the guard) and `whereSql` (so
 * the viewer's record scope is ANDed in). Three levels:
 *
 *   SELECT "q".*, <Δ columns> FROM (
 *     SELECT "r"."d:0" AS "customer.region.name", sum("r"."m:revenue") AS "revenue", GROUPING("r"."d:0") AS "$grouping"
 *     FROM (SELECT <per-record dims, measure inputs> FROM "o_order" AS "t" LEFT JOIN … WHERE <filter> AND <record scope>) AS "r"
 *     GROUP BY ROLLUP("r"."d:0")
 *   ) AS "q" ORDER BY … LIMIT $n
 *
 * The inner select names each per-record value once, so grouping by an
 * expression with parameters (date buckets) needs no repeated parameters.
 */
export function compileReport(input: CompileInput): CompiledReport {
  const { ctx, objects, obj, def, values, evalCtx } = input;
  if (def.columns?.length && def.limit) throw new AppError('BAD_REQUEST', 'limit: top-N applies to reports without pivot columns', { field: 'limit' });
  const scope = new JoinScope(objects, obj, ctx.guard, evalCtx);
  const inner: RawBuilder<unknown>[] = [];
  const col = (name: string) => sql`${sql.id('r', name)}`;

  // 1. The date window, and the previous one for a comparison.
  const period = periodOf(input);
  let windowNode: FilterNode | undefined;
  let current: RawBuilder<unknown> | undefined;
  let plan: CompiledReport['period'];
  if (period) {
    const kind = scalarOf(scope.ref(period.field).field);
    if (kind !== 'date' && kind !== 'datetime') throw new AppError('BAD_REQUEST', `period.field: ${period.field} is not a date field`, { field: 'period.field' });
    const node = (w: DateWindow) => rangeNode(period.field, kind, w, evalCtx.timeZone);
    plan = { field: period.field, current: period.window };
    windowNode = node(period.window);
    if (def.compare) {
      const prev = previousWindow(period.window, def.compare);
      plan = { ...plan, previous: prev.window, shift: prev.shift };
      // The previous window always ends before the current one starts, so within the
      // two windows "current" is one comparison; back-to-back windows are one range.
      const start = kind === 'date' ? period.window.from : zonedDayStart(period.window.from, evalCtx.timeZone);
      current = compileFilter({ field: period.field, op: 'gte', value: start }, scope, evalCtx);
      windowNode = addDays(prev.window.to, 1) === period.window.from
        ? node({ from: prev.window.from, to: period.window.to })
        : { or: [windowNode, node(prev.window)] };
    }
  } else if (def.compare) {
    throw new AppError('BAD_REQUEST', 'compare: a period comparison needs a period', { field: 'compare' });
  }

  // 2. Dimensions, measures, and the per-record columns they read.
  const align = current && plan?.shift ? { field: plan.field, current, shift: plan.shift } : undefined;
  const dims = [
    ...(def.rows ?? []).map((d) => compileDimension(scope, objects, d, 'row', evalCtx.timeZone, align)),
    ...(def.columns ?? []).map((d) => compileDimension(scope, objects, d, 'column', evalCtx.timeZone, align)),
  ];
  const taken = new Set<string>();
  dims.forEach((d, i) => {
    if (taken.has(d.key)) throw new AppError('BAD_REQUEST', `${d.key}: two dimensions have this key; give one a "key"`, { field: d.key });
    taken.add(d.key);
    inner.push(sql`${d.value} AS ${sql.id(`d:${i}`)}`);
    if (d.title) inner.push(sql`${d.title} AS ${sql.id(`d:${i}:t`)}`);
  });
  const measures = new MeasureSet(obj, evalCtx);
  def.measures.forEach((m, i) => measures.add(scope, m, i, values, taken));
  measures.checkFormulas();
  let grouping = sql``;
  if (measures.split) {
    // Money measures: the records pre-grouped by every per-record key, the currencies among them (MeasureSet.split).
    const { keys, parts } = measures.splitColumns();
    keys.forEach(([e, name]) => inner.push(sql`${e} AS ${sql.id(name)}`));
    if (current) inner.push(sql`${current} AS "$cur"`);
    const n = inner.length;
    parts.forEach(([e, name]) => inner.push(sql`${e} AS ${sql.id(name)}`));
    grouping = sql` GROUP BY ${sql.raw(Array.from({ length: n }, (_, i) => i + 1).join(', '))}`;
  } else {
    for (const m of measures.inputs.values()) {
      if (m.value) inner.push(sql`${m.value} AS ${sql.id(`m:${m.name}`)}`);
      if (m.cond) inner.push(sql`${m.cond} AS ${sql.id(`f:${m.name}`)}`);
    }
    if (current) inner.push(sql`${current} AS "$cur"`);
  }

  // 3. Filter: the report's own (parameters substituted), the window, outside conditions; whereSql adds the record scope.
  const parts = [substituteParams(def.filter, values), windowNode, input.extraFilter].filter((p): p is FilterNode => !!p);
  const where = whereSql(ctx, scope, obj, parts.length ? { and: parts } : undefined, 'read');
  const from = sql`(SELECT ${sql.join(inner.length ? inner : [sql`1 AS "$one"`])} FROM ${sql.id(obj.tableName)} AS "t" ${scope.joinSql()} WHERE ${where}${grouping}) AS "r"`;

  // 4. Grouping.
  const totals = !!def.totals && dims.length > 0;
  const select: RawBuilder<unknown>[] = [];
  dims.forEach((d, i) => {
    select.push(sql`${col(`d:${i}`)} AS ${sql.id(d.key)}`);
    if (d.title) select.push(sql`${col(`d:${i}:t`)} AS ${sql.id(`${d.key}$title`)}`);
  });
  for (const m of measures.order) {
    const sides: [Variant | null, string][] = current ? [['cur', m.name], ['prev', `${m.name}$prev`]] : [[null, m.name]];
    for (const [variant, key] of sides) {
      select.push(sql`${measures.sqlFor(m.name, col, variant)} AS ${sql.id(key)}`);
      if (!m.money) continue;
      const c = measures.currencySql(m.name, col, variant);
      select.push(sql`${c.currency} AS ${sql.id(`${key}$currency`)}`, sql`${c.byCurrency} AS ${sql.id(`${key}$byCurrency`)}`);
    }
  }
  if (totals) select.push(sql`GROUPING(${sql.join(dims.map((_, i) => col(`d:${i}`)))}) AS "$grouping"`);
  const groupItem = (d: DimPlan, i: number) => (d.title ? sql`(${col(`d:${i}`)}, ${col(`d:${i}:t`)})` : col(`d:${i}`));
  const rows = dims.map((d, i) => ({ d, i })).filter((x) => x.d.role === 'row');
  const cols = dims.map((d, i) => ({ d, i })).filter((x) => x.d.role === 'column');
  const rollup = (list: typeof rows) => sql`ROLLUP(${sql.join(list.map((x) => groupItem(x.d, x.i)))})`;
  const groupBy = !dims.length ? sql``
    : totals ? sql` GROUP BY ${sql.join([rows, cols].filter((l) => l.length).map(rollup))}`
    : sql` GROUP BY ${sql.join(dims.map((d, i) => (d.title ? sql`${col(`d:${i}`)}, ${col(`d:${i}:t`)}` : col(`d:${i}`))))}`;
  const grouped = sql`SELECT ${sql.join(select)} FROM ${from}${groupBy}`;

  // 5. Δ columns, order, top-N.
  const deltas = (alias: string) => (current ? measures.order.filter((m) => m.numeric).flatMap((m) => [
    sql`${deltaSql(alias, m.name)} AS ${sql.id(`${m.name}$delta`)}`, sql`${deltaPctSql(alias, m.name)} AS ${sql.id(`${m.name}$deltaPct`)}`,
  ]) : []);
  const order = (alias: string) => orderBy(def, dims, measures.order, !!current, totals, alias);
  const limit = def.limit ?? input.maxRows + 1;
  let query: RawBuilder<Record<string, unknown>>;
  if (totals && def.limit) {
    // Top-N detail rows per grouping level; subtotal and grand-total rows all stay.
    const ranked = sql`SELECT ${sql.join([sql`"q".*`, ...deltas('q'), sql`row_number() OVER (PARTITION BY "q"."$grouping"${order('q')}) AS "$rank"`])} FROM (${grouped}) AS "q"`;
    query = sql`SELECT "s".* FROM (${ranked}) AS "s" WHERE "s"."$grouping" <> 0 OR "s"."$rank" <= ${def.limit}${order('s')}`;
  } else {
    query = sql`SELECT ${sql.join([sql`"q".*`, ...deltas('q')])} FROM (${grouped}) AS "q"${order('q')} LIMIT ${limit}`;
  }
  return { query, dims, measures: measures.order, period: plan, totals, limit };
}

function periodOf(input: CompileInput): { field: string; window: DateWindow } | undefined {
  if (input.period) return input.period;
  const p = input.def.period;
  if (!p) return undefined;
  return { field: p.field, window: { from: resolveDateSpec(p.from, 'from', input.values, input.evalCtx), to: resolveDateSpec(p.to, 'to', input.values, input.evalCtx) } };
}

/** Records with `path` in the window: a date BETWEEN, or a date-time from the first day's start to the day after the last, in the tenant's zone. */
export function rangeNode(path: string, kind: string, w: DateWindow, timeZone: string): FilterNode {
  if (kind === 'date') return { field: path, op: 'between', value: [w.from, w.to] };
  return { and: [{ field: path, op: 'gte', value: zonedDayStart(w.from, timeZone) }, { field: path, op: 'lt', value: zonedDayStart(addDays(w.to, 1), timeZone) }] };
}

const deltaSql = (alias: string, m: string) => sql`(${sql.id(alias, m)} - ${sql.id(alias, `${m}$prev`)})`;
const deltaPctSql = (alias: string, m: string) => sql`((${sql.id(alias, m)} - ${sql.id(alias, `${m}$prev`)})::numeric / NULLIF(abs(${sql.id(alias, `${m}$prev`)}), 0))`;

/**
 * The money cells a sort key's number is computed from, each a key of the grouped row with its `$currency` and
 * `$byCurrency`: a formula's money measures (on its side), a Δ's both sides. [] for a key that is its own one figure
 * (a money measure's own cell is already NULL in SQL when its records mix currencies) or reads no money.
 */
function moneyKeysOf(key: string, measures: MeasureInfo[]): string[] {
  const delta = /^(.*)\$(delta|deltaPct)$/.exec(key);
  const prev = !delta && key.endsWith('$prev');
  const m = measures.find((x) => x.name === (delta ? delta[1] : prev ? key.slice(0, -5) : key));
  if (!m) return [];
  const deps = m.moneyDeps ?? (m.money && delta ? [m.name] : []);
  const sides = delta ? ['', '$prev'] : prev ? ['$prev'] : [''];
  return deps.flatMap((d) => sides.map((side) => `${d}${side}`));
}

/**
 * A sort key's number, NULL where it would subtract or divide amounts in different currencies (or read a mixed
 * cell) — the rows markMixed nulls after the query (report.run.ts), so top-N and the order never rest on a
 * cross-currency figure: such a row sorts last, as an empty one does.
 *   CASE WHEN "q"."cost$byCurrency" IS NULL AND … AND (SELECT count(DISTINCT c) FROM unnest(ARRAY["q"."total$currency", …]::text[]) AS c) <= 1 THEN … END
 */
function oneCurrencyOnly(expr: RawBuilder<unknown>, keys: string[], alias: string): RawBuilder<unknown> {
  if (!keys.length) return expr;
  const notMixed = keys.map((k) => sql`${sql.id(alias, `${k}$byCurrency`)} IS NULL`);
  const currencies = sql`(SELECT count(DISTINCT c) FROM unnest(ARRAY[${sql.join(keys.map((k) => sql.id(alias, `${k}$currency`)))}]::text[]) AS c) <= 1`;
  return sql`CASE WHEN ${sql.join([...notMixed, currencies], sql` AND `)} THEN ${expr} END`;
}

function orderBy(def: TReportDefinition, dims: DimPlan[], measures: MeasureInfo[], compare: boolean, totals: boolean, alias: string): RawBuilder<unknown> {
  const measureNames = measures.map((m) => m.name);
  const allowed = new Set([...dims.map((d) => d.key), ...measureNames]);
  if (compare) for (const m of measureNames) for (const s of ['$prev', '$delta', '$deltaPct']) allowed.add(`${m}${s}`);
  const terms: RawBuilder<unknown>[] = [];
  const bit = (i: number) => 1 << (dims.length - 1 - i);
  if (totals && def.sort?.length) terms.push(sql`${sql.id(alias, '$grouping')} ASC`);
  for (const [i, s] of (def.sort ?? []).entries()) {
    if (!allowed.has(s.by)) throw new AppError('SORT_INVALID', `sort.${i}.by: "${s.by.slice(0, 80)}" is neither a dimension key nor a measure of this report`, { field: `sort.${i}.by` });
    const expr = s.by.endsWith('$deltaPct') ? deltaPctSql(alias, s.by.slice(0, -9)) : s.by.endsWith('$delta') ? deltaSql(alias, s.by.slice(0, -6)) : sql.id(alias, s.by);
    terms.push(sql`${oneCurrencyOnly(expr, moneyKeysOf(s.by, measures), alias)} ${s.desc ? sql`DESC` : sql`ASC`} NULLS LAST`);
  }
  dims.forEach((d, i) => {
    if (totals && !def.sort?.length) terms.push(sql`(${sql.id(alias, '$grouping')} & ${sql.lit(bit(i))}) ASC`);
    terms.push(sql`${sql.id(alias, d.key)} ASC NULLS LAST`);
  });
  return terms.length ? sql` ORDER BY ${sql.join(terms)}` : sql``;
}

