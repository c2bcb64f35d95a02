import { sql } from 'kysely';
import { AppError } from '@mosaic/kernel';
import type { Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import { logChanges, type RecordsCtx } from '@mosaic/records';
import { ActionFailure } from './registry.ts';

/**
 * Gives a record a new owner (and the owner's department, so "own department"
 * scopes follow), as a normal change: version bump, one outbox event and one
 * audit entry. owner_id is protected from API input, so assignment is its own
 * operation rather than a field write.
 *
 *   UPDATE "o_lead" SET owner_id = $1, department_id = COALESCE($2, department_id), version = version + 1 … WHERE id = $3
 */
export async function setOwner(tx: Tx, rctx: RecordsCtx, obj: ObjectMeta, id: string, userId: string): Promise<{ from: string | null; to: string }> {
  const cur = (await sql<{ owner_id: string | null; department_id: string | null }>`SELECT owner_id, department_id FROM ${sql.id(obj.tableName)} WHERE id = ${id} FOR UPDATE`.execute(tx)).rows[0];
  if (!cur) throw new AppError('RECORD_NOT_FOUND', `No ${obj.apiName} with id ${id}.`);
  const user = (await sql<{ department_id: string | null }>`SELECT department_id FROM app_user WHERE id = ${userId} AND active`.execute(tx)).rows[0];
  if (!user) throw new ActionFailure(`user ${userId} does not exist or is inactive`);
  if (cur.owner_id === userId) return { from: cur.owner_id, to: userId };
  const department = user.department_id ?? cur.department_id;
  await sql`UPDATE ${sql.id(obj.tableName)} SET owner_id = ${userId}, department_id = ${department}, version = version + 1, updated_at = now(), updated_by = ${rctx.guard.actor.userId}
    WHERE id = ${id}`.execute(tx);
  const changes: Record<string, [unknown, unknown]> = { owner_id: [cur.owner_id, userId] };
  if (department !== cur.department_id) changes.department_id = [cur.department_id, department];
  await logChanges(tx, rctx.guard.actor, [{ object: obj.apiName, recordId: id, op: 'update', changes }]);
  return { from: cur.owner_id, to: userId };
}

/**
 * Who a user reference names: a user id, "$owner" (the record's owner), or a
 * user field path of the record ("assignee", "customer.owner_id").
 */
export async function resolveUserRefs(refs: string[], load: (paths: string[]) => Promise<Map<string, unknown> | null>): Promise<string[]> {
  const ids: string[] = [];
  const paths = refs.filter((r) => !UUID.test(r)).map((r) => (r === '$owner' ? 'owner_id' : r));
  const values = paths.length ? await load(paths) : null;
  for (const r of refs) {
    const v = UUID.test(r) ? r : values?.get(r === '$owner' ? 'owner_id' : r);
    if (typeof v === 'string' && UUID.test(v) && !ids.includes(v)) ids.push(v);
  }
  return ids;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
