import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { parseOrThrow } from '@mosaic/kernel';
import type { Actor } from '@mosaic/access';
import {
  addApprover, approveTask, commentOnTask, listInbox, recordApprovals, rejectTask, returnTask, taskCandidates, transferTask, withdrawApproval,
  ZAddApprover, ZCandidatesQuery, ZComment, ZDecision, ZInboxQuery, ZReject, ZReturn, ZTransfer, ZWithdraw, type ApprovalDeps, type InstanceView,
} from '@mosaic/approval';
import { recordsCtx } from '../http/context.ts';
import { withIdempotency } from '../http/idempotency.ts';
import { approvalFlowRoutes } from './approval-flows.routes.ts';

type TaskAction<S extends z.ZodType> = (deps: ApprovalDeps, actor: Actor, taskId: string, input: z.output<S>) => Promise<InstanceView>;

/**
 * Approvals (审批): the inbox, the actions on a task, withdraw, a record's
 * approval history, and (admin) the flow definitions.
 * (The rules engine's module plugs the approval engine into the document lifecycle, and its notices into the
 * bell, in every process: packages/automation/src/module.ts.)
 * Actions answer with the approval as it now stands and honour Idempotency-Key.
 */
export async function approvalRoutes(app: FastifyInstance): Promise<void> {
  const deps = (): ApprovalDeps => ({ db: app.mosaic.db, store: app.mosaic.store });

  app.get('/api/v1/approvals/inbox', async (request) => listInbox(deps(), request.actor!, parseOrThrow(ZInboxQuery, request.query)));

  const taskAction = <S extends z.ZodType>(name: string, schema: S, fn: TaskAction<S>) =>
    app.post<{ Params: { taskId: string } }>(`/api/v1/approvals/tasks/:taskId/${name}`, async (request, reply) =>
      withIdempotency(request, reply, 200, () => fn(deps(), request.actor!, request.params.taskId, parseOrThrow(schema, request.body ?? {}))));
  taskAction('approve', ZDecision, approveTask);
  taskAction('reject', ZReject, rejectTask);
  taskAction('return', ZReturn, returnTask);
  taskAction('transfer', ZTransfer, transferTask);
  taskAction('add-approver', ZAddApprover, addApprover);
  taskAction('comment', ZComment, commentOnTask);
  // Whom the assignee may transfer the task to or add (转办 / 加签), for the picker.
  app.get<{ Params: { taskId: string } }>('/api/v1/approvals/tasks/:taskId/candidates', async (request) =>
    taskCandidates(deps(), request.actor!, request.params.taskId, parseOrThrow(ZCandidatesQuery, request.query)));

  app.post<{ Params: { object: string; id: string } }>('/api/v1/records/:object/:id/withdraw', async (request, reply) =>
    withIdempotency(request, reply, 200, () => withdrawApproval(deps(), request.actor!, request.params.object, request.params.id, parseOrThrow(ZWithdraw, request.body ?? {}))));
  app.get<{ Params: { object: string; id: string } }>('/api/v1/records/:object/:id/approvals', async (request) =>
    recordApprovals(recordsCtx(app.mosaic, request.guard), request.params.object, request.params.id));

  await app.register(approvalFlowRoutes);
}
