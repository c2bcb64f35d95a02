import { sql, type RawBuilder } from 'kysely';
import { z } from 'zod';
import { inTenantTx } from '@mosaic/db';
import type { Actor } from '@mosaic/access';
import type { ApprovalDeps } from '../approval.types.ts';

/** GET /api/v1/approvals/inbox?box=pending|submitted|done|cc&page=1&pageSize=20 */
export const ZInboxQuery = z.object({
  box: z.enum(['pending', 'submitted', 'done', 'cc']).default('pending'),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
}).strict();
export type TInboxQuery = z.output<typeof ZInboxQuery>;

/**
 * "My approvals": 待我审批 (pending: tasks waiting for me), 我发起的 (submitted:
 * approvals I started), 已处理 (done: tasks I decided) and 抄送我的 (cc).
 * Newest first, paged; each row names the record, the flow and the node.
 *
 *   SELECT … FROM approval_task t JOIN approval_instance i ON i.id = t.instance_id …
 *   WHERE t.assignee_id = $me AND t.status = 'pending' ORDER BY t.created_at DESC LIMIT $n OFFSET $m
 */
export async function listInbox(deps: ApprovalDeps, actor: Actor, q: TInboxQuery): Promise<{ data: Record<string, unknown>[]; total: number; page: number; pageSize: number }> {
  const me = actor.userId;
  const offset = (q.page - 1) * q.pageSize;
  const { from, where, order, extra } = boxSql(q.box, me);
  return inTenantTx(deps.db.app, { tenantId: actor.tenantId, userId: me }, async (tx) => {
    const rows = await sql<Record<string, any>>`SELECT i.id AS instance_id, i.object, i.record_id, i.title, i.status AS instance_status, i.started_at,
        i.finished_at, f.name AS flow_name, i.submitted_by, su.name AS submitter_name${extra}
      FROM ${from} JOIN approval_flow f ON f.id = i.flow_id LEFT JOIN app_user su ON su.id = i.submitted_by
      WHERE ${where} ORDER BY ${order} LIMIT ${q.pageSize} OFFSET ${offset}`.execute(tx);
    const count = await sql<{ n: number }>`SELECT count(*)::bigint AS n FROM ${from} WHERE ${where}`.execute(tx);
    return { data: rows.rows.map(shape), total: Number(count.rows[0].n), page: q.page, pageSize: q.pageSize };
  });
}

function boxSql(box: TInboxQuery['box'], me: string): { from: RawBuilder<unknown>; where: RawBuilder<unknown>; order: RawBuilder<unknown>; extra: RawBuilder<unknown> } {
  const taskCols = sql`, t.id AS task_id, t.status AS task_status, t.node_id, t.comment, t.decided_at, t.due_at, t.created_at AS task_created_at,
    (SELECT n->>'label' FROM jsonb_array_elements(f.definition->'nodes') n WHERE n->>'id' = t.node_id) AS node_label`;
  const byTask = sql`approval_task t JOIN approval_instance i ON i.id = t.instance_id`;
  switch (box) {
    case 'pending':
      return { from: byTask, where: sql`t.assignee_id = ${me} AND t.status = 'pending' AND i.status = 'running'`, order: sql`t.created_at DESC, t.id`, extra: taskCols };
    case 'done':
      return { from: byTask, where: sql`t.decided_by = ${me} AND t.status IN ('approved', 'rejected', 'returned', 'transferred')`, order: sql`t.decided_at DESC, t.id`, extra: taskCols };
    case 'submitted':
      return {
        from: sql`approval_instance i`, where: sql`i.submitted_by = ${me}`, order: sql`i.started_at DESC, i.id`,
        extra: sql`, (SELECT coalesce(json_agg(json_build_object('id', p.assignee_id, 'name', pu.name) ORDER BY p.created_at), '[]')
          FROM approval_task p LEFT JOIN app_user pu ON pu.id = p.assignee_id WHERE p.instance_id = i.id AND p.status = 'pending') AS pending_with`,
      };
    case 'cc':
      return {
        from: sql`approval_event e JOIN approval_instance i ON i.id = e.instance_id`, where: sql`e.target_user_id = ${me} AND e.action = 'cc'`,
        order: sql`e.id DESC`, extra: sql`, e.at AS cc_at, e.node_id`,
      };
  }
}

function shape(r: Record<string, any>): Record<string, unknown> {
  const out: Record<string, unknown> = {
    instanceId: r.instance_id, object: r.object, recordId: r.record_id, title: r.title, flowName: r.flow_name,
    instanceStatus: r.instance_status, submittedBy: { id: r.submitted_by, name: r.submitter_name ?? null }, startedAt: r.started_at, finishedAt: r.finished_at,
  };
  if (r.task_id) {
    out.task = {
      id: r.task_id, status: r.task_status, nodeId: r.node_id, nodeLabel: r.node_label ?? null, comment: r.comment,
      decidedAt: r.decided_at, dueAt: r.due_at, createdAt: r.task_created_at,
    };
  }
  if (r.pending_with !== undefined) out.pendingWith = r.pending_with;
  if (r.cc_at !== undefined) out.cc = { at: r.cc_at, nodeId: r.node_id };
  return out;
}
