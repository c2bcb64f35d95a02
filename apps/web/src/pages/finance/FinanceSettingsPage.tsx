import { useEffect, useState } from 'react';
import { App, Button, Card, Form, Input, Select, Space, Table, Tag } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorState, errorText } from '../../components/States.tsx';
import { useLang } from '../../i18n/index.ts';
import { createCompany, defaultChartFor, setUpChart, useChartTemplates, useCompanyCharts, type CompanyChart } from './finance-api.ts';

/**
 * 财务设置 (administrators): each company's chart of accounts — chosen when the
 * company is created, swappable while the company has posted nothing (the
 * server refuses with 409 after) — and a new company with the chart it starts on.
 */
export default function FinanceSettingsPage() {
  const { t } = useTranslation();
  const companies = useCompanyCharts();
  if (companies.isError) return <ErrorState error={companies.error} onRetry={() => void companies.refetch()} />;
  return (
    <div>
      <PageHeader title={t('fin.settings.title')} />
      <Card title={t('fin.settings.charts')} style={{ marginBottom: 16 }}>
        <Table size="small" rowKey="company" loading={companies.isLoading} pagination={false} dataSource={companies.data?.data ?? []}
          columns={[
            { title: t('fin.settings.company'), dataIndex: 'name' },
            { title: t('fin.settings.currency'), dataIndex: 'currency' },
            { title: t('fin.settings.chart'), render: (_, c: CompanyChart) => <ChartChoice company={c} /> },
          ]} />
      </Card>
      <NewCompanyCard />
    </div>
  );
}

function useTemplateOptions() {
  const lang = useLang();
  const templates = useChartTemplates();
  return (templates.data?.data ?? []).map((x) => ({ value: x.key, label: lang === 'en' ? x.label.en : x.label.zh }));
}

function ChartChoice({ company }: { company: CompanyChart }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const options = useTemplateOptions();
  const [template, setTemplate] = useState(company.template);
  const [busy, setBusy] = useState(false);
  const apply = async () => {
    setBusy(true);
    try {
      await setUpChart(company.company, template);
      void message.success(t('fin.settings.applied'));
      await qc.invalidateQueries({ queryKey: ['finance'] });
    } catch (e) {
      void message.error(errorText(e, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space data-testid={`fin-chart-${company.name}`}>
      <Select value={template} options={options} style={{ width: 300 }} onChange={setTemplate} disabled={company.posted} />
      {company.posted
        ? <Tag>{t('fin.settings.posted')}</Tag>
        : <Button onClick={() => void apply()} loading={busy} disabled={template === company.template}>{t('fin.settings.apply')}</Button>}
    </Space>
  );
}

function NewCompanyCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const options = useTemplateOptions();
  const defaults = useChartTemplates().data?.defaults;
  const [form] = Form.useForm<{ name: string; currency: string; chartTemplate: string }>();
  // Preselect what the server would choose for the currency (its rule, sent with the templates).
  useEffect(() => {
    if (defaults && !form.isFieldTouched('chartTemplate')) form.setFieldValue('chartTemplate', defaultChartFor(defaults, form.getFieldValue('currency') ?? 'CNY'));
  }, [defaults, form]);
  const [busy, setBusy] = useState(false);
  const submit = async (v: { name: string; currency: string; chartTemplate: string }) => {
    setBusy(true);
    try {
      await createCompany({ name: v.name, currency: v.currency, chartTemplate: v.chartTemplate });
      void message.success(t('fin.settings.created', { name: v.name }));
      form.resetFields();
      if (defaults) form.setFieldValue('chartTemplate', defaultChartFor(defaults, 'CNY'));
      await qc.invalidateQueries({ queryKey: ['finance'] });
    } catch (e) {
      void message.error(errorText(e, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title={t('fin.settings.newCompany')}>
      <Form form={form} layout="inline" initialValues={{ currency: 'CNY' }} onFinish={(v) => void submit(v)}
        onValuesChange={(changed) => { if (changed.currency && defaults) form.setFieldValue('chartTemplate', defaultChartFor(defaults, changed.currency)); }}>
        <Form.Item name="name" label={t('fin.settings.company')} rules={[{ required: true }]}><Input style={{ width: 220 }} data-testid="fin-new-company-name" /></Form.Item>
        <Form.Item name="currency" label={t('fin.settings.currency')} rules={[{ required: true, pattern: /^[A-Z]{3}$/ }]}><Input style={{ width: 80 }} /></Form.Item>
        <Form.Item name="chartTemplate" label={t('fin.settings.chart')}><Select options={options} style={{ width: 300 }} data-testid="fin-new-company-chart" /></Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="fin-new-company">{t('fin.settings.create')}</Button>
      </Form>
    </Card>
  );
}
