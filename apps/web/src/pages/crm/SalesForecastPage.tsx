import { useMemo } from 'react';
import { Progress, Segmented, Select, Space, Table, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { get, qs } from '../../api/client.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorState, TableSkeleton } from '../../components/States.tsx';
import { useLang } from '../../i18n/index.ts';
import { useCompanyCurrency } from '../../api/company-currency.ts';
import { formatMoney, formatPercent } from '../../lib/format.ts';
import {
  drillFilter, isQuarter, opportunitiesUrl, quarterChoices, quarterOf,
  type ForecastBy, type ForecastReply, type ForecastRow,
} from './sales-forecast/forecast.ts';

/**
 * 客户关系 → 销售目标与预测 (/crm/sales-forecast?period=2026-Q4&by=rep|team): per rep or
 * team for a quarter, the target, the weighted forecast (open deals closing in the quarter ×
 * their stage's probability, plus what was won), won, and attainment — all from
 * GET /crm/reports/forecast, which runs as the viewer (a rep sees their own row, a manager the
 * team's). A rep's won and open figures open the opportunities behind them in the list.
 */
export default function SalesForecastPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const current = quarterOf(dayjs().format('YYYY-MM-DD'));
  const period = isQuarter(params.get('period')) ? params.get('period')! : current;
  const by: ForecastBy = params.get('by') === 'team' ? 'team' : 'rep';
  const choices = useMemo(() => {
    const list = quarterChoices(current);
    return list.includes(period) ? list : [period, ...list];
  }, [current, period]);
  const q = useQuery({
    queryKey: ['crm', 'forecast', period, by],
    queryFn: ({ signal }) => get<ForecastReply>(`/api/v1/crm/reports/forecast${qs({ period, by })}`, signal),
  });
  const set = (patch: { period?: string; by?: ForecastBy }) => setParams({ period: patch.period ?? period, by: patch.by ?? by }, { replace: true });

  return (
    <div>
      <PageHeader title={t('webpages.forecast.title')} extra={
        <Space wrap>
          <span data-testid="forecast-period">
            <Select value={period} onChange={(v) => set({ period: v })} options={choices.map((c) => ({ value: c, label: c }))}
              aria-label={t('webpages.forecast.period')} style={{ width: 130 }} />
          </span>
          <Segmented value={by} onChange={(v) => set({ by: v as ForecastBy })} data-testid="forecast-by"
            options={[{ value: 'rep', label: t('webpages.forecast.byRep') }, { value: 'team', label: t('webpages.forecast.byTeam') }]} />
        </Space>
      } />
      <div className="page-card">
        {q.isError ? <ErrorState error={q.error} onRetry={() => void q.refetch()} />
          : !q.data ? <TableSkeleton rows={5} />
            : <ForecastTable reply={q.data} />}
        {by === 'team' && <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>{t('webpages.forecast.teamNote')}</Typography.Paragraph>}
      </div>
    </div>
  );
}

function ForecastTable({ reply }: { reply: ForecastReply }) {
  const { t } = useTranslation();
  const lang = useLang();
  // In the company's currency: the API converts foreign targets and deals at the rate as of the quarter's end
  // and says which currency it answered in; the company's is the fallback.
  const companyCurrency = useCompanyCurrency();
  const money = (v: string | null) => (v === null ? '—' : formatMoney(v, reply.currency || companyCurrency, lang));
  const window = { from: reply.from, to: reply.to };
  const keyOf = (r: ForecastRow) => (reply.by === 'rep' ? r.rep : r.team) ?? '-';
  // A figure of a rep's row links to its opportunities; team rows and zero counts do not.
  const linked = (r: ForecastRow, part: 'won' | 'open', text: string, count: number) => {
    const f = count > 0 ? drillFilter(r, part, window) : null;
    return f ? <Link to={opportunitiesUrl(f)} data-testid={`forecast-${part}-link`}>{text}</Link> : <span>{text}</span>;
  };
  const attainment = (v: string | null, testId: string) => (v === null ? '—' : (
    <span data-testid={testId}>
      {formatPercent(v, lang)}
      <Progress percent={Math.min(100, Number(v) * 100)} showInfo={false} size="small" style={{ width: 80, margin: '0 0 0 8px', display: 'inline-block' }} />
    </span>
  ));
  const columns = [
    { key: 'name', title: reply.by === 'rep' ? t('webpages.forecast.rep') : t('webpages.forecast.team'), render: (_: unknown, r: ForecastRow) => <span data-testid="forecast-name">{r.name ?? t('webpages.forecast.unassigned')}</span> },
    { key: 'target', title: t('webpages.forecast.target'), align: 'right' as const, render: (_: unknown, r: ForecastRow) => <span data-testid="forecast-target">{money(r.target)}</span> },
    { key: 'forecast', title: t('webpages.forecast.forecast'), align: 'right' as const, render: (_: unknown, r: ForecastRow) => <span data-testid="forecast-forecast">{money(r.forecast)}</span> },
    { key: 'won', title: t('webpages.forecast.won'), align: 'right' as const, render: (_: unknown, r: ForecastRow) => <span data-testid="forecast-won">{linked(r, 'won', money(r.won), r.wonCount)}</span> },
    { key: 'attainment', title: t('webpages.forecast.attainment'), render: (_: unknown, r: ForecastRow) => attainment(r.attainment, 'forecast-attainment') },
    { key: 'forecastAttainment', title: t('webpages.forecast.forecastAttainment'), render: (_: unknown, r: ForecastRow) => attainment(r.forecastAttainment, 'forecast-forecast-attainment') },
    { key: 'open', title: t('webpages.forecast.open'), align: 'right' as const, render: (_: unknown, r: ForecastRow) => <span data-testid="forecast-open">{linked(r, 'open', String(r.openCount), r.openCount)}</span> },
    { key: 'openAmount', title: t('webpages.forecast.openAmount'), align: 'right' as const, render: (_: unknown, r: ForecastRow) => money(r.openAmount) },
    { key: 'weighted', title: t('webpages.forecast.weighted'), align: 'right' as const, render: (_: unknown, r: ForecastRow) => <span data-testid="forecast-weighted">{money(r.weighted)}</span> },
  ];
  const total = reply.total;
  return (
    <Table<ForecastRow> size="small" rowKey={keyOf} dataSource={reply.rows} columns={columns} pagination={false} scroll={{ x: 'max-content' }}
      data-testid="forecast-table" locale={{ emptyText: t('webpages.forecast.empty') }}
      onRow={(r) => ({ 'data-row': keyOf(r) } as React.HTMLAttributes<HTMLElement>)}
      summary={() => reply.rows.length > 0 && (
        <Table.Summary.Row data-testid="forecast-total">
          <Table.Summary.Cell index={0}><strong>{t('common.total')}</strong></Table.Summary.Cell>
          <Table.Summary.Cell index={1} align="right"><span data-testid="forecast-total-target">{money(total.target)}</span></Table.Summary.Cell>
          <Table.Summary.Cell index={2} align="right"><strong data-testid="forecast-total-forecast">{money(total.forecast)}</strong></Table.Summary.Cell>
          <Table.Summary.Cell index={3} align="right"><strong data-testid="forecast-total-won">{money(total.won)}</strong></Table.Summary.Cell>
          <Table.Summary.Cell index={4}>{total.attainment === null ? '—' : formatPercent(total.attainment, lang)}</Table.Summary.Cell>
          <Table.Summary.Cell index={5}>{total.forecastAttainment === null ? '—' : formatPercent(total.forecastAttainment, lang)}</Table.Summary.Cell>
          <Table.Summary.Cell index={6} align="right">{total.openCount}</Table.Summary.Cell>
          <Table.Summary.Cell index={7} align="right">{money(total.openAmount)}</Table.Summary.Cell>
          <Table.Summary.Cell index={8} align="right">{money(total.weighted)}</Table.Summary.Cell>
        </Table.Summary.Row>
      )} />
  );
}
