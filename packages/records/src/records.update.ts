import { sql } from 'kysely';
import { AppError, newId } from '@mosaic/kernel';
import { inTenantTx, type Tx } from '@mosaic/db';
import { FIELD_TYPE_DEFS, type FieldMeta, type ObjectMeta } from '@mosaic/meta';
import type { Action } from '@mosaic/access';
import { logChanges, type Change } from './change-log.ts';
import { checkRowFiles } from './files/check-files.ts';
import { JoinScope } from './join-scope.ts';
import { mapPgError } from './pg-errors.ts';
import { checkRules, refreshComputed, refreshDependents } from './recompute.ts';
import { diffValues, fillCompanyCurrency, prepareRow, rowToValues, type PreparedRow } from './record-values.ts';
import { evalContextOf, type RecordsCtx } from './records.context.ts';
import { readableObject, recordAfterWrite, whereSql } from './records.query.ts';
import { runAfterWrite, runPrepareUpdate } from './record-hooks.ts';
import { enforceWriteScope } from './write-scope.ts';
import { applyDefaults, hasStoredComputed, linkKeys, scopeOf } from './records.write.ts';
import { ReplyRows } from './reply-rows.ts';

export interface UpdateInput {
  id: string;
  version?: number;
  values: unknown;
}

/**
 * Updates records with optimistic locking: each row is locked (inside the
 * user's edit scope — outside it, it is a 404), its version compared (stale →
 * 409), a submitted document refused unless only "editable after submit"
 * fields change; child rows given are replaced by id (kept, changed, added,
 * removed). All rows of one call commit together or not at all.
 */
export async function updateRecords(ctx: RecordsCtx, objectApiName: string, inputs: UpdateInput[], opts: { tx?: Tx; reply?: ReplyRows } = {}): Promise<{ id: string; version: number }[]> {
  const { objects, obj } = await readableObject(ctx, objectApiName, 'edit');
  // The UPDATE answers for the reply (reply-rows.ts) unless refreshComputed writes the row again after it.
  const returning = opts.reply && !hasStoredComputed(obj) ? opts.reply.returning(obj) : null;
  if (inputs.length > 10_000) throw new AppError('BAD_REQUEST', 'at most 10,000 records per call', { field: 'records' });
  const bulk = inputs.length > 1;
  const run = async (tx: Tx) => {
    const out: { id: string; version: number }[] = [];
    const changes: Change[] = [];
    const touchedLinks: Record<string, unknown>[] = [];
    try {
      // Every row locked inside the caller's edit scope first: a module's hook may read the record,
      // and what it answers about one out of scope must not tell that it exists (it is a 404).
      const locked: Record<string, unknown>[] = [];
      for (const [i, input] of inputs.entries()) {
        const at = bulk ? `${i}.` : '';
        if (input.version === undefined || input.version === null) throw new AppError('VERSION_REQUIRED', `${at}version: send the version you read, to detect concurrent edits`, { field: `${at}version` });
        if (!Number.isInteger(input.version)) throw new AppError('FIELD_INVALID', `${at}version: must be a whole number`, { field: `${at}version` });
        locked.push(await lockRow(ctx, tx, objects, obj, input.id, 'edit'));
      }
      // Then a module's hook may fill values in (record-hooks.ts: lines priced on the way in).
      const values = await runPrepareUpdate({ ctx, tx, objects, obj, inputs: inputs.map((x) => ({ id: x.id, values: x.values })) });
      const seen = new Set<string>();
      for (const [i, input] of inputs.entries()) {
        const at = bulk ? `${i}.` : '';
        const row = prepareRow(obj, ctx.guard, values[i], 'update', at);
        await fillCompanyCurrency(tx, ctx.guard.actor, obj, [row]);
        await checkRowFiles(tx, obj, [row], () => at);
        // (An id given twice in one call: its second input compares with the row its first wrote.)
        const current = seen.has(input.id) ? await lockRow(ctx, tx, objects, obj, input.id, 'edit') : locked[i];
        seen.add(input.id);
        if (current.version !== input.version) {
          throw new AppError('VERSION_CONFLICT', `${at}version: the record is at version ${current.version}, you sent ${input.version}; reload it`, { field: `${at}version`, details: { current: current.version } });
        }
        const before = rowToValues(obj, current);
        const diff = diffValues(before, row.values);
        assertEditable(obj, current, diff, row, at);
        for (const { field, rows } of row.children) {
          const childDiff = await replaceChildren(ctx, tx, objects, field, rows, input.id, `${at}${field.apiName}.`);
          if (childDiff) diff[field.apiName] = [null, childDiff];
        }
        if (!Object.keys(diff).length) {
          out.push({ id: input.id, version: current.version as number });
          continue;
        }
        const sets = Object.entries(row.columns).map(([c, v]) => sql`${sql.id(c)} = ${v}`);
        const updated = await sql<Record<string, unknown>>`UPDATE ${sql.id(obj.tableName)} AS t SET ${sql.join([...sets, sql`version = version + 1`, sql`updated_at = now()`, sql`updated_by = ${ctx.guard.actor.userId}`])}
          WHERE id = ${input.id}${returning ? sql` RETURNING ${returning}` : sql``}`.execute(tx);
        if (returning) opts.reply!.take(obj, updated.rows);
        out.push({ id: input.id, version: (current.version as number) + 1 });
        changes.push({ object: obj.apiName, recordId: input.id, op: 'update', changes: diff });
        touchedLinks.push(current, row.columns);
      }
      const ids = changes.map((c) => c.recordId);
      await refreshComputed(tx, objects, obj, ids, ctx.guard.actor.timeZone, opts.reply);
      // (The RETURNING answers only for objects without stored roll-ups or formulas, so refreshDependents,
      // which writes roll-up columns, cannot write these rows again after it.)
      await refreshDependents(tx, objects, obj, linkKeys(obj, touchedLinks), ctx.guard.actor.timeZone);
      await checkRules(tx, objects, obj, ids, evalContextOf(ctx), ctx.guard.actor.locale);
      const inputAt = new Map(inputs.map((x, i) => [x.id, `${i}.`]));
      await enforceWriteScope(ctx, tx, objects, obj, ids, 'edit', { reply: opts.reply, at: bulk ? (id) => inputAt.get(id) ?? '' : undefined });
      await runAfterWrite({ ctx, tx, objects, obj, ids, op: 'update' });
      await logChanges(tx, ctx.guard.actor, changes);
      return out;
    } catch (e) {
      return mapPgError(e, obj, 'write');
    }
  };
  return opts.tx ? run(opts.tx) : inTenantTx(ctx.db.app, scopeOf(ctx), run);
}

export async function updateRecord(ctx: RecordsCtx, objectApiName: string, id: string, body: unknown): Promise<Record<string, unknown>> {
  const { version, ...values } = (body && typeof body === 'object' && !Array.isArray(body) ? body : {}) as { version?: number };
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new AppError('VALIDATION_FAILED', 'body: must be a JSON object of field values with "version"');
  const { objects, obj } = await readableObject(ctx, objectApiName, 'edit');
  // The reply from the UPDATE's RETURNING, as a create's (reply-rows.ts), for records without
  // child tables: an update returns only the rows it changed, and the reply holds every line.
  const withLines = obj.fields.some((f) => f.type === 'child_table' && !f.archived);
  return inTenantTx(ctx.db.app, scopeOf(ctx), async (tx) => {
    const reply = withLines ? undefined : new ReplyRows(ctx, objects, obj);
    await updateRecords(ctx, objectApiName, [{ id, version, values }], { tx, reply });
    return reply?.record(id) ?? recordAfterWrite(ctx, objectApiName, id, tx);
  });
}

/** Deletes a record inside the user's delete scope; a submitted document cannot be deleted (cancel it). */
export async function deleteRecord(ctx: RecordsCtx, objectApiName: string, id: string, version?: number): Promise<void> {
  const { objects, obj } = await readableObject(ctx, objectApiName, 'delete');
  await inTenantTx(ctx.db.app, scopeOf(ctx), async (tx) => {
    const current = await lockRow(ctx, tx, objects, obj, id, 'delete');
    if (version !== undefined && current.version !== version) throw new AppError('VERSION_CONFLICT', `version: the record is at version ${current.version}`, { field: 'version' });
    if (obj.isDocument && current.status !== 'draft') throw new AppError('DOCUMENT_IMMUTABLE', `A ${current.status} document cannot be deleted; cancel it instead.`);
    try {
      await sql`DELETE FROM ${sql.id(obj.tableName)} WHERE id = ${id}`.execute(tx);
    } catch (e) {
      mapPgError(e, obj, 'delete');
    }
    await refreshDependents(tx, objects, obj, linkKeys(obj, [current]), ctx.guard.actor.timeZone);
    await logChanges(tx, ctx.guard.actor, [{ object: obj.apiName, recordId: id, op: 'delete', changes: diffValues(rowToValues(obj, current), {}) }]);
  });
}

/** SELECT … FOR UPDATE OF t, within the action's record scope. */
export async function lockRow(ctx: RecordsCtx, tx: Tx, objects: Map<string, ObjectMeta>, obj: ObjectMeta, id: string, action: Action): Promise<Record<string, unknown>> {
  if (typeof id !== 'string' || !/^[0-9a-f-]{36}$/i.test(id)) throw new AppError('RECORD_NOT_FOUND', 'No record with that id.');
  const scope = new JoinScope(objects, obj, ctx.guard, evalContextOf(ctx));
  const where = whereSql(ctx, scope, obj, { field: 'id', op: 'eq', value: id }, action);
  const r = await sql<Record<string, unknown>>`SELECT t.* FROM ${sql.id(obj.tableName)} AS t ${scope.joinSql()} WHERE ${where} FOR UPDATE OF t`.execute(tx);
  if (!r.rows.length) throw new AppError('RECORD_NOT_FOUND', `No ${obj.apiName} with id ${id}.`);
  return r.rows[0];
}

function assertEditable(obj: ObjectMeta, current: Record<string, unknown>, diff: Record<string, unknown>, row: PreparedRow, at: string): void {
  if (!obj.isDocument || current.status === 'draft') return;
  const fixed = Object.keys(diff).filter((k) => !obj.fields.find((f) => f.apiName === k)?.config.editableAfterSubmit);
  if (fixed.length || row.children.length) {
    throw new AppError('DOCUMENT_IMMUTABLE', `${at}${fixed[0] ?? row.children[0].field.apiName}: a ${current.status} document cannot be changed; cancel and amend it`, { field: `${at}${fixed[0] ?? ''}` });
  }
}

/** Child rows: rows with a known id are updated, rows without are added, missing ones deleted. */
async function replaceChildren(ctx: RecordsCtx, tx: Tx, objects: Map<string, ObjectMeta>, field: FieldMeta, inputs: unknown[], parentId: string, at: string): Promise<unknown[] | null> {
  const child = objects.get(field.config.target!)!;
  const existing = await sql<Record<string, unknown>>`SELECT * FROM ${sql.id(child.tableName)} WHERE parent_id = ${parentId} ORDER BY idx`.execute(tx);
  const byId = new Map(existing.rows.map((r) => [r.id as string, r]));
  const keep = new Set<string>();
  const after: unknown[] = [];
  for (const [i, input] of inputs.entries()) {
    const rowAt = `${at}${i}.`;
    const givenId = input && typeof input === 'object' ? (input as { id?: unknown }).id : undefined;
    const row = prepareRow(child, ctx.guard, input, 'update', rowAt);
    if (typeof givenId === 'string' && byId.has(givenId)) {
      await fillCompanyCurrency(tx, ctx.guard.actor, child, [row]);
      keep.add(givenId);
      const sets = Object.entries(row.columns).map(([c, v]) => sql`${sql.id(c)} = ${v}`);
      await sql`UPDATE ${sql.id(child.tableName)} SET ${sql.join([...sets, sql`idx = ${i}`, sql`version = version + 1`, sql`updated_at = now()`])} WHERE id = ${givenId}`.execute(tx);
      after.push({ id: givenId, ...row.values });
    } else {
      const id = newId();
      // A row added by an update gets its fields' defaults, as on create (含税价 false, 折扣 0).
      applyDefaults(ctx, child, row, rowAt);
      await fillCompanyCurrency(tx, ctx.guard.actor, child, [row]);
      for (const f of child.fields) {
        if (f.required && f.columnName && !f.system && (row.values[f.apiName] === undefined || row.values[f.apiName] === null || row.values[f.apiName] === '')) {
          throw new AppError('FIELD_REQUIRED', `${rowAt}${f.apiName}: ${f.label.zh} is required`, { field: `${rowAt}${f.apiName}` });
        }
      }
      const cols = ['tenant_id', 'id', 'parent_id', 'idx', ...Object.keys(row.columns)];
      const vals = [ctx.guard.actor.tenantId, id, parentId, i, ...Object.values(row.columns)];
      await sql`INSERT INTO ${sql.id(child.tableName)} (${sql.join(cols.map((c) => sql.id(c)))}) VALUES (${sql.join(vals)})`.execute(tx);
      keep.add(id);
      after.push({ id, ...row.values });
    }
  }
  const removed = [...byId.keys()].filter((id) => !keep.has(id));
  if (removed.length) await sql`DELETE FROM ${sql.id(child.tableName)} WHERE id = ANY(${removed}::uuid[])`.execute(tx);
  await refreshComputed(tx, objects, child, [...keep], ctx.guard.actor.timeZone);
  await checkRules(tx, objects, child, [...keep], evalContextOf(ctx), ctx.guard.actor.locale);
  void FIELD_TYPE_DEFS;
  return after;
}
