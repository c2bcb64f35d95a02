import { sql } from 'kysely';
import { AppError, newId, parseOrThrow } from '@mosaic/kernel';
import { inTenantTx } from '@mosaic/db';
import { auditAdmin, changesOf, idOrThrow, requireAreaOrThrow, txScopeOf, type AdminCtx } from '@mosaic/access';

import { ZCreateCompany, ZUpdateCompany } from './users.schemas.ts';

/** A company (legal entity, 法人主体) inside the tenant; records carry company_id, and the "company" scope keeps them apart. */
export interface CompanyView {
  id: string;
  name: string;
  currency: string;
}

export async function listCompanies(ctx: AdminCtx): Promise<CompanyView[]> {
  requireAreaOrThrow(ctx, 'admin.org', 'read');
  const rows = await inTenantTx(ctx.db.app, txScopeOf(ctx), (tx) => sql<Record<string, any>>`SELECT * FROM company ORDER BY created_at, id`.execute(tx));
  return rows.rows.map(viewOf);
}

export async function createCompany(ctx: AdminCtx, body: unknown): Promise<CompanyView> {
  requireAreaOrThrow(ctx, 'admin.org', 'create');
  const input = parseOrThrow(ZCreateCompany, body);
  const id = newId();
  return inTenantTx(ctx.db.app, txScopeOf(ctx), async (tx) => {
    const row = (await sql<Record<string, any>>`INSERT INTO company (tenant_id, id, name, currency) VALUES (${ctx.guard.actor.tenantId}, ${id}, ${input.name}, ${input.currency ?? 'CNY'})
      RETURNING *`.execute(tx)).rows[0];
    await auditAdmin(tx, ctx.guard.actor, 'org.company.create', { object: 'admin.company', id }, changesOf({}, input));
    return viewOf(row);
  });
}

export async function updateCompany(ctx: AdminCtx, id: string, body: unknown): Promise<CompanyView> {
  requireAreaOrThrow(ctx, 'admin.org', 'edit');
  const companyId = idOrThrow(id, 'company');
  const input = parseOrThrow(ZUpdateCompany, body);
  return inTenantTx(ctx.db.app, txScopeOf(ctx), async (tx) => {
    const before = (await sql<Record<string, any>>`SELECT * FROM company WHERE id = ${companyId} FOR UPDATE`.execute(tx)).rows[0];
    if (!before) throw new AppError('NOT_FOUND', `No company with id ${companyId}.`);
    const row = (await sql<Record<string, any>>`UPDATE company SET name = ${input.name ?? before.name}, currency = ${input.currency ?? before.currency}
      WHERE id = ${companyId} RETURNING *`.execute(tx)).rows[0];
    await auditAdmin(tx, ctx.guard.actor, 'org.company.update', { object: 'admin.company', id: companyId }, changesOf({ ...viewOf(before) }, { ...viewOf(row) }));
    return viewOf(row);
  });
}

function viewOf(c: Record<string, any>): CompanyView {
  return { id: c.id, name: c.name, currency: String(c.currency).trim() };
}
