import { lazy, Suspense } from 'react';
import { Alert, Skeleton, Statistic, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ObjectMeta } from '../../api/types.ts';
import { labelOf, useLang } from '../../i18n/index.ts';
import { cellText, type ReportResult, type ResultColumn } from './reports-api.ts';
import { cellOf, chartDataOf } from './report-chart.ts';
import { bucketText, chartMixed, comparisonOf, figureText, previousLabel, reportCell, totalCell, type ReportCell } from './report-cells.ts';
import type { ChartKind } from '../../components/chart-option.ts';

const EChart = lazy(() => import('../../components/EChart.tsx'));

export type Display = ChartKind | 'table' | 'kpi' | 'pivot';

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
export function ReportView({ result, display, obj, height, options, measure, onDrill }: {
  result: ReportResult; display: Display; obj: ObjectMeta | undefined; height?: number;
  /** The widget's chart options (a gauge's min / max). */
  options?: Record<string, unknown>;
  /** The measure a kpi or gauge shows (the widget's `measure`; default the first). */
  measure?: string;
  onDrill?: DrillHandler;
}) {
  const lang = useLang();
  const { t } = useTranslation();
  const dims = result.columns.filter((c) => c.kind === 'dimension');
  const measures = result.columns.filter((c) => c.kind === 'measure');
  const detail = result.rows.filter((r) => !(r.$totals as string[] | undefined)?.length);
  const colLabel = (c: ReportResult['columns'][number]) => (c.label ? labelOf(c.label, lang) : c.key);
  const dimText = (r: Record<string, unknown>, key: string) => {
    const dim = dims.find((d) => d.key === key);
    const f = obj?.fields.find((x) => x.apiName === dim?.field);
    const opt = f?.config.options?.find((o) => o.value === r[key]);
    return opt ? labelOf(opt.label, lang) : (dim?.bucket && bucketText(r[key], dim.bucket)) || cellText(r, key);
  };
  const cell = (r: Record<string, unknown>, m: ResultColumn) => reportCell(r, m.key, m);
  const compared = previousLabel(result);
  if (display === 'kpi') {
    return <KpiFigure result={result} detail={detail} head={measures.find((x) => x.key === measure) ?? measures[0]} rest={measure ? [] : measures.slice(1)}
      colLabel={colLabel} onDrill={onDrill} />;
  }
  if (result.pivot && (display === 'table' || display === 'pivot')) {
    // Rows × columns, as the server laid them out: one column per column-dimension value (and measure), totals after their group.
    const p = { ...result.pivot, measures: result.pivot.measures.filter((m) => measures.some((x) => x.key === m)) }; // not the comparison's $prev
    const text = (h: { values: unknown[]; titles: unknown[] }, keys: string[], i: number) =>
      (h.values[i] === null ? '合计' : dimText({ [keys[i]]: h.values[i], [`${keys[i]}$title`]: h.titles[i] ?? undefined }, keys[i]));
    const headerText = (h: { values: unknown[]; titles: unknown[] }) => h.values.map((_, i) => text(h, p.colKeys, i)).join(' / ');
    const figure = (ri: number, ci: number, m: string) =>
      <Figure cell={reportCell(p.cells[ri][ci], m, measures.find((x) => x.key === m))} onClick={onDrill ? () => onDrill({ ...p.rows[ri].cell, ...p.columns[ci].cell }, m) : undefined} />;
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
  if (display === 'table' || display === 'pivot' || (!dims.length && display !== 'gauge')) {
    // With a comparison each measure also shows the previous period's figure, the change and the change in percent.
    const sideColumns = (m: ResultColumn) => (!compared ? [] : [
      { key: `${m.key}$prev`, title: `${colLabel(m)}（${t(`reportCompare.${compared}`)}）`, align: 'right' as const, render: (_: unknown, r: Record<string, unknown>) => <Figure cell={reportCell(r, `${m.key}$prev`, m)} /> },
      { key: `${m.key}$delta`, title: `${colLabel(m)} Δ`, align: 'right' as const, render: (_: unknown, r: Record<string, unknown>) => <Figure cell={reportCell(r, `${m.key}$delta`, m)} /> },
      { key: `${m.key}$deltaPct`, title: `${colLabel(m)} Δ%`, align: 'right' as const, render: (_: unknown, r: Record<string, unknown>) => <Change row={r} m={m} /> },
    ]);
    return (
      <Table size="small" rowKey={(_, i) => String(i)} pagination={false} dataSource={result.rows} scroll={{ x: 'max-content', y: height }} data-testid="report-table"
        rowClassName={(r) => ((r.$totals as string[] | undefined)?.length ? 'report-total-row' : '')}
        columns={[
          ...dims.map((d) => ({ key: d.key, title: colLabel(d), render: (_: unknown, r: Record<string, unknown>) => ((r.$totals as string[] | undefined)?.includes(d.key) ? '合计' : dimText(r, d.key)) })),
          ...measures.flatMap((m) => [{ key: m.key, title: colLabel(m), align: 'right' as const, render: (_: unknown, r: Record<string, unknown>) =>
            <Figure cell={cell(r, m)} onClick={onDrill ? () => onDrill(cellOf(result, r), m.key) : undefined} /> }, ...sideColumns(m)]),
        ]} />
    );
  }
  // A chart has one unit per axis: figures mixed or in different currencies are not drawn as if they were one.
  const gaugeOf = measures.find((x) => x.key === measure) ?? measures[0];
  if (chartMixed(detail, measures.map((m) => m.key), display === 'gauge' && gaugeOf ? totalCell(result, detail, gaugeOf.key) : undefined)) {
    return <Alert type="warning" showIcon data-testid="chart-mixed" message={t('reportCurrency.chartMixed')} />;
  }
  const chart = chartDataOf(display as ChartKind, result, detail, dimText, colLabel, options, { headline: gaugeOf?.key, previous: compared ? t(`reportCompare.${compared}`) : undefined });
  return (
    <Suspense fallback={<Skeleton.Node active style={{ width: '100%', height: height ?? 320 }} />}>
      <EChart kind={display as ChartKind} height={height} data={chart.data}
        onPick={onDrill ? (i, s) => { const p = chart.pick(i, s); if (p) onDrill(p.cell, p.measure); } : undefined} />
    </Suspense>
  );
}

type Row = Record<string, unknown>;

/** A KPI: its headline figure, the change against the previous period when the report compares, and the report's other measures. */
function KpiFigure({ result, detail, head, rest, colLabel, onDrill }: {
  result: ReportResult; detail: Row[]; head: ResultColumn | undefined; rest: ResultColumn[];
  colLabel: (c: ResultColumn) => string; onDrill?: DrillHandler;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  if (!head) return null;
  const total = { ...totalCell(result, detail, head.key), ...(head.scale !== undefined ? { scale: head.scale } : {}) };
  const dims = result.columns.filter((c) => c.kind === 'dimension');
  // The row the figure is: the only row, or the grand total of a grouped report (its comparison is that row's).
  const whole = dims.length ? result.rows.find((r) => (r.$totals as string[] | undefined)?.length === dims.length) : result.rows[0];
  const side = previousLabel(result);
  const cmp = side && whole ? comparisonOf(whole, head.key, lang, head) : null;
  const up = lang === 'en' ? '#3f8600' : '#cf1322'; // 涨红跌绿 in Chinese; green for up in English
  const down = lang === 'en' ? '#cf1322' : '#3f8600';
  const figure = (
    <div data-testid="kpi-card">
      <Statistic title={colLabel(head)} value={figureText(total, lang)} data-testid="kpi"
        suffix={total.mixed ? <Tag color="orange" data-testid="mixed-currencies" title={t('reportCurrency.mixedHint')}>{t('reportCurrency.mixed')}</Tag> : undefined} />
      {cmp && (
        <div data-testid="kpi-compare" style={{ color: 'rgba(0,0,0,.45)', fontSize: 12 }}>
          {t(`reportCompare.${side}`)} {cmp.previous.value === null || cmp.previous.value === undefined ? t('reportCompare.none') : figureText(cmp.previous, lang)}
          {cmp.trend && <span data-testid="kpi-change" data-trend={cmp.trend} style={{ marginLeft: 8, color: cmp.trend === 'up' ? up : cmp.trend === 'down' ? down : undefined }}>
            {cmp.trend === 'up' ? '▲' : cmp.trend === 'down' ? '▼' : ''} {cmp.change}</span>}
        </div>
      )}
      {rest.map((m) => (
        <div key={m.key} data-testid="kpi-secondary" style={{ fontSize: 13, marginTop: 4 }}>
          <span style={{ color: 'rgba(0,0,0,.45)' }}>{colLabel(m)}</span> {figureText({ ...totalCell(result, detail, m.key), ...(m.scale !== undefined ? { scale: m.scale } : {}) }, lang)}
        </div>
      ))}
    </div>
  );
  return onDrill ? <div role="button" style={{ cursor: 'pointer' }} onClick={() => onDrill({}, head.key)}>{figure}</div> : figure;
}

/** A Δ% cell: the change with its arrow ('—' where there is none). */
function Change({ row, m }: { row: Row; m: ResultColumn }) {
  const lang = useLang();
  const c = comparisonOf(row, m.key, lang, m);
  return <span className="num" data-testid="delta-pct">{c.trend === 'up' ? '▲ ' : c.trend === 'down' ? '▼ ' : ''}{c.change}</span>;
}
