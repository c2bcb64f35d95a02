import { api, get, post } from '../../api/client.ts';

/** The approval-flow API the designer calls (admins only): /api/v1/approval-flows… */
export type NodeType = 'start' | 'approval' | 'condition' | 'parallel_split' | 'parallel_join' | 'cc' | 'end';

export type Approvers =
  | { kind: 'users'; userIds: string[] }
  | { kind: 'role'; role: string }
  | { kind: 'manager' }
  | { kind: 'manager_chain'; levels: number }
  | { kind: 'field'; field: string };

export interface FlowNodeDef {
  id: string;
  type: NodeType;
  label?: string;
  position?: { x: number; y: number };
  approvers?: Approvers;
  mode?: 'single' | 'countersign' | 'or_sign' | 'percentage';
  percentage?: number;
  autoApproveSubmitter?: boolean;
  ifNoApprover?: 'admin' | 'auto_approve';
  timeout?: { hours: number; action: 'escalate_to_manager' | 'auto_approve' | 'auto_reject' | 'notify' };
  recipients?: { userIds: string[]; roles: string[] };
}

export interface FlowEdgeDef {
  id?: string;
  source: string;
  target: string;
  label?: string;
  condition?: string;
  default?: boolean;
}

export interface FlowDefinition {
  entryCondition?: string | null;
  priority?: number;
  nodes: FlowNodeDef[];
  edges: FlowEdgeDef[];
}

export interface Flow {
  id: string;
  object: string;
  name: string;
  version: number;
  active: boolean;
  definition: FlowDefinition;
  activatedAt: string | null;
  updatedAt: string;
}

export interface FlowError {
  node?: string;
  edge?: string;
  message: string;
}

export interface Directory {
  users: { id: string; name: string; email: string; department: string | null }[];
  roles: { code: string; label: { zh: string; en?: string } }[];
}

export const listFlows = (signal?: AbortSignal) => get<{ data: Flow[] }>('/api/v1/approval-flows', signal).then((r) => r.data);
export const getFlow = (id: string, signal?: AbortSignal) => get<Flow>(`/api/v1/approval-flows/${encodeURIComponent(id)}`, signal);
export const createFlow = (body: { object: string; name: string; definition: FlowDefinition }) => post<Flow>('/api/v1/approval-flows', body);
export const saveFlow = (id: string, definition: FlowDefinition) => api<Flow>('PUT', `/api/v1/approval-flows/${encodeURIComponent(id)}`, { definition });
export const validateFlow = (id: string) => post<{ valid: boolean; errors: FlowError[] }>(`/api/v1/approval-flows/${encodeURIComponent(id)}/validate`);
export const activateFlow = (id: string) => post<Flow>(`/api/v1/approval-flows/${encodeURIComponent(id)}/activate`);
export const deactivateFlow = (id: string) => post<Flow>(`/api/v1/approval-flows/${encodeURIComponent(id)}/deactivate`);
export const flowDirectory = (signal?: AbortSignal) => get<Directory>('/api/v1/approval-flows/directory', signal);

/** A new flow starts as start → department manager → end. */
export function starterDefinition(): FlowDefinition {
  return {
    nodes: [
      { id: 'start', type: 'start', position: { x: 240, y: 20 } },
      { id: 'manager', type: 'approval', label: '部门经理', approvers: { kind: 'manager' }, mode: 'single', position: { x: 200, y: 140 } },
      { id: 'end', type: 'end', position: { x: 240, y: 280 } },
    ],
    edges: [{ source: 'start', target: 'manager' }, { source: 'manager', target: 'end' }],
  };
}
