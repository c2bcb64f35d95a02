import { z } from 'zod';
import { AppError, isUuid, newId, parseOrThrow } from '@mosaic/kernel';
import { inTenantTx, pgCode, sql, type Tx } from '@mosaic/db';
import { auditAdmin, changesOf, requireAreaOrThrow } from '@mosaic/access';
import type { ObjectMeta } from '@mosaic/meta';
import type { RecordsCtx } from '@mosaic/records';
import { checkTemplateBodyOrThrow } from './template.check.ts';
import { ZPrintTemplateBody, type TPrintTemplateBody } from './template.schema.ts';

/**
 * Saved print templates (`print_template`): per object, for one company or
 * (company null) for all, one of them the default. Everyone who may print an
 * object sees its templates; changing them is company set-up, so it takes the
 * organisation admin right (admin.org, held by 系统管理员). Saving checks every
 * placeholder against the object's metadata: a bad one is a 422 naming it.
 */
const ZId = z.string().regex(/^[0-9a-f-]{36}$/i, 'must be an id (UUID)').transform((s) => s.toLowerCase());
export const ZCreatePrintTemplate = z.strictObject({
  object: z.string().min(1).max(64),
  name: z.string().trim().min(1).max(100),
  companyId: ZId.nullable().optional(),
  isDefault: z.boolean().optional(),
  body: ZPrintTemplateBody,
});
export const ZUpdatePrintTemplate = z.strictObject({
  version: z.number().int(),
  name: z.string().trim().min(1).max(100).optional(),
  companyId: ZId.nullable().optional(),
  isDefault: z.boolean().optional(),
  body: ZPrintTemplateBody.optional(),
});

export interface PrintTemplate {
  id: string;
  object: string;
  name: string;
  companyId: string | null;
  isDefault: boolean;
  body: TPrintTemplateBody;
  version: number;
  updatedAt: string;
}

const txScope = (ctx: RecordsCtx) => ({ tenantId: ctx.guard.actor.tenantId, userId: ctx.guard.actor.userId });

export async function listPrintTemplates(ctx: RecordsCtx, opts: { object?: string } = {}): Promise<PrintTemplate[]> {
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const rows = await inTenantTx(ctx.db.app, txScope(ctx), (tx) => sql<Record<string, any>>`SELECT * FROM print_template
    WHERE (${opts.object ?? null}::text IS NULL OR object = ${opts.object ?? null}) ORDER BY object, name, id LIMIT 1000`.execute(tx));
  // Templates of objects the user may not print are not theirs to see.
  return rows.rows.filter((r) => mayPrint(ctx, objects.get(r.object))).map(toTemplate);
}

export async function getPrintTemplateOrThrow(ctx: RecordsCtx, id: string, tx?: Tx): Promise<PrintTemplate> {
  const run = async (t: Tx) => {
    const row = isUuid(id) ? (await sql<Record<string, any>>`SELECT * FROM print_template WHERE id = ${id}`.execute(t)).rows[0] : undefined;
    const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
    if (!row || !mayPrint(ctx, objects.get(row.object))) throw new AppError('NOT_FOUND', `No print template with id ${String(id).slice(0, 40)}.`, { field: 'template' });
    return toTemplate(row);
  };
  return tx ? run(tx) : inTenantTx(ctx.db.app, txScope(ctx), run);
}

export async function createPrintTemplate(ctx: RecordsCtx, input: unknown): Promise<PrintTemplate> {
  requireAreaOrThrow(ctx, 'admin.org', 'edit');
  const body = parseOrThrow(ZCreatePrintTemplate, input);
  await checkBodyOrThrow(ctx, body.object, body.body);
  const a = ctx.guard.actor;
  return saving(inTenantTx(ctx.db.app, txScope(ctx), async (tx) => {
    await assertCompanyOrThrow(tx, body.companyId);
    if (body.isDefault) await clearDefault(tx, body.object, body.companyId ?? null);
    const row = await sql<Record<string, any>>`INSERT INTO print_template (tenant_id, id, company_id, object, name, is_default, body, created_by)
      VALUES (${a.tenantId}, ${newId()}, ${body.companyId ?? null}, ${body.object}, ${body.name}, ${body.isDefault ?? false}, ${JSON.stringify(body.body)}, ${a.userId})
      RETURNING *`.execute(tx);
    const saved = toTemplate(row.rows[0]);
    await auditAdmin(tx, a, 'print.template.create', { object: 'admin.print_template', id: saved.id }, changesOf({}, { object: saved.object, name: saved.name, isDefault: saved.isDefault }));
    return saved;
  }));
}

export async function updatePrintTemplate(ctx: RecordsCtx, id: string, input: unknown): Promise<PrintTemplate> {
  requireAreaOrThrow(ctx, 'admin.org', 'edit');
  const patch = parseOrThrow(ZUpdatePrintTemplate, input);
  return saving(inTenantTx(ctx.db.app, txScope(ctx), async (tx) => {
    const current = await getPrintTemplateOrThrow(ctx, id, tx);
    if (patch.body) await checkBodyOrThrow(ctx, current.object, patch.body);
    const companyId = patch.companyId === undefined ? current.companyId : patch.companyId;
    const isDefault = patch.isDefault ?? current.isDefault;
    await assertCompanyOrThrow(tx, companyId);
    if (isDefault) await clearDefault(tx, current.object, companyId, current.id);
    const row = await sql<Record<string, any>>`UPDATE print_template SET name = ${patch.name ?? current.name}, company_id = ${companyId},
        is_default = ${isDefault}, body = ${JSON.stringify(patch.body ?? current.body)}, version = version + 1, updated_at = now()
      WHERE id = ${current.id} AND version = ${patch.version} RETURNING *`.execute(tx);
    if (!row.rows[0]) throw new AppError('VERSION_CONFLICT', `The template was changed by someone else (version ${current.version}); reload it.`, { field: 'version' });
    const saved = toTemplate(row.rows[0]);
    await auditAdmin(tx, ctx.guard.actor, 'print.template.update', { object: 'admin.print_template', id: saved.id }, changesOf(auditedOf(current), auditedOf(saved)));
    return saved;
  }));
}

/** Two administrators making two templates the default at once: the database keeps one, the other is told. */
async function saving<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (e) {
    if (pgCode(e) === '23505') throw new AppError('CONFLICT', 'Another template was made the default at the same moment; reload and try again.', { field: 'isDefault' });
    throw e;
  }
}

export async function deletePrintTemplate(ctx: RecordsCtx, id: string): Promise<void> {
  requireAreaOrThrow(ctx, 'admin.org', 'edit');
  await inTenantTx(ctx.db.app, txScope(ctx), async (tx) => {
    const current = await getPrintTemplateOrThrow(ctx, id, tx);
    await sql`DELETE FROM print_template WHERE id = ${current.id}`.execute(tx);
    await auditAdmin(tx, ctx.guard.actor, 'print.template.delete', { object: 'admin.print_template', id: current.id }, changesOf(auditedOf(current), {}));
  });
}

/** The object must be a printable (non-child) object; every placeholder must fit its metadata. */
export async function checkBodyOrThrow(ctx: RecordsCtx, object: string, body: TPrintTemplateBody): Promise<ObjectMeta> {
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const obj = objects.get(object);
  if (!obj || obj.archived || obj.isChild || !ctx.guard.can(obj, 'read')) {
    throw new AppError('FIELD_INVALID', `object: no object named "${object.slice(0, 64)}" to print`, { field: 'object' });
  }
  checkTemplateBodyOrThrow(objects, obj, body);
  return obj;
}

function mayPrint(ctx: RecordsCtx, obj: ObjectMeta | undefined): boolean {
  return !!obj && ctx.guard.can(obj, 'read') && ctx.guard.can(obj, 'print');
}

async function assertCompanyOrThrow(tx: Tx, companyId: string | null | undefined): Promise<void> {
  if (!companyId) return;
  const found = await sql`SELECT 1 FROM company WHERE id = ${companyId}`.execute(tx);
  if (!found.rows.length) throw new AppError('FIELD_INVALID', `companyId: no company with id ${companyId}`, { field: 'companyId' });
}

/** One default per object and company: making a template the default takes the flag from the one before. */
async function clearDefault(tx: Tx, object: string, companyId: string | null, except?: string): Promise<void> {
  await sql`UPDATE print_template SET is_default = false, updated_at = now()
    WHERE object = ${object} AND company_id IS NOT DISTINCT FROM ${companyId}::uuid AND is_default AND id <> ${except ?? '00000000-0000-0000-0000-000000000000'}::uuid`.execute(tx);
}

/** What the audit trail records of a template: its settings, and its body as one value. */
function auditedOf(t: PrintTemplate): Record<string, unknown> {
  return { name: t.name, companyId: t.companyId, isDefault: t.isDefault, body: JSON.stringify(t.body) };
}

function toTemplate(r: Record<string, any>): PrintTemplate {
  return {
    id: r.id, object: r.object, name: r.name, companyId: r.company_id ?? null, isDefault: r.is_default,
    body: ZPrintTemplateBody.parse(r.body), version: r.version, updatedAt: new Date(r.updated_at).toISOString(),
  };
}
