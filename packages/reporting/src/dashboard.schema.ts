import { z } from 'zod';
import { ZReportDefinition } from './report.schema.ts';

/** Chart types the web app renders with ECharts (issue 6, §2). */
export const CHART_TYPES = ['bar', 'stacked_bar', 'line', 'area', 'pie', 'donut', 'funnel', 'gauge', 'scatter', 'map_china', 'kpi', 'table', 'pivot'] as const;
export const GLOBAL_FILTERS = ['date', 'company', 'department', 'owner'] as const;

const label = z.union([z.string().max(200), z.object({ zh: z.string().max(200), en: z.string().max(200).optional() })]);

/**
 * One widget: a chart of a saved report (`reportId`) or of an inline
 * definition, at a place on a 24-column grid. `dateField` names the field the
 * dashboard's date range applies to (default: the report's period field, else
 * its first date-bucket dimension).
 *
 *   { "id": "rev_by_province", "title": "各省销售额", "chart": "map_china", "layout": { "x": 0, "y": 0, "w": 12, "h": 8 },
 *     "definition": { "source": "sales_order", "rows": [{ "field": "province" }], "measures": [{ "name": "revenue", "fn": "sum", "field": "amount" }] } }
 */
export const ZWidget = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/),
  title: label.optional(),
  chart: z.enum(CHART_TYPES),
  layout: z.strictObject({ x: z.number().int().min(0).max(48), y: z.number().int().min(0).max(1000), w: z.number().int().min(1).max(48), h: z.number().int().min(1).max(100) }),
  reportId: z.uuid().optional(),
  definition: ZReportDefinition.optional(),
  params: z.record(z.string(), z.unknown()).optional(),
  dateField: z.string().regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*){0,4}$/).optional(),
  /**
   * The measure a `kpi` or `gauge` widget shows (default: the report's first). A figure built from helper
   * measures — 毛利 = revenue − cost — names its formula here, not the first input it happens to list.
   */
  measure: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/).optional(),
  /** Chart options the UI keeps (colours, stacking, gauge bounds…); the server stores them as they are. */
  options: z.record(z.string(), z.unknown()).optional(),
}).refine((w) => !!w.reportId !== !!w.definition, { message: 'a widget has either a reportId or a definition', path: ['reportId'] });

export const ZCreateDashboard = z.strictObject({
  name: z.string().min(1).max(200),
  description: z.string().max(2000).optional(),
  widgets: z.array(ZWidget).max(40).default([]),
  globalFilters: z.array(z.enum(GLOBAL_FILTERS)).max(4).optional(),
  defaultRoleIds: z.array(z.uuid()).max(100).optional(),
  shared: z.boolean().optional(),
}).refine((d) => new Set(d.widgets.map((w) => w.id)).size === d.widgets.length, { message: 'widget ids must be unique', path: ['widgets'] });

export const ZUpdateDashboard = z.strictObject({
  version: z.number().int(),
  name: z.string().min(1).max(200).optional(),
  description: z.string().max(2000).nullable().optional(),
  widgets: z.array(ZWidget).max(40).optional(),
  globalFilters: z.array(z.enum(GLOBAL_FILTERS)).max(4).optional(),
  defaultRoleIds: z.array(z.uuid()).max(100).optional(),
  shared: z.boolean().optional(),
});

export type TWidget = z.infer<typeof ZWidget>;
export type TCreateDashboard = z.infer<typeof ZCreateDashboard>;

/** The values of a dashboard's global filters, as the viewer sets them (query string). */
export interface GlobalFilterValues {
  from?: string;
  to?: string;
  company?: string;
  department?: string;
  owner?: string;
}
