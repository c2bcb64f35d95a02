import { useState } from 'react';
import { Alert, App, Button, Card, Empty, Input, Space, Timeline, Typography } from 'antd';
import { CheckOutlined, CloseOutlined, RollbackOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/auth.ts';
import type { ObjectMeta } from '../../api/types.ts';
import { errorText } from '../../components/States.tsx';
import { useLang } from '../../i18n/index.ts';
import { formatDateTime } from '../../lib/format.ts';
import { decideTask, documentAction, useRecordApprovals, useRefreshAfterAction, type ApprovalEvent, type ApprovalInstance, type Decision } from './approvals-api.ts';
import { MoreTaskActions } from './ApprovalTaskActions.tsx';
import { StatusTag } from './StatusTag.tsx';

/**
 * 审批 on a document's page: the decision box when a task here waits for me
 * (approve / reject / return for changes with a comment, transfer, 加签),
 * withdraw for the submitter while it runs, what the approver asked for when
 * the latest approval sent the document back, and every approval of the
 * record with each step (who, when, what, comment).
 */
export function ApprovalPanel({ obj, id }: { obj: ObjectMeta; id: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const history = useRecordApprovals(obj.apiName, id, obj.isDocument);
  if (!obj.isDocument || !history.data?.length) return null;
  const running = history.data.find((i) => i.status === 'running');
  const myTask = running?.tasks.find((x) => x.status === 'pending' && x.assignee.id === me.data?.id);
  return (
    <Card title={t('approvals.panel')} size="small" style={{ marginBottom: 16 }} data-testid="approval-panel">
      {myTask && <DecisionBox obj={obj} taskId={myTask.id} node={myTask.nodeLabel} />}
      {running && running.submittedBy.id === me.data?.id && !myTask && <WithdrawButton obj={obj} id={id} />}
      <SentBack latest={history.data[0]} />
      {history.data.map((inst) => <InstanceHistory key={inst.id} inst={inst} />)}
    </Card>
  );
}

function DecisionBox({ obj, taskId, node }: { obj: ObjectMeta; taskId: string; node: string | null }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const refresh = useRefreshAfterAction();
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState<Decision | null>(null);
  const decide = async (d: Decision) => {
    setBusy(d);
    try {
      await decideTask(taskId, d, comment);
      message.success(t(d === 'approve' ? 'approvals.approvedToast' : 'approvals.rejectedToast'));
      setComment('');
      await refresh();
    } catch (e) {
      message.error(errorText(e, t));
    } finally {
      setBusy(null);
    }
  };
  return (
    <Alert type="info" style={{ marginBottom: 16 }} data-testid="decision-box"
      message={node ? t('approvals.waitingForYouAt', { node }) : t('approvals.waitingForYou')}
      description={
        <Space direction="vertical" style={{ width: '100%' }}>
          <Input.TextArea rows={2} value={comment} onChange={(e) => setComment(e.target.value)} placeholder={t('approvals.commentPlaceholder')} maxLength={2000} data-testid="approval-comment" />
          <Space wrap>
            <Button type="primary" icon={<CheckOutlined />} loading={busy === 'approve'} disabled={!!busy} onClick={() => decide('approve')} data-testid="approval-approve">{t('approvals.approve')}</Button>
            <Button danger icon={<CloseOutlined />} loading={busy === 'reject'} disabled={!!busy} onClick={() => decide('reject')} data-testid="approval-reject">{t('approvals.reject')}</Button>
            <MoreTaskActions taskId={taskId} comment={comment} busy={!!busy} onDone={() => setComment('')} />
          </Space>
        </Space>
      } />
  );
}

function WithdrawButton({ obj, id }: { obj: ObjectMeta; id: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const refresh = useRefreshAfterAction();
  const [busy, setBusy] = useState(false);
  return (
    <Button icon={<RollbackOutlined />} loading={busy} style={{ marginBottom: 12 }} data-testid="approval-withdraw" onClick={async () => {
      setBusy(true);
      try {
        await documentAction(obj.apiName, id, 'withdraw', {});
        message.success(t('approvals.withdrawn'));
        await refresh();
      } catch (e) {
        message.error(errorText(e, t));
      } finally {
        setBusy(false);
      }
    }}>{t('approvals.withdraw')}</Button>
  );
}

/** The latest approval sent the document back (退回修改 or 驳回): say so, with the approver's words, above the history. */
function SentBack({ latest }: { latest: ApprovalInstance | undefined }) {
  const { t } = useTranslation();
  if (!latest || (latest.status !== 'returned' && latest.status !== 'rejected')) return null;
  const why = [...latest.events].reverse().find((e) => e.action === (latest.status === 'returned' ? 'return' : 'reject'));
  return (
    <Alert type="warning" showIcon style={{ marginBottom: 12 }} data-testid="approval-sent-back" data-status={latest.status}
      message={t(latest.status === 'returned' ? 'approvalActions.sentBackReturned' : 'approvalActions.sentBackRejected', { who: why?.actor?.name ?? t('approvals.system') })}
      description={why?.comment ? `“${why.comment}”` : undefined} />
  );
}

const COLOR: Record<string, string> = { approve: 'green', auto_approve: 'green', finish: 'green', reject: 'red', auto_reject: 'red', return: 'orange', withdraw: 'gray' };
/** Bookkeeping steps of the engine that say nothing to a reader. */
const QUIET = new Set(['branch', 'skip']);

function InstanceHistory({ inst }: { inst: ApprovalInstance }) {
  const { t } = useTranslation();
  const lang = useLang();
  const nodeLabel = (e: ApprovalEvent) => inst.tasks.find((x) => x.id === e.taskId)?.nodeLabel ?? inst.tasks.find((x) => x.nodeId === e.nodeId)?.nodeLabel;
  const events = inst.events.filter((e) => !QUIET.has(e.action));
  return (
    <div data-testid="approval-instance" data-status={inst.status} style={{ marginBottom: 8 }}>
      <Typography.Text strong>{inst.flow.name}</Typography.Text> <StatusTag status={inst.status} />
      <Typography.Text type="secondary" style={{ marginInlineStart: 8 }}>{formatDateTime(inst.startedAt, lang)}</Typography.Text>
      {events.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> : (
        <Timeline style={{ marginTop: 12 }} items={events.map((e) => ({
          color: COLOR[e.action] ?? 'blue',
          children: (
            <div data-testid="approval-event" data-action={e.action}>
              <span>{e.actor?.name ?? t('approvals.system')}</span>{' '}
              <b>{t(`approvals.action.${e.action}`, { defaultValue: e.action })}</b>
              {nodeLabel(e) && <span> · {nodeLabel(e)}</span>}
              {e.targetUser && <span> → {e.targetUser.name}</span>}
              {e.action === 'add_approver' && positionOf(e) && <span> ({t(`approvalActions.${positionOf(e)}`)})</span>}
              <Typography.Text type="secondary" style={{ marginInlineStart: 8, fontSize: 12 }}>{formatDateTime(e.at, lang)}</Typography.Text>
              {e.comment && <div className="approval-comment" data-testid="approval-event-comment">“{e.comment}”</div>}
            </div>
          ),
        }))} />
      )}
    </div>
  );
}

/** 加签 before or after: kept in the event's detail. */
function positionOf(e: ApprovalEvent): 'before' | 'after' | null {
  const p = (e.detail as { position?: unknown } | null)?.position;
  return p === 'before' || p === 'after' ? p : null;
}
