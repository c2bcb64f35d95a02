import { useMemo, useState } from 'react';
import { Card, DatePicker, Space, Statistic, Tabs } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useRecordList } from '../../api/records.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorState, TableSkeleton } from '../../components/States.tsx';
import { useLang } from '../../i18n/index.ts';
import { formatPercent } from '../../lib/format.ts';
import { ReportView } from '../reports/ReportView.tsx';
import type { ReportResult } from '../reports/reports-api.ts';
import { useProductionReport, type ProductionReport } from './mfg-api.ts';
import {
  loadResult, progressResult, scrapResult, shortageResult, workshopResult,
  type LoadReply, type ProgressReply, type ScrapReply, type ShortageReply, type WorkshopReply,
} from './production-reports.ts';

type Range = { from?: string; to?: string };
const TABS: ProductionReport[] = ['production-progress', 'workshop-progress', 'scrap-rate', 'workstation-load', 'material-shortages'];
/** The tab's title: the workshop tab's string is the web pages part's (i18n/parts/webpages.*). */
const tabLabel = (r: ProductionReport) => (r === 'workshop-progress' ? 'webpages.workshop.tab' : `mfgweb.reports.${r}`);

/**
 * 生产报表: the module's shipped reports (progress and on-time rate, scrap
 * rate, workstation load vs capacity by week, material shortages, progress per
 * workshop), drawn by the report engine's own `ReportView`. The tab is in the
 * URL (?r=), so a report can be linked to; the date range filters all but the
 * shortages, which are as of now, and the workshops, late as of the range's end.
 */
export default function ProductionReportsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const tab = TABS.find((x) => x === params.get('r')) ?? TABS[0];
  const dates: Range = { from: range?.[0]?.format('YYYY-MM-DD'), to: range?.[1]?.format('YYYY-MM-DD') };
  const body = (r: ProductionReport) => {
    if (r !== tab) return null; // only the open tab asks the server
    if (r === 'production-progress') return <Progress range={dates} />;
    if (r === 'workshop-progress') return <Workshops range={dates} />;
    if (r === 'scrap-rate') return <Scrap range={dates} />;
    if (r === 'workstation-load') return <Load range={dates} />;
    return <Shortages />;
  };
  return (
    <div>
      <PageHeader title={t('mfgweb.reports.title')} extra={
        <DatePicker.RangePicker value={range} onChange={(v) => setRange(v)} allowEmpty={[true, true]} data-testid="mfg-report-range" style={{ maxWidth: '100%' }} />
      } />
      <div className="page-card">
        <Tabs activeKey={tab} onChange={(k) => setParams({ r: k }, { replace: true })} data-testid="mfg-report-tabs"
          items={TABS.map((r) => ({ key: r, label: t(tabLabel(r)), children: body(r) }))} />
      </div>
    </div>
  );
}

/** A report reply once loaded, through its adapter; loading and errors as every page shows them. */
function useResult<T>(report: ProductionReport, range: Range, adapt: (reply: T) => ReportResult) {
  const q = useProductionReport<T>(report, range);
  const result = useMemo(() => (q.data ? adapt(q.data) : null), [q.data, adapt]);
  const state = q.isError ? <ErrorState error={q.error} onRetry={() => void q.refetch()} /> : !result ? <TableSkeleton rows={5} /> : null;
  return { data: q.data, result, state };
}

function Progress({ range }: { range: Range }) {
  const { t } = useTranslation();
  const lang = useLang();
  const adapt = useMemo(() => (r: ProgressReply) => progressResult(r, t), [t]);
  const { data, result, state } = useResult('production-progress', range, adapt);
  if (state) return state;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <div data-testid="mfg-on-time-rate"><Statistic title={t('mfgweb.reports.onTimeRate')} value={data!.onTimeRate === null ? '—' : formatPercent(data!.onTimeRate, lang)} /></div>
      <ReportView result={result!} display="table" obj={undefined} />
    </Space>
  );
}

function Workshops({ range }: { range: Range }) {
  const { t } = useTranslation();
  const adapt = useMemo(() => (r: WorkshopReply) => workshopResult(r, t), [t]);
  const { data, result, state } = useResult('workshop-progress', range, adapt);
  if (state) return state;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <span data-testid="mfg-workshop-as-of">{t('webpages.workshop.asOf', { date: data!.asOf })}</span>
      <div data-testid="mfg-workshop-progress"><ReportView result={result!} display="table" obj={undefined} /></div>
    </Space>
  );
}

function Scrap({ range }: { range: Range }) {
  const { t } = useTranslation();
  const adaptItems = useMemo(() => (r: ScrapReply) => scrapResult(r.byItem, 'mfg.item', t), [t]);
  const { data, result, state } = useResult('scrap-rate', range, adaptItems);
  const byWorkstation = useMemo(() => (data ? scrapResult(data.byWorkstation, 'mfgweb.canTake.workstation', t) : null), [data, t]);
  if (state) return state;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card size="small" title={t('mfgweb.reports.byItem')}><ReportView result={result!} display="table" obj={undefined} /></Card>
      <Card size="small" title={t('mfgweb.reports.byWorkstation')}><ReportView result={byWorkstation!} display="table" obj={undefined} /></Card>
    </Space>
  );
}

function Load({ range }: { range: Range }) {
  const { t } = useTranslation();
  const adapt = useMemo(() => (r: LoadReply) => loadResult(r, t), [t]);
  const { data, result, state } = useResult('workstation-load', range, adapt);
  if (state) return state;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Statistic title={t('mfgweb.reports.overloadedWeeks')} value={data!.overloaded} />
      <ReportView result={result!} display="table" obj={undefined} />
    </Space>
  );
}

function Shortages() {
  const { t } = useTranslation();
  // the reply names warehouses by id: their names from the records API
  const warehouses = useRecordList('warehouse', { pageSize: 200, fields: ['name'] });
  const names = useMemo(() => new Map((warehouses.data?.data ?? []).map((w) => [w.id, String(w.name ?? w.id)])), [warehouses.data]);
  const adapt = useMemo(() => (r: ShortageReply) => shortageResult(r, names, t), [names, t]);
  const { result, state } = useResult('material-shortages', {}, adapt);
  if (state) return state;
  return <ReportView result={result!} display="table" obj={undefined} />;
}
