import { sql, inTenantTx, type Tx } from '@mosaic/db';
import { AppError } from '@mosaic/kernel';
import type { ObjectMeta } from '@mosaic/meta';
import { logChanges, type RecordsCtx } from '@mosaic/records';

/** An object's table and its fields' physical columns (names come from metadata, never from input). */
export interface Table {
  name: string;
  col(field: string): string;
}

export function tableOf(objects: Map<string, ObjectMeta>, apiName: string): Table {
  const obj = objects.get(apiName);
  if (!obj) throw new AppError('OBJECT_UNKNOWN', `No object named "${apiName}".`);
  return {
    name: obj.tableName,
    col(field) {
      const f = obj.fields.find((x) => x.apiName === field);
      if (!f?.columnName) throw new Error(`${apiName}.${field} has no column`);
      return f.columnName;
    },
  };
}

export const objectsOf = (ctx: RecordsCtx) => ctx.store.objects(ctx.guard.actor.tenantId);

/** A transaction as the caller (tenant and user set, so RLS and audit see them). */
export function userTx<T>(ctx: RecordsCtx, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return inTenantTx(ctx.db.app, { tenantId: ctx.guard.actor.tenantId, userId: ctx.guard.actor.userId }, fn);
}

/**
 * Writes the fields only this module maintains (chain status, quality status,
 * supplier confirmation): the database refuses them from anyone else
 * (mosaic_buying_guard in buying.install.ts). Audited like any change.
 */
export async function setSystemFields(tx: Tx, ctx: RecordsCtx, apiName: string, id: string, values: Record<string, string | null>): Promise<void> {
  const t = tableOf(await objectsOf(ctx), apiName);
  const entries = Object.entries(values);
  if (!entries.length) return;
  const before = (await sql<Record<string, unknown>>`SELECT ${sql.join(entries.map(([f]) => sql`${sql.ref(t.col(f))}::text AS ${sql.id(f)}`))}
    FROM ${sql.id(t.name)} WHERE id = ${id}`.execute(tx)).rows[0] ?? {};
  const changed = entries.filter(([f, v]) => (before[f] ?? null) !== v);
  if (!changed.length) return;
  await sql`SELECT set_config('mosaic.buying_posting', 'on', true)`.execute(tx);
  await sql`UPDATE ${sql.id(t.name)} SET ${sql.join(changed.map(([f, v]) => sql`${sql.id(t.col(f))} = ${v}`))}, updated_at = now() WHERE id = ${id}`.execute(tx);
  await sql`SELECT set_config('mosaic.buying_posting', 'off', true)`.execute(tx);
  await logChanges(tx, ctx.guard.actor, [{ object: apiName, recordId: id, op: 'update', changes: Object.fromEntries(changed.map(([f, v]) => [f, [before[f] ?? null, v]])) }]);
}

/** A UUID path parameter, or the 404 of a record that does not exist. */
export function idParam(id: unknown, object: string): string {
  if (typeof id !== 'string' || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) {
    throw new AppError('RECORD_NOT_FOUND', `No ${object} with id ${String(id).slice(0, 40)}.`);
  }
  return id.toLowerCase();
}

/** The request body as an object (an absent body is an empty one). */
export function bodyOf(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw new AppError('BAD_REQUEST', 'The body must be a JSON object.');
  return body as Record<string, unknown>;
}

export const LIVE = ['submitted', 'approved'];
