import { useState } from 'react';
import { App, Button, Form, Input, Modal, Select, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useMe } from '../../api/auth.ts';
import { useObjects } from '../../api/meta.ts';
import { ErrorState, PageSkeleton } from '../../components/States.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { labelOf, useLang } from '../../i18n/index.ts';
import { createFlow, listFlows, starterDefinition, type Flow } from './approval-flows-api.ts';
import { useText } from './text.ts';

/** 设置 → 审批流程: every flow version, and a button to start a new flow. */
export default function ApprovalFlowsPage() {
  const tx = useText();
  const lang = useLang();
  const navigate = useNavigate();
  const me = useMe();
  const flows = useQuery({ queryKey: ['approval-flows'], queryFn: ({ signal }) => listFlows(signal) });
  const objects = useObjects();
  const [creating, setCreating] = useState(false);
  if (me.data && !me.data.isAdmin) return <ErrorState error={new Error(tx('forbidden'))} />;
  if (flows.isPending) return <PageSkeleton />;
  if (flows.isError) return <ErrorState error={flows.error} onRetry={() => void flows.refetch()} />;
  const objectLabel = (api: string) => {
    const o = objects.data?.find((x) => x.apiName === api);
    return o ? labelOf(o.label, lang) : api;
  };

  return (
    <div>
      <PageHeader title={tx('flows')} extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="new-flow">{tx('newFlow')}</Button>} />
      <div className="page-card">
        <Table<Flow>
          rowKey="id" size="middle" dataSource={flows.data} pagination={false}
          onRow={(f) => ({ onClick: () => navigate(`/settings/approval-flows/${f.id}`), style: { cursor: 'pointer' } })}
          columns={[
            { key: 'name', title: tx('name'), render: (_, f) => <a>{f.name}</a> },
            { key: 'object', title: tx('object'), render: (_, f) => objectLabel(f.object) },
            { key: 'version', title: tx('version'), render: (_, f) => `v${f.version}` },
            { key: 'status', title: tx('status'), render: (_, f) => <Tag color={f.active ? 'green' : 'default'}>{f.active ? tx('active') : f.activatedAt ? tx('inactive') : tx('draft')}</Tag> },
          ]}
        />
      </div>
      {creating && (
        <NewFlowModal
          objects={(objects.data ?? []).filter((o) => o.isDocument && !o.isChild).map((o) => ({ value: o.apiName, label: labelOf(o.label, lang) }))}
          onClose={() => setCreating(false)}
          onCreated={(f) => navigate(`/settings/approval-flows/${f.id}`)}
        />
      )}
    </div>
  );
}

function NewFlowModal({ objects, onClose, onCreated }: { objects: { value: string; label: string }[]; onClose: () => void; onCreated: (f: Flow) => void }) {
  const tx = useText();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ object: string; name: string }>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      onCreated(await createFlow({ object: v.object, name: v.name, definition: starterDefinition() }));
    } catch (e) {
      void message.error((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={tx('newFlow')} onCancel={onClose} onOk={() => void submit()} confirmLoading={busy}>
      <Form form={form} layout="vertical">
        <Form.Item name="object" label={tx('object')} rules={[{ required: true }]}>
          <Select options={objects} showSearch optionFilterProp="label" data-testid="new-flow-object" />
        </Form.Item>
        <Form.Item name="name" label={tx('name')} rules={[{ required: true, max: 100 }]}>
          <Input data-testid="new-flow-name" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
