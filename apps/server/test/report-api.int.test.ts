import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { createReportFixture, type ReportFixture } from './report-fixture.ts';

// The reports API over HTTP: save, run with query-string parameters, drill,
// forecast, export to Excel.
let f: ReportFixture;
beforeAll(async () => {
  f = await createReportFixture();
});
afterAll(async () => {
  await f?.t.close();
});

const definition = {
  source: 'rpt_order',
  params: [{ name: 'from', type: 'date', default: '2026-01-01' }, { name: 'to', type: 'date', default: '2026-12-31' }],
  period: { field: 'order_date', from: { var: '$param.from' }, to: { var: '$param.to' } },
  rows: [{ field: 'customer.region.name', label: '区域' }],
  measures: [{ name: 'revenue', fn: 'sum', field: 'amount', label: '销售额' }, { name: 'orders', fn: 'count', label: '订单数' }],
  totals: true,
};

describe('reports API', () => {
  let id: string;

  it('saves a report and lists, reads, updates (with its version) and deletes it', async () => {
    const created = await f.t.api('POST', '/api/v1/reports', { name: '区域销售', definition });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ name: '区域销售', source: 'rpt_order', shared: false, version: 1 });
    id = created.body.id;
    const list = await f.t.api('GET', '/api/v1/reports?source=rpt_order');
    expect(list.body.data.map((r: { id: string }) => r.id)).toEqual([id]);
    const updated = await f.t.api('PATCH', `/api/v1/reports/${id}`, { version: 1, shared: true });
    expect(updated.body).toMatchObject({ shared: true, version: 2 });
    const stale = await f.t.api('PATCH', `/api/v1/reports/${id}`, { version: 1, name: 'x' });
    expect(stale.status).toBe(409);
    const temp = await f.t.api('POST', '/api/v1/reports', { name: 'tmp', definition: { source: 'rpt_order', measures: [{ name: 'n', fn: 'count' }] } });
    expect((await f.t.api('DELETE', `/api/v1/reports/${temp.body.id}`)).status).toBe(204);
    expect((await f.t.api('GET', `/api/v1/reports/${temp.body.id}`)).status).toBe(404);
  });

  it('refuses to save a definition with an unknown field or a bad shape', async () => {
    const unknown = await f.t.api('POST', '/api/v1/reports', { name: 'x', definition: { ...definition, rows: [{ field: 'customer.colour' }] } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: 'FIELD_UNKNOWN', field: 'customer.colour' });
    const shape = await f.t.api('POST', '/api/v1/reports', { name: 'x', definition: { ...definition, measures: [] } });
    expect(shape.status).toBe(422);
    expect(shape.body.error.field).toBe('definition.measures');
  });

  it('runs a saved report with parameters from the query string, and an ad hoc one', async () => {
    const r = await f.t.api('GET', `/api/v1/reports/${id}/run?from=2025-01-01&to=2025-12-31`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.rows).toEqual([
      { 'customer.region.name': '华东', revenue: '200.00', orders: 1, $totals: [] },
      { 'customer.region.name': '华南', revenue: '100.00', orders: 1, $totals: [] },
      { 'customer.region.name': null, revenue: '300.00', orders: 2, $totals: ['customer.region.name'] },
    ]);
    expect(r.body.columns.map((c: { key: string; kind: string }) => [c.key, c.kind])).toEqual([['customer.region.name', 'dimension'], ['revenue', 'measure'], ['orders', 'measure']]);
    const adhoc = await f.t.api('POST', '/api/v1/reports/run', { definition: { source: 'rpt_order', measures: [{ name: 'n', fn: 'count_distinct', field: 'customer' }] } });
    expect(adhoc.body.rows).toEqual([{ n: 3 }]);
    const bad = await f.t.api('GET', `/api/v1/reports/${id}/run?from=yesterday`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('from');
  });

  it('drills down from a cell to a filter the records API takes', async () => {
    const cell = encodeURIComponent(JSON.stringify({ 'customer.region.name': '华南' }));
    const d = await f.t.api('GET', `/api/v1/reports/${id}/drill?cell=${cell}&measure=revenue`);
    expect(d.status, JSON.stringify(d.body)).toBe(200);
    const list = await f.t.api('GET', `/api/v1/records/${d.body.object}?filter=${encodeURIComponent(JSON.stringify(d.body.filter))}&fields=amount&sort=amount`);
    expect(list.body.data.map((r: { amount: string }) => r.amount)).toEqual(['50.00', '150.00', '250.00', '300.00']);
  });

  it('forecasts a monthly series with its back-test error', async () => {
    const monthly = await f.t.api('POST', '/api/v1/reports', {
      name: '月度销售', definition: { source: 'rpt_order', rows: [{ field: 'order_date', bucket: 'month' }], measures: [{ name: 'revenue', fn: 'sum', field: 'amount' }] },
    });
    const r = await f.t.api('GET', `/api/v1/reports/${monthly.body.id}/forecast?periods=3`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.history).toHaveLength(15); // 2025-01 … 2026-03, empty months as 0
    expect(r.body.history[1]).toEqual({ period: '2025-02-01', value: 200 });
    expect(r.body.history[2]).toEqual({ period: '2025-03-01', value: 0 });
    expect(r.body.forecast.map((p: { period: string }) => p.period)).toEqual(['2026-04-01', '2026-05-01', '2026-06-01']);
    expect(r.body).toMatchObject({ model: 'holt_linear', measure: 'revenue', bucket: 'month', holdout: 3 });
    for (const p of r.body.forecast) expect(p.lo).toBeLessThanOrEqual(p.value);
    const notSeries = await f.t.api('GET', `/api/v1/reports/${id}/forecast`);
    expect(notSeries.status).toBe(400);
  });

  it('exports the result as an Excel workbook', async () => {
    const res = await f.t.app.inject({ method: 'GET', url: `/api/v1/reports/${id}/export.xlsx`, headers: { authorization: `Bearer ${f.t.adminToken}` } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as never);
    const rows = wb.worksheets[0].getSheetValues().slice(1).map((r) => (r as unknown[]).slice(1));
    expect(rows).toEqual([['区域', '销售额', '订单数'], ['华东', 400, 1], ['华南', 750, 4], ['合计', 1150, 5]]);
  });
});
