import { sql } from 'kysely';
import { AppError } from '@mosaic/kernel';
import type { Actor } from '@mosaic/access';
import type { ApprovalDeps, Run, TaskRow } from '../approval.types.ts';
import { instanceView, type InstanceView } from '../queries/instance-view.ts';
import { activeUsers } from '../runtime/approvers.ts';
import { closeInstance } from '../runtime/close-instance.ts';
import { addEvent, decideTask, dueAt, insertTask } from '../runtime/instance.store.ts';
import { runOnTask } from '../runtime/instance-lock.ts';
import { notifyTask, rewindTo, settleStep } from '../runtime/walk.ts';
import type { TAddApprover, TComment, TDecision, TReject, TReturn, TTransfer } from './task-actions.schema.ts';

/**
 * What an approver does with a task of theirs. Each runs under the instance's
 * row lock (runOnTask), is recorded in the history, and answers with the
 * approval as it now stands. A task of someone else's is a 404.
 *
 *   POST /api/v1/approvals/tasks/{taskId}/approve   { "comment": "同意" }
 */
export function approveTask(deps: ApprovalDeps, actor: Actor, taskId: string, input: TDecision): Promise<InstanceView> {
  return runOnTask(deps, actor, taskId, async (run, task) => {
    assertPending(task);
    await decideTask(run, task.id, 'approved', input.comment ?? null);
    await addEvent(run, { action: 'approve', taskId: task.id, nodeId: task.node_id, comment: input.comment });
    await settleStep(run, task.step_id);
    return instanceView(run.tx, run.instance.id, run.flow);
  });
}

/** Reject: the document goes back to draft — or, with `toNode`, the flow restarts at an approval node it already passed. */
export function rejectTask(deps: ApprovalDeps, actor: Actor, taskId: string, input: TReject): Promise<InstanceView> {
  return runOnTask(deps, actor, taskId, async (run, task) => {
    assertPending(task);
    if (input.toNode) await assertEarlierNode(run, input.toNode);
    await decideTask(run, task.id, 'rejected', input.comment ?? null);
    await addEvent(run, { action: 'reject', taskId: task.id, nodeId: task.node_id, comment: input.comment, detail: input.toNode ? { toNode: input.toNode } : undefined });
    // In percentage mode one rejection may not decide the step; then it is only a vote.
    if ((await settleStep(run, task.step_id)) === 'rejected') {
      if (input.toNode) await rewindTo(run, input.toNode);
      else await closeInstance(run, 'rejected', input.comment);
    }
    return instanceView(run.tx, run.instance.id, run.flow);
  });
}

/** Return for changes (退回修改): back to draft with the comment; resubmitting starts the approval again. */
export function returnTask(deps: ApprovalDeps, actor: Actor, taskId: string, input: TReturn): Promise<InstanceView> {
  return runOnTask(deps, actor, taskId, async (run, task) => {
    assertPending(task);
    await decideTask(run, task.id, 'returned', input.comment);
    await addEvent(run, { action: 'return', taskId: task.id, nodeId: task.node_id, comment: input.comment });
    await closeInstance(run, 'returned', input.comment);
    return instanceView(run.tx, run.instance.id, run.flow);
  });
}

/** Transfer (转交) the task to another user, who decides in your place. */
export function transferTask(deps: ApprovalDeps, actor: Actor, taskId: string, input: TTransfer): Promise<InstanceView> {
  return runOnTask(deps, actor, taskId, async (run, task) => {
    assertPending(task);
    await assertNewApprover(run, task, input.userId);
    await decideTask(run, task.id, 'transferred', input.comment ?? null);
    const id = await insertTask(run, {
      stepId: task.step_id, nodeId: task.node_id, seq: task.seq, assigneeId: input.userId, status: 'pending',
      origin: 'transfer', fromTaskId: task.id, dueAt: dueAt(run, task.node_id),
    });
    await addEvent(run, { action: 'transfer', taskId: task.id, nodeId: task.node_id, comment: input.comment, targetUserId: input.userId, detail: { newTaskId: id } });
    await notifyTask(run, id, input.userId);
    return instanceView(run.tx, run.instance.id, run.flow);
  });
}

/**
 * 加签. `before`: the added approver decides first and this task waits (with
 * the rest of its group) until they approve. `after`: the added approver
 * decides once this task's group is done. Either way this task keeps its vote.
 */
export function addApprover(deps: ApprovalDeps, actor: Actor, taskId: string, input: TAddApprover): Promise<InstanceView> {
  return runOnTask(deps, actor, taskId, async (run, task) => {
    assertPending(task);
    await assertNewApprover(run, task, input.userId);
    const before = input.position === 'before';
    await sql`UPDATE approval_task SET seq = seq + 1 WHERE step_id = ${task.step_id} AND (seq > ${task.seq} OR (${before} AND seq = ${task.seq}))`.execute(run.tx);
    if (before) {
      await sql`UPDATE approval_task SET status = 'waiting', due_at = NULL WHERE step_id = ${task.step_id} AND seq = ${task.seq + 1} AND status = 'pending'`.execute(run.tx);
    }
    const id = await insertTask(run, {
      stepId: task.step_id, nodeId: task.node_id, seq: before ? task.seq : task.seq + 1, assigneeId: input.userId,
      status: before ? 'pending' : 'waiting', origin: before ? 'add_before' : 'add_after', fromTaskId: task.id,
      dueAt: before ? dueAt(run, task.node_id) : null,
    });
    await addEvent(run, { action: 'add_approver', taskId: task.id, nodeId: task.node_id, comment: input.comment, targetUserId: input.userId, detail: { position: input.position, newTaskId: id } });
    if (before) await notifyTask(run, id, input.userId);
    await settleStep(run, task.step_id);
    return instanceView(run.tx, run.instance.id, run.flow);
  });
}

/** A comment on the approval without a decision; allowed on any task of yours, decided or not. */
export function commentOnTask(deps: ApprovalDeps, actor: Actor, taskId: string, input: TComment): Promise<InstanceView> {
  return runOnTask(deps, actor, taskId, async (run, task) => {
    await addEvent(run, { action: 'comment', taskId: task.id, nodeId: task.node_id, comment: input.comment });
    return instanceView(run.tx, run.instance.id, run.flow);
  });
}

// ---------------------------------------------------------------- helpers

function assertPending(task: TaskRow): void {
  if (task.status !== 'pending') {
    const why = task.status === 'waiting' ? 'it waits for an approver added before you' : `it is already ${task.status}`;
    throw new AppError('CONFLICT', `This task cannot be decided now: ${why}.`, { details: { status: task.status } });
  }
}

/** A transfer or 加签 must name an active user who has no open or approving task in this step yet. */
async function assertNewApprover(run: Run, task: TaskRow, userId: string): Promise<void> {
  if (!(await activeUsers(run.tx, [userId])).length) throw new AppError('FIELD_INVALID', 'userId: no active user with this id', { field: 'userId' });
  const taken = await sql`SELECT 1 FROM approval_task WHERE step_id = ${task.step_id} AND assignee_id = ${userId}
    AND status IN ('waiting', 'pending', 'approved')`.execute(run.tx);
  if (taken.rows.length) throw new AppError('FIELD_INVALID', 'userId: this user already approves at this step', { field: 'userId' });
}

/** Reject-to-node goes back only to an approval node this instance has already passed, outside parallel branches. */
async function assertEarlierNode(run: Run, nodeId: string): Promise<void> {
  const node = run.flow.graph.nodes.get(nodeId);
  const passed = await sql`SELECT 1 FROM approval_step WHERE instance_id = ${run.instance.id} AND node_id = ${nodeId} AND status = 'approved' AND token = ''`.execute(run.tx);
  if (node?.type !== 'approval' || !passed.rows.length) {
    throw new AppError('FIELD_INVALID', `toNode: "${nodeId.slice(0, 64)}" is not an approval node this approval has passed`, { field: 'toNode' });
  }
}
