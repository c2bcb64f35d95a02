import { queryOptions, useQuery } from '@tanstack/react-query';
import { get, qs } from '../../api/client.ts';
import { behindOf } from '../../api/meta.ts';
import type { FieldMeta, Label } from '../../api/types.ts';
// The server's own types, type-only (erased from the bundle): files of packages/reporting that import
// nothing from the server (report.pivot.types.ts) or only zod (dashboard.schema.ts → report.schema.ts).
import type { PivotTable } from '../../../../../packages/reporting/src/report.pivot.types.ts';
import type { CHART_TYPES } from '../../../../../packages/reporting/src/dashboard.schema.ts';

/** Reports and dashboards (apps/server/src/routes/reports.routes.ts, dashboards.routes.ts). */
export interface Dimension {
  field: string;
  bucket?: 'day' | 'week' | 'month' | 'quarter' | 'year';
}

export interface Measure {
  name: string;
  fn: 'count' | 'sum' | 'avg' | 'min' | 'max';
  field?: string;
  label?: string;
}

/** A value the viewer fills in; filters refer to it as {"var":"$param.<name>"}. */
export interface ReportParam {
  name: string;
  type: 'date' | 'datetime' | 'number' | 'text' | 'uuid' | 'boolean' | 'list';
  label?: Label | string;
  required?: boolean;
  default?: unknown;
}

export interface ReportDefinition {
  source: string;
  params?: ReportParam[];
  filter?: unknown;
  rows?: Dimension[];
  columns?: Dimension[];
  measures: Measure[];
  totals?: boolean;
  sort?: { by: string; desc?: boolean }[];
  limit?: number;
}

export interface SavedReport {
  id: string;
  name: string;
  definition: ReportDefinition;
  shared: boolean;
  version: number;
  ownerId: string;
}

export interface ResultColumn {
  key: string;
  kind: 'dimension' | 'measure';
  role?: 'row' | 'column';
  field?: string;
  type?: string;
  label?: Label;
  /** A sum / avg / min / max of a money field: its cells carry their currency (report-cells.ts). */
  money?: boolean;
  /** A dimension's date bucket (day, week, month, quarter, year). */
  bucket?: string;
  /** A measure's digits after the point, where its field says. */
  scale?: number;
}

export type { PivotHeader, PivotTable } from '../../../../../packages/reporting/src/report.pivot.types.ts';
/** The chart types a widget may have (packages/reporting CHART_TYPES). */
export type ChartType = (typeof CHART_TYPES)[number];

export interface ReportResult {
  columns: ResultColumn[];
  rows: Record<string, unknown>[];
  truncated: boolean;
  /** Present when the report has column dimensions. */
  pivot?: PivotTable;
  /** The report's date window; with a comparison, the previous one and how far back it lies. */
  period?: { field: string; current: { from: string; to: string }; previous?: { from: string; to: string }; shift?: { months: number; days: number } };
}

export interface Widget {
  id: string;
  /** A title typed by a user, or a bilingual one (the cockpit's widgets). */
  title?: string | Label;
  chart: ChartType;
  /** An inline report definition (the cockpit's widgets) instead of a saved report. */
  definition?: { source: string };
  layout: { x: number; y: number; w: number; h: number };
  reportId?: string;
  /** Values of the report's parameters, kept with the dashboard and applied when it loads. */
  params?: Record<string, unknown>;
  /** The measure a kpi or gauge shows (default: the report's first). */
  measure?: string;
  /** Chart options kept with the widget (a gauge's min / max). */
  options?: Record<string, unknown>;
}

export interface Dashboard {
  id: string;
  name: string;
  widgets: Widget[];
  /** The filters the dashboard offers its viewers: 'date', 'company', 'department', 'owner'. */
  globalFilters: string[];
  version: number;
  shared: boolean;
}

export type WidgetData =
  | { id: string; ok: true; result: ReportResult; dateApplied?: boolean }
  | { id: string; ok: false; error: { code: string; message: string } };

// Query options shared by the hooks and boot/preload.ts, which starts them with the app's first script. Fresh for
// 10 s: the page mounts a moment after the preload answered and must not ask again (the pages that save a
// report or a dashboard invalidate these lists themselves).
export const reportsQuery = queryOptions({ queryKey: ['reports'], queryFn: ({ signal }) => get<{ data: SavedReport[] }>('/api/v1/reports', signal).then((r) => r.data), staleTime: 10_000 });
export const dashboardsQuery = queryOptions({ queryKey: ['dashboards'], queryFn: ({ signal }) => get<{ data: Dashboard[] }>('/api/v1/dashboards', signal).then((r) => r.data), staleTime: 10_000 });
export const useReports = () => useQuery(reportsQuery);
export const useDashboards = () => useQuery(dashboardsQuery);

/** The viewer's filters of a dashboard, from the address (?from&to&company&department&owner); a range needs both ends. */
export interface DashFilterValues {
  from?: string;
  to?: string;
  company?: string;
  department?: string;
  owner?: string;
}
const FILTER_KEYS = ['from', 'to', 'company', 'department', 'owner'] as const;
export function dashFiltersOf(params: URLSearchParams): DashFilterValues {
  const values: DashFilterValues = {};
  for (const k of FILTER_KEYS) {
    const v = params.get(k);
    if (v) values[k] = v;
  }
  if (!values.from || !values.to) {
    delete values.from;
    delete values.to;
  }
  return values;
}

/**
 * Every widget's figures of one dashboard. Keyed by the dashboard's id, not its version, so it can start
 * before the dashboards list has answered; a change of the dashboard invalidates it (DashboardPage).
 */
export const dashboardDataQuery = (id: string, filters: DashFilterValues) => queryOptions({
  queryKey: ['dashboard-data', id, filters],
  queryFn: ({ signal }) => get<{ version: string; widgets: WidgetData[] }>(`/api/v1/dashboards/${encodeURIComponent(id)}/data${qs({ ...filters })}`, signal),
});

/** Types a report can group by, and those it can add up. */
export const groupable = (f: FieldMeta) => !f.archived && (!f.system || ['owner_id', 'department_id', 'created_at', 'status'].includes(f.apiName)) && ['single_select', 'link', 'user', 'department', 'text', 'date', 'datetime', 'boolean', 'integer'].includes(f.type) && f.apiName !== 'id';
/** Money fields: a report may group by the currency a value is in (`amount.currency`), not add yuan to dollars. */
export const byCurrency = (f: FieldMeta) => !f.archived && f.type === 'money';
/** A lookup adds up as the field it reads: a lookup of a number or of money is a measure too. */
export const summable = (f: FieldMeta) => !f.archived && !f.system && ['integer', 'decimal', 'money', 'percent', 'rollup'].includes(behindOf(f)?.type ?? '');

/** The text of a dimension cell: a link's title, a select's label is left to the caller. */
export function cellText(row: Record<string, unknown>, key: string): string {
  const title = row[`${key}$title`];
  const v = title ?? row[key];
  return v === null || v === undefined ? '—' : String(v);
}

/** A measure value as a number for charts (sums come back as decimal strings). */
export const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
