import { sql } from 'kysely';
import { newId } from '@mosaic/kernel';
import type { Tx } from '@mosaic/db';
import { SYSTEM_USER_ID, type Run, type StepRow, type TaskRow } from '../approval.types.ts';
import type { StepMode, TaskStatus } from './step.rules.ts';

/** Row-level reads and writes of instances, steps, tasks and history — no decisions here. */

export async function insertStep(run: Run, nodeId: string, token: string, mode: StepMode, percentage: number | null): Promise<string> {
  const id = newId();
  await sql`INSERT INTO approval_step (tenant_id, id, instance_id, node_id, token, mode, percentage, started_at)
    VALUES (${run.actor.tenantId}, ${id}, ${run.instance.id}, ${nodeId}, ${token}, ${mode}, ${percentage}, ${run.now})`.execute(run.tx);
  return id;
}

export interface NewTask {
  stepId: string;
  nodeId: string;
  seq: number;
  assigneeId: string;
  status: TaskStatus;
  origin: TaskRow['origin'];
  fromTaskId?: string | null;
  dueAt?: Date | null;
  comment?: string | null;
}

export async function insertTask(run: Run, t: NewTask): Promise<string> {
  const id = newId();
  const decided = t.status === 'approved' ? run.now : null;
  await sql`INSERT INTO approval_task (tenant_id, id, instance_id, step_id, node_id, seq, assignee_id, status, origin, from_task_id, comment, decided_at, due_at, created_at)
    VALUES (${run.actor.tenantId}, ${id}, ${run.instance.id}, ${t.stepId}, ${t.nodeId}, ${t.seq}, ${t.assigneeId}, ${t.status}, ${t.origin},
      ${t.fromTaskId ?? null}, ${t.comment ?? null}, ${decided}, ${t.dueAt ?? null}, ${run.now})`.execute(run.tx);
  return id;
}

/** A decision on a task (or its end by transfer/cancel), by the run's actor unless `by` says otherwise. */
export async function decideTask(run: Run, taskId: string, status: TaskStatus, comment: string | null, by: string | null = actorId(run)): Promise<void> {
  await sql`UPDATE approval_task SET status = ${status}, comment = COALESCE(${comment}, comment), decided_by = ${by}, decided_at = ${run.now}
    WHERE id = ${taskId}`.execute(run.tx);
}

export async function cancelTasks(run: Run, ids: string[]): Promise<void> {
  if (ids.length) await sql`UPDATE approval_task SET status = 'cancelled', decided_at = ${run.now} WHERE id = ANY(${ids}::uuid[])`.execute(run.tx);
}

export async function stepTasks(tx: Tx, stepId: string): Promise<TaskRow[]> {
  return (await sql<TaskRow>`SELECT * FROM approval_task WHERE step_id = ${stepId} ORDER BY seq, created_at, id`.execute(tx)).rows;
}

export async function getStep(tx: Tx, stepId: string): Promise<StepRow> {
  return (await sql<StepRow>`SELECT * FROM approval_step WHERE id = ${stepId}`.execute(tx)).rows[0];
}

export async function setStepStatus(run: Run, stepId: string, status: StepRow['status']): Promise<void> {
  await sql`UPDATE approval_step SET status = ${status}, finished_at = ${run.now} WHERE id = ${stepId}`.execute(run.tx);
}

/** Ends everything still open in the instance: undecided tasks and active steps. */
export async function cancelOpenWork(run: Run): Promise<void> {
  await sql`UPDATE approval_task SET status = 'cancelled', decided_at = ${run.now} WHERE instance_id = ${run.instance.id} AND status IN ('waiting', 'pending')`.execute(run.tx);
  await sql`UPDATE approval_step SET status = 'cancelled', finished_at = ${run.now} WHERE instance_id = ${run.instance.id} AND status = 'active'`.execute(run.tx);
}

export async function saveInstance(run: Run): Promise<void> {
  const i = run.instance;
  await sql`UPDATE approval_instance SET status = ${i.status}, state = ${JSON.stringify(i.state)}, finished_at = ${i.finished_at}
    WHERE id = ${i.id}`.execute(run.tx);
}

export interface NewEvent {
  action: string;
  taskId?: string | null;
  nodeId?: string | null;
  comment?: string | null;
  targetUserId?: string | null;
  detail?: unknown;
  /** Default: the run's actor (null for the system). */
  actorId?: string | null;
}

/** One line of the approval history, readable on the record. */
export async function addEvent(run: Run, e: NewEvent): Promise<void> {
  const actor = e.actorId === undefined ? actorId(run) : e.actorId;
  await sql`INSERT INTO approval_event (tenant_id, instance_id, task_id, node_id, actor_id, action, comment, target_user_id, detail, at)
    VALUES (${run.actor.tenantId}, ${run.instance.id}, ${e.taskId ?? null}, ${e.nodeId ?? null}, ${actor}, ${e.action}, ${e.comment ?? null},
      ${e.targetUserId ?? null}, ${e.detail === undefined ? null : JSON.stringify(e.detail)}, ${run.now})`.execute(run.tx);
}

export function actorId(run: Run): string | null {
  return run.actor.userId === SYSTEM_USER_ID ? null : run.actor.userId;
}

/** When a task opened now would time out, from its node's timeout. */
export function dueAt(run: Run, nodeId: string): Date | null {
  const node = run.flow.graph.nodes.get(nodeId);
  if (node?.type !== 'approval' || !node.timeout) return null;
  return new Date(run.now.getTime() + node.timeout.hours * 3_600_000);
}
