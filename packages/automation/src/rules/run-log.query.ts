import { sql } from 'kysely';
import { AppError, isUuid } from '@mosaic/kernel';
import { inTenantTx } from '@mosaic/db';
import type { Actor } from '@mosaic/access';
import type { RuleDeps } from './rule.service.ts';

export interface RunView {
  id: string;
  ruleId: string;
  triggerKey: string;
  trigger: unknown;
  object: string | null;
  recordId: string | null;
  inputs: unknown;
  status: string;
  actions: unknown[];
  error: string | null;
  attempts: number;
  eventAt: string | null;
  startedAt: string;
  finishedAt: string | null;
  /** Commit of the triggering change → end of the run, in milliseconds. */
  lagMs: number | null;
}

/** GET /api/v1/automation/rules/:id/runs — newest first, optionally one status, paged by `before`. */
export async function listRuns(deps: RuleDeps, actor: Actor, ruleId: string, q: { status?: string; limit: number; before?: string }): Promise<{ data: RunView[] }> {
  if (!actor.isAdmin) throw new AppError('FORBIDDEN', 'Only administrators may read the automation run log.');
  if (!isUuid(ruleId)) throw new AppError('NOT_FOUND', 'No such automation rule.', { field: 'id' });
  return inTenantTx(deps.db.app, { tenantId: actor.tenantId, userId: actor.userId }, async (tx) => {
    const rows = await sql<Record<string, any>>`SELECT * FROM automation_run WHERE rule_id = ${ruleId}
        AND (${q.status ?? null}::text IS NULL OR status = ${q.status ?? null})
        AND (${q.before ?? null}::timestamptz IS NULL OR started_at < ${q.before ?? null}::timestamptz)
      ORDER BY started_at DESC, id DESC LIMIT ${q.limit}`.execute(tx);
    return { data: rows.rows.map(runView) };
  });
}

export async function getRun(deps: RuleDeps, actor: Actor, id: string): Promise<RunView> {
  if (!actor.isAdmin) throw new AppError('FORBIDDEN', 'Only administrators may read the automation run log.');
  const row = isUuid(id)
    ? await inTenantTx(deps.db.app, { tenantId: actor.tenantId }, async (tx) => (await sql<Record<string, any>>`SELECT * FROM automation_run WHERE id = ${id}`.execute(tx)).rows[0])
    : undefined;
  if (!row) throw new AppError('NOT_FOUND', 'No such automation run.', { field: 'id' });
  return runView(row);
}

function runView(r: Record<string, any>): RunView {
  return {
    id: r.id, ruleId: r.rule_id, triggerKey: r.trigger_key, trigger: r.trigger, object: r.object, recordId: r.record_id, inputs: r.inputs,
    status: r.status, actions: r.actions, error: r.error, attempts: r.attempts,
    eventAt: r.event_at?.toISOString() ?? null, startedAt: r.started_at.toISOString(), finishedAt: r.finished_at?.toISOString() ?? null,
    lagMs: r.event_at && r.finished_at ? r.finished_at.getTime() - r.event_at.getTime() : null,
  };
}
