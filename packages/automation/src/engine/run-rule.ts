import { performance } from 'node:perf_hooks';
import { AppError, clock, logger, registerProcessCache } from '@mosaic/kernel';
import { inTenantTx, type Tx } from '@mosaic/db';
import { systemGuard, type Actor } from '@mosaic/access';
import type { EvalContext, ObjectMeta } from '@mosaic/meta';
import { SYSTEM_USER_ID, type AutomationDeps, type RecordView, type RuleRow, type RunJob } from '../automation.types.ts';
import { ActionFailure, actionDef } from '../actions/registry.ts';
import { ruleById, tenantFacts } from '../rules/rule.store.ts';
import { ruleForRun } from './compiled-rule.ts';
import { actOnce, runActionOnce, type ActionOutcome } from './action-once.ts';
import { loopReason, nextCause } from './causation.ts';
import { deletedRecordView, loadRecordView, overlayChanges, valuesBefore } from './record-view.ts';
import { logNonRun, recordRun, recordRunAlone, type ActionLog, type RunRecord } from './run-log.ts';
import type { RecordsCtx } from '@mosaic/records';
import { evaluateOn } from './values.ts';

export type RunOutcome = 'done' | 'failed' | 'stopped' | 'skipped';

/**
 * One queued job: run `rule` for `trigger`. In one transaction: read the rule
 * (still enabled?) and the triggering record, check the condition (and for
 * becomesTrue that it did not hold before the change), stop loops, and run the
 * first action — at most once (action-once.ts), with the run log when it is the
 * only one. Further actions run each in a transaction of its own. A failure a
 * retry may fix (network, SMTP, a busy database) is thrown so the queue
 * retries the job with backoff — actions already done are skipped then; a
 * permanent one (a refused URL, an invalid value) ends the run as failed.
 * `attempt` is the queue's (1 for the first try).
 */
export async function runRule(deps: AutomationDeps, job: RunJob, attempt = 1): Promise<RunOutcome> {
  const { tenantId } = job;
  const [facts, objects] = await Promise.all([factsOf(deps, tenantId), deps.store.objects(tenantId)]);
  let run: PreparedRun | null = null;
  const logs: ActionLog[] = [];
  let first: RunOutcome | 'more';
  let externalBegan = false;
  try {
    first = await inTenantTx(deps.db.app, { tenantId, userId: SYSTEM_USER_ID }, async (tx) => {
      run = null;
      logs.length = 0;
      const prepared = await prepareRun(deps, tx, job, attempt, objects, facts);
      if (typeof prepared === 'string') return prepared;
      run = prepared;
      if (!prepared.record.rule.actions.length) {
        await recordRun(tx, prepared.record, 'done', []);
        return 'done';
      }
      // The transaction is retried on a deadlock or serialization failure; that must not repeat an
      // email or webhook made inside it. Decided by the rule as read in this transaction.
      const external = actionDef(prepared.record.rule.actions[0].type)?.mode !== 'tx';
      if (external && externalBegan) throw new ExternalNotRepeated();
      externalBegan = external;
      await runAction(prepared, 0, logs, tx);
      return prepared.record.rule.actions.length === 1 ? 'done' : 'more';
    }, { attempts: 5 });
  } catch (e) {
    if (!run) throw e; // reading failed: the queue retries
    return failRun(deps, run, logs, 0, e);
  }
  if (first !== 'more') return first;
  const prepared = run as unknown as PreparedRun;
  for (let index = 1; index < prepared.record.rule.actions.length; index++) {
    try {
      await runAction(prepared, index, logs);
    } catch (e) {
      return failRun(deps, prepared, logs, index, e);
    }
  }
  return 'done';
}

/**
 * The rule was turned off (or deleted) between the trigger and the run. A turned-off
 * rule's history says so — a schedule's fire, a webhook's delivery, never vanish without
 * a line — while a deleted rule has no history left to write in.
 */
async function skipTurnedOff(tx: Tx, job: RunJob): Promise<'skipped'> {
  const rule = await ruleById(tx, job.ruleId);
  if (rule) await logNonRun(tx, job.tenantId, rule, job.trigger, 'skipped', 'the rule was turned off before this run started');
  return 'skipped';
}

/** What a run needs once its rule and record are read and it is going to act. */
interface PreparedRun {
  deps: AutomationDeps;
  record: RunRecord;
  view: RecordView | null;
  rctx: RecordsCtx;
  ev: EvalContext;
  objects: Map<string, ObjectMeta>;
  causeJson: string;
}

/** Reads the rule and the record on `tx`; the outcome when the run does not act (skipped, loop stopped — logged on `tx`). */
async function prepareRun(deps: AutomationDeps, tx: Tx, job: RunJob, attempt: number, objects: Map<string, ObjectMeta>, facts: { timeZone: string; companyId: string | null }): Promise<PreparedRun | RunOutcome> {
  const { tenantId, trigger } = job;
  const startedAt = new Date();
  const compiled = await ruleForRun(tx, job.ruleId, objects);
  if (!compiled) return skipTurnedOff(tx, job);
  const rule = compiled.rule;
  const obj = rule.object ? (objects.get(rule.object) ?? null) : null;
  let view: RecordView | null = null;
  if (obj && trigger.recordId) {
    view = trigger.op === 'delete' ? deletedRecordView(obj, trigger.recordId, trigger.changes ?? {})
      : await loadRecordView(deps.db, tenantId, objects, obj, trigger.recordId, compiled.paths, tx);
    if (!view) {
      await logNonRun(tx, tenantId, rule, trigger, 'skipped', 'the record no longer exists');
      return 'skipped';
    }
    if (trigger.op === 'create' || trigger.op === 'update') overlayChanges(view, trigger.changes);
  }
  const ev: EvalContext = { now: clock.now(), timeZone: facts.timeZone };
  if (!conditionHolds(rule, view, objects, obj, ev, job)) return 'skipped';
  const inputs = { values: snapshot(view), changes: trigger.changes, payload: trigger.payload };
  const loop = loopReason(rule.id, rule.name, trigger.cause);
  if (loop) {
    logger.warn({ tenantId, ruleId: rule.id, trigger: trigger.key }, loop);
    await logNonRun(tx, tenantId, rule, trigger, 'stopped', loop, inputs);
    return 'stopped';
  }
  const actor: Actor = {
    tenantId, userId: SYSTEM_USER_ID, companyId: (view?.values.get('company_id') as string | null) ?? facts.companyId,
    departmentId: null, departmentIds: [], isAdmin: true, roleIds: [], locale: 'zh-CN', timeZone: facts.timeZone,
  };
  return {
    deps, view, ev, objects,
    rctx: { db: deps.db, store: deps.store, guard: systemGuard(actor) },
    causeJson: JSON.stringify(nextCause(rule.id, trigger.cause)),
    record: { tenantId, rule, trigger, inputs, startedAt, attempts: attempt },
  };
}

/** Action `index` at most once — on `tx` when given (the first), else in a transaction of its own; the last one writes the run log. */
async function runAction(p: PreparedRun, index: number, logs: ActionLog[], tx?: Tx): Promise<void> {
  const { rule, trigger, tenantId } = p.record;
  const raw = rule.actions[index];
  const t0 = performance.now();
  const def = actionDef(raw.type);
  if (!def) throw new ActionFailure(`unknown action type "${raw.type}"`);
  const action = def.schema.parse(raw);
  const key = { tenantId, ruleId: rule.id, triggerKey: trigger.key, index, type: raw.type };
  const actionKey = `${tenantId}/${rule.id}/${trigger.key}/${index}`;
  const logged = (r: ActionOutcome): ActionLog => ({ index, type: raw.type, status: r.already ? 'already_done' : 'done', result: r.result, ms: Math.round(performance.now() - t0) });
  const work = (wtx: Tx) => def.run({ deps: p.deps, tx: wtx, rctx: p.rctx, rule, action, index, trigger, record: p.view, ev: p.ev, objects: p.objects, actionKey, causeJson: p.causeJson }, action);
  // The last action's transaction also writes the run log: a done run costs no transaction of its own.
  // A run of several actions shows as 'running' from its first action's commit, so the log shows it
  // while it runs — and a run whose process died after the first action is not missing from it.
  const last = index === rule.actions.length - 1;
  const finish = last || index === 0 ? (ftx: Tx, r: ActionOutcome) => recordRun(ftx, p.record, last ? 'done' : 'running', [...logs, logged(r)]) : undefined;
  const r = tx ? await actOnce(tx, key, p.causeJson, work, finish) : await runActionOnce(p.deps.db, key, p.causeJson, def.mode === 'external', work, finish);
  logs.push(logged(r));
}

/** Logs action `index`'s failure; rethrows what a retry may fix. */
async function failRun(deps: AutomationDeps, p: PreparedRun, logs: ActionLog[], index: number, e: unknown): Promise<RunOutcome> {
  const type = p.record.rule.actions[index]?.type ?? '?';
  const error = messageOf(e);
  logs.push({ index, type, status: 'failed', error, ms: 0 });
  await recordRunAlone(deps.db, p.record, 'failed', logs, `actions.${index} (${type}): ${error}`);
  if (isRetryable(e)) throw e;
  return 'failed';
}

function conditionHolds(rule: RuleRow, record: RecordView | null, objects: Map<string, ObjectMeta>, obj: ObjectMeta | null, ev: EvalContext, job: RunJob): boolean {
  if (!rule.condition) return true;
  const values = record?.values ?? new Map<string, unknown>();
  if (evaluateOn(rule.condition, values, objects, obj, ev) !== true) return false;
  // becomesTrue: only when the change made it hold (it did not before the event's old values).
  if (rule.trigger.becomesTrue && job.trigger.op === 'update') return evaluateOn(rule.condition, valuesBefore(values, job.trigger.changes), objects, obj, ev) !== true;
  return true;
}

/** A conflict ended the first transaction after its external action began: the queue's retry, with its backoff, decides. */
class ExternalNotRepeated extends Error {
  constructor() {
    super('the run\'s first transaction hit a lock conflict after its external action began; not repeated within this attempt');
  }
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
registerProcessCache(() => facts.clear());
/** Tenant time zone and first company, cached for a minute (they rarely change). */
function factsOf(deps: AutomationDeps, tenantId: string) {
  const hit = facts.get(tenantId);
  if (hit && Date.now() - hit.at < 60_000) return hit.value;
  const value = inTenantTx(deps.db.app, { tenantId }, (tx) => tenantFacts(tx));
  facts.set(tenantId, { at: Date.now(), value });
  value.catch(() => facts.delete(tenantId));
  return value;
}
