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
 * (scope "all"), else their own — by `companyOrThrow`'s own rule (mayReadAllBooks), so the
 * statements page's company picker offers no company that would answer 403.
 */
export async function bookCompanies(ctx: RecordsCtx): Promise<{ data: BookCompany[] }> {
  const actor = ctx.guard.actor;
  const every = await mayReadAllBooks(ctx);
  const rows = await inTenantTx(ctx.db.app, { tenantId: actor.tenantId, userId: actor.userId }, (tx) =>
    sql<{ id: string; name: string; currency: string }>`SELECT id, name, trim(currency) AS currency FROM company
      WHERE ${every ? sql`true` : sql`id = ${actor.companyId ?? null}`} ORDER BY created_at, id`.execute(tx));
  return { data: rows.rows.map((r) => ({ ...r, own: r.id === actor.companyId })) };
}

/** Whether the user may open every company's books: an administrator, or the ledger readable unrestricted (scope "all"). */
export async function mayReadAllBooks(ctx: RecordsCtx): Promise<boolean> {
  if (ctx.guard.actor.isAdmin) return true;
  const gl = await ctx.store.objectOrThrow(ctx.guard.actor.tenantId, 'gl_entry');
  return ctx.guard.recordScope(gl, 'read') === null;
}
