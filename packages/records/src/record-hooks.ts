import type { Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import type { RecordsCtx } from './records.context.ts';

/**
 * What a module adds to every write of one of its objects, whichever path
 * writes it (the generic records API, imports, its own services):
 *
 * - `prepareCreate` turns the inputs of a create before they are checked, in
 *   the writing transaction (a quote line without a price takes the price
 *   list's, as the CRM's own quote endpoint does);
 * - `prepareUpdate` does the same for the values of an update (`{ id, values }`
 *   each, after the rows are locked inside the caller's edit scope — a record
 *   out of it never reaches the hook — and before the values are checked): a
 *   line added to an order without a price takes the price list's, as on create;
 * - `afterWrite` checks the written rows in the same transaction, after
 *   triggers and validation rules, and may refuse them (throw an AppError).
 *
 *   registerRecordHooks('quote', { prepareCreate: pricedLines });
 */
export interface RecordHooks {
  prepareCreate?(args: { ctx: RecordsCtx; tx: Tx; objects: Map<string, ObjectMeta>; obj: ObjectMeta; inputs: unknown[] }): Promise<unknown[]>;
  prepareUpdate?(args: { ctx: RecordsCtx; tx: Tx; objects: Map<string, ObjectMeta>; obj: ObjectMeta; inputs: { id: string; values: unknown }[] }): Promise<unknown[]>;
  afterWrite?(args: { ctx: RecordsCtx; tx: Tx; objects: Map<string, ObjectMeta>; obj: ObjectMeta; ids: string[]; op: 'create' | 'update' }): Promise<void>;
}

const registry = new Map<string, RecordHooks[]>();

/** Modules call this at import time (once per process). */
export function registerRecordHooks(objectApiName: string, hooks: RecordHooks): void {
  registry.set(objectApiName, [...(registry.get(objectApiName) ?? []), hooks]);
}

export function hasPrepareHooks(objectApiName: string): boolean {
  return (registry.get(objectApiName) ?? []).some((h) => h.prepareCreate);
}

export async function runPrepareCreate(args: Parameters<NonNullable<RecordHooks['prepareCreate']>>[0]): Promise<unknown[]> {
  let inputs = args.inputs;
  for (const h of registry.get(args.obj.apiName) ?? []) if (h.prepareCreate) inputs = await h.prepareCreate({ ...args, inputs });
  return inputs;
}

/** The update's values after every prepareUpdate hook of the object (one per input, in order). */
export async function runPrepareUpdate(args: Parameters<NonNullable<RecordHooks['prepareUpdate']>>[0]): Promise<unknown[]> {
  let values = args.inputs.map((i) => i.values);
  for (const h of registry.get(args.obj.apiName) ?? []) {
    if (h.prepareUpdate) values = await h.prepareUpdate({ ...args, inputs: args.inputs.map((i, n) => ({ id: i.id, values: values[n] })) });
  }
  return values;
}

export async function runAfterWrite(args: Parameters<NonNullable<RecordHooks['afterWrite']>>[0]): Promise<void> {
  if (!args.ids.length) return;
  for (const h of registry.get(args.obj.apiName) ?? []) await h.afterWrite?.(args);
}
