import { AppError, isUuid, newId } from '@mosaic/kernel';
import { inTenantTx, pgCode, sql } from '@mosaic/db';
import type { RecordsCtx } from '@mosaic/records';
import { readableObject } from '@mosaic/records';
import { assertMappingShape, resolveTarget, type ColumnMapping } from './mapping.ts';

/**
 * Saved column mappings, per object and tenant ("供应商模板" → {"客户名称": "name", …}),
 * so a file from the same source imports again without mapping by hand.
 *
 *   GET  /api/v1/import-mappings/customer → { data: [{ id, name, mapping, … }] }
 *   POST /api/v1/import-mappings/customer   { "name": "CRM 导出", "mapping": { "客户名称": "name" } }
 */
export interface SavedMapping {
  id: string;
  object: string;
  name: string;
  mapping: ColumnMapping;
  createdBy: string | null;
  createdAt: string;
}

const scopeOf = (ctx: RecordsCtx) => ({ tenantId: ctx.guard.actor.tenantId, userId: ctx.guard.actor.userId });

export async function listMappings(ctx: RecordsCtx, object: string): Promise<SavedMapping[]> {
  await readableObject(ctx, object, 'import');
  const r = await inTenantTx(ctx.db.app, scopeOf(ctx), (tx) =>
    sql<Record<string, any>>`SELECT * FROM import_mapping WHERE object = ${object} ORDER BY name`.execute(tx));
  return r.rows.map(toView);
}

export async function saveMapping(ctx: RecordsCtx, object: string, body: { name: string; mapping: unknown }): Promise<SavedMapping> {
  const { obj } = await readableObject(ctx, object, 'import');
  assertMappingShape(body.mapping);
  for (const [header, target] of Object.entries(body.mapping)) if (target) resolveTarget(obj, header, target);
  const id = newId();
  try {
    const r = await inTenantTx(ctx.db.app, scopeOf(ctx), (tx) =>
      sql<Record<string, any>>`INSERT INTO import_mapping (tenant_id, id, object, name, mapping, created_by)
        VALUES (${ctx.guard.actor.tenantId}, ${id}, ${object}, ${body.name}, ${JSON.stringify(body.mapping)}::jsonb, ${ctx.guard.actor.userId}) RETURNING *`.execute(tx));
    return toView(r.rows[0]);
  } catch (e) {
    if (pgCode(e) === '23505') throw new AppError('CONFLICT', `name: ${object} already has a mapping named "${body.name}"`, { field: 'name' });
    throw e;
  }
}

export async function getMappingOrThrow(ctx: RecordsCtx, object: string, id: string): Promise<ColumnMapping> {
  const notFound = new AppError('IMPORT_MAPPING', `mappingId: no saved mapping ${String(id).slice(0, 40)} for ${object}`, { field: 'mappingId' });
  if (!isUuid(id)) throw notFound;
  const r = await inTenantTx(ctx.db.app, scopeOf(ctx), (tx) => sql<{ mapping: ColumnMapping }>`SELECT mapping FROM import_mapping WHERE id = ${id} AND object = ${object}`.execute(tx));
  if (!r.rows.length) throw notFound;
  return r.rows[0].mapping;
}

function toView(r: Record<string, any>): SavedMapping {
  return { id: r.id, object: r.object, name: r.name, mapping: r.mapping, createdBy: r.created_by, createdAt: new Date(r.created_at).toISOString() };
}
