import type { Database, Tx } from '@mosaic/db';
import type { EvalContext, MetaStore, ObjectMeta } from '@mosaic/meta';
import type { RecordsCtx } from '@mosaic/records';
import type { TAction, TTrigger } from './rules/rule.schema.ts';

/** What the engine needs from the server: the database, metadata, and the owner URL for the queue. */
export interface AutomationDeps {
  db: Database;
  store: MetaStore;
  url: string;
}

/** Rules act as nobody in particular: the system user of @mosaic/access. */
export { SYSTEM_USER_ID } from '@mosaic/access';

/** Deepest rule chain allowed: a write caused by six rules in a row is not made (issue 5: loops stop). */
export const MAX_CAUSE_DEPTH = 5;

export interface RuleRow {
  id: string;
  object: string | null;
  name: string;
  description: string | null;
  enabled: boolean;
  trigger: TTrigger;
  condition: string | null;
  actions: TAction[];
  version: number;
  enabled_at: Date | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

/** Why an event happened, carried on outbox events written by rules: which rules, in order. */
export interface Cause {
  source?: 'rule' | 'public_form' | 'webhook';
  rules?: string[];
  depth?: number;
  formId?: string;
}

/** What started a run: an outbox event, a schedule tick, a date reached, an inbound webhook. */
export interface TriggerInfo {
  kind: 'event' | 'schedule' | 'date' | 'webhook';
  /** Unique per rule: e:<seq>, s:<fire time>, d:<record>:<date>, w:<delivery>. */
  key: string;
  object?: string | null;
  recordId?: string | null;
  op?: string;
  seq?: number;
  changes?: Record<string, [unknown, unknown]>;
  cause?: Cause | null;
  /** When the triggering change committed (or the schedule fired): the start of the lag. */
  at: string;
  payload?: unknown;
}

/** One queued job: run this rule for this trigger. */
export interface RunJob {
  tenantId: string;
  ruleId: string;
  trigger: TriggerInfo;
}

/** The triggering record, as the rule sees it: field paths → values (loaded on demand). */
export interface RecordView {
  object: ObjectMeta;
  id: string;
  /** Values by field path, current (after the triggering change). */
  values: Map<string, unknown>;
  /** Loads more paths (e.g. merge fields of a template), on `tx` when given. */
  load(paths: string[], tx?: Tx): Promise<void>;
}

/** What an action handler gets. Database work goes through `tx`: it commits with the action's run record. */
export interface ActionContext {
  deps: AutomationDeps;
  tx: Tx;
  rctx: RecordsCtx;
  rule: RuleRow;
  action: TAction;
  index: number;
  trigger: TriggerInfo;
  record: RecordView | null;
  ev: EvalContext;
  objects: Map<string, ObjectMeta>;
  /** A stable key for this action (rule, trigger, index): Message-IDs, webhook delivery ids. */
  actionKey: string;
  /** Sets mosaic.cause for `tx`, so events the action writes carry the rule chain. */
  causeJson: string;
}
