import { performance } from 'node:perf_hooks';
import { AppError, clock, logger } from '@mosaic/kernel';
import { inTenantTx } from '@mosaic/db';
import { systemGuard, type Actor } from '@mosaic/access';
import type { EvalContext, ObjectMeta } from '@mosaic/meta';
import { SYSTEM_USER_ID, type AutomationDeps, type RecordView, type RuleRow, type RunJob } from '../automation.types.ts';
import { ActionFailure, actionDef } from '../actions/registry.ts';
import { tenantFacts } from '../rules/rule.store.ts';
import { ruleForRun } from './compiled-rule.ts';
import { runActionOnce } from './action-once.ts';
import { loopReason, nextCause } from './causation.ts';
import { deletedRecordView, loadRecordView, overlayChanges, valuesBefore } from './record-view.ts';
import { logNonRun, recordRun, recordRunAlone, type ActionLog, type RunRecord } from './run-log.ts';
import { evaluateOn } from './values.ts';

export type RunOutcome = 'done' | 'failed' | 'stopped' | 'skipped';

/**
 * One queued job: run `rule` for `trigger`. Reads the rule (still enabled?)
 * and the triggering record in one read-only transaction, checks the
 * condition (and for becomesTrue that it did not hold before the change),
 * stops loops, then runs the actions in order, each at most once
 * (action-once.ts); the run log is written with the last action. A failure a
 * retry may fix (network, SMTP, a busy database) is thrown so the queue
 * retries the job with backoff — actions already done are skipped then; a
 * permanent one (a refused URL, an invalid value) ends the run as failed.
 * `attempt` is the queue's (1 for the first try).
 */
export async function runRule(deps: AutomationDeps, job: RunJob, attempt = 1): Promise<RunOutcome> {
  const { tenantId, trigger } = job;
  const startedAt = new Date();
  const [facts, objects] = await Promise.all([factsOf(deps, tenantId), deps.store.objects(tenantId)]);
  const read = await inTenantTx(deps.db.app, { tenantId }, async (tx) => {
    const compiled = await ruleForRun(tx, job.ruleId, objects);
    if (!compiled) return null; // disabled or deleted since it was queued
    const obj = compiled.rule.object ? (objects.get(compiled.rule.object) ?? null) : null;
    let record: RecordView | null = null;
    if (obj && trigger.recordId) {
      record = trigger.op === 'delete' ? deletedRecordView(obj, trigger.recordId, trigger.changes ?? {})
        : await loadRecordView(deps.db, tenantId, objects, obj, trigger.recordId, compiled.paths, tx);
      if (!record) return { rule: compiled.rule, obj, record, gone: true };
    }
    return { rule: compiled.rule, obj, record, gone: false };
  }, { readOnly: true });
  if (!read) return 'skipped';
  const { rule, obj, record } = read;
  if (read.gone) {
    await logNonRun(deps.db, tenantId, rule, trigger, 'skipped', 'the record no longer exists');
    return 'skipped';
  }
  if (record && (trigger.op === 'create' || trigger.op === 'update')) overlayChanges(record, trigger.changes);
  const ev: EvalContext = { now: clock.now(), timeZone: facts.timeZone };
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
  const run: RunRecord = { tenantId, rule, trigger, inputs, startedAt, attempts: attempt };
  const logs: ActionLog[] = [];
  if (!rule.actions.length) await recordRunAlone(deps.db, run, 'done', logs);
  for (const [index, raw] of rule.actions.entries()) {
    const t0 = performance.now();
    const ms = () => Math.round(performance.now() - t0);
    const last = index === rule.actions.length - 1;
    try {
      const def = actionDef(raw.type);
      if (!def) throw new ActionFailure(`unknown action type "${raw.type}"`);
      const action = def.schema.parse(raw);
      const key = { tenantId, ruleId: rule.id, triggerKey: trigger.key, index, type: raw.type };
      const actionKey = `${tenantId}/${rule.id}/${trigger.key}/${index}`;
      const logged = (r: { already: boolean; result: unknown }): ActionLog => ({ index, type: raw.type, status: r.already ? 'already_done' : 'done', result: r.result, ms: ms() });
      // The last action's transaction also writes the run log: a done run costs no transaction of its own.
      const r = await runActionOnce(deps.db, key, causeJson, def.mode === 'external', (tx) =>
        def.run({ deps, tx, rctx, rule, action, index, trigger, record, ev, objects, actionKey, causeJson }, action),
      last ? (tx, r) => recordRun(tx, run, 'done', [...logs, logged(r)]) : undefined);
      logs.push(logged(r));
    } catch (e) {
      const error = messageOf(e);
      logs.push({ index, type: raw.type, status: 'failed', error, ms: ms() });
      await recordRunAlone(deps.db, run, 'failed', logs, `actions.${index} (${raw.type}): ${error}`);
      if (isRetryable(e)) throw e;
      return 'failed';
    }
  }
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
