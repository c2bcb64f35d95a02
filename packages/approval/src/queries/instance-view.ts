import { sql } from 'kysely';
import type { Tx } from '@mosaic/db';
import type { LoadedFlow } from '../approval.types.ts';

/** The readable shape of one approval: its tasks (who, node, status, when, comment) and its full history. */
export interface InstanceView {
  id: string;
  flow: { id: string; name: string; version: number };
  object: string;
  recordId: string;
  title: string | null;
  status: string;
  submittedBy: { id: string; name: string | null };
  startedAt: Date;
  finishedAt: Date | null;
  tasks: {
    id: string; nodeId: string; nodeLabel: string | null; seq: number; status: string; origin: string;
    assignee: { id: string; name: string | null }; comment: string | null; decidedAt: Date | null; dueAt: Date | null; createdAt: Date;
  }[];
  events: {
    id: number; action: string; nodeId: string | null; taskId: string | null; actor: { id: string; name: string | null } | null;
    targetUser: { id: string; name: string | null } | null; comment: string | null; detail: unknown; at: Date;
  }[];
}

export async function instanceView(tx: Tx, instanceId: string, flow?: LoadedFlow): Promise<InstanceView> {
  const i = (await sql<Record<string, any>>`SELECT i.*, f.name AS flow_name, f.version AS flow_version, f.definition, u.name AS submitter_name
    FROM approval_instance i JOIN approval_flow f ON f.id = i.flow_id LEFT JOIN app_user u ON u.id = i.submitted_by
    WHERE i.id = ${instanceId}`.execute(tx)).rows[0];
  const labels = new Map<string, string | undefined>(((flow?.row.definition ?? i.definition).nodes as { id: string; label?: string }[]).map((n) => [n.id, n.label]));
  const tasks = await sql<Record<string, any>>`SELECT t.*, u.name AS assignee_name FROM approval_task t LEFT JOIN app_user u ON u.id = t.assignee_id
    WHERE t.instance_id = ${instanceId} ORDER BY t.created_at, t.seq, t.id`.execute(tx);
  const events = await sql<Record<string, any>>`SELECT e.*, a.name AS actor_name, tu.name AS target_name FROM approval_event e
    LEFT JOIN app_user a ON a.id = e.actor_id LEFT JOIN app_user tu ON tu.id = e.target_user_id
    WHERE e.instance_id = ${instanceId} ORDER BY e.id`.execute(tx);
  return {
    id: i.id, flow: { id: i.flow_id, name: i.flow_name, version: i.flow_version }, object: i.object, recordId: i.record_id, title: i.title,
    status: i.status, submittedBy: { id: i.submitted_by, name: i.submitter_name ?? null }, startedAt: i.started_at, finishedAt: i.finished_at,
    tasks: tasks.rows.map((t) => ({
      id: t.id, nodeId: t.node_id, nodeLabel: labels.get(t.node_id) ?? null, seq: t.seq, status: t.status, origin: t.origin,
      assignee: { id: t.assignee_id, name: t.assignee_name ?? null }, comment: t.comment, decidedAt: t.decided_at, dueAt: t.due_at, createdAt: t.created_at,
    })),
    events: events.rows.map((e) => ({
      id: Number(e.id), action: e.action, nodeId: e.node_id, taskId: e.task_id,
      actor: e.actor_id ? { id: e.actor_id, name: e.actor_name ?? null } : null,
      targetUser: e.target_user_id ? { id: e.target_user_id, name: e.target_name ?? null } : null,
      comment: e.comment, detail: e.detail, at: e.at,
    })),
  };
}
