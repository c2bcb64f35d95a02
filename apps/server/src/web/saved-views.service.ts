import { z } from 'zod';
import { AppError, isUuid, newId, parseOrThrow } from '@mosaic/kernel';
import { inTenantTx, sql, type Tx } from '@mosaic/db';
import type { RecordsCtx } from '@mosaic/records';
import { readableObject } from '@mosaic/records';

/**
 * Saved list views (issue 4): a named set of filter conditions, quick search,
 * sort, columns and view mode on one object. Personal views are seen by their
 * owner only; shared ones by everyone who may read the object. Only the owner
 * (or an admin) changes or deletes a view. A view grants nothing: the list it
 * opens is read through the guard like any other.
 */
export interface SavedView {
  id: string;
  object: string;
  name: string;
  config: TViewConfig;
  ownerId: string;
  shared: boolean;
  mine: boolean;
  updatedAt: string;
}

const ZCondition = z.object({ field: z.string().min(1).max(200), op: z.string().min(1).max(20), value: z.unknown().optional() }).strict();
const ZConfig = z.object({
  conditions: z.array(ZCondition).max(30).default([]),
  quick: z.string().max(200).default(''),
  sort: z.string().max(200).optional(),
  columns: z.array(z.string().min(1).max(100)).max(100).optional(),
  pageSize: z.number().int().min(1).max(500).optional(),
  mode: z.enum(['table', 'kanban', 'calendar']).optional(),
  groupBy: z.string().max(100).optional(),
  dateField: z.string().max(100).optional(),
}).strict();
type TViewConfig = z.output<typeof ZConfig>;

const ZCreate = z.object({ object: z.string().min(1).max(64), name: z.string().trim().min(1).max(100), shared: z.boolean().default(false), config: ZConfig }).strict();
const ZUpdate = z.object({ name: z.string().trim().min(1).max(100).optional(), shared: z.boolean().optional(), config: ZConfig.optional() }).strict();

const scope = (ctx: RecordsCtx) => ({ tenantId: ctx.guard.actor.tenantId, userId: ctx.guard.actor.userId });

export async function listSavedViews(ctx: RecordsCtx, object: string): Promise<SavedView[]> {
  await readableObject(ctx, object, 'read'); // 404 for an object the caller may not read
  const a = ctx.guard.actor;
  return inTenantTx(ctx.db.app, scope(ctx), async (tx) =>
    (await sql<Record<string, any>>`SELECT * FROM saved_view WHERE object = ${object} AND (owner_id = ${a.userId} OR shared)
      ORDER BY shared, name, id LIMIT 200`.execute(tx)).rows.map((r) => toView(ctx, r)));
}

export async function createSavedView(ctx: RecordsCtx, input: unknown): Promise<SavedView> {
  const body = parseOrThrow(ZCreate, input);
  await readableObject(ctx, body.object, 'read');
  const a = ctx.guard.actor;
  return inTenantTx(ctx.db.app, scope(ctx), async (tx) => {
    await assertNameFree(tx, ctx, body.object, body.name, null);
    const row = await sql<Record<string, any>>`INSERT INTO saved_view (tenant_id, id, object, name, config, owner_id, shared)
      VALUES (${a.tenantId}, ${newId()}, ${body.object}, ${body.name}, ${JSON.stringify(body.config)}, ${a.userId}, ${body.shared}) RETURNING *`.execute(tx);
    return toView(ctx, row.rows[0]);
  });
}

export async function updateSavedView(ctx: RecordsCtx, id: string, input: unknown): Promise<SavedView> {
  const body = parseOrThrow(ZUpdate, input);
  return inTenantTx(ctx.db.app, scope(ctx), async (tx) => {
    const cur = await ownView(tx, ctx, id);
    if (body.name) await assertNameFree(tx, ctx, cur.object, body.name, id);
    const row = await sql<Record<string, any>>`UPDATE saved_view SET name = ${body.name ?? cur.name}, shared = ${body.shared ?? cur.shared},
        config = ${JSON.stringify(body.config ?? cur.config)}, updated_at = now() WHERE id = ${id} RETURNING *`.execute(tx);
    return toView(ctx, row.rows[0]);
  });
}

export async function deleteSavedView(ctx: RecordsCtx, id: string): Promise<void> {
  await inTenantTx(ctx.db.app, scope(ctx), async (tx) => {
    await ownView(tx, ctx, id);
    await sql`DELETE FROM saved_view WHERE id = ${id}`.execute(tx);
  });
}

// Someone else's personal view is "not found"; someone else's shared view is visible but not theirs to change.
async function ownView(tx: Tx, ctx: RecordsCtx, id: string): Promise<Record<string, any>> {
  const a = ctx.guard.actor;
  const row = isUuid(id) ? (await sql<Record<string, any>>`SELECT * FROM saved_view WHERE id = ${id} AND (owner_id = ${a.userId} OR shared)`.execute(tx)).rows[0] : undefined;
  if (!row) throw new AppError('NOT_FOUND', `No saved view with id ${String(id).slice(0, 40)}.`, { field: 'id' });
  if (row.owner_id !== a.userId && !a.isAdmin) throw new AppError('FORBIDDEN', 'Only the owner of a shared view may change it.', { field: 'id' });
  return row;
}

async function assertNameFree(tx: Tx, ctx: RecordsCtx, object: string, name: string, except: string | null): Promise<void> {
  const hit = await sql`SELECT 1 FROM saved_view WHERE object = ${object} AND name = ${name} AND owner_id = ${ctx.guard.actor.userId}
    AND id IS DISTINCT FROM ${except}::uuid`.execute(tx);
  if (hit.rows.length) throw new AppError('FIELD_NOT_UNIQUE', `You already have a view named "${name}" on this list.`, { field: 'name' });
}

function toView(ctx: RecordsCtx, r: Record<string, any>): SavedView {
  return {
    id: r.id, object: r.object, name: r.name, config: r.config, ownerId: r.owner_id, shared: r.shared,
    mine: r.owner_id === ctx.guard.actor.userId, updatedAt: new Date(r.updated_at).toISOString(),
  };
}
