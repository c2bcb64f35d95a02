import { useState } from 'react';
import { App, Button, Input, Modal } from 'antd';
import { SendOutlined, StopOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { ObjectMeta, RecordData } from '../../api/types.ts';
import { errorText } from '../../components/States.tsx';
import { documentAction, useRefreshAfterAction } from './approvals-api.ts';
import { StatusTag } from './StatusTag.tsx';

/**
 * A document's lifecycle buttons on its detail page: 提交 while a draft, 作废
 * (with a reason) once submitted or approved. Each carries the version the user
 * saw, so a stale page gets a conflict instead of acting on newer data.
 */
export function DocumentActions({ obj, record }: { obj: ObjectMeta; record: RecordData }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const refresh = useRefreshAfterAction();
  const [busy, setBusy] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const [reason, setReason] = useState('');
  if (!obj.isDocument) return null;
  const status = String(record.status ?? 'draft');

  const run = async (action: 'submit' | 'cancel', body: Record<string, unknown>) => {
    setBusy(true);
    try {
      const after = await documentAction(obj.apiName, record.id, action, { version: record.version, ...body });
      message.success(action === 'submit' ? (after.$awaitingApproval ? t('approvals.submittedForApproval') : t('approvals.submitted')) : t('approvals.cancelled'));
      setCancelling(false);
      await refresh();
    } catch (e) {
      message.error(errorText(e, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <StatusTag status={status} testId="document-status" />
      {status === 'draft' && (
        <Button type="primary" icon={<SendOutlined />} loading={busy} onClick={() => run('submit', {})} data-testid="doc-submit">{t('approvals.submit')}</Button>
      )}
      {(status === 'submitted' || status === 'approved') && (
        <Button danger icon={<StopOutlined />} onClick={() => setCancelling(true)} data-testid="doc-cancel">{t('approvals.cancel')}</Button>
      )}
      {cancelling && (
        <Modal open title={t('approvals.cancelTitle')} okButtonProps={{ danger: true, loading: busy }} okText={t('approvals.cancel')}
          onCancel={() => setCancelling(false)} onOk={() => run('cancel', reason.trim() ? { reason: reason.trim() } : {})}>
          <Input.TextArea rows={3} value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('approvals.cancelReason')} maxLength={500} />
        </Modal>
      )}
    </>
  );
}
