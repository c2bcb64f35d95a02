import { keepPreviousData, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { get, post, qs } from '../../api/client.ts';

/**
 * "My approvals" and a record's approval history (apps/server/src/routes/approvals.routes.ts):
 *   GET  /api/v1/approvals/inbox?box=pending|submitted|done|cc&page&pageSize
 *   POST /api/v1/approvals/tasks/{taskId}/approve|reject   { comment }
 *   POST /api/v1/approvals/tasks/{taskId}/return           { comment }  (退回修改: the comment is required)
 *   POST /api/v1/approvals/tasks/{taskId}/transfer         { userId, comment }  (转办)
 *   POST /api/v1/approvals/tasks/{taskId}/add-approver     { userId, position: before|after, comment }  (加签)
 *   GET  /api/v1/approvals/tasks/{taskId}/candidates?q=    the users the task can go to
 *   GET  /api/v1/records/{object}/{id}/approvals
 *   POST /api/v1/records/{object}/{id}/submit|cancel|withdraw
 */
export type Box = 'pending' | 'submitted' | 'done' | 'cc';
export const BOXES: Box[] = ['pending', 'submitted', 'done', 'cc'];

export interface Person {
  id: string;
  name: string | null;
}

export interface InboxRow {
  instanceId: string;
  object: string;
  recordId: string;
  title: string | null;
  flowName: string;
  instanceStatus: string;
  submittedBy: Person;
  startedAt: string;
  finishedAt: string | null;
  task?: { id: string; status: string; nodeId: string; nodeLabel: string | null; comment: string | null; decidedAt: string | null; dueAt: string | null; createdAt: string };
  pendingWith?: Person[];
  cc?: { at: string; nodeId: string };
}

export interface ApprovalTask {
  id: string;
  nodeId: string;
  nodeLabel: string | null;
  status: string;
  origin: string;
  assignee: Person;
  comment: string | null;
  decidedAt: string | null;
  dueAt: string | null;
  createdAt: string;
}

export interface ApprovalEvent {
  id: number;
  action: string;
  nodeId: string | null;
  taskId: string | null;
  actor: Person | null;
  targetUser: Person | null;
  comment: string | null;
  detail: unknown;
  at: string;
}

export interface ApprovalInstance {
  id: string;
  flow: { id: string; name: string; version: number };
  object: string;
  recordId: string;
  title: string | null;
  status: string;
  submittedBy: Person;
  startedAt: string;
  finishedAt: string | null;
  tasks: ApprovalTask[];
  events: ApprovalEvent[];
}

export const INBOX_KEY = ['approvals', 'inbox'] as const;
const historyKey = (object: string, id: string) => ['approvals', 'record', object, id] as const;

export function useInbox(box: Box, page: number, pageSize = 20) {
  return useQuery({
    queryKey: [...INBOX_KEY, box, page, pageSize],
    queryFn: ({ signal }) => get<{ data: InboxRow[]; total: number }>(`/api/v1/approvals/inbox${qs({ box, page, pageSize })}`, signal),
    placeholderData: keepPreviousData,
  });
}

export function useRecordApprovals(object: string, id: string, enabled: boolean) {
  return useQuery({
    queryKey: historyKey(object, id),
    queryFn: ({ signal }) => get<{ data: ApprovalInstance[] }>(`/api/v1/records/${encodeURIComponent(object)}/${encodeURIComponent(id)}/approvals`, signal).then((r) => r.data),
    enabled,
  });
}

export type Decision = 'approve' | 'reject';

export const decideTask = (taskId: string, decision: Decision, comment: string) =>
  post<ApprovalInstance>(`/api/v1/approvals/tasks/${encodeURIComponent(taskId)}/${decision}`, comment.trim() ? { comment: comment.trim() } : {});

const taskUrl = (taskId: string, action: string) => `/api/v1/approvals/tasks/${encodeURIComponent(taskId)}/${action}`;
const withComment = (comment: string) => (comment.trim() ? { comment: comment.trim() } : {});

export const returnForChanges = (taskId: string, comment: string) => post<ApprovalInstance>(taskUrl(taskId, 'return'), { comment: comment.trim() });

export type HandOver = { kind: 'transfer' } | { kind: 'add'; position: 'before' | 'after' };

/** 转办 (the task goes to them) or 加签 (they approve too, before or after this task). */
export function handOverTask(taskId: string, how: HandOver, userId: string, comment: string) {
  return how.kind === 'transfer'
    ? post<ApprovalInstance>(taskUrl(taskId, 'transfer'), { userId, ...withComment(comment) })
    : post<ApprovalInstance>(taskUrl(taskId, 'add-approver'), { userId, position: how.position, ...withComment(comment) });
}

export interface Candidate {
  id: string;
  name: string | null;
  email: string;
  department: string | null;
}

export const searchCandidates = (taskId: string, q: string, signal?: AbortSignal) =>
  get<{ data: Candidate[] }>(`${taskUrl(taskId, 'candidates')}${qs({ q })}`, signal).then((r) => r.data);

export type DocumentAction = 'submit' | 'cancel' | 'withdraw';

export function documentAction(object: string, id: string, action: DocumentAction, body: Record<string, unknown>) {
  return post<Record<string, unknown>>(`/api/v1/records/${encodeURIComponent(object)}/${encodeURIComponent(id)}/${action}`, body);
}

/**
 * After a decision, a hand-over or a document action: the record, its history and every inbox box are stale —
 * and so are other objects' lists and records: the decision that ends a flow submits the document, and its
 * submit writes elsewhere (the ledger, stock, the order an invoice bills), so every records query, not only
 * those of `object`.
 */
export function useRefreshAfterAction() {
  const qc = useQueryClient();
  return () => refreshAfterAction(qc);
}

export function refreshAfterAction(qc: QueryClient): Promise<unknown> {
  return Promise.all([
    qc.invalidateQueries({ queryKey: ['records'] }),
    qc.invalidateQueries({ queryKey: ['approvals'] }),
  ]);
}
