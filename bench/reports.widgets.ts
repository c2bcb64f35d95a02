// The 12 widgets of bench/reports: each a report definition and the same aggregate written by hand.
type Cols = Record<string, string>;
export interface BenchWidget {
  id: string;
  chart: string;
  definition: Record<string, unknown>;
  raw(c: { c: Cols; p: Cols; o: Cols }): string;
}

const revenue = { name: 'revenue', fn: 'sum', field: 'amount' };
const month = (o: Cols) => `date_trunc('month', o.${o.order_date}::timestamp)::date`;
const from = 'FROM o_b_order o';
const where = 'WHERE o.tenant_id = $1';

export const WIDGETS: BenchWidget[] = [
  {
    id: 'kpi_total', chart: 'kpi',
    definition: { source: 'b_order', measures: [revenue, { name: 'orders', fn: 'count' }] },
    raw: ({ o }) => `SELECT sum(o.${o.amount}), count(*) ${from} ${where}`,
  },
  {
    id: 'revenue_by_month', chart: 'line',
    definition: { source: 'b_order', rows: [{ field: 'order_date', bucket: 'month' }], measures: [revenue] },
    raw: ({ o }) => `SELECT ${month(o)} AS m, sum(o.${o.amount}) ${from} ${where} GROUP BY 1 ORDER BY 1`,
  },
  {
    id: 'revenue_by_province', chart: 'map_china',
    definition: { source: 'b_order', rows: [{ field: 'province' }], measures: [revenue] },
    raw: ({ o }) => `SELECT o.${o.province}, sum(o.${o.amount}) ${from} ${where} GROUP BY 1 ORDER BY 1`,
  },
  {
    id: 'top_customers', chart: 'bar',
    definition: { source: 'b_order', rows: [{ field: 'customer' }], measures: [revenue], sort: [{ by: 'revenue', desc: true }], limit: 10 },
    raw: ({ o, c }) => `SELECT o.${o.customer}, cu.${c.name}, sum(o.${o.amount}) AS s ${from} LEFT JOIN o_b_customer cu ON cu.tenant_id = o.tenant_id AND cu.id = o.${o.customer}
      ${where} GROUP BY o.${o.customer}, cu.${c.name} ORDER BY s DESC NULLS LAST, o.${o.customer} LIMIT 10`,
  },
  {
    id: 'top_products', chart: 'bar',
    definition: { source: 'b_order', rows: [{ field: 'product' }], measures: [revenue], sort: [{ by: 'revenue', desc: true }], limit: 10 },
    raw: ({ o, p }) => `SELECT o.${o.product}, pr.${p.name}, sum(o.${o.amount}) AS s ${from} LEFT JOIN o_b_product pr ON pr.tenant_id = o.tenant_id AND pr.id = o.${o.product}
      ${where} GROUP BY o.${o.product}, pr.${p.name} ORDER BY s DESC NULLS LAST, o.${o.product} LIMIT 10`,
  },
  {
    id: 'pivot_province_quarter', chart: 'pivot',
    definition: { source: 'b_order', rows: [{ field: 'province' }], columns: [{ field: 'order_date', bucket: 'quarter' }], measures: [revenue], totals: true },
    raw: ({ o }) => `SELECT o.${o.province}, date_trunc('quarter', o.${o.order_date}::timestamp)::date AS q, sum(o.${o.amount}), GROUPING(o.${o.province}, date_trunc('quarter', o.${o.order_date}::timestamp)::date) AS g
      ${from} ${where} GROUP BY ROLLUP(o.${o.province}), ROLLUP(date_trunc('quarter', o.${o.order_date}::timestamp)::date) ORDER BY 4, 1, 2`,
  },
  {
    id: 'avg_order_by_month', chart: 'area',
    definition: { source: 'b_order', rows: [{ field: 'order_date', bucket: 'month' }], measures: [{ name: 'avg_amount', fn: 'avg', field: 'amount' }] },
    raw: ({ o }) => `SELECT ${month(o)} AS m, avg(o.${o.amount}) ${from} ${where} GROUP BY 1 ORDER BY 1`,
  },
  {
    id: 'buyers_by_month', chart: 'line',
    definition: { source: 'b_order', rows: [{ field: 'order_date', bucket: 'month' }], measures: [{ name: 'buyers', fn: 'count_distinct', field: 'customer' }] },
    raw: ({ o }) => `SELECT ${month(o)} AS m, count(DISTINCT o.${o.customer}) ${from} ${where} GROUP BY 1 ORDER BY 1`,
  },
  {
    id: 'revenue_by_category', chart: 'pie',
    definition: { source: 'b_order', rows: [{ field: 'product.category' }], measures: [revenue] },
    raw: ({ o, p }) => `SELECT pr.${p.category}, sum(o.${o.amount}) ${from} LEFT JOIN o_b_product pr ON pr.tenant_id = o.tenant_id AND pr.id = o.${o.product}
      ${where} GROUP BY 1 ORDER BY 1`,
  },
  {
    id: 'yoy_by_month', chart: 'bar',
    definition: { source: 'b_order', period: { field: 'order_date', from: '2025-01-01', to: '2025-12-31' }, compare: 'previous_year', rows: [{ field: 'order_date', bucket: 'month' }], measures: [revenue] },
    raw: ({ o }) => `SELECT date_trunc('month', CASE WHEN o.${o.order_date} >= '2025-01-01' THEN o.${o.order_date} ELSE o.${o.order_date} + interval '1 year' END)::date AS m,
        sum(o.${o.amount}) FILTER (WHERE o.${o.order_date} >= '2025-01-01') AS cur, sum(o.${o.amount}) FILTER (WHERE o.${o.order_date} < '2025-01-01') AS prev
      ${from} ${where} AND o.${o.order_date} BETWEEN '2024-01-01' AND '2025-12-31' GROUP BY 1 ORDER BY 1`,
  },
  {
    id: 'weekly_last_quarter', chart: 'line',
    definition: { source: 'b_order', period: { field: 'order_date', from: '2025-10-01', to: '2025-12-31' }, rows: [{ field: 'order_date', bucket: 'week' }], measures: [revenue] },
    raw: ({ o }) => `SELECT date_trunc('week', o.${o.order_date}::timestamp)::date AS w, sum(o.${o.amount}) ${from} ${where}
      AND o.${o.order_date} BETWEEN '2025-10-01' AND '2025-12-31' GROUP BY 1 ORDER BY 1`,
  },
  {
    id: 'margin_by_province', chart: 'table',
    definition: {
      source: 'b_order', rows: [{ field: 'province' }],
      measures: [revenue, { name: 'cost', fn: 'sum', field: 'cost' }, { name: 'margin_pct', formula: '(revenue - cost) / revenue' }],
    },
    raw: ({ o }) => `SELECT o.${o.province}, sum(o.${o.amount}), sum(o.${o.cost}), (sum(o.${o.amount}) - sum(o.${o.cost})) / NULLIF(sum(o.${o.amount}), 0)
      ${from} ${where} GROUP BY 1 ORDER BY 1`,
  },
];
