import { sql } from 'kysely';
import { newId } from '@mosaic/kernel';
import { inTenantTx, type Database, type Tx } from '@mosaic/db';
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
 * run ends — in the transaction of its last action when it succeeds (so a done
 * run costs no transaction of its own), in one of its own when it fails; a run
 * of several actions is first logged 'running' with its first action. A
 * retry of the same job updates the same row; `attempts` is the queue's count
 * (a run killed before it logged anything still counts).
 *
 *   INSERT … ON CONFLICT (tenant_id, rule_id, trigger_key) DO UPDATE SET attempts = greatest(attempts + 1, $attempts), status = …
 */
export interface RunRecord {
  tenantId: string;
  rule: RuleRow;
  trigger: TriggerInfo;
  inputs: unknown;
  startedAt: Date;
  attempts: number;
}

export async function recordRun(tx: Tx, run: RunRecord, status: RunStatus, actions: ActionLog[], error?: string): Promise<void> {
  const { tenantId, rule, trigger } = run;
  await sql`INSERT INTO automation_run (tenant_id, id, rule_id, trigger_key, trigger, object, record_id, inputs, status, actions, error, attempts, event_at, started_at, finished_at)
    VALUES (${tenantId}, ${newId()}, ${rule.id}, ${trigger.key}, ${JSON.stringify(triggerLog(trigger))}, ${trigger.object ?? rule.object}, ${trigger.recordId ?? null},
      ${JSON.stringify(run.inputs)}, ${status}, ${JSON.stringify(actions)}, ${error?.slice(0, 2000) ?? null}, ${run.attempts}, ${trigger.at}, ${run.startedAt}, clock_timestamp())
    ON CONFLICT (tenant_id, rule_id, trigger_key) DO UPDATE SET status = EXCLUDED.status,
      -- the same attempt finishing what it logged as running is not another attempt
      attempts = CASE WHEN automation_run.status = 'running' AND automation_run.started_at = EXCLUDED.started_at THEN automation_run.attempts
        ELSE greatest(automation_run.attempts + 1, EXCLUDED.attempts) END,
      actions = EXCLUDED.actions, error = EXCLUDED.error, inputs = EXCLUDED.inputs, started_at = EXCLUDED.started_at, finished_at = EXCLUDED.finished_at`.execute(tx);
}

/** The run's row in a transaction of its own: a failed run (its failing action's transaction rolled back). */
export async function recordRunAlone(db: Database, run: RunRecord, status: RunStatus, actions: ActionLog[], error?: string): Promise<void> {
  await inTenantTx(db.app, { tenantId: run.tenantId }, (tx) => recordRun(tx, run, status, actions, error));
}

/** A run that did not act: a loop stopped, the record gone. Logged once per rule and trigger. */
export async function logNonRun(tx: Tx, tenantId: string, rule: RuleRow, trigger: TriggerInfo, status: 'stopped' | 'skipped', error: string, inputs?: unknown): Promise<void> {
  {
    await sql`INSERT INTO automation_run (tenant_id, id, rule_id, trigger_key, trigger, object, record_id, inputs, status, error, event_at, finished_at)
      VALUES (${tenantId}, ${newId()}, ${rule.id}, ${trigger.key}, ${JSON.stringify(triggerLog(trigger))}, ${trigger.object ?? rule.object}, ${trigger.recordId ?? null},
        ${inputs === undefined ? null : JSON.stringify(inputs)}, ${status}, ${error.slice(0, 2000)}, ${trigger.at}, clock_timestamp())
      ON CONFLICT (tenant_id, rule_id, trigger_key) DO NOTHING`.execute(tx);
  }
}

/** The trigger as the log shows it: the event's changes are in inputs, the payload too. */
function triggerLog(t: TriggerInfo): Record<string, unknown> {
  return { kind: t.kind, key: t.key, op: t.op, seq: t.seq, object: t.object, recordId: t.recordId, cause: t.cause ?? undefined, at: t.at };
}
