import { AppError, isUuid, newId } from '@mosaic/kernel';
import { inTenantTx, sql, type Db } from '@mosaic/db';
import type { Actor } from '@mosaic/access';

/**
 * Long-running work reports progress in the `job` table. A job is visible to
 * its tenant only (row-level security) and there to its creator or an admin.
 *
 *   GET /api/v1/jobs/{id} → { id, kind, status, total, done, percent, result, error }
 */
export type JobStatus = 'queued' | 'running' | 'done' | 'failed';

export interface JobView {
  id: string;
  kind: string;
  status: JobStatus;
  total: number | null;
  done: number;
  percent: number;
  result: unknown;
  error: unknown;
  createdAt: string;
  updatedAt: string;
}

export interface JobPatch {
  status?: JobStatus;
  total?: number;
  done?: number;
  result?: unknown;
  error?: unknown;
}

const scope = (a: Actor) => ({ tenantId: a.tenantId, userId: a.userId });

export async function createJob(db: Db, actor: Actor, kind: string, result: unknown = null): Promise<string> {
  const id = newId();
  await inTenantTx(db, scope(actor), (tx) =>
    sql`INSERT INTO job (tenant_id, id, kind, status, result, created_by) VALUES (${actor.tenantId}, ${id}, ${kind}, 'queued', ${JSON.stringify(result)}::jsonb, ${actor.userId})`.execute(tx));
  return id;
}

export async function updateJob(db: Db, actor: Actor, id: string, patch: JobPatch): Promise<void> {
  const sets = [sql`updated_at = now()`];
  if (patch.status !== undefined) sets.push(sql`status = ${patch.status}`);
  if (patch.total !== undefined) sets.push(sql`total = ${patch.total}`);
  if (patch.done !== undefined) sets.push(sql`done = ${patch.done}`);
  if (patch.result !== undefined) sets.push(sql`result = ${JSON.stringify(patch.result)}::jsonb`);
  if (patch.error !== undefined) sets.push(sql`error = ${JSON.stringify(patch.error)}::jsonb`);
  await inTenantTx(db, scope(actor), (tx) => sql`UPDATE job SET ${sql.join(sets)} WHERE id = ${id}`.execute(tx));
}

export async function getJobOrThrow(db: Db, actor: Actor, id: string): Promise<JobView> {
  if (!isUuid(id)) throw new AppError('JOB_NOT_FOUND');
  const rows = await inTenantTx(db, scope(actor), (tx) =>
    sql<Record<string, any>>`SELECT * FROM job WHERE id = ${id} AND (created_by = ${actor.userId} OR ${actor.isAdmin}::boolean)`.execute(tx));
  const r = rows.rows[0];
  if (!r) throw new AppError('JOB_NOT_FOUND');
  const total = r.total === null ? null : Number(r.total);
  const done = Number(r.done);
  const percent = r.status === 'done' ? 100 : total ? Math.min(100, Math.floor((done * 100) / total)) : 0;
  return {
    id: r.id, kind: r.kind, status: r.status, total, done, percent, result: r.result, error: r.error,
    createdAt: new Date(r.created_at).toISOString(), updatedAt: new Date(r.updated_at).toISOString(),
  };
}
