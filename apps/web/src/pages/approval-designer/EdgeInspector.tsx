import { Button, Input, Switch, Typography } from 'antd';
import { DeleteOutlined } from '@ant-design/icons';
import type { FlowEdgeDef } from './approval-flows-api.ts';
import { useText } from './text.ts';

/** The selected edge: out of a condition node it carries a condition (formula) or is the default branch. */
export function EdgeInspector({ def, fromCondition, onChange, onRemove }: {
  def: FlowEdgeDef;
  fromCondition: boolean;
  onChange: (def: FlowEdgeDef) => void;
  onRemove: () => void;
}) {
  const tx = useText();
  return (
    <div data-testid="edge-inspector">
      <Typography.Title level={5}>{def.source} → {def.target}</Typography.Title>
      <div style={{ marginBottom: 12 }}>
        <Typography.Text type="secondary">{tx('label')}</Typography.Text>
        <Input value={def.label ?? ''} maxLength={100} onChange={(e) => onChange({ ...def, label: e.target.value || undefined })} />
      </div>
      {fromCondition && (
        <>
          <div style={{ marginBottom: 12 }}>
            <Typography.Text type="secondary">{tx('isDefault')}</Typography.Text>
            <div><Switch checked={Boolean(def.default)} onChange={(v) => onChange({ ...def, default: v || undefined, condition: v ? undefined : def.condition })} /></div>
          </div>
          {!def.default && (
            <div style={{ marginBottom: 12 }}>
              <Typography.Text type="secondary">{tx('condition')}</Typography.Text>
              <Input.TextArea rows={3} value={def.condition ?? ''} style={{ fontFamily: 'monospace' }} data-testid="edge-condition"
                onChange={(e) => onChange({ ...def, condition: e.target.value || undefined })} />
            </div>
          )}
        </>
      )}
      <Button size="small" danger icon={<DeleteOutlined />} onClick={onRemove}>{tx('remove')}</Button>
    </div>
  );
}
