import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportSql, runReport, toPivot } from '@mosaic/reporting';
import { createReportFixture, type ReportFixture } from './report-fixture.ts';

// Representative reports on the fixed fixture: the exact SQL and parameters
// they compile to, and their numbers.
let f: ReportFixture;
beforeAll(async () => {
  f = await createReportFixture();
});
afterAll(async () => {
  await f?.t.close();
});

const byRegion = {
  source: 'rpt_order',
  period: { field: 'order_date', from: '2026-01-01', to: '2026-12-31' },
  rows: [{ field: 'customer.region.name' }],
  measures: [
    { name: 'revenue', fn: 'sum', field: 'amount' }, { name: 'cost', fn: 'sum', field: 'cost' },
    { name: 'margin_pct', formula: '(revenue - cost) / revenue' }, { name: 'orders', fn: 'count' },
  ],
  sort: [{ by: 'revenue', desc: true }],
};

const pivot = {
  source: 'rpt_order',
  period: { field: 'order_date', from: '2026-01-01', to: '2026-03-31' },
  rows: [{ field: 'customer.region.name' }], columns: [{ field: 'order_date', bucket: 'month' }],
  measures: [{ name: 'revenue', fn: 'sum', field: 'amount' }],
  totals: true,
};

const comparison = {
  source: 'rpt_order',
  period: { field: 'order_date', from: '2026-01-01', to: '2026-02-28' },
  compare: 'previous_year',
  rows: [{ field: 'order_date', bucket: 'month' }],
  measures: [{ name: 'revenue', fn: 'sum', field: 'amount' }],
};

// The joins every fixture report through customer → region needs (no record scope: the admin sees all).
const JOINS = 'LEFT JOIN "o_rpt_customer" AS "j1" ON "j1"."tenant_id" = "t"."tenant_id" AND "j1"."id" = "t"."c_customer" '
  + 'LEFT JOIN "o_rpt_region" AS "j2" ON "j2"."tenant_id" = "j1"."tenant_id" AND "j2"."id" = "j1"."c_region"';

describe('report SQL', () => {
  it('groups through two links (order → customer → region) with a formula measure', async () => {
    const q = await reportSql(f.ctx(), byRegion);
    expect(q.sql).toBe(
      'SELECT "q".* FROM (SELECT "r"."d:0" AS "customer.region.name", sum("r"."m:revenue") AS "revenue", sum("r"."m:cost") AS "cost", '
      + '(((sum("r"."m:revenue"))::numeric - (sum("r"."m:cost"))::numeric) / NULLIF((sum("r"."m:revenue"))::numeric, 0)) AS "margin_pct", count(*) AS "orders" '
      + `FROM (SELECT "j2"."c_name" AS "d:0", "t"."c_amount" AS "m:revenue", "t"."c_cost" AS "m:cost" FROM "o_rpt_order" AS "t" ${JOINS} `
      + 'WHERE (("t"."c_order_date" BETWEEN $1::date AND $2::date))) AS "r" GROUP BY "r"."d:0") AS "q" '
      + 'ORDER BY "q"."revenue" DESC NULLS LAST, "q"."customer.region.name" ASC NULLS LAST LIMIT $3',
    );
    expect(q.parameters).toEqual(['2026-01-01', '2026-12-31', 10001]);
    const r = await runReport(f.ctx(), byRegion);
    expect(r.rows).toEqual([
      { 'customer.region.name': '华南', revenue: '750.00', cost: '420.00', margin_pct: '0.44000000000000000000', orders: 4 },
      { 'customer.region.name': '华东', revenue: '400.00', cost: '300.00', margin_pct: '0.25000000000000000000', orders: 1 },
    ]);
    expect(r.truncated).toBe(false);
  });

  it('pivots regions × months with subtotals and a grand total (ROLLUP × ROLLUP)', async () => {
    const q = await reportSql(f.ctx(), pivot);
    expect(q.sql).toBe(
      'SELECT "q".* FROM (SELECT "r"."d:0" AS "customer.region.name", "r"."d:1" AS "order_date:month", sum("r"."m:revenue") AS "revenue", '
      + 'GROUPING("r"."d:0", "r"."d:1") AS "$grouping" '
      + `FROM (SELECT "j2"."c_name" AS "d:0", date_trunc($1, ("t"."c_order_date")::timestamp)::date AS "d:1", "t"."c_amount" AS "m:revenue" FROM "o_rpt_order" AS "t" ${JOINS} `
      + 'WHERE (("t"."c_order_date" BETWEEN $2::date AND $3::date))) AS "r" GROUP BY ROLLUP("r"."d:0"), ROLLUP("r"."d:1")) AS "q" '
      + 'ORDER BY ("q"."$grouping" & 2) ASC, "q"."customer.region.name" ASC NULLS LAST, ("q"."$grouping" & 1) ASC, "q"."order_date:month" ASC NULLS LAST LIMIT $4',
    );
    expect(q.parameters).toEqual(['month', '2026-01-01', '2026-03-31', 10001]);
    const r = await runReport(f.ctx(), pivot);
    const line = (region: string | null, month: string | null, revenue: string) => ({
      'customer.region.name': region, 'order_date:month': month, revenue,
      $totals: [...(region === null ? ['customer.region.name'] : []), ...(month === null ? ['order_date:month'] : [])],
    });
    expect(r.rows).toEqual([
      line('华东', '2026-02-01', '400.00'), line('华东', null, '400.00'),
      line('华南', '2026-01-01', '450.00'), line('华南', '2026-02-01', '50.00'), line('华南', '2026-03-01', '250.00'), line('华南', null, '750.00'),
      line(null, '2026-01-01', '450.00'), line(null, '2026-02-01', '450.00'), line(null, '2026-03-01', '250.00'), line(null, null, '1150.00'),
    ]);
    const p = toPivot(r);
    expect(r.pivot).toEqual(p); // the run hands the cross table to the web app's pivot view
    expect([p.rowKeys, p.colKeys]).toEqual([['customer.region.name'], ['order_date:month']]);
    expect(p.columns.map((x) => x.cell)).toEqual([{ 'order_date:month': '2026-01-01' }, { 'order_date:month': '2026-02-01' }, { 'order_date:month': '2026-03-01' }, {}]);
    expect(p.rows.map((x) => x.values)).toEqual([['华东'], ['华南'], [null]]);
    expect(p.columns.map((x) => x.values)).toEqual([['2026-01-01'], ['2026-02-01'], ['2026-03-01'], [null]]);
    expect(p.cells.map((row) => row.map((c) => c.revenue ?? null))).toEqual([
      [null, '400.00', null, '400.00'], ['450.00', '50.00', '250.00', '750.00'], ['450.00', '450.00', '250.00', '1150.00'],
    ]);
  });

  it('compares Jan–Feb 2026 with Jan–Feb 2025 in one scan, with Δ and Δ%', async () => {
    const q = await reportSql(f.ctx(), comparison);
    expect(q.sql).toBe(
      'SELECT "q".*, ("q"."revenue" - "q"."revenue$prev") AS "revenue$delta", (("q"."revenue" - "q"."revenue$prev")::numeric / NULLIF(abs("q"."revenue$prev"), 0)) AS "revenue$deltaPct" '
      + 'FROM (SELECT "r"."d:0" AS "order_date:month", sum("r"."m:revenue") FILTER (WHERE "r"."$cur") AS "revenue", sum("r"."m:revenue") FILTER (WHERE NOT "r"."$cur") AS "revenue$prev" '
      + 'FROM (SELECT date_trunc($1, (CASE WHEN "t"."c_order_date" >= $2::date THEN ("t"."c_order_date")::timestamp ELSE ("t"."c_order_date")::timestamp + make_interval(months => $3, days => $4) END))::date AS "d:0", '
      + '"t"."c_amount" AS "m:revenue", "t"."c_order_date" >= $5::date AS "$cur" FROM "o_rpt_order" AS "t"  '
      + 'WHERE ((("t"."c_order_date" BETWEEN $6::date AND $7::date OR "t"."c_order_date" BETWEEN $8::date AND $9::date)))) AS "r" GROUP BY "r"."d:0") AS "q" '
      + 'ORDER BY "q"."order_date:month" ASC NULLS LAST LIMIT $10',
    );
    expect(q.parameters).toEqual(['month', '2026-01-01', 12, 0, '2026-01-01', '2026-01-01', '2026-02-28', '2025-01-01', '2025-02-28', 10001]);
    const r = await runReport(f.ctx(), comparison);
    expect(r.period).toEqual({ field: 'order_date', current: { from: '2026-01-01', to: '2026-02-28' }, previous: { from: '2025-01-01', to: '2025-02-28' }, shift: { months: 12, days: 0 } });
    expect(r.rows).toEqual([
      { 'order_date:month': '2026-01-01', revenue: '450.00', revenue$prev: '100.00', revenue$delta: '350.00', revenue$deltaPct: '3.5000000000000000' },
      { 'order_date:month': '2026-02-01', revenue: '450.00', revenue$prev: '200.00', revenue$delta: '250.00', revenue$deltaPct: '1.2500000000000000' },
    ]);
  });

  it('compares with the previous period: Q1 2026 against Q4 2025', async () => {
    const r = await runReport(f.ctx(), { ...comparison, compare: 'previous_period', period: { field: 'order_date', from: '2026-01-01', to: '2026-03-31' }, rows: [] });
    expect(r.period?.previous).toEqual({ from: '2025-10-01', to: '2025-12-31' });
    expect(r.rows).toEqual([{ revenue: '1150.00', revenue$prev: null, revenue$delta: null, revenue$deltaPct: null }]);
    // Back-to-back windows are read as one range.
    const q = await reportSql(f.ctx(), { ...comparison, compare: 'previous_period', period: { field: 'order_date', from: '2026-01-01', to: '2026-03-31' }, rows: [] });
    expect(q.sql).toContain('WHERE (("t"."c_order_date" BETWEEN $2::date AND $3::date))');
    expect(q.parameters.slice(1, 3)).toEqual(['2025-10-01', '2026-03-31']);
  });
});
