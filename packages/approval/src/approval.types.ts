import type { Database, Tx } from '@mosaic/db';
import type { Actor } from '@mosaic/access';
import type { EvalContext, MetaStore } from '@mosaic/meta';
import type { FlowGraph } from './definition/flow-graph.ts';
import type { TFlowDefinition } from './definition/flow-definition.schema.ts';
import type { StepMode, TaskStatus } from './runtime/step.rules.ts';

/** What the engine needs from the server: the database and the metadata cache. */
export interface ApprovalDeps {
  db: Database;
  store: MetaStore;
}

/** Timeouts and automatic decisions act as the system user of @mosaic/access. */
export { SYSTEM_USER_ID } from '@mosaic/access';

export type InstanceStatus = 'running' | 'approved' | 'rejected' | 'returned' | 'withdrawn' | 'cancelled';

export interface FlowRow {
  id: string;
  object: string;
  name: string;
  version: number;
  active: boolean;
  definition: TFlowDefinition;
  activated_at: Date | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface InstanceRow {
  id: string;
  flow_id: string;
  object: string;
  record_id: string;
  title: string | null;
  status: InstanceStatus;
  submitted_by: string;
  state: { joins?: Record<string, number[]> };
  started_at: Date;
  finished_at: Date | null;
}

export interface StepRow {
  id: string;
  instance_id: string;
  node_id: string;
  token: string;
  mode: StepMode;
  percentage: number | null;
  status: 'active' | 'approved' | 'rejected' | 'cancelled';
}

export interface TaskRow {
  id: string;
  instance_id: string;
  step_id: string;
  node_id: string;
  seq: number;
  assignee_id: string;
  status: TaskStatus;
  origin: 'flow' | 'transfer' | 'add_before' | 'add_after' | 'escalation' | 'fallback';
  from_task_id: string | null;
  comment: string | null;
  decided_by: string | null;
  decided_at: Date | null;
  due_at: Date | null;
  timeout_handled: boolean;
  created_at: Date;
}

/** A flow version ready to run: its row, its graph and which join closes each split. */
export interface LoadedFlow {
  row: FlowRow;
  graph: FlowGraph;
  joinOf: Map<string, string>;
}

/**
 * One engine operation on one instance, inside one transaction that holds the
 * instance's row lock: everything that moves the instance goes through a Run.
 */
export interface Run {
  tx: Tx;
  deps: ApprovalDeps;
  /** Who acts (the system actor for timeouts). */
  actor: Actor;
  instance: InstanceRow;
  flow: LoadedFlow;
  now: Date;
  /** The submitter's formula context (`$user` in a condition is the submitter), loaded on first use. */
  submitterCtx?: EvalContext;
}
