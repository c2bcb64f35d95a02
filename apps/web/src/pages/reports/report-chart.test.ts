import { describe, expect, it } from 'vitest';
import { chartDataOf } from './report-chart.ts';
import type { ReportResult } from './reports-api.ts';

// What the cockpit's charts draw: the gauge its headline measure, a comparison beside this year's figures,
// and a month with no figure as a gap rather than a zero.
const text = (r: Record<string, unknown>, key: string) => String(r[key]);
const label = (c: { key: string }) => c.key;

describe('chart data of a report', () => {
  it('draws a gauge of the measure the widget names, not the first helper measure', () => {
    const result: ReportResult = { truncated: false, columns: [{ key: 'deliveries', kind: 'measure' }, { key: 'on_time', kind: 'measure' }, { key: 'rate', kind: 'measure' }],
      rows: [{ deliveries: 32, on_time: 24, rate: '0.75' }] };
    const shown = chartDataOf('gauge', result, result.rows, text, label, undefined, { headline: 'rate' });
    expect(shown.data.gauge).toMatchObject({ name: 'rate', value: 0.75, percent: true, max: 1 });
    expect(shown.pick(0, 0)).toEqual({ cell: {}, measure: 'rate' });
    expect(chartDataOf('gauge', result, result.rows, text, label).data.gauge).toMatchObject({ name: 'deliveries', value: 32 }); // no headline: the first
  });

  it('draws last year beside this year, and months without a figure as gaps', () => {
    const rows = [
      { m: '2026-10-01', revenue: '67108.80', revenue$prev: '50000.00' },
      { m: '2026-11-01', revenue: '42520.50', revenue$prev: null },
      { m: '2026-12-01', revenue: null, revenue$prev: '45330.30' },
    ];
    const result: ReportResult = { truncated: false, columns: [{ key: 'm', kind: 'dimension' }, { key: 'revenue', kind: 'measure' }], rows };
    const { data, pick } = chartDataOf('line', result, rows, text, label, undefined, { previous: '去年同期' });
    expect(data.series).toEqual([
      { name: 'revenue', values: [67108.8, 42520.5, null] },
      { name: 'revenue（去年同期）', values: [50000, null, 45330.3], dashed: true },
    ]);
    expect(pick(2, 1)).toEqual({ cell: { m: '2026-12-01' }, measure: 'revenue' });
    // Without a comparison: one series per measure, as before.
    expect(chartDataOf('bar', result, rows, text, label).data.series.map((s) => s.name)).toEqual(['revenue']);
  });
});
