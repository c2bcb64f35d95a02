import { useState } from 'react';
import { App, Button, Card, Form, Input, InputNumber, Modal, Select, Table } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { get, post } from '../../api/client.ts';
import { errorText } from '../../components/States.tsx';
import { MoneyInput, type MoneyValue } from '../../fields/widgets/MoneyInput.tsx';
import { labelOf, useLang } from '../../i18n/index.ts';
import { formatMoney, formatNumber, type Lang } from '../../lib/format.ts';
import type { ReportResult, SavedReport } from './reports-api.ts';

/** GET /api/v1/alerts (packages/reporting alerts.service): an alert as listed. */
interface KpiAlert { id: string; name: string; reportId: string; measure: string; op: string; threshold: string; thresholdCurrency: string | null; active: boolean }

const OPS = ['gt', 'gte', 'lt', 'lte', 'eq', 'ne'] as const;
export const OP_TEXT: Record<string, string> = { gt: '>', gte: '≥', lt: '<', lte: '≤', eq: '=', ne: '≠' };

/**
 * An alert's threshold as text: on a money measure in its currency (US$100,000.00; no currency of its own is the
 * company's, as the server compares it), any other as a number.
 */
export function thresholdText(alert: Pick<KpiAlert, 'threshold' | 'thresholdCurrency'>, money: boolean, lang: Lang): string {
  return money || alert.thresholdCurrency ? formatMoney(alert.threshold, alert.thresholdCurrency, lang) : formatNumber(alert.threshold, lang);
}

/**
 * A saved report's KPI alerts: each with its condition (the threshold in its currency on a money measure) and a
 * link to its page; "new alert" asks for a measure, a comparison and a threshold — with a currency beside it on
 * a money measure, the company's to start with, since only rows in that currency are compared.
 */
export function ReportAlerts({ report, result }: { report: SavedReport; result: ReportResult | undefined }) {
  const { t } = useTranslation();
  const lang = useLang();
  const [adding, setAdding] = useState(false);
  const alerts = useQuery({ queryKey: ['alerts'], queryFn: ({ signal }) => get<{ data: KpiAlert[] }>('/api/v1/alerts', signal).then((r) => r.data) });
  const mine = (alerts.data ?? []).filter((a) => a.reportId === report.id);
  const isMoney = (measure: string) => result?.columns.some((c) => c.key === measure && c.kind === 'measure' && c.money) ?? false;
  const measureText = (name: string) => {
    const m = report.definition.measures.find((x) => x.name === name);
    const label = m?.label as string | { zh: string; en?: string } | undefined; // the API keeps either
    return label ? labelOf(typeof label === 'string' ? { zh: label } : label, lang) : name;
  };
  return (
    <Card size="small" title={t('reportAlerts.title')} style={{ marginTop: 16 }} data-testid="report-alerts"
      extra={<Button size="small" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="add-alert">{t('reportAlerts.add')}</Button>}>
      <Table rowKey="id" size="small" dataSource={mine} pagination={false} loading={alerts.isPending} locale={{ emptyText: t('reportAlerts.none') }}
        onRow={() => ({ 'data-testid': 'report-alert' } as React.HTMLAttributes<HTMLElement>)}
        columns={[
          { key: 'name', title: t('reportAlerts.name'), render: (_: unknown, a: KpiAlert) => <Link to={`/alerts/${a.id}`}>{a.name}</Link> },
          { key: 'condition', title: t('alertPage.condition'), render: (_: unknown, a: KpiAlert) => (
            <span data-testid="report-alert-condition">{measureText(a.measure)} {OP_TEXT[a.op] ?? a.op} {thresholdText(a, isMoney(a.measure), lang)}</span>
          ) },
        ]} />
      {adding && <AlertModal report={report} isMoney={isMoney} measureText={measureText} onClose={() => setAdding(false)} />}
    </Card>
  );
}

interface AlertForm { name: string; measure: string; op: (typeof OPS)[number]; threshold?: string | null; money?: MoneyValue }

function AlertModal({ report, isMoney, measureText, onClose }: { report: SavedReport; isMoney: (m: string) => boolean; measureText: (m: string) => string; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<AlertForm>();
  const measure = Form.useWatch('measure', form);
  const money = measure ? isMoney(measure) : false;
  const [saving, setSaving] = useState(false);
  const save = async () => {
    const v = await form.validateFields();
    const body = money
      ? { threshold: v.money?.amount, thresholdCurrency: v.money?.currency ?? null }
      : { threshold: v.threshold };
    setSaving(true);
    try {
      await post('/api/v1/alerts', { name: v.name, reportId: report.id, measure: v.measure, op: v.op, ...body });
      await qc.invalidateQueries({ queryKey: ['alerts'] });
      onClose();
    } catch (e) {
      message.error(errorText(e, t));
    } finally {
      setSaving(false);
    }
  };
  const required = [{ required: true, message: t('errors.FIELD_REQUIRED') }];
  return (
    <Modal open title={t('reportAlerts.add')} onCancel={onClose} onOk={() => void save()} confirmLoading={saving} destroyOnHidden>
      <Form form={form} layout="vertical" name="report-alert" initialValues={{ measure: report.definition.measures[0]?.name, op: 'gt' }}>
        <Form.Item name="name" label={t('reportAlerts.name')} rules={required}><Input autoFocus data-testid="alert-form-name" /></Form.Item>
        <Form.Item name="measure" label={t('reportAlerts.measure')} rules={required}>
          <Select data-testid="alert-form-measure" options={report.definition.measures.map((m) => ({ value: m.name, label: measureText(m.name) }))} />
        </Form.Item>
        <Form.Item name="op" label={t('reportAlerts.op')} rules={required}>
          <Select style={{ width: 90 }} options={OPS.map((o) => ({ value: o, label: OP_TEXT[o] }))} />
        </Form.Item>
        {money ? (
          // On money the threshold is in one currency (the company's to start with): only rows in it are compared.
          <Form.Item name="money" label={t('reportAlerts.threshold')} extra={t('reportAlerts.currencyHint')}
            rules={[{ validator: (_, v?: MoneyValue) => (v?.amount ? Promise.resolve() : Promise.reject(new Error(t('errors.FIELD_REQUIRED')))) }]}>
            <MoneyInput />
          </Form.Item>
        ) : (
          <Form.Item name="threshold" label={t('reportAlerts.threshold')} rules={required}>
            <InputNumber<string> stringMode style={{ width: '100%' }} data-testid="alert-form-threshold" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
