import { lazy, Suspense } from 'react';
import { Skeleton, Statistic, Table } from 'antd';
import type { ObjectMeta } from '../../api/types.ts';
import { labelOf, useLang } from '../../i18n/index.ts';
import { formatNumber } from '../../lib/format.ts';
import { cellText, num, type ReportResult } from './reports-api.ts';
import type { ChartKind } from '../../components/EChart.tsx';

const EChart = lazy(() => import('../../components/EChart.tsx'));

export type Display = ChartKind | 'table' | 'kpi' | 'pivot' | 'donut' | 'gauge' | 'area' | 'stacked_bar' | 'scatter' | 'map_china';

/**
 * The chart types the server accepts (packages/reporting CHART_TYPES) drawn with the kinds EChart has:
 * a donut is a pie, a gauge its one figure, area/scatter a line, stacked bars and the province map bars.
 */
const DRAWN_AS: Partial<Record<Display, ChartKind | 'kpi'>> = { donut: 'pie', gauge: 'kpi', area: 'line', scatter: 'line', stacked_bar: 'bar', map_china: 'bar' };

/** The dimension values of a result row: the `cell` a drill-down asks for (total rows leave out what they total over). */
export function cellOf(result: ReportResult, row: Record<string, unknown>): Record<string, unknown> {
  const totalled = (row.$totals as string[] | undefined) ?? [];
  return Object.fromEntries(result.columns.filter((c) => c.kind === 'dimension' && !totalled.includes(c.key)).map((c) => [c.key, row[c.key] ?? null]));
}

export type DrillHandler = (cell: Record<string, unknown>, measure: string) => void;

/**
 * A report result as a table, a KPI figure or a chart; select values show their labels.
 * With `onDrill`, clicking a figure (a bar, a point, a slice, a table number, the KPI) asks for the records behind it.
 */
export function ReportView({ result, display: asked, obj, height, onDrill }: { result: ReportResult; display: Display; obj: ObjectMeta | undefined; height?: number; onDrill?: DrillHandler }) {
  const lang = useLang();
  const display = DRAWN_AS[asked] ?? asked;
  const dims = result.columns.filter((c) => c.kind === 'dimension');
  const measures = result.columns.filter((c) => c.kind === 'measure');
  const detail = result.rows.filter((r) => !(r.$totals as string[] | undefined)?.length);
  const colLabel = (c: ReportResult['columns'][number]) => (c.label ? labelOf(c.label, lang) : c.key);
  const dimText = (r: Record<string, unknown>, key: string) => {
    const f = obj?.fields.find((x) => x.apiName === dims.find((d) => d.key === key)?.field);
    const opt = f?.config.options?.find((o) => o.value === r[key]);
    return opt ? labelOf(opt.label, lang) : cellText(r, key);
  };
  const label = (r: Record<string, unknown>) => dims.map((d) => dimText(r, d.key)).join(' / ') || '—';

  if (display === 'kpi') {
    const m = measures[0];
    const total = result.rows.find((r) => (r.$totals as string[] | undefined)?.length === dims.length) ?? (dims.length ? null : result.rows[0]);
    const value = total ? total[m.key] : detail.reduce((s, r) => s + num(r[m.key]), 0);
    const figure = <Statistic title={m ? colLabel(m) : ''} value={formatNumber(value, lang)} data-testid="kpi" />;
    return onDrill && m ? <div role="button" style={{ cursor: 'pointer' }} onClick={() => onDrill({}, m.key)}>{figure}</div> : figure;
  }
  if (result.pivot && (display === 'table' || display === 'pivot')) {
    // Rows × columns, as the server laid them out: one column per column-dimension value (and measure), totals after their group.
    const p = { ...result.pivot, measures: result.pivot.measures.filter((m) => measures.some((x) => x.key === m)) }; // not the comparison's $prev
    const text = (h: { values: unknown[]; titles: unknown[] }, keys: string[], i: number) =>
      (h.values[i] === null ? '合计' : dimText({ [keys[i]]: h.values[i], [`${keys[i]}$title`]: h.titles[i] ?? undefined }, keys[i]));
    const headerText = (h: { values: unknown[]; titles: unknown[] }) => h.values.map((_, i) => text(h, p.colKeys, i)).join(' / ');
    const figure = (ri: number, ci: number, m: string) => {
      const v = formatNumber(p.cells[ri][ci][m], lang);
      return onDrill ? <a className="num" data-testid="drill-figure" onClick={() => onDrill({ ...p.rows[ri].cell, ...p.columns[ci].cell }, m)}>{v}</a> : <span className="num">{v}</span>;
    };
    const data = p.rows.map((r, ri) => ({ ri, r }));
    return (
      <Table size="small" rowKey="ri" pagination={false} dataSource={data} scroll={{ x: 'max-content', y: height }} data-testid="pivot-table" bordered
        rowClassName={(x) => (x.r.total ? 'report-total-row' : '')}
        columns={[
          ...p.rowKeys.map((k, i) => ({ key: k, title: colLabel(dims.find((d) => d.key === k)!), render: (_: unknown, x: (typeof data)[number]) => text(x.r, p.rowKeys, i) })),
          ...p.columns.map((c, ci) => (p.measures.length === 1
            ? { key: `c${ci}`, title: headerText(c), align: 'right' as const, render: (_: unknown, x: (typeof data)[number]) => figure(x.ri, ci, p.measures[0]) }
            : { key: `c${ci}`, title: headerText(c), children: p.measures.map((m) => ({ key: `c${ci}.${m}`, title: colLabel(measures.find((x) => x.key === m)!), align: 'right' as const, render: (_: unknown, x: (typeof data)[number]) => figure(x.ri, ci, m) })) })),
        ]} />
    );
  }
  if (display === 'table' || display === 'pivot' || !dims.length) {
    return (
      <Table size="small" rowKey={(_, i) => String(i)} pagination={false} dataSource={result.rows} scroll={{ x: 'max-content', y: height }} data-testid="report-table"
        rowClassName={(r) => ((r.$totals as string[] | undefined)?.length ? 'report-total-row' : '')}
        columns={[
          ...dims.map((d) => ({ key: d.key, title: colLabel(d), render: (_: unknown, r: Record<string, unknown>) => ((r.$totals as string[] | undefined)?.includes(d.key) ? '合计' : dimText(r, d.key)) })),
          ...measures.map((m) => ({ key: m.key, title: colLabel(m), align: 'right' as const, render: (_: unknown, r: Record<string, unknown>) => (onDrill
            ? <a className="num" data-testid="drill-figure" onClick={() => onDrill(cellOf(result, r), m.key)}>{formatNumber(r[m.key], lang)}</a>
            : <span className="num">{formatNumber(r[m.key], lang)}</span>) })),
        ]} />
    );
  }
  return (
    <Suspense fallback={<Skeleton.Node active style={{ width: '100%', height: height ?? 320 }} />}>
      <EChart kind={display as ChartKind} height={height} labels={detail.map(label)} series={measures.map((m) => ({ name: colLabel(m), values: detail.map((r) => num(r[m.key])) }))}
        onPick={onDrill ? (i, s) => detail[i] && measures[s] && onDrill(cellOf(result, detail[i]), measures[s].key) : undefined} />
    </Suspense>
  );
}
