import { sql } from 'kysely';
import { newId } from '@mosaic/kernel';
import { inTenantTx, type Database } from '@mosaic/db';
import type { RuleRow, TriggerInfo } from '../automation.types.ts';

/** One action's line in the run log. */
export interface ActionLog {
  index: number;
  type: string;
  status: 'done' | 'already_done' | 'failed';
  result?: unknown;
  error?: string;
  ms: number;
}

export type RunStatus = 'running' | 'done' | 'failed' | 'stopped' | 'skipped';

/**
 * The run log (automation_run): one row per rule and trigger, written when the
 * run starts and again when it ends; a retry of the same job updates the same
 * row and counts the attempt.
 *
 *   INSERT … ON CONFLICT (tenant_id, rule_id, trigger_key) DO UPDATE SET attempts = attempts + 1, status = 'running'
 */
export async function startRun(db: Database, tenantId: string, rule: RuleRow, trigger: TriggerInfo, inputs: unknown): Promise<string> {
  return inTenantTx(db.app, { tenantId }, async (tx) => {
    const r = await sql<{ id: string }>`INSERT INTO automation_run (tenant_id, id, rule_id, trigger_key, trigger, object, record_id, inputs, status, event_at)
      VALUES (${tenantId}, ${newId()}, ${rule.id}, ${trigger.key}, ${JSON.stringify(triggerLog(trigger))}, ${trigger.object ?? rule.object}, ${trigger.recordId ?? null},
        ${JSON.stringify(inputs)}, 'running', ${trigger.at})
      ON CONFLICT (tenant_id, rule_id, trigger_key) DO UPDATE SET attempts = automation_run.attempts + 1, status = 'running', error = NULL,
        inputs = EXCLUDED.inputs, started_at = clock_timestamp(), finished_at = NULL
      RETURNING id`.execute(tx);
    return r.rows[0].id;
  });
}

export async function finishRun(db: Database, tenantId: string, runId: string, status: RunStatus, actions: ActionLog[], error?: string): Promise<void> {
  await inTenantTx(db.app, { tenantId }, async (tx) => {
    await sql`UPDATE automation_run SET status = ${status}, actions = ${JSON.stringify(actions)}, error = ${error?.slice(0, 2000) ?? null}, finished_at = clock_timestamp()
      WHERE id = ${runId}`.execute(tx);
  });
}

/** A run that did not act: a loop stopped, the record gone. Logged once per rule and trigger. */
export async function logNonRun(db: Database, tenantId: string, rule: RuleRow, trigger: TriggerInfo, status: 'stopped' | 'skipped', error: string, inputs?: unknown): Promise<void> {
  await inTenantTx(db.app, { tenantId }, async (tx) => {
    await sql`INSERT INTO automation_run (tenant_id, id, rule_id, trigger_key, trigger, object, record_id, inputs, status, error, event_at, finished_at)
      VALUES (${tenantId}, ${newId()}, ${rule.id}, ${trigger.key}, ${JSON.stringify(triggerLog(trigger))}, ${trigger.object ?? rule.object}, ${trigger.recordId ?? null},
        ${inputs === undefined ? null : JSON.stringify(inputs)}, ${status}, ${error.slice(0, 2000)}, ${trigger.at}, clock_timestamp())
      ON CONFLICT (tenant_id, rule_id, trigger_key) DO NOTHING`.execute(tx);
  });
}

/** The trigger as the log shows it: the event's changes are in inputs, the payload too. */
function triggerLog(t: TriggerInfo): Record<string, unknown> {
  return { kind: t.kind, key: t.key, op: t.op, seq: t.seq, object: t.object, recordId: t.recordId, cause: t.cause ?? undefined, at: t.at };
}
