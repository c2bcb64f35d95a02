import { lazy, Suspense } from 'react';
import { Alert, Skeleton, Statistic, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ObjectMeta } from '../../api/types.ts';
import { labelOf, useLang } from '../../i18n/index.ts';
import { cellText, num, type ReportResult } from './reports-api.ts';
import { niceMax } from '../../components/chart-option.ts';
import { chartMixed, figureText, reportCell, totalCell, type ReportCell } from './report-cells.ts';
import type { ChartData, ChartKind } from '../../components/chart-option.ts';

const EChart = lazy(() => import('../../components/EChart.tsx'));

export type Display = ChartKind | 'table' | 'kpi' | 'pivot';

/** The dimension values of a result row: the `cell` a drill-down asks for (total rows leave out what they total over). */
export function cellOf(result: ReportResult, row: Record<string, unknown>): Record<string, unknown> {
  const totalled = (row.$totals as string[] | undefined) ?? [];
  return Object.fromEntries(result.columns.filter((c) => c.kind === 'dimension' && !totalled.includes(c.key)).map((c) => [c.key, row[c.key] ?? null]));
}

export type DrillHandler = (cell: Record<string, unknown>, measure: string) => void;

/** A figure in its currency; a mixed one as its amounts per currency with a 混合币种 tag. */
function Figure({ cell, onClick }: { cell: ReportCell; onClick?: () => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const text = figureText(cell, lang);
  const figure = onClick ? <a className="num" data-testid="drill-figure" onClick={onClick}>{text}</a> : <span className="num">{text}</span>;
  return cell.mixed ? <>{figure} <Tag color="orange" data-testid="mixed-currencies" title={t('reportCurrency.mixedHint')}>{t('reportCurrency.mixed')}</Tag></> : figure;
}

/**
 * A report result as a table, a KPI figure or a chart; select values show their labels.
 * With `onDrill`, clicking a figure (a bar, a point, a slice, a table number, the KPI) asks for the records behind it.
 */
export function ReportView({ result, display, obj, height, options, onDrill }: {
  result: ReportResult; display: Display; obj: ObjectMeta | undefined; height?: number;
  /** The widget's chart options (a gauge's min / max). */
  options?: Record<string, unknown>;
  onDrill?: DrillHandler;
}) {
  const lang = useLang();
  const { t } = useTranslation();
  const dims = result.columns.filter((c) => c.kind === 'dimension');
  const measures = result.columns.filter((c) => c.kind === 'measure');
  const detail = result.rows.filter((r) => !(r.$totals as string[] | undefined)?.length);
  const colLabel = (c: ReportResult['columns'][number]) => (c.label ? labelOf(c.label, lang) : c.key);
  const dimText = (r: Record<string, unknown>, key: string) => {
    const f = obj?.fields.find((x) => x.apiName === dims.find((d) => d.key === key)?.field);
    const opt = f?.config.options?.find((o) => o.value === r[key]);
    return opt ? labelOf(opt.label, lang) : cellText(r, key);
  };
  if (display === 'kpi') {
    const m = measures[0];
    const total = m ? totalCell(result, detail, m.key) : { value: null, mixed: false };
    const figure = <Statistic title={m ? colLabel(m) : ''} value={figureText(total, lang)} data-testid="kpi"
      suffix={total.mixed ? <Tag color="orange" data-testid="mixed-currencies" title={t('reportCurrency.mixedHint')}>{t('reportCurrency.mixed')}</Tag> : undefined} />;
    return onDrill && m ? <div role="button" style={{ cursor: 'pointer' }} onClick={() => onDrill({}, m.key)}>{figure}</div> : figure;
  }
  if (result.pivot && (display === 'table' || display === 'pivot')) {
    // Rows × columns, as the server laid them out: one column per column-dimension value (and measure), totals after their group.
    const p = { ...result.pivot, measures: result.pivot.measures.filter((m) => measures.some((x) => x.key === m)) }; // not the comparison's $prev
    const text = (h: { values: unknown[]; titles: unknown[] }, keys: string[], i: number) =>
      (h.values[i] === null ? '合计' : dimText({ [keys[i]]: h.values[i], [`${keys[i]}$title`]: h.titles[i] ?? undefined }, keys[i]));
    const headerText = (h: { values: unknown[]; titles: unknown[] }) => h.values.map((_, i) => text(h, p.colKeys, i)).join(' / ');
    const figure = (ri: number, ci: number, m: string) =>
      <Figure cell={reportCell(p.cells[ri][ci], m)} onClick={onDrill ? () => onDrill({ ...p.rows[ri].cell, ...p.columns[ci].cell }, m) : undefined} />;
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
          ...measures.map((m) => ({ key: m.key, title: colLabel(m), align: 'right' as const, render: (_: unknown, r: Record<string, unknown>) =>
            <Figure cell={reportCell(r, m.key)} onClick={onDrill ? () => onDrill(cellOf(result, r), m.key) : undefined} /> })),
        ]} />
    );
  }
  // A chart has one unit per axis: figures mixed or in different currencies are not drawn as if they were one.
  if (chartMixed(detail, measures.map((m) => m.key), display === 'gauge' && measures[0] ? totalCell(result, detail, measures[0].key) : undefined)) {
    return <Alert type="warning" showIcon data-testid="chart-mixed" message={t('reportCurrency.chartMixed')} />;
  }
  const chart = chartDataOf(display as ChartKind, result, detail, dimText, colLabel, options);
  return (
    <Suspense fallback={<Skeleton.Node active style={{ width: '100%', height: height ?? 320 }} />}>
      <EChart kind={display as ChartKind} height={height} data={chart.data}
        onPick={onDrill ? (i, s) => { const p = chart.pick(i, s); if (p) onDrill(p.cell, p.measure); } : undefined} />
    </Suspense>
  );
}

type Row = Record<string, unknown>;

/**
 * What a chart draws of a result, and which cell and measure a clicked point stands for.
 * A stacked bar with two or more dimensions stacks the first measure by the other dimensions; a scatter
 * with two measures plots them against each other; a gauge shows the first measure's total.
 */
export function chartDataOf(kind: ChartKind, result: ReportResult, detail: Row[], dimText: (r: Row, key: string) => string, colLabel: (c: ReportResult['columns'][number]) => string,
  options?: Record<string, unknown>): { data: ChartData; pick: (index: number, series: number) => { cell: Record<string, unknown>; measure: string } | null } {
  const dims = result.columns.filter((c) => c.kind === 'dimension');
  const measures = result.columns.filter((c) => c.kind === 'measure');
  const label = (r: Row) => dims.map((d) => dimText(r, d.key)).join(' / ') || '—';
  const byRow = (i: number, s: number) => (detail[i] && measures[s] ? { cell: cellOf(result, detail[i]), measure: measures[s].key } : null);
  const m = measures[0];
  if (kind === 'gauge' && m) {
    const value = num(totalCell(result, detail, m.key).value);
    const bound = (k: string) => (typeof options?.[k] === 'number' ? (options[k] as number) : undefined);
    const min = bound('min') ?? 0;
    // A ratio (on-time rate, SLA attainment) reads as a percentage of 1; any other figure against its own or a round bound.
    const percent = bound('max') === undefined && value >= 0 && value <= 1;
    const max = bound('max') ?? (percent ? 1 : niceMax(value));
    return { data: { labels: [], series: [], gauge: { name: colLabel(m), value, min, max, percent } }, pick: () => ({ cell: {}, measure: m.key }) };
  }
  if (kind === 'scatter' && measures.length >= 2) {
    const [x, y] = measures;
    return {
      data: { labels: detail.map(label), series: [], xy: { xName: colLabel(x), yName: colLabel(y), points: detail.map((r) => [num(r[x.key]), num(r[y.key])]) } },
      pick: (i) => byRow(i, 1),
    };
  }
  if (kind === 'map_china' && dims.length && m) {
    // Provinces are the first dimension; the others (a month, say) add up within each province.
    const first = dims[0].key;
    return {
      data: { labels: detail.map((r) => dimText(r, first)), series: [{ name: colLabel(m), values: detail.map((r) => num(r[m.key])) }] },
      pick: (i) => (detail[i] ? { cell: { [first]: detail[i][first] ?? null }, measure: m.key } : null),
    };
  }
  if (kind === 'stacked_bar' && dims.length >= 2 && m) {
    // Categories: the first dimension's values; stacks: the rest's, in the order they come.
    const catOf = (r: Row) => dimText(r, dims[0].key);
    const stackOf = (r: Row) => dims.slice(1).map((d) => dimText(r, d.key)).join(' / ');
    const cats = [...new Set(detail.map(catOf))];
    const stacks = [...new Set(detail.map(stackOf))];
    const at = new Map(detail.map((r) => [`${catOf(r)}\u0000${stackOf(r)}`, r]));
    return {
      data: { labels: cats, series: stacks.map((st) => ({ name: st, values: cats.map((c) => num(at.get(`${c}\u0000${st}`)?.[m.key])) })) },
      pick: (i, s) => {
        const r = at.get(`${cats[i]}\u0000${stacks[s]}`);
        return r ? { cell: cellOf(result, r), measure: m.key } : null;
      },
    };
  }
  return { data: { labels: detail.map(label), series: measures.map((x) => ({ name: colLabel(x), values: detail.map((r) => num(r[x.key])) })) }, pick: byRow };
}
