import { useCallback, useMemo, useState } from 'react';
import { Alert, App, Button, Input, InputNumber, Space, Tag } from 'antd';
import { Background, Controls, MiniMap, ReactFlow, addEdge, useEdgesState, useNodesState, type Connection } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { ApiError } from '../../api/client.ts';
import { activateFlow, saveFlow, validateFlow, type Directory, type Flow, type FlowError, type NodeType } from './approval-flows-api.ts';
import { EdgeInspector } from './EdgeInspector.tsx';
import { FlowNodeView } from './FlowNodeView.tsx';
import { edgeLabel, newNode, toCanvas, toDefinition, type CanvasEdge } from './flow-convert.ts';
import { NodeInspector } from './NodeInspector.tsx';
import { useOptionText, useText } from './text.ts';

const NODE_TYPES = { flow: FlowNodeView };
const PALETTE: NodeType[] = ['approval', 'condition', 'parallel_split', 'parallel_join', 'cc', 'end'];

/**
 * The canvas (React Flow) with its palette, the inspector of the selected node
 * or edge, and save / validate / activate. The server validates (the same
 * rules as activation); its errors name nodes, which turn red here.
 */
export function DesignerWorkspace({ flow, directory, userFieldOptions, onSaved }: {
  flow: Flow;
  directory?: Directory;
  userFieldOptions: { value: string; label: string }[];
  onSaved: (flow: Flow) => void;
}) {
  const tx = useText();
  const o = useOptionText();
  const { message } = App.useApp();
  const initial = useMemo(() => toCanvas(flow.definition), [flow.definition]);
  const [nodes, setNodes, onNodesChange] = useNodesState(initial.nodes);
  const [edges, setEdges, onEdgesChange] = useEdgesState<CanvasEdge>(initial.edges);
  const [selected, setSelected] = useState<{ kind: 'node' | 'edge'; id: string } | null>(null);
  const [entryCondition, setEntryCondition] = useState(flow.definition.entryCondition ?? '');
  const [priority, setPriority] = useState(flow.definition.priority ?? 100);
  const [errors, setErrors] = useState<FlowError[] | null>(null);
  const [busy, setBusy] = useState(false);

  const onConnect = useCallback((c: Connection) => setEdges((es) => addEdge({ ...c, id: `e-${c.source}-${c.target}-${Date.now().toString(36)}`, data: { def: { source: c.source, target: c.target } } }, es)), [setEdges]);

  const showErrors = (errs: FlowError[]) => {
    setErrors(errs);
    setNodes((ns) => ns.map((n) => ({ ...n, data: { ...n.data, error: errs.filter((e) => e.node === n.id).map((e) => e.message).join('\n') || undefined } })));
  };

  /** Saves the canvas; an activated version comes back as the next version (running approvals keep theirs). */
  const save = async (): Promise<Flow> => {
    const def = toDefinition(nodes, edges, { entryCondition: entryCondition.trim() || null, priority });
    const saved = await saveFlow(flow.id, def);
    if (saved.id !== flow.id) void message.info(tx('savedNewVersion'));
    onSaved(saved);
    return saved;
  };

  const run = async (what: 'save' | 'validate' | 'activate') => {
    setBusy(true);
    try {
      const saved = await save();
      const check = await validateFlow(saved.id);
      showErrors(check.errors);
      if (what === 'activate' && check.valid) {
        onSaved(await activateFlow(saved.id));
        void message.success(tx('activated'));
      } else if (what === 'validate' && check.valid) void message.success(tx('valid'));
      else if (what === 'save') void message.success(tx('saved'));
    } catch (e) {
      const details = e instanceof ApiError ? (e.details as { errors?: FlowError[] } | undefined) : undefined;
      if (details?.errors) showErrors(details.errors);
      void message.error((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const addNode = (type: NodeType) => {
    const bottom = Math.max(0, ...nodes.map((n) => n.position.y));
    const node = newNode(type, nodes.map((n) => n.id), { x: 220, y: bottom + 120 });
    setNodes((ns) => [...ns, node]);
    setSelected({ kind: 'node', id: node.id });
  };

  const selectedNode = selected?.kind === 'node' ? nodes.find((n) => n.id === selected.id) : undefined;
  const selectedEdge = selected?.kind === 'edge' ? edges.find((e) => e.id === selected.id) : undefined;

  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input style={{ width: 320 }} placeholder={tx('entryCondition')} value={entryCondition} onChange={(e) => setEntryCondition(e.target.value)} data-testid="entry-condition" />
        <InputNumber min={0} max={10000} value={priority} onChange={(v) => setPriority(Number(v ?? 100))} addonBefore={tx('priority')} />
        <Button onClick={() => void run('save')} loading={busy} data-testid="flow-save">{tx('save')}</Button>
        <Button onClick={() => void run('validate')} loading={busy} data-testid="flow-validate">{tx('validate')}</Button>
        <Button type="primary" onClick={() => void run('activate')} loading={busy} data-testid="flow-activate">{tx('activate')}</Button>
        <Tag color={flow.active ? 'green' : 'default'}>v{flow.version} · {flow.active ? tx('active') : flow.activatedAt ? tx('inactive') : tx('draft')}</Tag>
      </Space>
      {errors && errors.length > 0 && (
        <Alert type="error" style={{ marginBottom: 12 }} message={`${tx('problems')} (${errors.length})`} data-testid="flow-errors"
          description={<ul style={{ margin: 0, paddingLeft: 18 }}>{errors.map((e, i) => <li key={i}>{e.message}</li>)}</ul>} />
      )}
      <div className="approval-designer">
        <div className="approval-canvas">
          <ReactFlow
            nodes={nodes} edges={edges} nodeTypes={NODE_TYPES} fitView
            onNodesChange={onNodesChange} onEdgesChange={onEdgesChange} onConnect={onConnect}
            onNodeClick={(_, n) => setSelected({ kind: 'node', id: n.id })}
            onEdgeClick={(_, e) => setSelected({ kind: 'edge', id: e.id })}
            onPaneClick={() => setSelected(null)}
            deleteKeyCode={null}
          >
            <Background />
            <Controls />
            <MiniMap pannable zoomable />
          </ReactFlow>
        </div>
        <div className="approval-side">
          <div className="approval-palette">
            {PALETTE.map((type) => <Button key={type} size="small" onClick={() => addNode(type)} data-testid={`add-${type}`}>+ {o(type)}</Button>)}
          </div>
          {selectedNode && (
            <NodeInspector def={selectedNode.data.def} directory={directory} userFieldOptions={userFieldOptions}
              onChange={(def) => setNodes((ns) => ns.map((n) => (n.id === def.id ? { ...n, data: { ...n.data, def } } : n)))}
              onRemove={() => {
                setNodes((ns) => ns.filter((n) => n.id !== selectedNode.id));
                setEdges((es) => es.filter((e) => e.source !== selectedNode.id && e.target !== selectedNode.id));
                setSelected(null);
              }} />
          )}
          {selectedEdge && (
            <EdgeInspector def={{ ...(selectedEdge.data?.def ?? {}), source: selectedEdge.source, target: selectedEdge.target }}
              fromCondition={nodes.find((n) => n.id === selectedEdge.source)?.data.def.type === 'condition'}
              onChange={(def) => setEdges((es) => es.map((e) => (e.id === selectedEdge.id ? { ...e, data: { def }, label: edgeLabel(def) } : e)))}
              onRemove={() => {
                setEdges((es) => es.filter((e) => e.id !== selectedEdge.id));
                setSelected(null);
              }} />
          )}
          {!selectedNode && !selectedEdge && <p style={{ color: '#8c8c8c' }}>{tx('selectHint')}</p>}
        </div>
      </div>
    </>
  );
}
