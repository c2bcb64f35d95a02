import { useEffect, useState } from 'react';
import { Alert, App, Button, DatePicker, Descriptions, Progress, Space, Table, Tag } from 'antd';
import { PlayCircleOutlined, CheckOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { RecordData } from '../../api/types.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorState, errorText } from '../../components/States.tsx';
import { LinkPicker } from '../../fields/widgets/LinkPicker.tsx';
import { useLang } from '../../i18n/index.ts';
import { formatNumber } from '../../lib/format.ts';
import { firmSuggestions, startMrpRun, useLatestRun, useMrpJob, useSuggestions, type FirmResult } from './mfg-api.ts';

/**
 * MRP运算: start a run (a background job: the bar follows its percent), read
 * its planned work orders and purchase suggestions, tick some and firm them —
 * work orders (draft, released on their page) and one purchase requisition.
 */
export default function MrpPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [runDate, setRunDate] = useState<Dayjs>(() => dayjs());
  const [jobId, setJobId] = useState<string | null>(null);
  const latest = useLatestRun();
  const run = latest.data?.data[0];
  const job = useMrpJob(jobId);
  const finished = job.data?.status === 'done' || job.data?.status === 'failed';
  useEffect(() => {
    if (finished) void qc.invalidateQueries({ queryKey: ['records'] });
  }, [finished, qc]);

  const start = async () => {
    try {
      const r = await startMrpRun(runDate.format('YYYY-MM-DD'));
      setJobId(r.jobId);
    } catch (e) {
      void message.error(errorText(e, t));
    }
  };
  const running = Boolean(jobId) && !finished;
  if (latest.isError) return <ErrorState error={latest.error} onRetry={() => void latest.refetch()} />;
  return (
    <div>
      <PageHeader title={t('mfg.mrp.title')} extra={
        <Space wrap>
          <DatePicker value={runDate} onChange={(d) => d && setRunDate(d)} allowClear={false} data-testid="mrp-run-date" />
          <Button type="primary" icon={<PlayCircleOutlined />} loading={running} onClick={() => void start()} data-testid="mrp-run">{t('mfg.mrp.run')}</Button>
        </Space>
      } />
      {jobId && (
        <div className="page-card" style={{ marginBottom: 16 }}>
          <Progress percent={job.data?.percent ?? 0} status={job.data?.status === 'failed' ? 'exception' : finished ? 'success' : 'active'} data-testid="mrp-progress" />
          {job.data?.status === 'failed' && <Alert type="error" showIcon message={job.data.error?.message ?? t('state.error')} />}
        </div>
      )}
      {run ? <RunSuggestions run={run} /> : <div className="page-card"><Alert type="info" message={t('mfg.mrp.noRun')} /></div>}
    </div>
  );
}

function RunSuggestions({ run }: { run: RecordData }) {
  const { t } = useTranslation();
  const lang = useLang();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(50);
  const [selected, setSelected] = useState<string[]>([]);
  const [sourceWh, setSourceWh] = useState<string | null>(null);
  const [fgWh, setFgWh] = useState<string | null>(null);
  const [firming, setFirming] = useState(false);
  const [firmed, setFirmed] = useState<FirmResult | null>(null);
  const list = useSuggestions(run.id, page, pageSize);
  useEffect(() => setSelected([]), [run.id]);

  const firm = async () => {
    if (!sourceWh || !fgWh) return void message.warning(t('mfg.mrp.pickWarehouses'));
    setFirming(true);
    try {
      const r = await firmSuggestions({ ids: selected, source_warehouse: sourceWh, fg_warehouse: fgWh });
      setFirmed(r);
      setSelected([]);
      void message.success(t('mfg.mrp.firmed', { count: r.workOrders.length }));
      await qc.invalidateQueries({ queryKey: ['records'] });
    } catch (e) {
      void message.error(errorText(e, t));
    } finally {
      setFirming(false);
    }
  };

  const columns = [
    { key: 'kind', title: t('mfg.mrp.kind'), render: (r: RecordData) => r.kind === 'work_order' ? <Tag color="blue">{t('mfg.mrp.workOrder')}</Tag> : <Tag color="orange">{t('mfg.mrp.purchase')}</Tag> },
    { key: 'item', title: t('mfg.item'), render: (r: RecordData) => <span>{String(r['item.code'] ?? '')} {String(r['item.name'] ?? '')}</span> },
    { key: 'qty', title: t('mfg.qty'), align: 'right' as const, render: (r: RecordData) => formatNumber(r.qty, lang) },
    { key: 'start', title: t('mfg.mrp.startDate'), dataIndex: 'start_date' },
    { key: 'due', title: t('mfg.mrp.dueDate'), dataIndex: 'due_date' },
    { key: 'so', title: t('mfg.salesOrder'), render: (r: RecordData) => r.sales_order ? <Link to={`/o/sales_order/${String(r.sales_order)}`}>{String(r['sales_order.number'] ?? '')}</Link> : null },
    { key: 'firmed', title: t('mfg.mrp.state'), render: (r: RecordData) => r.firmed ? <Tag color="green">{t('mfg.mrp.isFirmed')}</Tag> : null },
  ];
  return (
    <div className="page-card">
      <Descriptions size="small" column={{ xs: 1, sm: 2, md: 4 }} style={{ marginBottom: 12 }} data-testid="mrp-run-info">
        <Descriptions.Item label={t('mfg.mrp.runNo')}>{String(run.number ?? '')}</Descriptions.Item>
        <Descriptions.Item label={t('mfg.mrp.runDate')}>{String(run.run_date ?? '')}</Descriptions.Item>
        <Descriptions.Item label={t('mfg.mrp.workOrders')}>{String(run.work_orders ?? '—')}</Descriptions.Item>
        <Descriptions.Item label={t('mfg.mrp.purchases')}>{String(run.purchases ?? '—')}</Descriptions.Item>
      </Descriptions>
      <Space wrap style={{ marginBottom: 12 }}>
        <span>{t('mfg.mrp.sourceWarehouse')}</span>
        <LinkPicker target="warehouse" value={sourceWh} onChange={(v) => setSourceWh(v)} style={{ width: 180 }} id="mrp-source-warehouse" />
        <span>{t('mfg.mrp.fgWarehouse')}</span>
        <LinkPicker target="warehouse" value={fgWh} onChange={(v) => setFgWh(v)} style={{ width: 180 }} id="mrp-fg-warehouse" />
        <Button type="primary" icon={<CheckOutlined />} disabled={!selected.length} loading={firming} onClick={() => void firm()} data-testid="mrp-firm">
          {t('mfg.mrp.firm', { count: selected.length })}
        </Button>
      </Space>
      {firmed && (
        <Alert type="success" showIcon style={{ marginBottom: 12 }} data-testid="mrp-firm-result" message={t('mfg.mrp.firmResult')} description={
          <Space wrap>
            {firmed.workOrders.map((id) => <Link key={id} to={`/mfg/work-orders/${id}`} data-testid="firmed-work-order">{t('mfg.mrp.workOrder')} {id.slice(0, 8)}</Link>)}
            {firmed.purchaseRequisition && <Link to={`/o/purchase_requisition/${firmed.purchaseRequisition}`} data-testid="firmed-requisition">{t('mfg.mrp.requisition')}</Link>}
            {firmed.notFirmed.map((n) => <Tag key={n.id}>{n.reason}</Tag>)}
          </Space>
        } />
      )}
      <Table<RecordData> rowKey="id" size="small" data-testid="mrp-suggestions" loading={list.isFetching}
        dataSource={list.data?.data ?? []} columns={columns} scroll={{ x: 800 }}
        rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]), getCheckboxProps: (r) => ({ disabled: Boolean(r.firmed) }) }}
        pagination={{ current: page, pageSize, total: list.data?.total, showSizeChanger: true, onChange: (p, s) => (setPage(p), setPageSize(s)) }} />
    </div>
  );
}
