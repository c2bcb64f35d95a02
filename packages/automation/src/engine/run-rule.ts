import { performance } from 'node:perf_hooks';
import { AppError, clock, logger } from '@mosaic/kernel';
import { inTenantTx } from '@mosaic/db';
import { systemGuard, type Actor } from '@mosaic/access';
import type { EvalContext, ObjectMeta } from '@mosaic/meta';
import { SYSTEM_USER_ID, type AutomationDeps, type RecordView, type RuleRow, type RunJob } from '../automation.types.ts';
import { ActionFailure, actionDef } from '../actions/registry.ts';
import { enabledRules, tenantFacts } from '../rules/rule.store.ts';
import { runActionOnce } from './action-once.ts';
import { loopReason, nextCause } from './causation.ts';
import { deletedRecordView, loadRecordView, overlayChanges, valuesBefore } from './record-view.ts';
import { finishRun, logNonRun, startRun, type ActionLog } from './run-log.ts';
import { evaluateOn, formulaPaths } from './values.ts';

export type RunOutcome = 'done' | 'failed' | 'stopped' | 'skipped';

/**
 * One queued job: run `rule` for `trigger`. Loads the record, checks the
 * condition (and for becomesTrue that it did not hold before the change),
 * stops loops, then runs the actions in order, each at most once
 * (action-once.ts), logging every step in automation_run. A failure a retry
 * may fix (network, SMTP, a busy database) is thrown so the queue retries the
 * job with backoff — actions already done are skipped then; a permanent one
 * (a refused URL, an invalid value) ends the run as failed.
 */
export async function runRule(deps: AutomationDeps, job: RunJob): Promise<RunOutcome> {
  const { tenantId, trigger } = job;
  const rule = (await enabledRules(deps.db, tenantId)).find((r) => r.id === job.ruleId);
  if (!rule) return 'skipped'; // disabled or deleted since it was queued
  const facts = await factsOf(deps, tenantId);
  const objects = await deps.store.objects(tenantId);
  const obj = rule.object ? (objects.get(rule.object) ?? null) : null;
  const ev: EvalContext = { now: clock.now(), timeZone: facts.timeZone };
  let record: RecordView | null = null;
  if (obj && trigger.recordId) {
    const paths = rule.condition ? formulaPaths(rule.condition) : [];
    record = trigger.op === 'delete' ? deletedRecordView(obj, trigger.recordId, trigger.changes ?? {}) : await loadRecordView(deps.db, tenantId, objects, obj, trigger.recordId, paths);
    if (!record) {
      await logNonRun(deps.db, tenantId, rule, trigger, 'skipped', 'the record no longer exists');
      return 'skipped';
    }
    if (trigger.op === 'create' || trigger.op === 'update') overlayChanges(record, trigger.changes);
  }
  if (!conditionHolds(rule, record, objects, obj, ev, job)) return 'skipped';
  const inputs = { values: snapshot(record), changes: trigger.changes, payload: trigger.payload };
  const loop = loopReason(rule.id, rule.name, trigger.cause);
  if (loop) {
    logger.warn({ tenantId, ruleId: rule.id, trigger: trigger.key }, loop);
    await logNonRun(deps.db, tenantId, rule, trigger, 'stopped', loop, inputs);
    return 'stopped';
  }
  const actor: Actor = {
    tenantId, userId: SYSTEM_USER_ID, companyId: (record?.values.get('company_id') as string | null) ?? facts.companyId,
    departmentId: null, departmentIds: [], isAdmin: true, roleIds: [], locale: 'zh-CN', timeZone: facts.timeZone,
  };
  const rctx = { db: deps.db, store: deps.store, guard: systemGuard(actor) };
  const causeJson = JSON.stringify(nextCause(rule.id, trigger.cause));
  const runId = await startRun(deps.db, tenantId, rule, trigger, inputs);
  const logs: ActionLog[] = [];
  for (const [index, raw] of rule.actions.entries()) {
    const t0 = performance.now();
    const ms = () => Math.round(performance.now() - t0);
    try {
      const def = actionDef(raw.type);
      if (!def) throw new ActionFailure(`unknown action type "${raw.type}"`);
      const action = def.schema.parse(raw);
      const key = { tenantId, ruleId: rule.id, triggerKey: trigger.key, index, type: raw.type };
      const actionKey = `${tenantId}/${rule.id}/${trigger.key}/${index}`;
      const r = await runActionOnce(deps.db, key, causeJson, def.mode === 'external', (tx) =>
        def.run({ deps, tx, rctx, rule, action, index, trigger, record, ev, objects, actionKey, causeJson }, action));
      logs.push({ index, type: raw.type, status: r.already ? 'already_done' : 'done', result: r.result, ms: ms() });
    } catch (e) {
      const error = messageOf(e);
      logs.push({ index, type: raw.type, status: 'failed', error, ms: ms() });
      await finishRun(deps.db, tenantId, runId, 'failed', logs, `actions.${index} (${raw.type}): ${error}`);
      if (isRetryable(e)) throw e;
      return 'failed';
    }
  }
  await finishRun(deps.db, tenantId, runId, 'done', logs);
  return 'done';
}

function conditionHolds(rule: RuleRow, record: RecordView | null, objects: Map<string, ObjectMeta>, obj: ObjectMeta | null, ev: EvalContext, job: RunJob): boolean {
  if (!rule.condition) return true;
  const values = record?.values ?? new Map<string, unknown>();
  if (evaluateOn(rule.condition, values, objects, obj, ev) !== true) return false;
  // becomesTrue: only when the change made it hold (it did not before the event's old values).
  if (rule.trigger.becomesTrue && job.trigger.op === 'update') return evaluateOn(rule.condition, valuesBefore(values, job.trigger.changes), objects, obj, ev) !== true;
  return true;
}

/** Whether the queue should try again: not for what the caller got wrong or a permanent refusal. */
export function isRetryable(e: unknown): boolean {
  if (e instanceof ActionFailure) return false;
  if (e instanceof AppError) return e.status >= 500;
  return true;
}

function messageOf(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).slice(0, 1000);
}

function snapshot(record: RecordView | null): Record<string, unknown> | undefined {
  if (!record) return undefined;
  return Object.fromEntries([...record.values].map(([k, v]) => [k, typeof v === 'string' && v.length > 500 ? `${v.slice(0, 500)}…` : v]));
}

const facts = new Map<string, { at: number; value: Promise<{ timeZone: string; companyId: string | null }> }>();
/** Tenant time zone and first company, cached for a minute (they rarely change). */
function factsOf(deps: AutomationDeps, tenantId: string) {
  const hit = facts.get(tenantId);
  if (hit && Date.now() - hit.at < 60_000) return hit.value;
  const value = inTenantTx(deps.db.app, { tenantId }, (tx) => tenantFacts(tx));
  facts.set(tenantId, { at: Date.now(), value });
  value.catch(() => facts.delete(tenantId));
  return value;
}
