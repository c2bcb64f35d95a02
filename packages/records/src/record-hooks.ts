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

/** A value was given: not absent, null or ''. */
export const isGiven = (v: unknown): boolean => v !== undefined && v !== null && v !== '';

/** A plain object (a record's values, a child line), else null: anything else the records layer refuses itself. */
export const plainObject = (raw: unknown): Record<string, unknown> | null =>
  raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : null;

/** A line field to default: a new line (no id) without it, or a kept line (an update names its id) whose value is sent empty. */
export const lineFieldMissing = (line: Record<string, unknown>, field: string): boolean =>
  isGiven(line.id) ? field in line && !isGiven(line[field]) : !isGiven(line[field]);

/** What a defaults function gets for one input of a write: `id` null on create; `at` prefixes its error fields ('0.' in bulk). */
export interface ValueDefaultsArgs {
  ctx: RecordsCtx;
  tx: Tx;
  objects: Map<string, ObjectMeta>;
  obj: ObjectMeta;
  values: Record<string, unknown>;
  id: string | null;
  at: string;
}

/**
 * Defaults filled on every create and update of the object, input by input (prepareCreate and
 * prepareUpdate with the same function): a line's VAT rate or price, a document's currency. An input
 * that is not a plain object is passed on untouched for the records layer to refuse.
 */
export function registerValueDefaults(objectApiName: string, fill: (args: ValueDefaultsArgs) => Promise<Record<string, unknown>>): void {
  const each = async (args: Omit<ValueDefaultsArgs, 'values' | 'id' | 'at'>, inputs: { id: string | null; values: unknown }[]) => {
    const out: unknown[] = [];
    for (const [n, input] of inputs.entries()) {
      const values = plainObject(input.values);
      out.push(values ? await fill({ ...args, values, id: input.id, at: inputs.length > 1 ? `${n}.` : '' }) : input.values);
    }
    return out;
  };
  registerRecordHooks(objectApiName, {
    prepareCreate: ({ inputs, ...args }) => each(args, inputs.map((values) => ({ id: null, values }))),
    prepareUpdate: ({ inputs, ...args }) => each(args, inputs),
  });
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
