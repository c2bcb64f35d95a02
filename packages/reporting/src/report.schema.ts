import { z } from 'zod';

/**
 * A report definition, as the UI builds it and the `report.definition` column
 * keeps it. Example — sales by region and month, this year against last:
 *
 *   { "source": "sales_order",
 *     "params": [{ "name": "region", "type": "text" }],
 *     "filter": { "customer.region.code": { "eq": { "var": "$param.region" } } },
 *     "period": { "field": "order_date", "from": { "relative": "this_year" }, "to": { "relative": "this_year" } },
 *     "compare": "previous_year",
 *     "rows": [{ "field": "customer.region.name" }], "columns": [{ "field": "order_date", "bucket": "month" }],
 *     "measures": [{ "name": "revenue", "fn": "sum", "field": "amount" }, { "name": "cost", "fn": "sum", "field": "cost" },
 *                  { "name": "margin_pct", "formula": "(revenue - cost) / revenue" }],
 *     "totals": true }
 */
export const BUCKETS = ['day', 'week', 'month', 'quarter', 'year'] as const;
export type Bucket = (typeof BUCKETS)[number];
export const AGGREGATE_FNS = ['count', 'count_distinct', 'sum', 'avg', 'min', 'max'] as const;
export type AggregateFn = (typeof AGGREGATE_FNS)[number];
export const PARAM_TYPES = ['date', 'datetime', 'number', 'text', 'uuid', 'boolean', 'list'] as const;
export type ParamType = (typeof PARAM_TYPES)[number];

const path = z.string().regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*){0,4}$/, 'a field path like amount or customer.region');
const name = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'snake_case, up to 40 characters');
const label = z.union([z.string().max(200), z.object({ zh: z.string().max(200), en: z.string().max(200).optional() })]);

/** A date: 'YYYY-MM-DD', a parameter ({"var":"$param.from"}) or an edge of a relative range ({"relative":"this_month"}). */
export const ZDateSpec = z.union([
  z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD'),
  z.strictObject({ var: z.string().regex(/^\$param\.[a-z][a-z0-9_]*$/, '$param.<name>') }),
  z.strictObject({ relative: z.string().max(30), edge: z.enum(['from', 'to']).optional() }),
]);
export type TDateSpec = z.infer<typeof ZDateSpec>;

export const ZParam = z.strictObject({
  name,
  type: z.enum(PARAM_TYPES),
  label: label.optional(),
  required: z.boolean().optional(),
  /** A literal of the param's type; a date param may also default to a relative date edge or "$today". */
  default: z.unknown().optional(),
});

export const ZDimension = z.strictObject({
  field: path,
  bucket: z.enum(BUCKETS).optional(),
  /** The column name in the result; default `field`, or `field:bucket`. */
  key: z.string().regex(/^[a-z][a-z0-9_.:]{0,80}$/).optional(),
  label: label.optional(),
});

const ZAggregate = z.strictObject({
  name,
  fn: z.enum(AGGREGATE_FNS),
  field: path.optional(),
  /** Only records matching this filter count (a conditional aggregate: SUM(...) FILTER (WHERE ...)). */
  filter: z.unknown().optional(),
  label: label.optional(),
});
const ZFormulaMeasure = z.strictObject({
  name,
  /** An expression over other measures' names: "(revenue - cost) / revenue". Division by zero gives null. */
  formula: z.string().min(1).max(1000),
  label: label.optional(),
});
export const ZMeasure = z.union([ZAggregate, ZFormulaMeasure]);

export const ZReportDefinition = z.strictObject({
  source: name,
  params: z.array(ZParam).max(20).optional(),
  filter: z.unknown().optional(),
  /** The report's date window: records with `field` in [from, to]; needed for period comparison. */
  period: z.strictObject({ field: path, from: ZDateSpec, to: ZDateSpec }).optional(),
  compare: z.enum(['previous_period', 'previous_year']).optional(),
  rows: z.array(ZDimension).max(6).optional(),
  columns: z.array(ZDimension).max(4).optional(),
  measures: z.array(ZMeasure).min(1).max(30),
  /** Subtotals and grand totals: ROLLUP over rows (and over columns, for a pivot). */
  totals: z.boolean().optional(),
  /** Sort by dimension keys or measure names (also `<measure>$prev`, `$delta`, `$deltaPct` with a comparison). */
  sort: z.array(z.strictObject({ by: z.string().max(100), desc: z.boolean().optional() })).max(6).optional(),
  /** Top-N: at most this many detail rows (subtotal rows always come back). */
  limit: z.number().int().min(1).max(10_000).optional(),
});

export type TReportDefinition = z.infer<typeof ZReportDefinition>;
export type TDimension = z.infer<typeof ZDimension>;
export type TMeasure = z.infer<typeof ZMeasure>;
export type TAggregateMeasure = z.infer<typeof ZAggregate>;
export type TParam = z.infer<typeof ZParam>;

export const isFormulaMeasure = (m: TMeasure): m is z.infer<typeof ZFormulaMeasure> => 'formula' in m;

export function dimensionKey(d: TDimension): string {
  return d.key ?? (d.bucket ? `${d.field}:${d.bucket}` : d.field);
}

/** Report parameters as the viewer gives them: from a query string (text) or a JSON body. */
export type ReportParams = Record<string, unknown>;
