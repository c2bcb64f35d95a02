import { Alert, App, Button, Card, Descriptions, Table, Tag } from 'antd';
import { ArrowLeftOutlined, ReloadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { get, post } from '../../api/client.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorState, PageSkeleton, errorText } from '../../components/States.tsx';
import { useLang } from '../../i18n/index.ts';
import { formatDateTime, formatMoney, formatNumber, type Lang } from '../../lib/format.ts';
import { useIsMobile } from '../../lib/useIsMobile.ts';
import { OP_TEXT } from '../reports/ReportAlerts.tsx';

/**
 * Rows its last check could not compare: MIXED_CURRENCIES, money in several currencies; OTHER_CURRENCY, money in
 * another currency than the threshold's (`currencies`). `also`: the other kind, when one check found both.
 */
interface AlertProblem { code: string; message: string; rowKeys: string[]; display: string[]; currencies?: string[]; also?: AlertProblem[] }

/** GET /api/v1/alerts/:id/raised (packages/reporting alert-rows): the alert, its report, the rows raised now. */
interface RaisedView {
  alert: { id: string; name: string; measure: string; op: string; threshold: string; active: boolean; everyMinutes: number; lastCheckedAt: string | null;
    /** The threshold's currency on a money measure (the company's where the alert names none); null on any other measure. */
    thresholdCurrency: string | null;
    problem: AlertProblem | null };
  report: { id: string; name: string } | null;
  measureLabel: string;
  dimensions: { key: string; label: string }[];
  /** `currency`: the value's (the threshold's), null where it is not money or was not compared. */
  rows: { rowKey: string; values: unknown[]; display: string[]; value: string | null; currency: string | null; since: string; checkedAt: string }[];
}

/** The places a measure's value comes with ("1130.00" → 2): shown as given, not trimmed to "1,130". */
const scaleOf = (v: string) => v.split('.')[1]?.length ?? 0;

/** A threshold or a value: money in its currency (¥1,000.00 · US$20,000.00), any other number as it is. */
const amountText = (v: string, currency: string | null, lang: Lang, scale?: number) => (currency ? formatMoney(v, currency, lang, scale) : formatNumber(v, lang, scale));


/**
 * /alerts/:id — where a KPI alert's notification leads: the alert, the report it
 * watches (a link, for who may open it), when it was last checked, and each
 * row raised now with its values (a select's by its label) and since when.
 */
export default function AlertPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const lang = useLang();
  const mobile = useIsMobile();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const key = ['alert-raised', id];
  const view = useQuery({ queryKey: key, queryFn: ({ signal }) => get<RaisedView>(`/api/v1/alerts/${encodeURIComponent(id!)}/raised`, signal), enabled: Boolean(id) });
  const check = useMutation({
    mutationFn: () => post(`/api/v1/alerts/${encodeURIComponent(id!)}/evaluate`),
    onSuccess: () => void qc.invalidateQueries({ queryKey: key }),
    onError: (e) => message.error(errorText(e, t)),
  });
  if (view.isError) return <ErrorState error={view.error} onRetry={() => void view.refetch()} />;
  if (!view.data) return <PageSkeleton rows={6} />;
  const v = view.data;
  const dims = v.dimensions.length ? v.dimensions : [];
  return (
    <div>
      <PageHeader
        back={<Button type="text" icon={<ArrowLeftOutlined />} aria-label={t('common.back')} onClick={() => navigate(-1)} />}
        title={<span data-testid="alert-name">{v.alert.name}</span>}
        extra={<Button icon={<ReloadOutlined />} loading={check.isPending} onClick={() => check.mutate()} data-testid="alert-check">{t('alertPage.checkNow')}</Button>}
      />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Descriptions column={mobile ? 1 : 2} size="small">
          <Descriptions.Item label={t('alertPage.report')}>
            {v.report ? <Link to={`/reports/${v.report.id}`} data-testid="alert-report">{v.report.name}</Link> : <span className="muted">{t('alertPage.reportHidden')}</span>}
          </Descriptions.Item>
          <Descriptions.Item label={t('alertPage.condition')}>
            <span data-testid="alert-condition">{v.measureLabel} {OP_TEXT[v.alert.op] ?? v.alert.op} {amountText(v.alert.threshold, v.alert.thresholdCurrency, lang)}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('alertPage.lastChecked')}>
            <span data-testid="alert-last-checked">{v.alert.lastCheckedAt ? formatDateTime(v.alert.lastCheckedAt, lang) : t('alertPage.never')}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('alertPage.state')}>
            {v.alert.active ? <Tag color="green">{t('alertPage.active', { minutes: v.alert.everyMinutes })}</Tag> : <Tag>{t('alertPage.paused')}</Tag>}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      {v.alert.problem && [v.alert.problem, ...(v.alert.problem.also ?? [])].map((p) => (
        <Alert key={p.code} type="warning" showIcon style={{ marginBottom: 16 }} data-testid="alert-problem"
          message={p.code === 'OTHER_CURRENCY'
            ? t('reportCurrency.alertOtherCurrency', { count: p.rowKeys.length, currencies: (p.currencies ?? []).join('、'), currency: v.alert.thresholdCurrency })
            : t('reportCurrency.alertMixed', { count: p.rowKeys.length })}
          description={p.display.filter(Boolean).join('；') || undefined} />
      ))}
      <Card size="small" title={t('alertPage.raised', { count: v.rows.length })}>
        <Table
          rowKey="rowKey" size="small" dataSource={v.rows} pagination={false} scroll={{ x: true }}
          locale={{ emptyText: t('alertPage.none') }}
          onRow={() => ({ 'data-testid': 'alert-row' } as React.HTMLAttributes<HTMLElement>)}
          columns={[
            ...dims.map((d, i) => ({ key: d.key, title: d.label, render: (_: unknown, r: RaisedView['rows'][number]) => r.display[i] ?? '—' })),
            { key: '$value', title: v.measureLabel, align: 'right' as const, render: (_: unknown, r: RaisedView['rows'][number]) => <span data-testid="alert-row-value">{r.value === null ? '—' : amountText(r.value, r.currency, lang, scaleOf(r.value))}</span> },
            { key: '$since', title: t('alertPage.since'), render: (_: unknown, r: RaisedView['rows'][number]) => formatDateTime(r.since, lang) },
          ]}
        />
      </Card>
    </div>
  );
}
