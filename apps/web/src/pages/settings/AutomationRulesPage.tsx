import { useState } from 'react';
import { App, Button, Drawer, Form, Input, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError, del, get, patch, post } from '../../api/client.ts';
import { useObjects } from '../../api/meta.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorState } from '../../components/States.tsx';
import { labelOf, useLang } from '../../i18n/index.ts';
import { editableFields } from '../../fields/values.ts';

interface Rule {
  id: string;
  name: string;
  object: string | null;
  enabled: boolean;
  trigger: { type: string; fields?: string[] };
  condition: string | null;
  actions: Action[];
  version: number;
}

/** The actions this editor writes; others (made through the API) show as their type and are kept. */
type Action =
  | { type: 'notify'; users: string[]; title: string; body?: string }
  | { type: 'update_record'; values: Record<string, unknown> }
  | { type: string; [k: string]: unknown };

interface ActionForm {
  type: 'notify' | 'update_record';
  title?: string;
  body?: string;
  field?: string;
  value?: string;
}

const TRIGGERS = ['created', 'updated', 'deleted'] as const;
const KEY = ['automation-rules'] as const;

/** 设置 → 自动化规则: when a record is created/updated/deleted and a formula holds, notify its owner or set a field. */
export default function AutomationRulesPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const objects = useObjects();
  const rules = useQuery({ queryKey: KEY, queryFn: ({ signal }) => get<{ data: Rule[] }>('/api/v1/automation/rules', signal).then((r) => r.data) });
  const [editing, setEditing] = useState<Rule | 'new' | null>(null);
  const toggle = useMutation({
    mutationFn: (r: Rule) => patch(`/api/v1/automation/rules/${r.id}`, { version: r.version, enabled: !r.enabled }),
    onSuccess: () => qc.invalidateQueries({ queryKey: KEY }),
    onError: (e) => message.error((e as Error).message),
  });
  const remove = useMutation({ mutationFn: (id: string) => del(`/api/v1/automation/rules/${id}`), onSuccess: () => qc.invalidateQueries({ queryKey: KEY }) });
  if (rules.isError) return <ErrorState error={rules.error} onRetry={() => void rules.refetch()} />;
  const objLabel = (name: string | null) => labelOf(objects.data?.find((o) => o.apiName === name)?.label, lang) || name || '—';

  return (
    <div>
      <PageHeader title={t('rules.title')} extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="new-rule">{t('rules.new')}</Button>} />
      <div className="page-card">
        <Table<Rule> rowKey="id" loading={rules.isPending} dataSource={rules.data ?? []} pagination={false} data-testid="rules"
          columns={[
            { key: 'name', title: t('rules.name'), render: (_, r) => <Typography.Link onClick={() => setEditing(r)}>{r.name}</Typography.Link> },
            { key: 'object', title: t('rules.object'), render: (_, r) => objLabel(r.object) },
            { key: 'trigger', title: t('rules.trigger'), render: (_, r) => t(`rules.triggers.${r.trigger.type}`, { defaultValue: r.trigger.type }) },
            { key: 'condition', title: t('rules.condition'), render: (_, r) => (r.condition ? <code>{r.condition}</code> : '—') },
            { key: 'actions', title: t('rules.actions'), render: (_, r) => r.actions.map((a, i) => <Tag key={i}>{t(`rules.actionTypes.${a.type}`, { defaultValue: a.type })}</Tag>) },
            { key: 'enabled', title: t('rules.enabled'), render: (_, r) => <Switch size="small" checked={r.enabled} onChange={() => toggle.mutate(r)} data-testid="rule-enabled" /> },
            { key: 'x', width: 80, render: (_, r) => <Button size="small" type="link" danger onClick={() => remove.mutate(r.id)}>{t('common.delete')}</Button> },
          ]} />
      </div>
      {editing && <RuleDrawer rule={editing === 'new' ? undefined : editing} onClose={() => setEditing(null)} />}
    </div>
  );
}

function toForm(a: Action): ActionForm | null {
  if (a.type === 'notify') return { type: 'notify', title: (a as { title: string }).title, body: (a as { body?: string }).body };
  if (a.type === 'update_record') {
    const [field, value] = Object.entries((a as { values: Record<string, unknown> }).values)[0] ?? [];
    return { type: 'update_record', field, value: value === undefined ? undefined : typeof value === 'object' ? JSON.stringify(value) : String(value) };
  }
  return null;
}

function fromForm(a: ActionForm): Action {
  if (a.type === 'notify') return { type: 'notify', users: ['$owner'], title: a.title ?? '', ...(a.body ? { body: a.body } : {}) };
  return { type: 'update_record', values: { [a.field ?? '']: a.value ?? null } };
}

function RuleDrawer({ rule, onClose }: { rule?: Rule; onClose: () => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const qc = useQueryClient();
  const objects = useObjects();
  const [form] = Form.useForm<{ name: string; object: string; trigger: string; condition?: string; actions: ActionForm[] }>();
  const objectName = Form.useWatch('object', form) ?? rule?.object;
  const obj = objects.data?.find((o) => o.apiName === objectName);
  const kept = (rule?.actions ?? []).filter((a) => !toForm(a)); // actions this editor does not show, kept in order at the end
  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) => (rule ? patch(`/api/v1/automation/rules/${rule.id}`, { ...body, version: rule.version }) : post('/api/v1/automation/rules', { ...body, enabled: true })),
    onSuccess: () => { void qc.invalidateQueries({ queryKey: KEY }); onClose(); },
  });
  const submit = async () => {
    const v = await form.validateFields();
    try {
      await save.mutateAsync({ name: v.name, object: v.object, trigger: { type: v.trigger }, condition: v.condition?.trim() || null, actions: [...(v.actions ?? []).map(fromForm), ...kept] });
    } catch (e) {
      const err = e as ApiError;
      const name = err.field?.startsWith('condition') ? 'condition' : err.field?.startsWith('actions') ? 'actions' : 'name';
      if (name === 'actions') form.setFields([{ name: 'name', errors: [] }]);
      form.setFields([{ name: name === 'actions' ? 'name' : name, errors: [err.message] }]);
    }
  };
  return (
    <Drawer open width={560} title={rule ? rule.name : t('rules.new')} onClose={onClose}
      extra={<Button type="primary" onClick={submit} loading={save.isPending} data-testid="save-rule">{t('common.save')}</Button>}>
      <Form form={form} layout="vertical" name="rule" initialValues={{
        name: rule?.name ?? '', object: rule?.object ?? undefined, trigger: rule?.trigger.type ?? 'created', condition: rule?.condition ?? '',
        actions: rule ? rule.actions.map(toForm).filter(Boolean) : [{ type: 'notify', title: '' }],
      }}>
        <Form.Item name="name" label={t('rules.name')} rules={[{ required: true, whitespace: true, message: t('errors.FIELD_REQUIRED') }]}><Input /></Form.Item>
        <Form.Item name="object" label={t('rules.object')} rules={[{ required: true, message: t('errors.FIELD_REQUIRED') }]}>
          <Select showSearch optionFilterProp="label" data-testid="rule-object"
            options={(objects.data ?? []).filter((o) => !o.isChild && !o.archived).map((o) => ({ value: o.apiName, label: labelOf(o.label, lang) }))} />
        </Form.Item>
        <Form.Item name="trigger" label={t('rules.trigger')}>
          <Select data-testid="rule-trigger" options={TRIGGERS.map((x) => ({ value: x, label: t(`rules.triggers.${x}`) }))} />
        </Form.Item>
        <Form.Item name="condition" label={t('rules.condition')} extra={t('rules.conditionHint')}>
          <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} placeholder='stage = "won"' style={{ fontFamily: 'monospace' }} />
        </Form.Item>
        <Form.List name="actions">
          {(items, { add, remove }) => (
            <Space direction="vertical" style={{ width: '100%' }}>
              <Typography.Text strong>{t('rules.actions')}</Typography.Text>
              {items.map((item) => (
                <div key={item.key} className="page-card" style={{ border: '1px solid #f0f0f0' }} data-testid="rule-action">
                  <Space align="start" wrap>
                    <Form.Item name={[item.name, 'type']} noStyle>
                      <Select style={{ width: 140 }} options={(['notify', 'update_record'] as const).map((x) => ({ value: x, label: t(`rules.actionTypes.${x}`) }))} />
                    </Form.Item>
                    <MinusCircleOutlined onClick={() => remove(item.name)} />
                  </Space>
                  <Form.Item noStyle shouldUpdate>
                    {() => (form.getFieldValue(['actions', item.name, 'type']) === 'update_record' ? (
                      <Space style={{ marginTop: 8 }} wrap>
                        <Form.Item name={[item.name, 'field']} noStyle rules={[{ required: true }]}>
                          <Select style={{ width: 160 }} placeholder={t('rules.field')} options={(obj ? editableFields(obj) : []).map((f) => ({ value: f.apiName, label: labelOf(f.label, lang) }))} />
                        </Form.Item>
                        <Form.Item name={[item.name, 'value']} noStyle><Input placeholder={t('rules.value')} style={{ width: 200 }} /></Form.Item>
                      </Space>
                    ) : (
                      <div style={{ marginTop: 8 }}>
                        <Form.Item name={[item.name, 'title']} rules={[{ required: true, message: t('errors.FIELD_REQUIRED') }]} extra={t('rules.notifyHint')} style={{ marginBottom: 8 }}>
                          <Input placeholder={t('rules.notifyTitle')} data-testid="notify-title" />
                        </Form.Item>
                      </div>
                    ))}
                  </Form.Item>
                </div>
              ))}
              <Button size="small" icon={<PlusOutlined />} onClick={() => add({ type: 'notify', title: '' })}>{t('rules.addAction')}</Button>
              {kept.length > 0 && <Typography.Text type="secondary">{t('rules.keptActions', { count: kept.length })}</Typography.Text>}
            </Space>
          )}
        </Form.List>
      </Form>
    </Drawer>
  );
}
