import { sql } from 'kysely';
import { AppError } from '@mosaic/kernel';
import type { Run } from '../approval.types.ts';
import type { TApprovalNode, TCcNode } from '../definition/flow-definition.schema.ts';
import { notify } from '../notify.ts';
import { tenantAdmins } from '@mosaic/identity';
import { resolveApprovers, roleMembers, activeUsers } from './approvers.ts';
import { closeInstance } from './close-instance.ts';
import { conditionHolds } from './conditions.ts';
import { addEvent, cancelOpenWork, cancelTasks, dueAt, getStep, insertStep, insertTask, setStepStatus, stepTasks } from './instance.store.ts';
import { stepOutcome, type StepMode } from './step.rules.ts';

/**
 * Moves a token into a node and on through the graph until it waits for
 * people (an approval node), for other branches (a parallel join) or reaches
 * the end. `token` is the path of parallel branches the walk is in:
 * '' outside, "/split1:0" in the first branch of split1, nested with more segments.
 */
export async function enterNode(run: Run, nodeId: string, token: string): Promise<void> {
  if (run.instance.status !== 'running') return;
  const g = run.flow.graph;
  const node = g.node(nodeId);
  switch (node.type) {
    case 'start':
      return enterNode(run, g.next(node.id), token);
    case 'condition':
      return enterNode(run, await chooseBranch(run, node.id), token);
    case 'approval':
      return enterApproval(run, node, token);
    case 'cc':
      await sendCc(run, node);
      return enterNode(run, g.next(node.id), token);
    case 'parallel_split':
      for (const [i, e] of g.outgoing(node.id).entries()) await enterNode(run, e.target, `${token}/${node.id}:${i}`);
      return;
    case 'parallel_join':
      return arriveAtJoin(run, node.id, token);
    case 'end':
      return closeInstance(run, 'approved');
  }
}

/**
 * Re-reads a step's tasks and applies what they add up to (step.rules.ts):
 * cancels tasks no longer needed, opens the next group, and when the step is
 * approved walks on. The caller decides what a rejected step means.
 */
export async function settleStep(run: Run, stepId: string): Promise<'open' | 'approved' | 'rejected' | 'cancelled'> {
  const step = await getStep(run.tx, stepId);
  if (step.status !== 'active') return step.status === 'approved' ? 'approved' : step.status === 'rejected' ? 'rejected' : 'cancelled';
  const r = stepOutcome(step.mode, step.percentage, await stepTasks(run.tx, stepId));
  await cancelTasks(run, r.cancel);
  if (r.activate.length) {
    const opened = await sql<{ id: string; assignee_id: string }>`UPDATE approval_task SET status = 'pending', due_at = ${dueAt(run, step.node_id)}
      WHERE id = ANY(${r.activate}::uuid[]) RETURNING id, assignee_id`.execute(run.tx);
    for (const t of opened.rows) await notifyTask(run, t.id, t.assignee_id);
  }
  if (r.outcome === 'approved') {
    await setStepStatus(run, stepId, 'approved');
    await enterNode(run, run.flow.graph.next(step.node_id), step.token);
  } else if (r.outcome === 'rejected') {
    await setStepStatus(run, stepId, 'rejected');
  }
  return r.outcome;
}

/** Reject to an earlier node: everything open is cancelled and the walk restarts there. */
export async function rewindTo(run: Run, nodeId: string): Promise<void> {
  await cancelOpenWork(run);
  run.instance.state = {};
  await addEvent(run, { action: 'rewind', nodeId });
  await enterNode(run, nodeId, '');
}

export async function notifyTask(run: Run, taskId: string, userId: string): Promise<void> {
  const i = run.instance;
  await notify(run.tx, { kind: 'task', tenantId: run.actor.tenantId, userIds: [userId], instanceId: i.id, object: i.object, recordId: i.record_id, title: i.title, taskId });
}

// ---------------------------------------------------------------- nodes

async function enterApproval(run: Run, node: TApprovalNode, token: string): Promise<void> {
  let groups = await resolveApprovers(run, node.approvers);
  if (node.mode === 'single' && node.approvers.kind !== 'manager_chain') groups = groups.length ? [[groups[0][0]]] : [];
  let mode: StepMode = node.mode;
  let origin: 'flow' | 'fallback' = 'flow';
  if (!groups.length) {
    if (node.ifNoApprover === 'auto_approve') {
      await addEvent(run, { action: 'skip', nodeId: node.id, actorId: null, detail: { reason: 'no_approver' } });
      return enterNode(run, run.flow.graph.next(node.id), token);
    }
    // Nobody resolves (no manager on the department tree, an empty user field): the admins decide, any one of them.
    const admins = await tenantAdmins(run.tx);
    if (!admins.length) throw new AppError('CONFLICT', `Approval node "${node.label ?? node.id}" has no approver and the tenant has no administrator.`);
    groups = [admins];
    mode = 'or_sign';
    origin = 'fallback';
  }
  const stepId = await insertStep(run, node.id, token, mode, node.percentage ?? null);
  const seen = new Set<string>();
  for (const [seq, users] of groups.entries()) {
    for (const user of users) {
      if (seen.has(user)) continue;
      seen.add(user);
      const auto = node.autoApproveSubmitter && user === run.instance.submitted_by;
      const status = auto ? 'approved' : seq === 0 ? 'pending' : 'waiting';
      const id = await insertTask(run, {
        stepId, nodeId: node.id, seq, assigneeId: user, status, origin,
        dueAt: status === 'pending' ? dueAt(run, node.id) : null, comment: auto ? '提交人即审批人，自动通过' : null,
      });
      if (auto) await addEvent(run, { action: 'auto_approve', taskId: id, nodeId: node.id, actorId: null, targetUserId: user, detail: { reason: 'submitter' } });
      if (status === 'pending') await notifyTask(run, id, user);
    }
  }
  await settleStep(run, stepId);
}

/** Edges of a condition node are tried in order; the default edge when none holds. */
async function chooseBranch(run: Run, nodeId: string): Promise<string> {
  const edges = run.flow.graph.outgoing(nodeId);
  let chosen = edges.find((e) => e.default);
  for (const e of edges) {
    if (!e.default && e.condition && (await conditionHolds(run, e.condition))) {
      chosen = e;
      break;
    }
  }
  if (!chosen) throw new AppError('CONFLICT', `Condition node "${nodeId}" has no default branch.`);
  await addEvent(run, { action: 'branch', nodeId, actorId: null, detail: { target: chosen.target, condition: chosen.condition ?? null } });
  return chosen.target;
}

/** 抄送: recorded in the history (and the CC inbox) for each recipient; nobody decides. */
async function sendCc(run: Run, node: TCcNode): Promise<void> {
  const users = new Set(await activeUsers(run.tx, node.recipients.userIds));
  for (const role of node.recipients.roles) for (const u of await roleMembers(run.tx, role)) users.add(u);
  for (const u of users) await addEvent(run, { action: 'cc', nodeId: node.id, actorId: null, targetUserId: u });
  const i = run.instance;
  await notify(run.tx, { kind: 'cc', tenantId: run.actor.tenantId, userIds: [...users], instanceId: i.id, object: i.object, recordId: i.record_id, title: i.title });
}

/** A join waits for one arrival from each branch of its split, then goes on in the enclosing branch. */
async function arriveAtJoin(run: Run, joinId: string, token: string): Promise<void> {
  const cut = token.lastIndexOf('/');
  const [split, branch] = token.slice(cut + 1).split(':');
  const parent = token.slice(0, cut);
  if (cut < 0 || run.flow.joinOf.get(split) !== joinId) throw new AppError('CONFLICT', `Parallel join "${joinId}" was reached outside its branches.`);
  const joins = (run.instance.state.joins ??= {});
  const key = `${joinId}@${parent}`;
  const arrived = [...new Set([...(joins[key] ?? []), Number(branch)])];
  if (arrived.length < run.flow.graph.outgoing(split).length) {
    joins[key] = arrived;
    return;
  }
  delete joins[key];
  await enterNode(run, run.flow.graph.next(joinId), parent);
}
