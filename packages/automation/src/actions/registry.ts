import type { z } from 'zod';
import type { ObjectMeta } from '@mosaic/meta';
import type { ActionContext } from '../automation.types.ts';

/**
 * The action registry: every action type a rule may use. Built-in actions
 * register themselves (actions/builtin.ts); other packages add theirs, e.g. the
 * approval engine:
 *
 *   registerAction('start_approval', { schema: ZStart, mode: 'external', run: (ctx) => startFlow(ctx.record!.id) });
 *
 * `mode` says how "exactly once" is kept:
 * - 'tx': the action's effect is database work done through `ctx.tx`; it
 *   commits together with the action's run record, so a retry never repeats it;
 * - 'external': mail, HTTP, another service's own transaction. The run record
 *   is held locked while the effect happens and committed right after; a crash
 *   in between is the only window in which a retry may repeat it (emails carry
 *   a stable Message-ID and webhooks a stable delivery id for the receiver to
 *   drop the duplicate).
 */
export interface ActionDef<A = any> {
  schema: z.ZodType<A>;
  mode: 'tx' | 'external';
  /** Save-time checks against metadata (formulas, fields, objects); throw an AppError to refuse. */
  validate?(action: A, v: ValidateCtx): void;
  /** Does the work; the result (JSON) goes to the run log. Throw ActionFailure for a permanent failure. */
  run(ctx: ActionContext, action: A): Promise<unknown>;
}

/** What save-time validation can check against. */
export interface ValidateCtx {
  objects: Map<string, ObjectMeta>;
  /** The rule's object, if it has one. */
  obj: ObjectMeta | null;
  /** `actions.2` — prefix for error fields. */
  at: string;
  checkFormula(src: string, field: string, obj?: ObjectMeta | null): void;
  checkTemplate(text: string, field: string): void;
  checkValues(target: ObjectMeta, values: Record<string, unknown>, field: string): void;
  objectOrThrow(apiName: string, field: string): ObjectMeta;
}

/** An action that failed for a reason a retry cannot fix (refused URL, invalid value). */
export class ActionFailure extends Error {
  constructor(message: string, readonly detail?: unknown) {
    super(message);
    this.name = 'ActionFailure';
  }
}

const registry = new Map<string, ActionDef>();

export function registerAction<A>(type: string, def: ActionDef<A>): void {
  registry.set(type, def as ActionDef);
}

export function actionDef(type: string): ActionDef | undefined {
  return registry.get(type);
}

export function actionTypes(): string[] {
  return [...registry.keys()].sort();
}
