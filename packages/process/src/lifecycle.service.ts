import { sql, type RawBuilder } from 'kysely';
import { AppError } from '@mosaic/kernel';
import { inTenantTx, type Tx } from '@mosaic/db';
import type { Action } from '@mosaic/access';
import type { ObjectMeta } from '@mosaic/meta';
import { createRecords, getRecord, lockAndRead, logAndReread, logChanges, mapPgError, readableObject, type RecordsCtx } from '@mosaic/records';
import { approvalPrefetchSql, runHooks, startApprovalIfAny, type DocumentHookArgs } from './document-hooks.ts';

/**
 * Document states (DESIGN.md, Documents): draft → submitted → (approved) → cancelled;
 * amend makes a new draft from a cancelled one. Each transition is an action
 * with its own permission and record scope, checks the version the user saw,
 * runs the module's hooks in the same transaction, and writes an event and an
 * audit entry. The database refuses status changes outside these functions
 * (migration 0030), so a posted document cannot be edited behind their back.
 */
export async function submitDocument(ctx: RecordsCtx, objectApiName: string, id: string, version: unknown): Promise<Record<string, unknown>> {
  return transition(ctx, objectApiName, id, version, 'submit', ['draft'], async (args, tx) => {
    await runHooks('validate', args);
    await setStatus(tx, args.object, id, 'submitted', sql`submitted_at = now()`);
    await runHooks('onSubmit', args);
    // After onSubmit: a flow that finishes at once (auto-approval) runs onApprove after the submit's postings.
    const awaitingApproval = await startApprovalIfAny(args);
    return { op: 'submit', status: 'submitted', awaitingApproval };
  }, true);
}

/** Called by the approval engine when a flow finishes with approval. */
export async function approveDocument(ctx: RecordsCtx, objectApiName: string, id: string, tx: Tx): Promise<void> {
  const { objects, obj } = await readableObject(ctx, objectApiName, 'read');
  void objects;
  const current = await sql<{ status: string }>`SELECT status FROM ${sql.id(obj.tableName)} WHERE id = ${id} FOR UPDATE`.execute(tx);
  if (current.rows[0]?.status !== 'submitted') throw new AppError('CONFLICT', `Only a submitted document can be approved (this one is ${current.rows[0]?.status ?? 'missing'}).`);
  await setStatus(tx, obj, id, 'approved');
  const record = await getRecord(ctx, objectApiName, id, { tx });
  await runHooks('onApprove', { tx, ctx, object: obj, record });
  await logChanges(tx, ctx.guard.actor, [{ object: obj.apiName, recordId: id, op: 'approve', changes: { status: ['submitted', 'approved'] } }]);
}

/** Returns a submitted document to draft (an approver rejected it or the submitter withdrew it). */
export async function returnToDraft(ctx: RecordsCtx, objectApiName: string, id: string, tx: Tx, op: 'reject' | 'withdraw'): Promise<void> {
  const { obj } = await readableObject(ctx, objectApiName, 'read');
  const current = await sql<{ status: string }>`SELECT status FROM ${sql.id(obj.tableName)} WHERE id = ${id} FOR UPDATE`.execute(tx);
  if (current.rows[0]?.status !== 'submitted') throw new AppError('CONFLICT', 'Only a submitted document awaiting approval can go back to draft.');
  await setStatus(tx, obj, id, 'draft', sql`submitted_at = NULL`);
  // Whatever the submit held (a sales order's stock reservation) is released with it.
  await runHooks('onReturnToDraft', { tx, ctx, object: obj, record: await getRecord(ctx, objectApiName, id, { tx }) });
  await logChanges(tx, ctx.guard.actor, [{ object: obj.apiName, recordId: id, op, changes: { status: ['submitted', 'draft'] } }]);
}

export async function cancelDocument(ctx: RecordsCtx, objectApiName: string, id: string, version: unknown, reason?: unknown): Promise<Record<string, unknown>> {
  if (reason !== undefined && (typeof reason !== 'string' || reason.length > 500)) throw new AppError('FIELD_INVALID', 'reason: text of at most 500 characters', { field: 'reason' });
  return transition(ctx, objectApiName, id, version, 'cancel', ['submitted', 'approved'], async (args, tx) => {
    await setStatus(tx, args.object, id, 'cancelled', sql`cancelled_at = now(), cancel_reason = ${(reason as string | undefined) ?? null}`);
    await runHooks('onCancel', args);
    return { op: 'cancel', status: 'cancelled' };
  });
}

/** A new draft copying a cancelled document (and its child rows), linked back through amended_from. */
export async function amendDocument(ctx: RecordsCtx, objectApiName: string, id: string): Promise<Record<string, unknown>> {
  const { objects, obj } = await readableObject(ctx, objectApiName, 'create');
  assertDocument(obj);
  return inTenantTx(ctx.db.app, { tenantId: ctx.guard.actor.tenantId, userId: ctx.guard.actor.userId }, async (tx) => {
    const old = await getRecord(ctx, objectApiName, id, { tx });
    if (old.status !== 'cancelled') throw new AppError('CONFLICT', 'Only a cancelled document can be amended.');
    const copy: Record<string, unknown> = {};
    for (const f of obj.fields) {
      if (f.system || f.readOnly || f.archived || !ctx.guard.canWriteField(obj, f) || old[f.apiName] === undefined) continue;
      copy[f.apiName] = f.type === 'child_table' ? (old[f.apiName] as Record<string, unknown>[]).map((row) => copyRow(objects.get(f.config.target!)!, row)) : old[f.apiName];
    }
    const [{ id: newId }] = await createRecords(ctx, objectApiName, [copy], { tx });
    await sql`UPDATE ${sql.id(obj.tableName)} SET amended_from = ${id} WHERE id = ${newId}`.execute(tx);
    await logChanges(tx, ctx.guard.actor, [{ object: obj.apiName, recordId: newId, op: 'amend', changes: { amended_from: [null, id] } }]);
    return getRecord(ctx, objectApiName, newId, { tx });
  });
}

// ---------------------------------------------------------------- helpers

async function transition(
  ctx: RecordsCtx, objectApiName: string, id: string, version: unknown, action: Action, from: string[],
  apply: (args: DocumentHookArgs, tx: Tx) => Promise<{ op: string; status: string; awaitingApproval?: boolean }>,
  approvalCheck = false,
): Promise<Record<string, unknown>> {
  const { objects, obj } = await readableObject(ctx, objectApiName, action);
  assertDocument(obj);
  if (version === undefined || version === null) throw new AppError('VERSION_REQUIRED', 'version: send the version you read', { field: 'version' });
  if (!Number.isInteger(version)) throw new AppError('FIELD_INVALID', 'version: must be a whole number', { field: 'version' });
  return inTenantTx(ctx.db.app, { tenantId: ctx.guard.actor.tenantId, userId: ctx.guard.actor.userId }, async (tx) => {
    // The lock and the record the hooks get are one statement (+ one for child rows); the log and the
    // record the reply shows are one more (records.transition.ts) — no read-back of what is known.
    // A submit asks the approval starter's question (which flows are active) in the same statement.
    const row = await lockAndRead(ctx, tx, objects, obj, id, action, approvalCheck ? approvalPrefetchSql(obj) : undefined);
    if (row.version !== version) throw new AppError('VERSION_CONFLICT', `version: the document is at version ${row.version}, you sent ${version}; reload it`, { field: 'version' });
    if (!from.includes(row.status)) {
      throw new AppError('CONFLICT', `A ${row.status} document cannot be ${action === 'submit' ? 'submitted' : 'cancelled'}.`, { details: { status: row.status } });
    }
    const before = structuredClone(row.record); // what the reply keeps of it, whatever a hook does to its argument
    const result = await apply({ tx, ctx, object: obj, record: row.record, approvalPrefetch: row.extra }, tx).catch((e) => mapPgError(e, obj, 'write'));
    const change = { object: obj.apiName, recordId: id, op: result.op, changes: { status: [row.status, result.status] as [unknown, unknown] } };
    const after = await logAndReread(ctx, tx, obj, id, change, row, before);
    return result.awaitingApproval ? { ...after, $awaitingApproval: true } : after;
  });
}

async function setStatus(tx: Tx, obj: ObjectMeta, id: string, status: string, extra?: RawBuilder<unknown>): Promise<void> {
  // The database guard (mosaic_guard_document, a BEFORE UPDATE trigger) lets status change only inside a
  // marked transition. One round trip instead of three: the flag is set by the CTE joined into the UPDATE —
  // evaluated before the row reaches the trigger — and cleared by RETURNING, evaluated once the row is written.
  const sets = [sql`status = ${status}`, sql`version = version + 1`, sql`updated_at = now()`, sql`updated_by = mosaic_user()`];
  if (extra) sets.push(extra);
  const r = await sql`WITH flag AS MATERIALIZED (SELECT set_config('mosaic.doc_transition', 'on', true) AS f)
    UPDATE ${sql.id(obj.tableName)} AS t SET ${sql.join(sets)} FROM flag WHERE t.id = ${id}
    RETURNING set_config('mosaic.doc_transition', 'off', true) AS f`.execute(tx);
  // No row (cannot happen under the row lock taken before): the flag must not stay on for the rest of the transaction.
  if (!r.rows.length) await sql`SELECT set_config('mosaic.doc_transition', 'off', true)`.execute(tx);
}

function assertDocument(obj: ObjectMeta): void {
  if (!obj.isDocument) throw new AppError('CONFLICT', `${obj.apiName} is not a document; it has no submit or cancel.`);
}

function copyRow(child: ObjectMeta, row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of child.fields) if (!f.system && !f.readOnly && !f.archived && row[f.apiName] !== undefined) out[f.apiName] = row[f.apiName];
  return out;
}
