import { useState } from 'react';
import { App, Button, Empty, Form, Input, Modal, Popconfirm, Space, Tree, Typography } from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorState, PageSkeleton } from '../../components/States.tsx';
import { departmentTree, useAdminWrite, useDepartments, type DepartmentView, type DeptNode } from './admin-api.ts';

/** 设置 → 部门: the department tree; add a sub-department, rename, remove an empty one. */
export default function DepartmentsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const depts = useDepartments();
  const write = useAdminWrite();
  const [editing, setEditing] = useState<{ parent?: DepartmentView; dept?: DepartmentView } | null>(null);
  if (depts.isError) return <ErrorState error={depts.error} onRetry={() => void depts.refetch()} />;
  if (depts.isPending) return <PageSkeleton />;
  const byId = new Map(depts.data.map((d) => [d.id, d]));

  const remove = async (d: DepartmentView) => {
    try {
      await write.mutateAsync({ method: 'DELETE', url: `/api/v1/admin/departments/${d.id}` });
      message.success(t('common.deleted'));
    } catch (e) {
      message.error((e as ApiError).message);
    }
  };

  return (
    <div>
      <PageHeader title={t('departments.title')} extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({})} data-testid="new-department">{t('departments.new')}</Button>} />
      <div className="page-card" data-testid="department-tree">
        {depts.data.length === 0 ? <Empty /> : (
          <Tree<DeptNode> key={depts.data.length} blockNode defaultExpandAll selectable={false} treeData={departmentTree(depts.data)}
            titleRender={(n) => {
              const d = byId.get(String(n.key))!;
              return (
                <Space className="dept-node" data-testid="department" data-name={d.name}>
                  <span>{d.name}</span>
                  <Button size="small" type="text" icon={<PlusOutlined />} aria-label={t('departments.addChild')} title={t('departments.addChild')} onClick={() => setEditing({ parent: d })} data-testid="add-child" />
                  <Button size="small" type="text" icon={<EditOutlined />} aria-label={t('common.edit')} onClick={() => setEditing({ dept: d })} data-testid="rename" />
                  <Popconfirm title={t('departments.removeConfirm', { name: d.name })} onConfirm={() => remove(d)}>
                    <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} data-testid="remove" />
                  </Popconfirm>
                </Space>
              );
            }} />
        )}
        <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>{t('departments.hint')}</Typography.Paragraph>
      </div>
      {editing && <DepartmentModal {...editing} onClose={() => setEditing(null)} />}
    </div>
  );
}

function DepartmentModal({ parent, dept, onClose }: { parent?: DepartmentView; dept?: DepartmentView; onClose: () => void }) {
  const { t } = useTranslation();
  const write = useAdminWrite();
  const [form] = Form.useForm<{ name: string }>();
  const submit = async () => {
    const { name } = await form.validateFields();
    try {
      if (dept) await write.mutateAsync({ method: 'PATCH', url: `/api/v1/admin/departments/${dept.id}`, body: { name } });
      else await write.mutateAsync({ method: 'POST', url: '/api/v1/admin/departments', body: { name, parentId: parent?.id ?? null } });
      onClose();
    } catch (e) {
      form.setFields([{ name: 'name', errors: [(e as ApiError).message] }]);
    }
  };
  return (
    <Modal open title={dept ? t('departments.rename') : parent ? t('departments.newUnder', { name: parent.name }) : t('departments.new')}
      onCancel={onClose} onOk={submit} confirmLoading={write.isPending} destroyOnHidden>
      <Form form={form} layout="vertical" name="department" initialValues={{ name: dept?.name ?? '' }} onFinish={submit}>
        <Form.Item name="name" label={t('departments.name')} rules={[{ required: true, whitespace: true, message: t('errors.FIELD_REQUIRED') }]}><Input autoFocus maxLength={100} /></Form.Item>
      </Form>
    </Modal>
  );
}
