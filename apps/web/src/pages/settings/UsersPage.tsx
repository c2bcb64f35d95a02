import { useState } from 'react';
import { Alert, App, Button, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, TreeSelect, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorState } from '../../components/States.tsx';
import { labelOf, useLang } from '../../i18n/index.ts';
import { departmentTree, useAdminWrite, useDepartments, useRoles, useUsers, type UserView } from './admin-api.ts';

/** 设置 → 用户: invite (an account with a one-time initial password), roles, deactivate / reactivate. */
export default function UsersPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const { message } = App.useApp();
  const users = useUsers();
  const roles = useRoles();
  const depts = useDepartments();
  const write = useAdminWrite();
  const [inviting, setInviting] = useState(false);
  const roleName = (id: string) => labelOf(roles.data?.find((r) => r.id === id)?.label, lang) || id.slice(0, 8);
  const deptName = (id: string | null) => depts.data?.find((d) => d.id === id)?.name ?? '—';

  const setActive = async (u: UserView, active: boolean) => {
    try {
      await write.mutateAsync({ method: 'PATCH', url: `/api/v1/admin/users/${u.id}`, body: { active } });
      message.success(active ? t('users.reactivated') : t('users.deactivated'));
    } catch (e) {
      message.error((e as Error).message);
    }
  };

  if (users.isError) return <ErrorState error={users.error} onRetry={() => void users.refetch()} />;
  return (
    <div>
      <PageHeader title={t('users.title')} extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setInviting(true)} data-testid="invite-user">{t('users.invite')}</Button>} />
      <div className="page-card">
        <Table<UserView> rowKey="id" loading={users.isPending} dataSource={users.data ?? []} pagination={{ pageSize: 50 }} data-testid="users"
          rowClassName={(u) => (u.active ? '' : 'row-archived')}
          columns={[
            { key: 'name', title: t('users.name'), render: (_, u) => <span>{u.name} {u.isAdmin && <Tag color="gold">{t('users.admin')}</Tag>}</span> },
            { key: 'email', title: t('users.email'), dataIndex: 'email' },
            { key: 'dept', title: t('users.department'), render: (_, u) => deptName(u.departmentId) },
            {
              key: 'roles', title: t('users.roles'), render: (_, u) => (
                <Select mode="multiple" size="small" style={{ minWidth: 200 }} value={u.roleIds} variant="borderless" data-testid="user-roles"
                  options={(roles.data ?? []).map((r) => ({ value: r.id, label: labelOf(r.label, lang) }))}
                  onChange={(roleIds) => write.mutateAsync({ method: 'PUT', url: `/api/v1/admin/users/${u.id}/roles`, body: { roleIds } }).then(() => message.success(t('common.saved')), (e: Error) => message.error(e.message))}
                  labelRender={(o) => roleName(String(o.value))} />
              ),
            },
            { key: 'status', title: t('users.status'), render: (_, u) => (u.active ? <Tag color="green">{t('users.active')}</Tag> : <Tag>{t('users.inactive')}</Tag>) },
            {
              key: 'x', width: 110, render: (_, u) => (u.active ? (
                <Popconfirm title={t('users.deactivateConfirm', { name: u.name })} onConfirm={() => setActive(u, false)}>
                  <Button size="small" type="link" danger data-testid="deactivate-user">{t('users.deactivate')}</Button>
                </Popconfirm>
              ) : <Button size="small" type="link" onClick={() => setActive(u, true)} data-testid="reactivate-user">{t('users.reactivate')}</Button>),
            },
          ]} />
      </div>
      {inviting && <InviteModal onClose={() => setInviting(false)} roles={(roles.data ?? []).map((r) => ({ value: r.id, label: labelOf(r.label, lang) }))} tree={departmentTree(depts.data ?? [])} />}
    </div>
  );
}

/** A readable one-time password: the admin hands it over; the user changes it from the user menu. */
function initialPassword(): string {
  const a = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';
  const r = crypto.getRandomValues(new Uint32Array(14));
  return `${Array.from(r, (x) => a[x % a.length]).join('')}-9`;
}

function InviteModal({ onClose, roles, tree }: { onClose: () => void; roles: { value: string; label: string }[]; tree: ReturnType<typeof departmentTree> }) {
  const { t } = useTranslation();
  const write = useAdminWrite();
  const [form] = Form.useForm<{ email: string; name: string; departmentId?: string; roleIds: string[]; password: string }>();
  const [done, setDone] = useState<{ email: string; password: string } | null>(null);
  const submit = async () => {
    const v = await form.validateFields();
    try {
      await write.mutateAsync({ method: 'POST', url: '/api/v1/admin/users', body: { ...v, departmentId: v.departmentId ?? null } });
      setDone({ email: v.email, password: v.password });
    } catch (e) {
      const err = e as ApiError;
      form.setFields([{ name: (['email', 'name', 'password'].includes(err.field ?? '') ? err.field : 'email') as 'email', errors: [err.message] }]);
    }
  };
  return (
    <Modal open title={t('users.invite')} onCancel={onClose} destroyOnHidden
      footer={done ? <Button type="primary" onClick={onClose}>{t('common.close')}</Button> : undefined} onOk={submit} confirmLoading={write.isPending}>
      {done ? (
        <Alert type="success" showIcon message={t('users.invited', { email: done.email })}
          description={<Typography.Paragraph copyable={{ text: done.password }} style={{ marginBottom: 0 }}>{t('users.initialPassword')}: <code data-testid="initial-password">{done.password}</code></Typography.Paragraph>} />
      ) : (
        <Form form={form} layout="vertical" name="invite" initialValues={{ roleIds: [], password: initialPassword() }}>
          <Form.Item name="email" label={t('users.email')} rules={[{ required: true, type: 'email', message: t('users.emailInvalid') }]}><Input /></Form.Item>
          <Form.Item name="name" label={t('users.name')} rules={[{ required: true, whitespace: true, message: t('errors.FIELD_REQUIRED') }]}><Input /></Form.Item>
          <Form.Item name="departmentId" label={t('users.department')}><TreeSelect treeData={tree} allowClear treeDefaultExpandAll data-testid="invite-department" /></Form.Item>
          <Form.Item name="roleIds" label={t('users.roles')}><Select mode="multiple" options={roles} optionFilterProp="label" data-testid="invite-roles" /></Form.Item>
          <Form.Item name="password" label={t('users.initialPassword')} extra={t('users.initialPasswordHint')} rules={[{ required: true }]}><Input /></Form.Item>
        </Form>
      )}
    </Modal>
  );
}
