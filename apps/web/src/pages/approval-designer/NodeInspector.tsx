import { Button, Input, InputNumber, Select, Space, Switch, Typography } from 'antd';
import { DeleteOutlined } from '@ant-design/icons';
import type { Approvers, Directory, FlowNodeDef } from './approval-flows-api.ts';
import { useOptionText, useText } from './text.ts';

/** The settings of the selected node: label; for approval nodes approvers, mode, timeout; for CC its recipients. */
export function NodeInspector({ def, directory, userFieldOptions, onChange, onRemove }: {
  def: FlowNodeDef;
  directory?: Directory;
  userFieldOptions: { value: string; label: string }[];
  onChange: (def: FlowNodeDef) => void;
  onRemove: () => void;
}) {
  const tx = useText();
  const o = useOptionText();
  const set = (patch: Partial<FlowNodeDef>) => onChange({ ...def, ...patch });
  const userOptions = (directory?.users ?? []).map((u) => ({ value: u.id, label: `${u.name}${u.department ? ` · ${u.department}` : ''}` }));
  const roleOptions = (directory?.roles ?? []).map((r) => ({ value: r.code, label: `${r.label?.zh ?? r.code} (${r.code})` }));
  const row = (label: string, control: React.ReactNode) => (
    <div style={{ marginBottom: 12 }}>
      <Typography.Text type="secondary">{label}</Typography.Text>
      <div>{control}</div>
    </div>
  );

  return (
    <div data-testid="node-inspector">
      <Space style={{ justifyContent: 'space-between', width: '100%', marginBottom: 8 }}>
        <Typography.Title level={5} style={{ margin: 0 }}>{o(def.type)} <code>{def.id}</code></Typography.Title>
        {def.type !== 'start' && <Button size="small" danger icon={<DeleteOutlined />} onClick={onRemove}>{tx('remove')}</Button>}
      </Space>
      {row(tx('label'), <Input value={def.label ?? ''} maxLength={100} onChange={(e) => set({ label: e.target.value || undefined })} data-testid="node-label" />)}
      {def.type === 'approval' && (
        <>
          {row(tx('approvers'), (
            <Select<Approvers['kind']> style={{ width: '100%' }} value={def.approvers?.kind ?? 'manager'} data-testid="node-approvers-kind"
              options={['manager', 'manager_chain', 'users', 'role', 'field'].map((k) => ({ value: k as Approvers['kind'], label: o(k) }))}
              onChange={(kind) => set({ approvers: defaultApprovers(kind) })} />
          ))}
          {def.approvers?.kind === 'users' && row(tx('users'), (
            <Select mode="multiple" style={{ width: '100%' }} value={def.approvers.userIds} options={userOptions} optionFilterProp="label" data-testid="node-users"
              onChange={(userIds: string[]) => set({ approvers: { kind: 'users', userIds } })} />
          ))}
          {def.approvers?.kind === 'role' && row(tx('roles'), (
            <Select style={{ width: '100%' }} value={def.approvers.role || undefined} options={roleOptions} showSearch optionFilterProp="label"
              onChange={(role: string) => set({ approvers: { kind: 'role', role } })} />
          ))}
          {def.approvers?.kind === 'manager_chain' && row(tx('levels'), (
            <InputNumber min={1} max={10} value={def.approvers.levels} onChange={(v) => set({ approvers: { kind: 'manager_chain', levels: Number(v ?? 1) } })} />
          ))}
          {def.approvers?.kind === 'field' && row(tx('field'), (
            <Select style={{ width: '100%' }} value={def.approvers.field || undefined} options={userFieldOptions}
              onChange={(field: string) => set({ approvers: { kind: 'field', field } })} />
          ))}
          {row(tx('mode'), (
            <Select style={{ width: '100%' }} value={def.mode ?? 'single'} data-testid="node-mode"
              options={['single', 'countersign', 'or_sign', 'percentage'].map((m) => ({ value: m, label: o(m) }))}
              onChange={(mode: FlowNodeDef['mode']) => set({ mode, percentage: mode === 'percentage' ? def.percentage ?? 60 : undefined })} />
          ))}
          {def.mode === 'percentage' && row(tx('percentage'), (
            <InputNumber min={1} max={100} value={def.percentage} onChange={(v) => set({ percentage: v === null ? undefined : Number(v) })} />
          ))}
          {row(tx('autoApprove'), <Switch checked={Boolean(def.autoApproveSubmitter)} onChange={(v) => set({ autoApproveSubmitter: v })} />)}
          {row(tx('ifNoApprover'), (
            <Select style={{ width: '100%' }} value={def.ifNoApprover ?? 'admin'} options={['admin', 'auto_approve'].map((v) => ({ value: v, label: o(v) }))}
              onChange={(v: FlowNodeDef['ifNoApprover']) => set({ ifNoApprover: v })} />
          ))}
          {row(tx('timeout'), (
            <Space.Compact style={{ width: '100%' }}>
              <InputNumber min={0.1} max={8784} style={{ width: 110 }} value={def.timeout?.hours}
                onChange={(v) => set({ timeout: v ? { hours: Number(v), action: def.timeout?.action ?? 'notify' } : undefined })} />
              <Select style={{ flex: 1 }} disabled={!def.timeout} value={def.timeout?.action ?? 'notify'}
                options={['notify', 'escalate_to_manager', 'auto_approve', 'auto_reject'].map((v) => ({ value: v, label: o(v) }))}
                onChange={(action: NonNullable<FlowNodeDef['timeout']>['action']) => def.timeout && set({ timeout: { ...def.timeout, action } })} />
            </Space.Compact>
          ))}
        </>
      )}
      {def.type === 'cc' && (
        <>
          {row(tx('users'), (
            <Select mode="multiple" style={{ width: '100%' }} value={def.recipients?.userIds ?? []} options={userOptions} optionFilterProp="label"
              onChange={(userIds: string[]) => set({ recipients: { roles: def.recipients?.roles ?? [], userIds } })} />
          ))}
          {row(tx('roles'), (
            <Select mode="multiple" style={{ width: '100%' }} value={def.recipients?.roles ?? []} options={roleOptions}
              onChange={(roles: string[]) => set({ recipients: { userIds: def.recipients?.userIds ?? [], roles } })} />
          ))}
        </>
      )}
    </div>
  );
}

function defaultApprovers(kind: Approvers['kind']): Approvers {
  switch (kind) {
    case 'users': return { kind, userIds: [] };
    case 'role': return { kind, role: '' };
    case 'manager': return { kind };
    case 'manager_chain': return { kind, levels: 2 };
    case 'field': return { kind, field: '' };
  }
}
