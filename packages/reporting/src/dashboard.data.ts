import { AppError, isUuid, type ErrorCode } from '@mosaic/kernel';
import { inTenantTx, pgCode, sql, tenantRead } from '@mosaic/db';
import { resolvePath, scalarOf, type FilterNode } from '@mosaic/meta';
import { evalContextOf, readableObject, type RecordsCtx } from '@mosaic/records';
import { rangeNode } from './report.compile.ts';
import { drillFilter } from './report.drill.ts';
import type { GlobalFilterValues, TWidget } from './dashboard.schema.ts';
import { dashboardObjects, dashboardVersion, outboxVersionQuery } from './dashboard.version.ts';
import { getDashboardOrThrow } from './dashboards.service.ts';
import { MAX_REPORT_ROWS, parseDefinition, prepareReport, runReport, shapeResult, type ReportResult } from './report.run.ts';
import type { CompiledReport } from './report.compile.ts';
import type { TReportDefinition } from './report.schema.ts';
import { getReportOrThrow } from './reports.service.ts';

export type WidgetData =
  | { id: string; chart: string; ok: true; ms: number; result: ReportResult; dateApplied: boolean }
  | { id: string; chart: string; ok: false; ms: number; error: { code: ErrorCode; message: string; field?: string } };

/**
 * Every widget's data in one call. The global filters are ANDed into every widget:
 * company_id, department_id (the department and those below it), owner_id, and the
 * date range on the widget's date field.
 *
 * The widgets' queries and the version go to PostgreSQL as ONE pipelined read
 * (tenantRead: one round trip, one connection, one snapshot) — opening a dashboard of
 * four widgets was five transactions on five connections (15 statements), the
 * business day's most expensive read under load (bench/day). A widget that cannot
 * be compiled for this viewer (a field they may not read) fails alone before
 * anything is sent; when the pipeline itself fails (one widget over the statement
 * timeout aborts the rest of it), each widget runs again in its own transaction,
 * so that one says so and the others stand. A widget's `ms` is then its own query's;
 * from the pipeline it is the pipeline's (the widgets ran together).
 */
export async function dashboardData(ctx: RecordsCtx, id: string, g: GlobalFilterValues): Promise<{ id: string; version: string; widgets: WidgetData[] }> {
  const dash = await getDashboardOrThrow(ctx, id);
  const extra = await globalFilterNode(ctx, g);
  const window = dateWindow(g);
  const started = performance.now();
  const prepared = await Promise.all(dash.widgets.map((w) => prepareWidget(ctx, w, extra, window)));
  const objects = await dashboardObjects(ctx, dash);
  const ready = prepared.filter((p): p is PreparedWidget => 'compiled' in p);
  let rows: Record<string, unknown>[][];
  try {
    rows = await tenantRead(ctx.db.app, { tenantId: ctx.guard.actor.tenantId, userId: ctx.guard.actor.userId },
      [outboxVersionQuery(objects).compile(ctx.db.app), ...ready.map((p) => p.compiled.query.compile(ctx.db.app))]);
  } catch {
    // One widget failing in the pipeline fails them all: each on its own, as before the pipeline.
    const [version, widgets] = await Promise.all([dashboardVersion(ctx, dash), Promise.all(dash.widgets.map((w) => widgetData(ctx, w, extra, window)))]);
    return { id: dash.id, version, widgets };
  }
  const ms = Math.round(performance.now() - started);
  const seq = Number(rows[0][0]?.seq ?? 0); // no objects: max over nothing, null
  const widgets = prepared.map((p): WidgetData => {
    if (!('compiled' in p)) return p.failed;
    const raw = rows[1 + ready.indexOf(p)];
    return { id: p.w.id, chart: p.w.chart, ok: true, ms, result: shapeResult(p.def, p.compiled, raw, MAX_REPORT_ROWS), dateApplied: p.dateApplied };
  });
  return { id: dash.id, version: `${dash.version}.${seq}`, widgets };
}

interface PreparedWidget { w: TWidget; def: TReportDefinition; compiled: CompiledReport; dateApplied: boolean }

/** A widget's compiled query, or the answer of a widget that cannot run for this viewer. */
async function prepareWidget(ctx: RecordsCtx, w: TWidget, extra: FilterNode | undefined, window: { from: string; to: string } | undefined): Promise<PreparedWidget | { failed: WidgetData }> {
  const started = performance.now();
  try {
    const def = parseDefinition(w.definition ?? (await getReportOrThrow(ctx, w.reportId!)).definition);
    const dateField = window ? dateFieldOf(w, def) : undefined;
    const compiled = await prepareReport(ctx, def, w.params ?? {}, { extraFilter: extra, period: dateField && window ? { field: dateField, window } : undefined });
    return { w, def, compiled, dateApplied: !!dateField };
  } catch (e) {
    if (!(e instanceof AppError) || e.status >= 500) throw e;
    return { failed: { id: w.id, chart: w.chart, ok: false, ms: Math.round(performance.now() - started), error: e.toJSON().error } };
  }
}

async function widgetData(ctx: RecordsCtx, w: TWidget, extra: FilterNode | undefined, window: { from: string; to: string } | undefined): Promise<WidgetData> {
  const started = performance.now();
  try {
    const def = w.definition ?? (await getReportOrThrow(ctx, w.reportId!)).definition;
    const dateField = window ? dateFieldOf(w, def) : undefined;
    const result = await runReport(ctx, def, w.params ?? {}, { extraFilter: extra, period: dateField && window ? { field: dateField, window } : undefined });
    return { id: w.id, chart: w.chart, ok: true, ms: Math.round(performance.now() - started), result, dateApplied: !!dateField };
  } catch (e) {
    // A widget over too much data hits the statement timeout: that widget says so, the others stand.
    const err = pgCode(e) === '57014' ? new AppError('UNAVAILABLE', 'This widget took longer than the time limit; narrow its date range or filters.') : e;
    if (!(err instanceof AppError) || (err.status >= 500 && err.code !== 'UNAVAILABLE')) throw e;
    return { id: w.id, chart: w.chart, ok: false, ms: Math.round(performance.now() - started), error: err.toJSON().error };
  }
}

/** The field a dashboard's date range applies to in a widget. */
export function dateFieldOf(w: Pick<TWidget, 'dateField'>, def: TReportDefinition): string | undefined {
  return w.dateField ?? def.period?.field ?? [...(def.rows ?? []), ...(def.columns ?? [])].find((d) => d.bucket)?.field;
}

function dateWindow(g: GlobalFilterValues): { from: string; to: string } | undefined {
  if (!g.from && !g.to) return undefined;
  const ok = (d: string | undefined, name: string) => {
    if (!d || !/^\d{4}-\d{2}-\d{2}$/.test(d) || Number.isNaN(Date.parse(d))) throw new AppError('BAD_REQUEST', `${name}: a date range needs from and to (YYYY-MM-DD)`, { field: name });
    return d;
  };
  const from = ok(g.from, 'from');
  const to = ok(g.to, 'to');
  if (from > to) throw new AppError('BAD_REQUEST', 'from: is after to', { field: 'from' });
  return { from, to };
}

async function globalFilterNode(ctx: RecordsCtx, g: GlobalFilterValues): Promise<FilterNode | undefined> {
  const parts: FilterNode[] = [];
  const id = (v: string, name: string) => {
    if (!isUuid(v)) throw new AppError('BAD_REQUEST', `${name}: must be an id (UUID)`, { field: name });
    return v.toLowerCase();
  };
  if (g.company) parts.push({ field: 'company_id', op: 'eq', value: id(g.company, 'company') });
  if (g.owner) parts.push({ field: 'owner_id', op: 'eq', value: id(g.owner, 'owner') });
  if (g.department) {
    const dept = id(g.department, 'department');
    const tree = await inTenantTx(ctx.db.app, { tenantId: ctx.guard.actor.tenantId, userId: ctx.guard.actor.userId }, async (tx) =>
      (await sql<{ id: string }>`SELECT id FROM department WHERE path @> ARRAY[${dept}]::uuid[]`.execute(tx)).rows.map((r) => r.id));
    parts.push({ field: 'department_id', op: 'in', value: tree.length ? tree : [dept] });
  }
  return parts.length ? { and: parts } : undefined;
}

/**
 * Drill-down from a figure of a dashboard widget: the report's own drill
 * filter (report.drill.ts) with the dashboard's global filters ANDed in, as the
 * widget's data had them — so the list shows exactly the records behind the
 * number the viewer clicked, date range included.
 *
 *   GET /api/v1/dashboards/{id}/widgets/{widgetId}/drill?cell={"region":"华南"}&measure=revenue&from=2026-01-01&to=2026-01-31
 *   → { "object": "sales_order", "filter": { "and": [<report drill filter>, <global filters>, <date range>] } }
 */
export async function dashboardDrill(ctx: RecordsCtx, id: string, widgetId: string, g: GlobalFilterValues, cell: Record<string, unknown>, measure?: string): Promise<{ object: string; filter: FilterNode }> {
  const dash = await getDashboardOrThrow(ctx, id);
  const w = dash.widgets.find((x) => x.id === widgetId);
  if (!w) throw new AppError('NOT_FOUND', `widget: this dashboard has no widget "${widgetId.slice(0, 40)}"`, { field: 'widget' });
  const def = w.definition ?? (await getReportOrThrow(ctx, w.reportId!)).definition;
  const drill = await drillFilter(ctx, def, w.params ?? {}, cell, measure);
  const parts: FilterNode[] = [drill.filter];
  const extra = await globalFilterNode(ctx, g);
  if (extra) parts.push(extra);
  const window = dateWindow(g);
  const dateField = window ? dateFieldOf(w, def) : undefined;
  if (window && dateField) {
    const { objects, obj } = await readableObject(ctx, def.source, 'read');
    parts.push(rangeNode(dateField, scalarOf(resolvePath(objects, obj, dateField).field), window, evalContextOf(ctx).timeZone));
  }
  return { object: drill.object, filter: { and: parts } };
}
