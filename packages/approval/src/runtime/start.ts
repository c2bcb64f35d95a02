import { sql } from 'kysely';
import { clock, newId } from '@mosaic/kernel';
import type { ApprovalStarter } from '@mosaic/process';
import type { InstanceRow, Run } from '../approval.types.ts';
import { activeFlowIdsSql, activeFlows } from '../flows/active-flows.ts';
import { loadFlow } from '../flows/flow-cache.ts';
import { conditionHolds } from './conditions.ts';
import { addEvent, saveInstance } from './instance.store.ts';
import { enterNode } from './walk.ts';

/**
 * Registered with the document lifecycle (setApprovalStarter): on submit, in
 * the submit's transaction, picks the first active flow of the object whose
 * entry condition holds (by priority, then name), starts an instance pinned to
 * that flow version and walks it to its first approvers. True while the
 * approval runs; false when no flow applies — or the flow finished at once
 * (every approver was the submitter and auto-approves), leaving the document approved.
 */
export const startApprovalOnSubmit: ApprovalStarter = async ({ tx, ctx, object, record, approvalPrefetch }) => {
  const flows = await activeFlows(tx, ctx.guard.actor.tenantId, object.apiName, Array.isArray(approvalPrefetch) ? approvalPrefetch as string[] : undefined);
  if (!flows.length) return false;
  const actor = ctx.guard.actor;
  const now = clock.now();
  const title = record.$title ?? record.number ?? record.name ?? null;
  for (const row of flows) {
    const instance: InstanceRow = {
      id: newId(), flow_id: row.id, object: object.apiName, record_id: String(record.id), title: title === null ? null : String(title).slice(0, 200),
      status: 'running', submitted_by: actor.userId, state: {}, started_at: now, finished_at: null,
    };
    const run: Run = { tx, deps: { db: ctx.db, store: ctx.store }, actor, instance, flow: await loadFlow(tx, actor.tenantId, row.id), now };
    if (row.definition.entryCondition && !(await conditionHolds(run, row.definition.entryCondition))) continue;
    await sql`INSERT INTO approval_instance (tenant_id, id, flow_id, object, record_id, title, status, submitted_by, started_at)
      VALUES (${actor.tenantId}, ${instance.id}, ${row.id}, ${instance.object}, ${instance.record_id}, ${instance.title}, 'running', ${actor.userId}, ${now})`.execute(tx);
    await addEvent(run, { action: 'start', detail: { flow: row.name, version: row.version } });
    await enterNode(run, run.flow.graph.start()!.id, '');
    await saveInstance(run);
    return run.instance.status === 'running';
  }
  return false;
};
// The active flows' ids, read by the submit's row-lock statement instead of a statement of their own.
startApprovalOnSubmit.prefetch = (object) => activeFlowIdsSql(object.apiName);
