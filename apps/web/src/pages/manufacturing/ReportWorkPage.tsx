import { useState } from 'react';
import { App, Button, InputNumber, Result } from 'antd';
import { MinusOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ErrorState, errorText, PageSkeleton } from '../../components/States.tsx';
import { useLang } from '../../i18n/index.ts';
import { formatNumber } from '../../lib/format.ts';
import { useJobCard, useReportWork } from './mfg-api.ts';
import './report-work.css';

/**
 * 报工 on a phone: one job card, big steppers for good and scrapped quantity
 * and minutes, one big button. What was reported so far stays on screen, so
 * a worker reporting in batches sees the running total.
 */
export default function ReportWorkPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const lang = useLang();
  const { message } = App.useApp();
  const card = useJobCard(id);
  const report = useReportWork(id ?? '');
  const [good, setGood] = useState(0);
  const [scrap, setScrap] = useState(0);
  const [minutes, setMinutes] = useState(0);
  if (card.isError) return <ErrorState error={card.error} onRetry={() => void card.refetch()} />;
  if (!card.data) return <PageSkeleton />;
  const c = card.data;
  const submit = async () => {
    try {
      await report.mutateAsync({ good_qty: good, scrap_qty: scrap, minutes });
      void message.success(t('mfg.report.done'));
      setGood(0);
      setScrap(0);
      setMinutes(0);
    } catch (e) {
      void message.error(errorText(e, t));
    }
  };
  return (
    <div className="report-work">
      <div className="report-work-head">
        <div className="report-work-op">{String(c.seq)} · {String(c.operation ?? '')}</div>
        <div>{String(c['workstation.name'] ?? '')} · <Link to={`/mfg/work-orders/${String(c.work_order)}`}>{String(c['work_order.number'] ?? '')}</Link></div>
        <div className="report-work-sofar" data-testid="report-so-far">
          {t('mfg.report.soFar', { good: formatNumber(c.good_qty ?? 0, lang), scrap: formatNumber(c.scrap_qty ?? 0, lang), of: formatNumber(c.for_qty, lang) })}
        </div>
      </div>
      {c.state === 'completed' ? <Result status="success" title={t('mfg.report.cardDone')} /> : null}
      <Stepper label={t('mfg.report.good')} value={good} onChange={setGood} testId="report-good" />
      <Stepper label={t('mfg.report.scrap')} value={scrap} onChange={setScrap} testId="report-scrap" />
      <Stepper label={t('mfg.report.minutes')} value={minutes} onChange={setMinutes} step={5} testId="report-minutes" />
      <Button type="primary" block className="report-work-submit" loading={report.isPending} disabled={good + scrap <= 0} onClick={() => void submit()} data-testid="report-submit">
        {t('mfg.report.action')}
      </Button>
    </div>
  );
}

/** A number with big − and + buttons either side: thumbs, gloves. */
function Stepper({ label, value, onChange, step = 1, testId }: { label: string; value: number; onChange: (v: number) => void; step?: number; testId: string }) {
  return (
    <div className="report-work-field">
      <label htmlFor={testId}>{label}</label>
      <div className="report-work-stepper">
        <Button size="large" icon={<MinusOutlined />} onClick={() => onChange(Math.max(0, value - step))} data-testid={`${testId}-minus`} aria-label="−" />
        <InputNumber id={testId} size="large" min={0} value={value} onChange={(v) => onChange(Number(v ?? 0))} inputMode="decimal" data-testid={testId} />
        <Button size="large" icon={<PlusOutlined />} onClick={() => onChange(value + step)} data-testid={`${testId}-plus`} aria-label="+" />
      </div>
    </div>
  );
}
