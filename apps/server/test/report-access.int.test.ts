import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '@mosaic/kernel';
import { drillFilter, renderReportXlsx, reportSql, runReport } from '@mosaic/reporting';
import { listRecords } from '@mosaic/records';
import { createReportFixture, ownRecordsGuard, setOwner, type ReportFixture } from './report-fixture.ts';

// Reports run through the one enforcement layer: record scopes change totals,
// fields a user may not read are refused, drill-down gives the records behind a number.
let f: ReportFixture;
const userA = newId();
const userB = newId();
beforeAll(async () => {
  f = await createReportFixture();
  // 2026 orders: A owns the January ones, B the rest.
  await setOwner(f, 'o_rpt_order', f.orderIds.slice(2, 4), userA);
  await setOwner(f, 'o_rpt_order', f.orderIds.slice(4), userB);
});
afterAll(async () => {
  await f?.t.close();
});

const total = { source: 'rpt_order', measures: [{ name: 'revenue', fn: 'sum', field: 'amount' }, { name: 'orders', fn: 'count' }] };

describe('reports and access', () => {
  it('gives two users with different record scopes different totals from one report', async () => {
    const admin = await runReport(f.ctx(), total);
    const a = await runReport(f.ctx(ownRecordsGuard(f.actor(userA))), total);
    const b = await runReport(f.ctx(ownRecordsGuard(f.actor(userB))), total);
    expect(admin.rows).toEqual([{ revenue: '1450.00', orders: 7 }]);
    expect(a.rows).toEqual([{ revenue: '450.00', orders: 2 }]);
    expect(b.rows).toEqual([{ revenue: '700.00', orders: 3 }]);
    const q = await reportSql(f.ctx(ownRecordsGuard(f.actor(userA))), total);
    expect(q.sql).toContain('WHERE ("t"."owner_id" = $1::uuid)');
    expect(q.parameters[0]).toBe(userA);
  });

  it('refuses grouping, measuring or filtering on a field the user may not read (400 FIELD_FORBIDDEN)', async () => {
    const guard = ownRecordsGuard(f.actor(userA), ['cost']);
    const cases = [
      { ...total, measures: [{ name: 'c', fn: 'sum', field: 'cost' }] },
      { ...total, rows: [{ field: 'cost' }] },
      { ...total, filter: { cost: { gt: 1 } } },
      { ...total, measures: [{ name: 'n', fn: 'count', filter: { cost: { gt: 1 } } }] },
    ];
    for (const def of cases) {
      await expect(runReport(f.ctx(guard), def)).rejects.toMatchObject({ code: 'FIELD_FORBIDDEN', status: 400, field: 'cost' });
    }
    await expect(runReport(f.ctx(guard), { ...total, rows: [{ field: 'customer.region.name' }] })).resolves.toBeTruthy();
  });

  it('refuses the workbook of a report to a user who may read but not export its source (403 naming the right)', async () => {
    const noExport = { ...ownRecordsGuard(f.actor(userA)), can: (_o: unknown, action: string) => action !== 'export' } as ReturnType<typeof ownRecordsGuard>;
    await expect(renderReportXlsx(f.ctx(noExport), total)).rejects.toMatchObject({ code: 'FORBIDDEN', status: 403, details: { object: 'rpt_order', action: 'export' } });
    expect((await renderReportXlsx(f.ctx(ownRecordsGuard(f.actor(userA))), total)).subarray(0, 2).toString()).toBe('PK');
  });

  it('substitutes report parameters; an optional parameter left empty drops its condition', async () => {
    const def = {
      ...total, params: [{ name: 'region', type: 'text' }, { name: 'min', type: 'number', default: 0 }],
      filter: { and: [{ field: 'customer.region.code', op: 'eq', value: { var: '$param.region' } }, { field: 'amount', op: 'gte', value: { var: '$param.min' } }] },
    };
    expect((await runReport(f.ctx(), def, { region: 'east' })).rows).toEqual([{ revenue: '600.00', orders: 2 }]);
    expect((await runReport(f.ctx(), def, { region: 'south', min: '200' })).rows).toEqual([{ revenue: '550.00', orders: 2 }]);
    expect((await runReport(f.ctx(), def, {})).rows).toEqual([{ revenue: '1450.00', orders: 7 }]);
    await expect(runReport(f.ctx(), def, { min: 'lots' })).rejects.toMatchObject({ code: 'BAD_REQUEST', field: 'min' });
    const required = { ...def, params: [{ name: 'region', type: 'text', required: true }, { name: 'min', type: 'number' }] };
    await expect(runReport(f.ctx(), required, {})).rejects.toMatchObject({ code: 'BAD_REQUEST', field: 'region' });
    const period = { ...total, params: [{ name: 'from', type: 'date', required: true }, { name: 'to', type: 'date', required: true }], period: { field: 'order_date', from: { var: '$param.from' }, to: { var: '$param.to' } } };
    expect((await runReport(f.ctx(), period, { from: '2025-01-01', to: '2025-12-31' })).rows).toEqual([{ revenue: '300.00', orders: 2 }]);
  });

  it('sorts and keeps the top N, with subtotals kept beside them', async () => {
    const top = { ...total, rows: [{ field: 'customer.name' }], sort: [{ by: 'revenue', desc: true }], limit: 2 };
    expect((await runReport(f.ctx(), top)).rows.map((r) => [r['customer.name'], r.revenue])).toEqual([['A', '450.00'], ['C', '600.00']].sort((x, y) => Number(y[1]) - Number(x[1])));
    const withTotal = await runReport(f.ctx(), { ...top, totals: true, limit: 1 });
    expect(withTotal.rows.map((r) => [r['customer.name'], r.revenue, r.$totals])).toEqual([['C', '600.00', []], [null, '1450.00', ['customer.name']]]);
  });

  it('groups by a link with the linked record\'s title beside its id', async () => {
    const r = await runReport(f.ctx(), { ...total, rows: [{ field: 'customer' }] });
    expect(r.rows.map((x) => [x.customer, x['customer$title'], x.revenue])).toEqual(
      [[f.customerIds.A, 'A', '450.00'], [f.customerIds.B, 'B', '400.00'], [f.customerIds.C, 'C', '600.00']].sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    );
  });

  it('drills from a pivot cell and from a previous-period cell to exactly their records', async () => {
    const def = {
      source: 'rpt_order', period: { field: 'order_date', from: '2026-01-01', to: '2026-02-28' }, compare: 'previous_year',
      rows: [{ field: 'customer.region.name' }], columns: [{ field: 'order_date', bucket: 'month' }], measures: [{ name: 'revenue', fn: 'sum', field: 'amount' }],
    };
    const cell = { 'customer.region.name': '华南', 'order_date:month': '2026-01-01' };
    const cur = await drillFilter(f.ctx(), def, {}, cell, 'revenue');
    expect(cur.filter).toEqual({ and: [
      { field: 'order_date', op: 'between', value: ['2026-01-01', '2026-02-28'] },
      { field: 'customer.region.name', op: 'eq', value: '华南' },
      { field: 'order_date', op: 'between', value: ['2026-01-01', '2026-01-31'] },
    ] });
    const list = await listRecords(f.ctx(), cur.object, { filter: cur.filter, fields: ['amount'], sort: 'amount' });
    expect(list.data.map((r) => r.amount)).toEqual(['150.00', '300.00']);
    const prev = await drillFilter(f.ctx(), def, {}, cell, 'revenue$prev');
    const prevList = await listRecords(f.ctx(), prev.object, { filter: prev.filter, fields: ['amount', 'order_date'] });
    expect(prevList.data.map((r) => [r.order_date, r.amount])).toEqual([['2025-01-10', '100.00']]);
    await expect(drillFilter(f.ctx(), def, {}, { nope: 1 })).rejects.toMatchObject({ code: 'BAD_REQUEST', field: 'cell' });
  });

  it('refuses definitions that cannot work, naming what is wrong', async () => {
    const bad: [unknown, string, string][] = [
      [{ ...total, measures: [{ name: 'x', fn: 'sum', field: 'customer' }] }, 'BAD_REQUEST', 'measures.0.field'],
      [{ ...total, rows: [{ field: 'amount', bucket: 'month' }] }, 'BAD_REQUEST', 'amount'],
      [{ ...total, measures: [{ name: 'x', formula: 'revenue / nope' }] }, 'FIELD_UNKNOWN', 'x'],
      [{ ...total, measures: [{ name: 'x', formula: 'y' }, { name: 'y', formula: 'x' }] }, 'FORMULA_TYPE', 'x'],
      [{ ...total, sort: [{ by: 'amount' }] }, 'SORT_INVALID', 'sort.0.by'],
      [{ ...total, compare: 'previous_year' }, 'BAD_REQUEST', 'compare'],
      [{ ...total, rows: [{ field: 'nope' }] }, 'FIELD_UNKNOWN', 'nope'],
      [{ ...total, measures: [{ name: 'x', fn: 'median', field: 'amount' }] }, 'VALIDATION_FAILED', 'measures.0'],
      [{ ...total, source: 'nothing_here' }, 'OBJECT_UNKNOWN', 'object'],
    ];
    for (const [def, code, field] of bad) {
      await expect(runReport(f.ctx(), def), JSON.stringify(def)).rejects.toMatchObject({ code, field: expect.stringContaining(field) });
    }
  });
});
