import { useState } from 'react';
import { Alert, App, Button, Form, Input, InputNumber, Modal, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError, del, get, post } from '../../api/client.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useLang } from '../../i18n/index.ts';

export type AccountDialog = 'password' | 'sessions' | 'tokens';

interface SessionView {
  id: string;
  name: string | null;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string | null;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}

/** The user menu's dialogs, in their own chunk: change password, my sessions, API tokens. */
export default function AccountDialogs({ which, onClose }: { which: AccountDialog; onClose: () => void }) {
  if (which === 'password') return <PasswordDialog onClose={onClose} />;
  if (which === 'sessions') return <SessionsDialog onClose={onClose} />;
  return <TokensDialog onClose={onClose} />;
}

function PasswordDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ currentPassword: string; newPassword: string; confirm: string }>();
  const change = useMutation({ mutationFn: (b: { currentPassword: string; newPassword: string }) => post('/api/v1/auth/password', b) });
  const submit = async () => {
    const v = await form.validateFields();
    try {
      await change.mutateAsync({ currentPassword: v.currentPassword, newPassword: v.newPassword });
      message.success(t('account.passwordChanged'));
      onClose();
    } catch (e) {
      const err = e as ApiError;
      const field = err.field === 'currentPassword' || err.field === 'newPassword' ? err.field : 'newPassword';
      form.setFields([{ name: field, errors: [field === 'currentPassword' && err.code === 'FIELD_INVALID' ? t('account.wrongPassword') : err.message] }]);
    }
  };
  return (
    <Modal open title={t('account.changePassword')} onCancel={onClose} onOk={submit} confirmLoading={change.isPending} destroyOnHidden>
      <Form form={form} layout="vertical" name="password" onFinish={submit}>
        <Form.Item name="currentPassword" label={t('account.currentPassword')} rules={[{ required: true, message: t('errors.FIELD_REQUIRED') }]}>
          <Input.Password autoComplete="current-password" autoFocus />
        </Form.Item>
        <Form.Item name="newPassword" label={t('account.newPassword')} rules={[{ required: true, message: t('errors.FIELD_REQUIRED') }, { min: 10, message: t('account.passwordRule') }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item name="confirm" label={t('account.confirmPassword')} dependencies={['newPassword']}
          rules={[{ required: true, message: t('errors.FIELD_REQUIRED') }, ({ getFieldValue }) => ({
            validator: (_, v) => (!v || v === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('account.passwordMismatch')))),
          })]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Typography.Text type="secondary">{t('account.passwordEffect')}</Typography.Text>
        <button type="submit" hidden />
      </Form>
    </Modal>
  );
}

function useMine(kind: 'sessions' | 'tokens') {
  return useQuery({ queryKey: ['auth', kind], queryFn: ({ signal }) => get<{ data: SessionView[] }>(`/api/v1/auth/${kind}`, signal).then((r) => r.data) });
}

function SessionsDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const sessions = useMine('sessions');
  const revoke = async (ids: string[]) => {
    await Promise.all(ids.map((id) => del(`/api/v1/auth/sessions/${id}`)));
    void qc.invalidateQueries({ queryKey: ['auth', 'sessions'] });
    message.success(t('account.sessionsEnded', { count: ids.length }));
  };
  const others = (sessions.data ?? []).filter((s) => !s.current);
  return (
    <Modal open title={t('account.sessions')} onCancel={onClose} footer={null} width={720}>
      <Space style={{ marginBottom: 12 }}>
        <Popconfirm title={t('account.logoutOthersConfirm', { count: others.length })} onConfirm={() => revoke(others.map((s) => s.id))} disabled={!others.length}>
          <Button danger disabled={!others.length} data-testid="logout-others">{t('account.logoutOthers')}</Button>
        </Popconfirm>
      </Space>
      <Table<SessionView> rowKey="id" size="small" loading={sessions.isPending} dataSource={sessions.data ?? []} pagination={false} data-testid="sessions"
        columns={[
          { key: 'ua', title: t('account.device'), render: (_, s) => <span>{s.userAgent ? s.userAgent.slice(0, 60) : '—'} {s.current && <Tag color="green">{t('account.thisSession')}</Tag>}</span> },
          { key: 'ip', title: 'IP', dataIndex: 'ip' },
          { key: 'seen', title: t('account.lastSeen'), render: (_, s) => formatDateTime(s.lastSeenAt, lang) },
          { key: 'x', width: 90, render: (_, s) => !s.current && <Button size="small" type="link" danger onClick={() => revoke([s.id])}>{t('account.end')}</Button> },
        ]} />
    </Modal>
  );
}

function TokensDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const qc = useQueryClient();
  const tokens = useMine('tokens');
  const [form] = Form.useForm<{ name: string; expiresInDays?: number }>();
  const [created, setCreated] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: (b: { name: string; expiresInDays?: number }) => post<{ token: string }>('/api/v1/auth/tokens', b),
    onSuccess: (r) => { setCreated(r.token); form.resetFields(); void qc.invalidateQueries({ queryKey: ['auth', 'tokens'] }); },
  });
  const revoke = useMutation({ mutationFn: (id: string) => del(`/api/v1/auth/tokens/${id}`), onSuccess: () => qc.invalidateQueries({ queryKey: ['auth', 'tokens'] }) });
  return (
    <Modal open title={t('account.tokens')} onCancel={onClose} footer={null} width={720}>
      {created && (
        <Alert type="success" showIcon style={{ marginBottom: 12 }} message={t('account.tokenOnce')}
          description={<Typography.Paragraph copyable={{ text: created }} style={{ marginBottom: 0 }}><code data-testid="new-token">{created}</code></Typography.Paragraph>} />
      )}
      <Form form={form} layout="inline" name="token" onFinish={(v) => create.mutate({ name: v.name, expiresInDays: v.expiresInDays ?? undefined })} style={{ marginBottom: 12 }}>
        <Form.Item name="name" rules={[{ required: true, whitespace: true, message: t('errors.FIELD_REQUIRED') }]}>
          <Input placeholder={t('account.tokenName')} maxLength={100} />
        </Form.Item>
        <Form.Item name="expiresInDays">
          <InputNumber min={1} max={3650} placeholder={t('account.expiresInDays')} style={{ width: 140 }} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={create.isPending} data-testid="create-token">{t('account.createToken')}</Button>
      </Form>
      <Table<SessionView> rowKey="id" size="small" loading={tokens.isPending} dataSource={tokens.data ?? []} pagination={false} data-testid="tokens"
        columns={[
          { key: 'name', title: t('account.tokenName'), dataIndex: 'name' },
          { key: 'created', title: t('account.created'), render: (_, s) => formatDateTime(s.createdAt, lang) },
          { key: 'expires', title: t('account.expires'), render: (_, s) => (s.expiresAt ? formatDateTime(s.expiresAt, lang) : t('account.never')) },
          { key: 'x', width: 90, render: (_, s) => (
            <Popconfirm title={t('account.revokeConfirm')} onConfirm={() => revoke.mutate(s.id)}>
              <Button size="small" type="link" danger data-testid="revoke-token">{t('account.revoke')}</Button>
            </Popconfirm>
          ) },
        ]} />
    </Modal>
  );
}
