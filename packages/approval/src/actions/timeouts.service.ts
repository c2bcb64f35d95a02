import { sql } from 'kysely';
import { clock, logger } from '@mosaic/kernel';
import { inTenantTx } from '@mosaic/db';
import type { Actor } from '@mosaic/access';
import { listTenantIds } from '@mosaic/identity';
import { SYSTEM_USER_ID, type ApprovalDeps, type Run, type TaskRow } from '../approval.types.ts';
import { notify } from '../notify.ts';
import { managersAbove } from '../runtime/approvers.ts';
import { closeInstance } from '../runtime/close-instance.ts';
import { addEvent, decideTask, insertTask } from '../runtime/instance.store.ts';
import { runOnTask } from '../runtime/instance-lock.ts';
import { notifyTask, settleStep } from '../runtime/walk.ts';

/**
 * The timeout sweep: every pending task past its due time (kernel clock, so
 * tests move time instead of sleeping) gets its node's timeout action —
 *   escalate_to_manager  the assignee's manager gets the task (once; no further timeout)
 *   auto_approve / auto_reject   decided by the system
 *   notify               the assignee is reminded; the task stays
 * Each task in its own transaction under the instance lock, re-checked there,
 * so a decision made meanwhile wins and two sweeps never act twice.
 */
export async function sweepApprovalTimeouts(deps: ApprovalDeps, opts: { tenantIds?: string[]; limit?: number } = {}): Promise<{ handled: number }> {
  const now = clock.now();
  let handled = 0;
  for (const tenantId of opts.tenantIds ?? (await listTenantIds(deps.db))) {
    const due = await inTenantTx(deps.db.app, { tenantId }, (tx) => sql<{ id: string }>`SELECT id FROM approval_task
      WHERE status = 'pending' AND NOT timeout_handled AND due_at <= ${now} ORDER BY due_at LIMIT ${opts.limit ?? 500}`.execute(tx));
    for (const { id } of due.rows) {
      try {
        if (await runOnTask(deps, systemActor(tenantId), id, (run, task) => handleTimeout(run, task), { asAssignee: false })) handled++;
      } catch (e) {
        logger.error({ err: e, tenantId, taskId: id }, 'approval timeout failed');
      }
    }
  }
  return { handled };
}

async function handleTimeout(run: Run, task: TaskRow): Promise<boolean> {
  const node = run.flow.graph.nodes.get(task.node_id);
  if (task.status !== 'pending' || task.timeout_handled || !task.due_at || task.due_at > run.now || node?.type !== 'approval' || !node.timeout) return false;
  await sql`UPDATE approval_task SET timeout_handled = true WHERE id = ${task.id}`.execute(run.tx);
  const base = { taskId: task.id, nodeId: task.node_id, actorId: null, detail: { hours: node.timeout.hours } };
  switch (node.timeout.action) {
    case 'escalate_to_manager': {
      const [manager] = await managersAbove(run.tx, task.assignee_id, 1);
      const taken = manager && (await sql`SELECT 1 FROM approval_task WHERE step_id = ${task.step_id} AND assignee_id = ${manager} AND status IN ('waiting', 'pending', 'approved')`.execute(run.tx)).rows.length;
      if (!manager || taken) {
        await addEvent(run, { ...base, action: 'timeout_notify', targetUserId: task.assignee_id, detail: { ...base.detail, escalation: 'no manager to escalate to' } });
        await remind(run, task);
        return true;
      }
      await decideTask(run, task.id, 'transferred', null, null);
      const id = await insertTask(run, { stepId: task.step_id, nodeId: task.node_id, seq: task.seq, assigneeId: manager, status: 'pending', origin: 'escalation', fromTaskId: task.id });
      await addEvent(run, { ...base, action: 'escalate', targetUserId: manager, detail: { ...base.detail, newTaskId: id } });
      await notifyTask(run, id, manager);
      return true;
    }
    case 'auto_approve':
      await decideTask(run, task.id, 'approved', '超时自动通过', null);
      await addEvent(run, { ...base, action: 'auto_approve', comment: '超时自动通过' });
      await settleStep(run, task.step_id);
      return true;
    case 'auto_reject':
      await decideTask(run, task.id, 'rejected', '超时自动驳回', null);
      await addEvent(run, { ...base, action: 'auto_reject', comment: '超时自动驳回' });
      if ((await settleStep(run, task.step_id)) === 'rejected') await closeInstance(run, 'rejected', '超时自动驳回');
      return true;
    case 'notify':
      await addEvent(run, { ...base, action: 'timeout_notify', targetUserId: task.assignee_id });
      await remind(run, task);
      return true;
  }
}

async function remind(run: Run, task: TaskRow): Promise<void> {
  const i = run.instance;
  await notify(run.tx, { kind: 'timeout', tenantId: run.actor.tenantId, userIds: [task.assignee_id], instanceId: i.id, object: i.object, recordId: i.record_id, title: i.title, taskId: task.id });
}

/** Timeouts act as the system: the nil user, allowed everything, recorded as "system" in the history. */
export function systemActor(tenantId: string): Actor {
  return { tenantId, userId: SYSTEM_USER_ID, companyId: null, departmentId: null, departmentIds: [], isAdmin: true, roleIds: [], locale: 'zh-CN', timeZone: 'Asia/Shanghai' };
}
