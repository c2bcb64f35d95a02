import { useState } from 'react';
import { Table, Tabs, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { useObjects } from '../../api/meta.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { EmptyState, ErrorState, TableSkeleton } from '../../components/States.tsx';
import { labelOf, useLang } from '../../i18n/index.ts';
import { formatDateTime } from '../../lib/format.ts';
import { BOXES, useInbox, type Box, type InboxRow } from './approvals-api.ts';
import { StatusTag } from './StatusTag.tsx';

/**
 * 我的审批 (/approvals?box=pending): 待我审批, 我发起的, 已处理, 抄送我的.
 * A row opens the document, where the approver decides (ApprovalPanel).
 */
export default function ApprovalsInboxPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const box = BOXES.find((b) => b === params.get('box')) ?? 'pending';
  return (
    <div>
      <PageHeader title={t('approvals.title')} />
      <div className="page-card">
        <Tabs activeKey={box} onChange={(k) => setParams({ box: k }, { replace: true })} data-testid="inbox-tabs"
          items={BOXES.map((b) => ({ key: b, label: t(`approvals.box.${b}`) }))} />
        <InboxTable key={box} box={box} />
      </div>
    </div>
  );
}

function InboxTable({ box }: { box: Box }) {
  const { t } = useTranslation();
  const lang = useLang();
  const navigate = useNavigate();
  const objects = useObjects();
  const [page, setPage] = useState(1);
  const inbox = useInbox(box, page);
  if (inbox.isError) return <ErrorState error={inbox.error} onRetry={() => void inbox.refetch()} />;
  if (!inbox.data) return <TableSkeleton rows={5} />;
  if (!inbox.data.data.length && page === 1) return <EmptyState title={t(`approvals.empty.${box}`)} />;
  const objectLabel = (name: string) => {
    const o = objects.data?.find((x) => x.apiName === name);
    return o ? labelOf(o.label, lang) : name;
  };
  return (
    <Table<InboxRow>
      size="middle"
      rowKey={(r) => r.task?.id ?? `${r.instanceId}:${r.cc?.at ?? ''}`}
      dataSource={inbox.data.data}
      loading={inbox.isFetching}
      data-testid="inbox-table"
      pagination={{ current: page, pageSize: 20, total: inbox.data.total, onChange: setPage, showSizeChanger: false, hideOnSinglePage: true }}
      onRow={(r) => ({ onClick: () => navigate(`/o/${r.object}/${r.recordId}`), style: { cursor: 'pointer' }, 'data-testid': 'inbox-row' } as React.HTMLAttributes<HTMLElement>)}
      scroll={{ x: 'max-content' }}
      columns={[
        { key: 'title', title: t('approvals.col.title'), render: (_, r) => <a>{r.title || r.recordId.slice(0, 8)}</a> },
        { key: 'object', title: t('approvals.col.object'), render: (_, r) => objectLabel(r.object) },
        { key: 'flow', title: t('approvals.col.flow'), render: (_, r) => r.task?.nodeLabel ? `${r.flowName} · ${r.task.nodeLabel}` : r.flowName },
        ...(box === 'submitted'
          ? [{ key: 'with', title: t('approvals.col.pendingWith'), render: (_: unknown, r: InboxRow) => (r.pendingWith ?? []).map((p) => p.name).join('、') || '—' }]
          : [{ key: 'by', title: t('approvals.col.submittedBy'), render: (_: unknown, r: InboxRow) => r.submittedBy.name ?? '—' }]),
        { key: 'at', title: t('approvals.col.at'), render: (_, r) => formatDateTime(box === 'done' ? r.task?.decidedAt : box === 'cc' ? r.cc?.at : r.task?.createdAt ?? r.startedAt, lang) },
        { key: 'status', title: t('approvals.col.status'), render: (_, r) => box === 'done' && r.task ? <StatusTag status={r.task.status} /> : <StatusTag status={r.instanceStatus} /> },
        ...(box === 'pending' ? [{ key: 'due', title: t('approvals.col.due'), render: (_: unknown, r: InboxRow) => (r.task?.dueAt ? <Tag color="orange">{formatDateTime(r.task.dueAt, lang)}</Tag> : '—') }] : []),
      ]}
    />
  );
}
