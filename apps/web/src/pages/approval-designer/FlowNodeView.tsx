import { Handle, Position, type NodeProps } from '@xyflow/react';
import type { CanvasNode } from './flow-convert.ts';
import { useOptionText } from './text.ts';

const COLORS: Record<string, string> = {
  start: '#52c41a', end: '#8c8c8c', approval: '#1677ff', condition: '#faad14', parallel_split: '#722ed1', parallel_join: '#722ed1', cc: '#13c2c2',
};

/** One node on the canvas: its type, label and a one-line summary; red when validation found a problem. */
export function FlowNodeView({ data, selected }: NodeProps<CanvasNode>) {
  const o = useOptionText();
  const def = data.def;
  const color = COLORS[def.type] ?? '#1677ff';
  const summary = def.type === 'approval' && def.approvers ? `${o(def.approvers.kind)} · ${o(def.mode ?? 'single')}` : '';
  return (
    <div
      className={`approval-node${selected ? ' is-selected' : ''}${data.error ? ' has-error' : ''}`}
      style={{ borderColor: data.error ? '#ff4d4f' : color }}
      title={data.error}
      data-testid={`flow-node-${def.id}`}
    >
      {def.type !== 'start' && <Handle type="target" position={Position.Top} />}
      <div className="approval-node-type" style={{ color }}>{o(def.type)}</div>
      {(def.label || (def.type !== 'start' && def.type !== 'end')) && <div className="approval-node-label">{def.label || def.id}</div>}
      {summary && <div className="approval-node-summary">{summary}</div>}
      {def.type !== 'end' && <Handle type="source" position={Position.Bottom} />}
    </div>
  );
}
