import { z } from 'zod';
import { AppError, isUuid, newId, parseOrThrow } from '@mosaic/kernel';
import { inTenantTx, sql, type Tx } from '@mosaic/db';
import { evalContextOf, readableObject, type RecordsCtx } from '@mosaic/records';
import { compileReport } from './report.compile.ts';
import { MAX_REPORT_ROWS } from './report.run.ts';
import { ZReportDefinition, type TReportDefinition } from './report.schema.ts';

/**
 * Saved reports: metadata rows in `report`. A report is visible to its owner,
 * to everyone when shared, and to admins; only the owner or an admin changes it.
 * Saving compiles the definition once as the saving user, so unknown fields,
 * fields they may not read and bad formulas are refused at once (4xx).
 */
const label = z.string().min(1).max(200);
export const ZCreateReport = z.strictObject({ name: label, description: z.string().max(2000).optional(), definition: ZReportDefinition, shared: z.boolean().optional() });
export const ZUpdateReport = z.strictObject({
  version: z.number().int(), name: label.optional(), description: z.string().max(2000).nullable().optional(), definition: ZReportDefinition.optional(), shared: z.boolean().optional(),
});

export interface SavedReport {
  id: string;
  name: string;
  description: string | null;
  source: string;
  definition: TReportDefinition;
  ownerId: string;
  shared: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

const txScope = (ctx: RecordsCtx) => ({ tenantId: ctx.guard.actor.tenantId, userId: ctx.guard.actor.userId });

export async function listReports(ctx: RecordsCtx, opts: { source?: string } = {}): Promise<SavedReport[]> {
  const a = ctx.guard.actor;
  return inTenantTx(ctx.db.app, txScope(ctx), async (tx) => {
    const rows = await sql<Record<string, any>>`SELECT * FROM report
      WHERE (owner_id = ${a.userId} OR shared OR ${a.isAdmin}) AND (${opts.source ?? null}::text IS NULL OR source_object = ${opts.source ?? null})
      ORDER BY name, id LIMIT 1000`.execute(tx);
    return rows.rows.map(toReport);
  });
}

/** Who may open a saved report: its owner, anyone when it is shared, an administrator. */
export function mayReadReport(actor: { userId: string; isAdmin: boolean }, row: { owner_id: string; shared: boolean }): boolean {
  return row.owner_id === actor.userId || row.shared || actor.isAdmin;
}

export async function getReportOrThrow(ctx: RecordsCtx, id: string, tx?: Tx): Promise<SavedReport> {
  const run = async (t: Tx) => {
    const row = isUuid(id) ? (await sql<Record<string, any>>`SELECT * FROM report WHERE id = ${id}`.execute(t)).rows[0] : undefined;
    const a = ctx.guard.actor;
    // A report the user may not see looks like a missing one.
    if (!row || !mayReadReport(a, row as { owner_id: string; shared: boolean })) throw new AppError('NOT_FOUND', `No report with id ${String(id).slice(0, 40)}.`, { field: 'id' });
    return toReport(row);
  };
  return tx ? run(tx) : inTenantTx(ctx.db.app, txScope(ctx), run);
}

export async function createReport(ctx: RecordsCtx, input: unknown): Promise<SavedReport> {
  const body = parseOrThrow(ZCreateReport, input);
  await checkDefinition(ctx, body.definition);
  const a = ctx.guard.actor;
  return inTenantTx(ctx.db.app, txScope(ctx), async (tx) => {
    const row = await sql<Record<string, any>>`INSERT INTO report (tenant_id, id, name, description, source_object, definition, owner_id, shared)
      VALUES (${a.tenantId}, ${newId()}, ${body.name}, ${body.description ?? null}, ${body.definition.source}, ${JSON.stringify(body.definition)}, ${a.userId}, ${body.shared ?? false})
      RETURNING *`.execute(tx);
    return toReport(row.rows[0]);
  });
}

export async function updateReport(ctx: RecordsCtx, id: string, input: unknown): Promise<SavedReport> {
  const body = parseOrThrow(ZUpdateReport, input);
  if (body.definition) await checkDefinition(ctx, body.definition);
  return inTenantTx(ctx.db.app, txScope(ctx), async (tx) => {
    const current = await getReportOrThrow(ctx, id, tx);
    assertMayChange(ctx, current.ownerId);
    const def = body.definition ?? current.definition;
    const row = await sql<Record<string, any>>`UPDATE report SET name = ${body.name ?? current.name},
        description = ${body.description === undefined ? current.description : body.description},
        source_object = ${def.source}, definition = ${JSON.stringify(def)}, shared = ${body.shared ?? current.shared},
        version = version + 1, updated_at = now()
      WHERE id = ${id} AND version = ${body.version} RETURNING *`.execute(tx);
    if (!row.rows.length) throw new AppError('VERSION_CONFLICT', `The report was changed by someone else (now version ${current.version}); reload it.`);
    return toReport(row.rows[0]);
  });
}

export async function deleteReport(ctx: RecordsCtx, id: string): Promise<void> {
  await inTenantTx(ctx.db.app, txScope(ctx), async (tx) => {
    const current = await getReportOrThrow(ctx, id, tx);
    assertMayChange(ctx, current.ownerId);
    await sql`DELETE FROM report WHERE id = ${id}`.execute(tx);
  });
}

export function assertMayChange(ctx: RecordsCtx, ownerId: string): void {
  const a = ctx.guard.actor;
  if (ownerId !== a.userId && !a.isAdmin) throw new AppError('FORBIDDEN', 'Only its owner or an administrator may change this.');
}

/** Compiles a definition with sample parameter values: everything but the values is checked. */
export async function checkDefinition(ctx: RecordsCtx, def: TReportDefinition): Promise<void> {
  const { objects, obj } = await readableObject(ctx, def.source, 'read');
  const evalCtx = evalContextOf(ctx);
  const sample: Record<string, unknown> = { date: '2000-01-01', datetime: '2000-01-01T00:00:00Z', number: '0', text: '', uuid: '00000000-0000-0000-0000-000000000000', boolean: true, list: [] };
  const values = new Map((def.params ?? []).map((p) => [p.name, sample[p.type]]));
  compileReport({ ctx, objects, obj, def, values, evalCtx, maxRows: MAX_REPORT_ROWS });
}

function toReport(r: Record<string, any>): SavedReport {
  return {
    id: r.id, name: r.name, description: r.description, source: r.source_object, definition: r.definition, ownerId: r.owner_id,
    shared: r.shared, version: r.version, createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString(),
  };
}
