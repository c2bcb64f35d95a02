import { sql } from 'kysely';
import { AppError } from '@mosaic/kernel';
import { inTenantTx } from '@mosaic/db';
import { fieldOf, type ObjectMeta } from '@mosaic/meta';
import type { AccessGuard } from '@mosaic/access';
import { type RecordsCtx } from './records.context.ts';
import { getRecord, readableObject } from './records.query.ts';

export interface HistoryEntry {
  id: number;
  at: string;
  kind: string;
  actor: { id: string; name: string | null } | null;
  ip?: string | null;
  changes: Record<string, [unknown, unknown]>;
}

/**
 * GET /api/v1/records/{object}/{id}/history?before=<entry id>&limit=50
 * The audit trail of one record, newest first — only when the user may read
 * the record (else the 404 of a missing one), and with the old and new values
 * of fields they may not read left out (child rows too), so history is no side
 * door to a hidden field. Addresses are shown to administrators only.
 *
 *   SELECT a.id, a.at, a.kind, a.actor_id, u.name, a.ip, a.changes FROM audit_log a LEFT JOIN app_user u ON …
 *   WHERE a.object = $1 AND a.record_id = $2 AND a.id < $3 ORDER BY a.id DESC LIMIT $4
 */
export async function recordHistory(ctx: RecordsCtx, objectApiName: string, id: string, opts: { before?: number; limit?: number } = {}): Promise<{ data: HistoryEntry[]; nextBefore: number | null }> {
  const { objects, obj } = await readableObject(ctx, objectApiName, 'read');
  const limit = opts.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new AppError('PAGE_INVALID', 'limit: must be 1 to 200', { field: 'limit' });
  const before = opts.before ?? Number.MAX_SAFE_INTEGER;
  if (!Number.isSafeInteger(before) || before < 1) throw new AppError('PAGE_INVALID', 'before: must be an entry id from this history', { field: 'before' });
  return inTenantTx(ctx.db.app, { tenantId: ctx.guard.actor.tenantId, userId: ctx.guard.actor.userId }, async (tx) => {
    await getRecord(ctx, objectApiName, id, { fields: ['id'], tx }); // the read check: 404 unless readable
    const rows = await sql<Record<string, any>>`SELECT a.id, a.at, a.kind, a.actor_id, u.name AS actor_name, a.ip, a.changes
      FROM audit_log a LEFT JOIN app_user u ON u.tenant_id = a.tenant_id AND u.id = a.actor_id
      WHERE a.object = ${obj.apiName} AND a.record_id = ${id} AND a.id < ${before} ORDER BY a.id DESC LIMIT ${limit + 1}`.execute(tx);
    const data = rows.rows.slice(0, limit).map((r): HistoryEntry => ({
      id: Number(r.id),
      at: new Date(r.at).toISOString(),
      kind: r.kind,
      actor: r.actor_id ? { id: r.actor_id, name: r.actor_name ?? null } : null,
      ...(ctx.guard.actor.isAdmin ? { ip: r.ip ?? null } : {}),
      changes: readableChanges(ctx.guard, objects, obj, r.changes ?? {}),
    }));
    return { data, nextBefore: rows.rows.length > limit ? data[data.length - 1].id : null };
  });
}

/** Drops the changes of fields the user may not read; child-table rows lose their unreadable fields. */
function readableChanges(guard: AccessGuard, objects: Map<string, ObjectMeta>, obj: ObjectMeta, changes: Record<string, [unknown, unknown]>): Record<string, [unknown, unknown]> {
  const out: Record<string, [unknown, unknown]> = {};
  for (const [key, pair] of Object.entries(changes)) {
    const field = fieldOf(obj, key);
    if (!field || !guard.canReadField(obj, field) || !Array.isArray(pair)) continue;
    if (field.type !== 'child_table') {
      out[key] = pair;
      continue;
    }
    const child = objects.get(field.config.target ?? '');
    const rowsOf = (v: unknown) => (Array.isArray(v) && child ? v.map((row) => readableRow(guard, child, row)) : null);
    out[key] = [rowsOf(pair[0]), rowsOf(pair[1])];
  }
  return out;
}

function readableRow(guard: AccessGuard, child: ObjectMeta, row: unknown): unknown {
  if (!row || typeof row !== 'object') return row;
  return Object.fromEntries(Object.entries(row as Record<string, unknown>).filter(([k]) => {
    if (k === 'id') return true;
    const f = fieldOf(child, k);
    return !!f && guard.canReadField(child, f);
  }));
}
