import { sql } from 'kysely';
import { inTenantTx } from '@mosaic/db';
import type { RecordsCtx } from '@mosaic/records';

export interface BookCompany {
  id: string;
  name: string;
  currency: string;
  own: boolean;
}

/**
 * GET /api/v1/finance/companies: the companies whose statements the user may
 * open — every company for an administrator or a ledger read unrestricted
 * (scope "all"), else their own — by the same rule as `companyOrThrow`, so the
 * statements page's company picker offers no company that would answer 403.
 */
export async function bookCompanies(ctx: RecordsCtx): Promise<{ data: BookCompany[] }> {
  const actor = ctx.guard.actor;
  const gl = await ctx.store.objectOrThrow(actor.tenantId, 'gl_entry');
  const every = actor.isAdmin || ctx.guard.recordScope(gl, 'read') === null;
  const rows = await inTenantTx(ctx.db.app, { tenantId: actor.tenantId, userId: actor.userId }, (tx) =>
    sql<{ id: string; name: string; currency: string }>`SELECT id, name, trim(currency) AS currency FROM company
      WHERE ${every ? sql`true` : sql`id = ${actor.companyId ?? null}`} ORDER BY created_at, id`.execute(tx));
  return { data: rows.rows.map((r) => ({ ...r, own: r.id === actor.companyId })) };
}
