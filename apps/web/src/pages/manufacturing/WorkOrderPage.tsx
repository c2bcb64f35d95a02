import { useState } from 'react';
import { App, Button, Descriptions, Progress, Table, Tag } from 'antd';
import { SendOutlined, MobileOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { RecordData } from '../../api/types.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorState, errorText, PageSkeleton } from '../../components/States.tsx';
import { useLang } from '../../i18n/index.ts';
import { formatNumber } from '../../lib/format.ts';
import { releaseWorkOrder, useJobCards, useWorkOrder } from './mfg-api.ts';

const PROGRESS_COLOR: Record<string, string> = { planned: 'default', released: 'blue', in_process: 'orange', completed: 'green' };

/**
 * 生产工单: the order, its release (下达 = submit: the job cards per routing
 * operation are made), progress (produced of planned) and its job cards, each
 * with a link to the phone reporting page the shop floor uses.
 */
export default function WorkOrderPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const lang = useLang();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const wo = useWorkOrder(id);
  const cards = useJobCards(id);
  const [releasing, setReleasing] = useState(false);
  if (wo.isError) return <ErrorState error={wo.error} onRetry={() => void wo.refetch()} />;
  if (!wo.data) return <PageSkeleton />;
  const w = wo.data;
  const release = async () => {
    setReleasing(true);
    try {
      await releaseWorkOrder(w.id, Number(w.version));
      void message.success(t('mfg.wo.released'));
      await qc.invalidateQueries({ queryKey: ['records'] });
    } catch (e) {
      void message.error(errorText(e, t));
    } finally {
      setReleasing(false);
    }
  };
  const percent = Number(w.qty) > 0 ? Math.min(100, Math.round((Number(w.produced_qty ?? 0) / Number(w.qty)) * 100)) : 0;
  const progress = String(w.progress ?? 'planned');
  return (
    <div>
      <PageHeader
        title={<span data-testid="wo-title">{t('mfg.wo.title')} {String(w.number ?? '')}</span>}
        extra={<>
          <Tag color={PROGRESS_COLOR[progress]} data-testid="wo-progress">{t(`mfg.wo.progress.${progress}`)}</Tag>
          {w.status === 'draft' && <Button type="primary" icon={<SendOutlined />} loading={releasing} onClick={() => void release()} data-testid="wo-release">{t('mfg.wo.release')}</Button>}
          <Link to={`/o/work_order/${w.id}`}><Button>{t('mfg.wo.record')}</Button></Link>
        </>}
      />
      <div className="page-card" style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={{ xs: 1, sm: 2, md: 3 }}>
          <Descriptions.Item label={t('mfg.item')}>{String(w['item.code'] ?? '')} {String(w['item.name'] ?? '')}</Descriptions.Item>
          <Descriptions.Item label={t('mfg.qty')}>{formatNumber(w.qty, lang)}</Descriptions.Item>
          <Descriptions.Item label={t('mfg.salesOrder')}>{w.sales_order ? <Link to={`/o/sales_order/${String(w.sales_order)}`}>{String(w['sales_order.number'] ?? '')}</Link> : '—'}</Descriptions.Item>
          <Descriptions.Item label={t('mfg.wo.plannedStart')}>{String(w.planned_start ?? '')}</Descriptions.Item>
          <Descriptions.Item label={t('mfg.wo.dueDate')}>{String(w.due_date ?? '')}</Descriptions.Item>
          <Descriptions.Item label={t('mfg.wo.produced')}><span data-testid="wo-produced">{formatNumber(w.produced_qty ?? 0, lang)}</span> / {t('mfg.wo.scrap')} <span data-testid="wo-scrap">{formatNumber(w.scrap_qty ?? 0, lang)}</span></Descriptions.Item>
        </Descriptions>
        <Progress percent={percent} />
      </div>
      <div className="page-card">
        <h3 style={{ marginTop: 0 }}>{t('mfg.wo.jobCards')}</h3>
        <Table<RecordData> rowKey="id" size="small" data-testid="wo-job-cards" loading={cards.isFetching} pagination={false} scroll={{ x: 640 }}
          dataSource={cards.data?.data ?? []}
          locale={{ emptyText: w.status === 'draft' ? t('mfg.wo.releaseFirst') : t('mfg.wo.noOperations') }}
          columns={[
            { key: 'seq', title: t('mfg.wo.seq'), dataIndex: 'seq' },
            { key: 'op', title: t('mfg.wo.operation'), dataIndex: 'operation' },
            { key: 'ws', title: t('mfg.wo.workstation'), render: (r: RecordData) => String(r['workstation.name'] ?? '') },
            { key: 'good', title: t('mfg.report.good'), align: 'right', render: (r: RecordData) => `${formatNumber(r.good_qty ?? 0, lang)} / ${formatNumber(r.for_qty, lang)}` },
            { key: 'scrap', title: t('mfg.report.scrap'), align: 'right', render: (r: RecordData) => formatNumber(r.scrap_qty ?? 0, lang) },
            { key: 'state', title: t('mfg.mrp.state'), render: (r: RecordData) => <Tag>{t(`mfg.card.${String(r.state ?? 'open')}`)}</Tag> },
            { key: 'report', title: '', render: (r: RecordData) => <Link to={`/mfg/report/${r.id}`} data-testid="wo-report-link"><Button size="small" icon={<MobileOutlined />}>{t('mfg.report.action')}</Button></Link> },
          ]} />
      </div>
    </div>
  );
}
