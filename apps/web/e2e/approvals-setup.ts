import { expect } from 'vitest';
import type { Mosaic } from './server.ts';

/**
 * The approvals browser tests' world, made through the API: a 采购申请
 * document object, a requester role and an approver role, 张三 (requester),
 * 王经理 (the flow's approver) and 李主管 (an approver 王经理 can hand over
 * to), and an active one-step flow 采购审批 → 经理审批 (王经理).
 */
export interface Person {
  email: string;
  name: string;
  password: string;
  id: string;
}

export interface ApprovalsWorld {
  A: Person;
  B: Person;
  C: Person;
  /** 张三's API token: his drafts and submissions are made as himself. */
  requesterToken: string;
  draft(name: string, amount: number): Promise<string>;
  submitted(name: string, amount: number): Promise<string>;
}

export async function setUpApprovals(mosaic: Mosaic): Promise<ApprovalsWorld> {
  const ok = async <T = any>(p: Promise<{ status: number; body: T }>, status = 200): Promise<T> => {
    const r = await p;
    expect(r.status, JSON.stringify(r.body)).toBe(status);
    return r.body;
  };
  const role = async (code: string, zh: string, actions: string[]): Promise<string> => {
    const r = await ok(mosaic.api('POST', '/api/v1/admin/roles', { code, label: { zh } }), 201);
    await ok(mosaic.api('PUT', `/api/v1/admin/roles/${r.id}/permissions`, { permissions: actions.map((action) => ({ object: 'purchase_request', action, scope: 'all' })) }));
    return r.id;
  };
  await ok(mosaic.api('POST', '/api/v1/meta/objects', {
    apiName: 'purchase_request', label: { zh: '采购申请', en: 'Purchase request' }, module: 'custom', isDocument: true,
    fields: [{ apiName: 'name', type: 'text', label: { zh: '事由', en: 'Subject' } }, { apiName: 'amount', type: 'decimal', label: { zh: '金额', en: 'Amount' } }],
  }), 201);
  const requesterRole = await role('requester', '申请人', ['read', 'create', 'edit', 'submit']);
  const approverRole = await role('approver', '审批人', ['read']);
  const A: Person = { email: 'zhang@e2e.local', name: '张三', password: 'Requester-Pw-2026!', id: '' };
  const B: Person = { email: 'wang@e2e.local', name: '王经理', password: 'Approver-Pw-2026!', id: '' };
  const C: Person = { email: 'li@e2e.local', name: '李主管', password: 'Deputy-Pw-2026!', id: '' };
  for (const [who, roleId] of [[A, requesterRole], [B, approverRole], [C, approverRole]] as const) {
    who.id = (await ok(mosaic.api('POST', '/api/v1/admin/users', { email: who.email, name: who.name, password: who.password, roleIds: [roleId] }), 201)).id;
  }
  const flow = await ok(mosaic.api('POST', '/api/v1/approval-flows', {
    object: 'purchase_request', name: '采购审批',
    definition: {
      nodes: [{ id: 'start', type: 'start' }, { id: 'mgr', type: 'approval', label: '经理审批', approvers: { kind: 'users', userIds: [B.id] } }, { id: 'end', type: 'end' }],
      edges: [{ source: 'start', target: 'mgr' }, { source: 'mgr', target: 'end' }],
    },
  }), 201);
  await ok(mosaic.api('POST', `/api/v1/approval-flows/${flow.id}/activate`));
  const login = await fetch(`${mosaic.base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: A.email, password: A.password }) });
  const requesterToken = (await login.json()).token as string;

  const asRequester = async (url: string, body: unknown) => {
    const r = await fetch(`${mosaic.base}${url}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${requesterToken}` }, body: JSON.stringify(body) });
    const json = await r.json();
    expect(r.status, JSON.stringify(json)).toBeLessThan(300);
    return json;
  };
  const draft = async (name: string, amount: number) => (await asRequester('/api/v1/records/purchase_request', { name, amount })).id as string;
  const submitted = async (name: string, amount: number) => {
    const d = await asRequester('/api/v1/records/purchase_request', { name, amount });
    await asRequester(`/api/v1/records/purchase_request/${d.id}/submit`, { version: d.version });
    return d.id as string;
  };
  return { A, B, C, requesterToken, draft, submitted };
}
