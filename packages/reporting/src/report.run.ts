import { AppError, parseOrThrow } from '@mosaic/kernel';
import { inTenantTx, type Tx } from '@mosaic/db';
import type { EvalContext, FilterNode, Label } from '@mosaic/meta';
import { evalContextOf, readableObject, type RecordsCtx } from '@mosaic/records';
import { compileReport, type CompiledReport } from './report.compile.ts';
import { resolveParams } from './report.params.ts';
import { hasColumnDims, toPivot, type PivotTable } from './report.pivot.ts';
import type { DateWindow } from './report.period.ts';
import { ZReportDefinition, type Bucket, type ReportParams, type TReportDefinition } from './report.schema.ts';

export const MAX_REPORT_ROWS = 10_000;

export interface RunOptions {
  /** Conditions ANDed in from outside (dashboard global filters). */
  extraFilter?: FilterNode;
  /** A date window replacing the report's period (dashboard date range). */
  period?: { field: string; window: DateWindow };
  /** Fixes "now" (relative dates) — for tests and scheduled runs. */
  evalCtx?: EvalContext;
  maxRows?: number;
  tx?: Tx;
}

export interface ResultColumn {
  key: string;
  kind: 'dimension' | 'measure';
  role?: 'row' | 'column';
  field?: string;
  type?: string;
  bucket?: Bucket;
  label?: Label;
  /** A sum / avg / min / max of a money field: its cells carry `$currency`, or `$byCurrency` and `$mixed`. */
  money?: boolean;
  /** A measure's digits after the point, where its field says (0 for counts and integers). */
  scale?: number;
}

export interface ReportResult {
  columns: ResultColumn[];
  /**
   * One object per group: dimension keys (and `<key>$title` for links), measures (and `$prev`, `$delta`, `$deltaPct`); `$totals` lists the dimensions a subtotal row adds up over.
   * Money measures add `<cell>$currency`; a cell whose records are in several currencies is null with `<cell>$mixed: true` and `<cell>$byCurrency` (markMixed).
   */
  rows: Record<string, unknown>[];
  period?: CompiledReport['period'];
  truncated: boolean;
  /** With column dimensions: the rows laid out as a cross table (report.pivot.ts), for the pivot view. */
  pivot?: PivotTable;
}

/** Checks a definition's shape (422 naming the path, e.g. `measures.0.fn`). */
export function parseDefinition(input: unknown): TReportDefinition {
  return parseOrThrow(ZReportDefinition, input);
}

/** Resolves the object, parameters and "now" a definition runs with, and compiles it. */
export async function prepareReport(ctx: RecordsCtx, def: TReportDefinition, params: ReportParams, opts: RunOptions = {}): Promise<CompiledReport> {
  const { objects, obj } = await readableObject(ctx, def.source, 'read');
  const evalCtx = opts.evalCtx ?? evalContextOf(ctx);
  const values = resolveParams(def, params, evalCtx);
  return compileReport({ ctx, objects, obj, def, values, evalCtx, extraFilter: opts.extraFilter, period: opts.period, maxRows: opts.maxRows ?? MAX_REPORT_ROWS });
}

/**
 * Runs a report as the guard's user: only records and fields they may read
 * count, so two users can get different totals from one report.
 *
 *   runReport(ctx, { source: 'sales_order', rows: [{ field: 'customer.region.name' }], measures: [{ name: 'n', fn: 'count' }] }, {})
 *   → { columns: [...], rows: [{ 'customer.region.name': '华南', n: 12 }, …], truncated: false }
 */
export async function runReport(ctx: RecordsCtx, definition: unknown, params: ReportParams = {}, opts: RunOptions = {}): Promise<ReportResult> {
  const def = parseDefinition(definition);
  const compiled = await prepareReport(ctx, def, params, opts);
  const exec = (tx: Tx) => compiled.query.execute(tx);
  const res = opts.tx ? await exec(opts.tx) : await inTenantTx(ctx.db.app, { tenantId: ctx.guard.actor.tenantId, userId: ctx.guard.actor.userId }, exec);
  return shapeResult(def, compiled, res.rows, opts.maxRows ?? MAX_REPORT_ROWS);
}

export function shapeResult(def: TReportDefinition, c: CompiledReport, raw: Record<string, unknown>[], maxRows: number): ReportResult {
  const truncated = !def.limit && raw.length > maxRows;
  const rows = (truncated ? raw.slice(0, maxRows) : raw).map((r) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r)) {
      if (k === '$grouping' || k === '$rank') continue;
      out[k] = v instanceof Date ? v.toISOString() : v;
    }
    if (c.totals) {
      const g = Number(r.$grouping ?? 0);
      out.$totals = c.dims.filter((_, i) => g & (1 << (c.dims.length - 1 - i))).map((d) => d.key);
    }
    markMixed(out, c);
    return out;
  });
  const columns: ResultColumn[] = [
    ...c.dims.map((d, i) => ({
      key: d.key, kind: 'dimension' as const, role: d.role, field: d.path, type: d.bucket ? 'date' : d.field.type, bucket: d.bucket,
      label: toLabel([...(def.rows ?? []), ...(def.columns ?? [])][i]?.label) ?? d.field.label,
    })),
    ...c.measures.map((m) => ({ key: m.name, kind: 'measure' as const, type: m.numeric ? 'number' : 'value', label: labelOf(def, m.name) ?? m.label,
      ...(m.money ? { money: true } : {}), ...(m.scale !== undefined ? { scale: m.scale } : {}) })),
  ];
  const result: ReportResult = { columns, rows, period: c.period, truncated };
  if (hasColumnDims(result)) result.pivot = toPivot(result);
  return result;
}

/**
 * Marks the cells that are not one figure because their money is in several currencies:
 * `<cell>$mixed: true`, the cell null. A money measure's cell has `<cell>$currency` (its one
 * currency) or `<cell>$byCurrency` (where mixed, { CNY: "100000.00", USD: "20000.00" }); a formula
 * reading a mixed money measure, or money measures in different currencies, is mixed; and so are
 * a comparison's Δ and Δ% whose sides are mixed or in two currencies. Nothing adds yuan to dollars.
 */
function markMixed(row: Record<string, unknown>, c: CompiledReport): void {
  const sides = c.period?.previous ? ['', '$prev'] : [''];
  const mixed = (key: string) => row[`${key}$mixed`] === true;
  const mark = (key: string) => {
    row[key] = null;
    row[`${key}$mixed`] = true;
  };
  for (const m of c.measures) {
    if (!m.money) continue;
    for (const side of sides) {
      const key = `${m.name}${side}`;
      if (row[`${key}$byCurrency`] != null) mark(key);
      else delete row[`${key}$byCurrency`];
    }
  }
  for (const m of c.measures) {
    if (!m.moneyDeps) continue;
    for (const side of sides) {
      const deps = m.moneyDeps.map((d) => `${d}${side}`);
      const currencies = new Set(deps.map((d) => row[`${d}$currency`]).filter((x) => x != null));
      if (deps.some(mixed) || currencies.size > 1) mark(`${m.name}${side}`);
    }
  }
  if (sides.length < 2) return;
  for (const m of c.measures) {
    if (!m.money && !m.moneyDeps) continue;
    const currencies = new Set((m.moneyDeps ?? [m.name]).flatMap((d) => sides.map((side) => row[`${d}${side}$currency`])).filter((x) => x != null));
    if (mixed(m.name) || mixed(`${m.name}$prev`) || currencies.size > 1) {
      mark(`${m.name}$delta`);
      mark(`${m.name}$deltaPct`);
    }
  }
}

function labelOf(def: TReportDefinition, name: string): Label | undefined {
  return toLabel(def.measures.find((m) => m.name === name)?.label);
}

const toLabel = (l: string | Label | undefined): Label | undefined => (typeof l === 'string' ? { zh: l } : l);

/** The SQL text and parameters a report runs (what the exact-SQL tests assert). */
export async function reportSql(ctx: RecordsCtx, definition: unknown, params: ReportParams = {}, opts: RunOptions = {}): Promise<{ sql: string; parameters: readonly unknown[] }> {
  const compiled = await prepareReport(ctx, parseDefinition(definition), params, opts);
  const q = compiled.query.compile(ctx.db.app);
  return { sql: q.sql, parameters: q.parameters };
}

export function assertNumericMeasure(result: ReportResult, measure: string): void {
  const col = result.columns.find((c) => c.key === measure && c.kind === 'measure');
  if (!col) throw new AppError('BAD_REQUEST', `measure: the report has no measure "${measure.slice(0, 60)}"`, { field: 'measure' });
}
