import { lazy, Suspense } from 'react';
import { Skeleton, Statistic, Table } from 'antd';
import type { ObjectMeta } from '../../api/types.ts';
import { labelOf, useLang } from '../../i18n/index.ts';
import { formatNumber } from '../../lib/format.ts';
import { cellText, num, type ReportResult } from './reports-api.ts';
import type { ChartKind } from '../../components/EChart.tsx';

const EChart = lazy(() => import('../../components/EChart.tsx'));

export type Display = ChartKind | 'table' | 'kpi';

/** A report result as a table, a KPI figure or a chart; select values show their labels. */
export function ReportView({ result, display, obj, height }: { result: ReportResult; display: Display; obj: ObjectMeta | undefined; height?: number }) {
  const lang = useLang();
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
    return <Statistic title={m ? colLabel(m) : ''} value={formatNumber(value, lang)} data-testid="kpi" />;
  }
  if (display === 'table' || !dims.length) {
    return (
      <Table size="small" rowKey={(_, i) => String(i)} pagination={false} dataSource={result.rows} scroll={{ x: 'max-content', y: height }} data-testid="report-table"
        rowClassName={(r) => ((r.$totals as string[] | undefined)?.length ? 'report-total-row' : '')}
        columns={[
          ...dims.map((d) => ({ key: d.key, title: colLabel(d), render: (_: unknown, r: Record<string, unknown>) => ((r.$totals as string[] | undefined)?.includes(d.key) ? '合计' : dimText(r, d.key)) })),
          ...measures.map((m) => ({ key: m.key, title: colLabel(m), align: 'right' as const, render: (_: unknown, r: Record<string, unknown>) => <span className="num">{formatNumber(r[m.key], lang)}</span> })),
        ]} />
    );
  }
  return (
    <Suspense fallback={<Skeleton.Node active style={{ width: '100%', height: height ?? 320 }} />}>
      <EChart kind={display} height={height} labels={detail.map(label)} series={measures.map((m) => ({ name: colLabel(m), values: detail.map((r) => num(r[m.key])) }))} />
    </Suspense>
  );
}
