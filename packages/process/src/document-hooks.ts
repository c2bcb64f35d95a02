import type { RawBuilder } from 'kysely';
import type { Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import type { RecordsCtx } from '@mosaic/records';

/**
 * What a module attaches to its documents' lifecycle. Each hook runs inside the
 * transition's transaction, after the status has changed: a posting that throws
 * rolls the whole transition back, so a document is never "submitted" without
 * its ledger entries (DESIGN.md, Documents).
 */
export interface DocumentHookArgs {
  tx: Tx;
  ctx: RecordsCtx;
  object: ObjectMeta;
  record: Record<string, unknown>;
  /** On submit: what the approval starter's `prefetch` column read with the row lock (see ApprovalStarter). */
  approvalPrefetch?: unknown;
}

export interface DocumentHooks {
  /** Extra checks before submit (throw an AppError to refuse). */
  validate?(args: DocumentHookArgs): Promise<void>;
  onSubmit?(args: DocumentHookArgs): Promise<void>;
  onApprove?(args: DocumentHookArgs): Promise<void>;
  /** A submitted document went back to draft (its approval was rejected or withdrawn): undo what onSubmit did. */
  onReturnToDraft?(args: DocumentHookArgs): Promise<void>;
  onCancel?(args: DocumentHookArgs): Promise<void>;
}

const registry = new Map<string, DocumentHooks[]>();

/** Modules call this at import time: registerDocumentHooks('delivery_note', { onSubmit: postStockMoves }). */
export function registerDocumentHooks(objectApiName: string, hooks: DocumentHooks): void {
  registry.set(objectApiName, [...(registry.get(objectApiName) ?? []), hooks]);
}

export async function runHooks(kind: keyof DocumentHooks, args: DocumentHookArgs): Promise<void> {
  for (const hooks of registry.get(args.object.apiName) ?? []) await hooks[kind]?.(args);
}

/**
 * Whether submitting this document starts an approval instead of taking effect
 * at once. The approval engine registers itself here.
 */
export type ApprovalStarter = ((args: DocumentHookArgs) => Promise<boolean>) & {
  /**
   * An expression the submit's lock statement reads for the starter (its answer in
   * args.approvalPrefetch): what the starter would otherwise ask in a statement of its own.
   */
  prefetch?: (object: ObjectMeta) => RawBuilder<unknown>;
};
let approvalStarter: ApprovalStarter | null = null;

export function setApprovalStarter(starter: ApprovalStarter | null): void {
  approvalStarter = starter;
}

export function approvalPrefetchSql(object: ObjectMeta): RawBuilder<unknown> | undefined {
  return approvalStarter?.prefetch?.(object);
}

export function startApprovalIfAny(args: DocumentHookArgs): Promise<boolean> {
  return approvalStarter ? approvalStarter(args) : Promise.resolve(false);
}
