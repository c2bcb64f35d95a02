import type { Edge, Node } from '@xyflow/react';
import type { FlowDefinition, FlowEdgeDef, FlowNodeDef, NodeType } from './approval-flows-api.ts';

/** What a canvas node carries: the definition node itself (its config), plus an error to show. */
export type FlowNodeData = { def: FlowNodeDef; error?: string };
export type CanvasNode = Node<FlowNodeData, 'flow'>;
export type CanvasEdge = Edge<{ def: FlowEdgeDef; error?: string }>;

/** Definition → React Flow nodes and edges (positions kept in the definition). */
export function toCanvas(def: FlowDefinition): { nodes: CanvasNode[]; edges: CanvasEdge[] } {
  const nodes = def.nodes.map((n, i): CanvasNode => ({
    id: n.id, type: 'flow', position: n.position ?? { x: 200, y: 20 + i * 120 }, data: { def: n },
  }));
  const edges = def.edges.map((e, i): CanvasEdge => ({
    id: e.id ?? `e${i}-${e.source}-${e.target}`, source: e.source, target: e.target, data: { def: e }, label: edgeLabel(e),
  }));
  return { nodes, edges };
}

/** React Flow nodes and edges → definition; edge order (which a condition tries first) follows the canvas order. */
export function toDefinition(nodes: CanvasNode[], edges: CanvasEdge[], base: Pick<FlowDefinition, 'entryCondition' | 'priority'>): FlowDefinition {
  return {
    ...base,
    nodes: nodes.map((n) => ({ ...n.data.def, id: n.id, position: { x: Math.round(n.position.x), y: Math.round(n.position.y) } })),
    edges: edges.map((e) => clean({ ...(e.data?.def ?? {}), id: e.id, source: e.source, target: e.target })),
  };
}

export function edgeLabel(e: FlowEdgeDef): string | undefined {
  if (e.default) return e.label ?? '默认 / default';
  return e.label ?? e.condition;
}

/** A fresh node of a type, with sensible defaults, at a position. */
export function newNode(type: NodeType, existing: string[], position: { x: number; y: number }): CanvasNode {
  let i = 1;
  while (existing.includes(`${type}_${i}`)) i++;
  const id = `${type}_${i}`;
  const def: FlowNodeDef = { id, type };
  if (type === 'approval') Object.assign(def, { label: '审批', approvers: { kind: 'manager' }, mode: 'single' });
  if (type === 'cc') Object.assign(def, { label: '抄送', recipients: { userIds: [], roles: [] } });
  if (type === 'condition') def.label = '条件';
  return { id, type: 'flow', position, data: { def } };
}

function clean(e: FlowEdgeDef): FlowEdgeDef {
  const out: FlowEdgeDef = { id: e.id, source: e.source, target: e.target };
  if (e.label) out.label = e.label;
  if (e.default) out.default = true;
  else if (e.condition) out.condition = e.condition;
  return out;
}
