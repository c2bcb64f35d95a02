import { useEffect, useState } from 'react';
import { App, Button, Form, Input, Modal, Radio, Select, Space } from 'antd';
import { SwapOutlined, UndoOutlined, UserAddOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../components/States.tsx';
import { handOverTask, returnForChanges, searchCandidates, useRefreshAfterAction, type HandOver } from './approvals-api.ts';

/**
 * The approver's other answers beside approve/reject: 退回修改 (back to the
 * submitter as a draft, with the comment typed in the decision box — which the
 * server requires), 转办 (someone decides in my place) and 加签 (someone
 * approves too, before or after me), the last two through a user picker.
 */
export function MoreTaskActions({ taskId, comment, busy, onDone }: { taskId: string; comment: string; busy: boolean; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const refresh = useRefreshAfterAction();
  const [returning, setReturning] = useState(false);
  const [dialog, setDialog] = useState<HandOver['kind'] | null>(null);
  const sendBack = async () => {
    if (!comment.trim()) {
      message.warning(t('approvalActions.returnNeedsComment'));
      return;
    }
    setReturning(true);
    try {
      await returnForChanges(taskId, comment);
      message.success(t('approvalActions.returnedToast'));
      onDone();
      await refresh();
    } catch (e) {
      message.error(errorText(e, t));
    } finally {
      setReturning(false);
    }
  };
  return (
    <>
      <Button icon={<UndoOutlined />} loading={returning} disabled={busy || returning} onClick={sendBack} data-testid="approval-return">{t('approvalActions.return')}</Button>
      <Button icon={<SwapOutlined />} disabled={busy || returning} onClick={() => setDialog('transfer')} data-testid="approval-transfer">{t('approvalActions.transfer')}</Button>
      <Button icon={<UserAddOutlined />} disabled={busy || returning} onClick={() => setDialog('add')} data-testid="approval-add-approver">{t('approvalActions.addApprover')}</Button>
      {dialog && <HandOverDialog taskId={taskId} kind={dialog} onClose={(done) => { setDialog(null); if (done) onDone(); }} />}
    </>
  );
}

interface HandOverValues {
  userId: string;
  position: 'before' | 'after';
  comment?: string;
}

function HandOverDialog({ taskId, kind, onClose }: { taskId: string; kind: HandOver['kind']; onClose: (done: boolean) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const refresh = useRefreshAfterAction();
  const [form] = Form.useForm<HandOverValues>();
  const [saving, setSaving] = useState(false);
  const submit = async () => {
    const v = await form.validateFields();
    setSaving(true);
    try {
      await handOverTask(taskId, kind === 'transfer' ? { kind } : { kind, position: v.position }, v.userId, v.comment ?? '');
      message.success(t(kind === 'transfer' ? 'approvalActions.transferredToast' : 'approvalActions.addedToast'));
      onClose(true);
      await refresh();
    } catch (e) {
      message.error(errorText(e, t));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal open destroyOnHidden title={t(kind === 'transfer' ? 'approvalActions.transferTitle' : 'approvalActions.addTitle')}
      onCancel={() => onClose(false)} onOk={submit} confirmLoading={saving} okButtonProps={{ 'data-testid': 'handover-ok' } as Record<string, string>}>
      <Form form={form} layout="vertical" name="handover" initialValues={{ position: 'before' }}>
        <Form.Item name="userId" label={t(kind === 'transfer' ? 'approvalActions.transferTo' : 'approvalActions.addWho')} rules={[{ required: true, message: t('approvalActions.pickUser') }]}>
          <CandidatePicker taskId={taskId} />
        </Form.Item>
        {kind === 'add' && (
          <Form.Item name="position" label={t('approvalActions.position')}>
            <Radio.Group data-testid="handover-position" options={[
              { value: 'before', label: t('approvalActions.before') },
              { value: 'after', label: t('approvalActions.after') },
            ]} />
          </Form.Item>
        )}
        <Form.Item name="comment" label={t('approvalActions.comment')}>
          <Input.TextArea rows={2} maxLength={2000} data-testid="handover-comment" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** A user picker that asks the server as one types (name or e-mail); those already approving here are not offered. */
function CandidatePicker({ taskId, value, onChange }: { taskId: string; value?: string; onChange?: (v: string) => void }) {
  const { t } = useTranslation();
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setQ(typed.trim()), 250); // one request per pause in typing
    return () => clearTimeout(timer);
  }, [typed]);
  const found = useQuery({
    queryKey: ['approvals', 'candidates', taskId, q],
    queryFn: ({ signal }) => searchCandidates(taskId, q, signal),
    placeholderData: (prev) => prev,
  });
  return (
    <Select showSearch value={value} onChange={onChange} filterOption={false} onSearch={setTyped} loading={found.isFetching}
      placeholder={t('approvalActions.searchUser')} notFoundContent={found.isFetching ? null : t('approvalActions.noUser')} data-testid="handover-user"
      options={(found.data ?? []).map((u) => ({
        value: u.id,
        label: (
          <Space size={6} data-testid="handover-user-option">
            <span>{u.name ?? u.email}</span>
            <span style={{ color: 'rgba(0,0,0,.45)', fontSize: 12 }}>{[u.department, u.email].filter(Boolean).join(' · ')}</span>
          </Space>
        ),
      }))} />
  );
}
