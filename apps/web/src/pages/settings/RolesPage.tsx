import { useEffect, useMemo, useState } from 'react';
import { App, Button, Empty, Form, Input, Layout, Menu, Modal, Radio, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import './roles.css';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { useObjects } from '../../api/meta.ts';
import type { ObjectMeta } from '../../api/types.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorState, PageSkeleton } from '../../components/States.tsx';
import { labelOf, useLang } from '../../i18n/index.ts';
import NotFoundPage from '../../views/NotFoundPage.tsx';
import { ACTIONS, SCOPES, useAdminWrite, useRoles, type FieldRule, type Permission, type RoleView } from './admin-api.ts';
import { ScopeFilterButton, type Filters } from './ScopeFilter.tsx';

/**
 * 设置 → 角色权限: the matrix of object × action → record scope (none, own,
 * department, department and below, company, all, or a custom filter — records
 * matching conditions), and field rules (hidden / read-only) per object. Saving
 * replaces the role's whole set, as the API does.
 */
export default function RolesPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const { id } = useParams();
  const navigate = useNavigate();
  const roles = useRoles();
  const [creating, setCreating] = useState(false);
  if (roles.isError) return <ErrorState error={roles.error} onRetry={() => void roles.refetch()} />;
  if (roles.isPending) return <PageSkeleton />;
  // A role just created may not be in the list yet: wait for the refetch rather than show another role's editor.
  const role = id ? roles.data.find((r) => r.id === id) : roles.data[0];
  if (id && !role) return roles.isFetching ? <PageSkeleton /> : <NotFoundPage />;
  return (
    <div>
      <PageHeader title={t('roles.title')} extra={<Button icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="new-role">{t('roles.new')}</Button>} />
      <Layout className="page-card" style={{ flexDirection: 'row', gap: 16 }}>
        <Menu mode="inline" style={{ width: 200, borderInlineEnd: '1px solid #f0f0f0' }} selectedKeys={role ? [role.id] : []} data-testid="role-list"
          items={roles.data.map((r) => ({ key: r.id, label: <span>{labelOf(r.label, lang)} <Typography.Text type="secondary">({r.userCount})</Typography.Text></span> }))}
          onClick={({ key }) => navigate(`/settings/roles/${key}`)} />
        <div style={{ flex: 1, minWidth: 0 }}>{role ? <RoleEditor key={`${role.id}`} role={role} /> : <Empty />}</div>
      </Layout>
      {creating && <NewRoleModal onClose={(newId) => { setCreating(false); if (newId) navigate(`/settings/roles/${newId}`); }} />}
    </div>
  );
}

type Matrix = Record<string, Record<string, string>>; // object → action → scope

function toMatrix(perms: Permission[]): Matrix {
  const m: Matrix = {};
  for (const p of perms) (m[p.object] ??= {})[p.action] = p.scope;
  return m;
}

function toFilters(perms: Permission[]): Filters {
  const f: Filters = {};
  for (const p of perms) if (p.scope === 'filter' && p.filter) (f[p.object] ??= {})[p.action] = p.filter;
  return f;
}

function RoleEditor({ role }: { role: RoleView }) {
  const { t } = useTranslation();
  const lang = useLang();
  const { message } = App.useApp();
  const objects = useObjects();
  const write = useAdminWrite();
  const [matrix, setMatrix] = useState<Matrix>(() => toMatrix(role.permissions));
  const [filters, setFilters] = useState<Filters>(() => toFilters(role.permissions));
  const [rules, setRules] = useState<FieldRule[]>(role.fieldRules);
  const [ruleObject, setRuleObject] = useState<string | undefined>();
  const [objectQuery, setObjectQuery] = useState('');
  useEffect(() => { setMatrix(toMatrix(role.permissions)); setFilters(toFilters(role.permissions)); setRules(role.fieldRules); }, [role]);
  const top = useMemo(() => (objects.data ?? []).filter((o) => !o.isChild && !o.archived), [objects.data]);
  // Well over a hundred objects: the matrix shows those whose name or code has the search text.
  const shown = useMemo(() => {
    const q = objectQuery.trim().toLowerCase();
    return q ? top.filter((o) => [o.apiName, o.label.zh, o.label.en ?? ''].some((x) => x.toLowerCase().includes(q))) : top;
  }, [top, objectQuery]);
  const scopeOptions = [{ value: '', label: '—' }, ...SCOPES.map((s) => ({ value: s, label: t(`roles.scopes.${s}`) })), { value: 'filter', label: t('scopeFilter.scope') }];

  const save = async () => {
    const permissions: Permission[] = [];
    for (const [object, actions] of Object.entries(matrix)) {
      for (const [action, scope] of Object.entries(actions)) {
        if (!scope) continue;
        if (scope !== 'filter') { permissions.push({ object, action, scope }); continue; }
        const filter = filters[object]?.[action];
        if (!filter) {
          message.error(t('scopeFilter.missing', { object: labelOf(top.find((o) => o.apiName === object)?.label, lang) || object, action: t(`roles.actions.${action}`) }));
          return;
        }
        permissions.push({ object, action, scope, filter });
      }
    }
    try {
      await write.mutateAsync({ method: 'PUT', url: `/api/v1/admin/roles/${role.id}/permissions`, body: { permissions } });
      await write.mutateAsync({ method: 'PUT', url: `/api/v1/admin/roles/${role.id}/field-rules`, body: { rules } });
      message.success(t('roles.saved'));
    } catch (e) {
      message.error((e as ApiError).message);
    }
  };

  const ruleObj = top.find((o) => o.apiName === ruleObject);
  return (
    <div>
      <Space style={{ marginBottom: 12, justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={5} style={{ margin: 0 }}>{labelOf(role.label, lang)} <Tag>{role.code}</Tag>{role.builtIn && <Tag color="blue">{t('roles.builtIn')}</Tag>}</Typography.Title>
        <Button type="primary" onClick={save} loading={write.isPending} data-testid="save-role">{t('common.save')}</Button>
      </Space>
      <Tabs items={[
        {
          key: 'objects', label: t('roles.objectRights'),
          children: (<>
            <Input.Search allowClear placeholder={t('scopeFilter.searchObjects')} value={objectQuery} onChange={(e) => setObjectQuery(e.target.value)}
              style={{ width: 280, marginBottom: 12 }} data-testid="perm-search" />
            <Table<ObjectMeta> rowKey="apiName" size="small" dataSource={shown} pagination={false} scroll={{ x: 'max-content', y: 520 }} data-testid="permission-matrix"
              columns={[
                { key: 'object', title: t('roles.object'), fixed: 'left', width: 140, render: (_, o) => labelOf(o.label, lang) },
                ...ACTIONS.map((a) => ({
                  key: a, title: t(`roles.actions.${a}`), width: 120,
                  // A native select per cell: a matrix of a few hundred antd Selects is slow to render on a small machine.
                  render: (_: unknown, o: ObjectMeta) => (<span style={{ whiteSpace: 'nowrap' }}>
                    <select className="scope-select" value={matrix[o.apiName]?.[a] ?? ''} data-testid={`perm-${o.apiName}-${a}`} aria-label={`${labelOf(o.label, lang)} ${t(`roles.actions.${a}`)}`}
                      onChange={(e) => { const scope = e.target.value; setMatrix((m) => ({ ...m, [o.apiName]: { ...m[o.apiName], [a]: scope } })); }}>
                      {scopeOptions.map((x) => <option key={x.value} value={x.value}>{x.label}</option>)}
                    </select>
                    {matrix[o.apiName]?.[a] === 'filter' && (
                      <ScopeFilterButton obj={o} action={a} filter={filters[o.apiName]?.[a]}
                        onChange={(f) => setFilters((m) => ({ ...m, [o.apiName]: { ...m[o.apiName], [a]: f } }))} />
                    )}
                  </span>),
                })),
              ]} />
          </>),
        },
        {
          key: 'fields', label: t('roles.fieldRights'),
          children: (
            <div>
              <Select showSearch optionFilterProp="label" placeholder={t('roles.pickObject')} style={{ width: 240, marginBottom: 12 }} value={ruleObject} onChange={setRuleObject} data-testid="rule-object"
                options={top.map((o) => ({ value: o.apiName, label: labelOf(o.label, lang) }))} />
              {ruleObj && (
                <Table size="small" rowKey="apiName" pagination={false} dataSource={ruleObj.fields.filter((f) => !f.system && !f.archived)} data-testid="field-rules"
                  columns={[
                    { key: 'f', title: t('roles.field'), render: (_, f) => labelOf(f.label, lang) },
                    {
                      key: 'r', title: t('roles.fieldRule'), render: (_, f) => {
                        const cur = rules.find((r) => r.object === ruleObj.apiName && r.field === f.apiName)?.rule ?? '';
                        return (
                          <Radio.Group size="small" value={cur} optionType="button" data-testid={`rule-${f.apiName}`}
                            onChange={(e) => setRules((rs) => [...rs.filter((r) => !(r.object === ruleObj.apiName && r.field === f.apiName)),
                              ...(e.target.value ? [{ object: ruleObj.apiName, field: f.apiName, rule: e.target.value as FieldRule['rule'] }] : [])])}
                            options={[{ value: '', label: t('roles.visible') }, { value: 'read_only', label: t('roles.readOnly') }, { value: 'hidden', label: t('roles.hidden') }]} />
                        );
                      },
                    },
                  ]} />
              )}
            </div>
          ),
        },
      ]} />
    </div>
  );
}

function NewRoleModal({ onClose }: { onClose: (id?: string) => void }) {
  const { t } = useTranslation();
  const write = useAdminWrite();
  const [form] = Form.useForm<{ code: string; zh: string; en?: string }>();
  const submit = async () => {
    const v = await form.validateFields();
    try {
      const r = (await write.mutateAsync({ method: 'POST', url: '/api/v1/admin/roles', body: { code: v.code, label: { zh: v.zh, en: v.en || undefined } } })) as RoleView;
      onClose(r.id);
    } catch (e) {
      form.setFields([{ name: 'code', errors: [(e as ApiError).message] }]);
    }
  };
  return (
    <Modal open title={t('roles.new')} onCancel={() => onClose()} onOk={submit} confirmLoading={write.isPending} destroyOnHidden>
      <Form form={form} layout="vertical" name="new-role">
        <Form.Item name="zh" label={t('roles.nameZh')} rules={[{ required: true, whitespace: true, message: t('errors.FIELD_REQUIRED') }]}><Input /></Form.Item>
        <Form.Item name="en" label={t('roles.nameEn')}><Input /></Form.Item>
        <Form.Item name="code" label={t('roles.code')} rules={[{ required: true, pattern: /^[a-z][a-z0-9_]{1,39}$/, message: t('roles.codeRule') }]}><Input /></Form.Item>
      </Form>
    </Modal>
  );
}
