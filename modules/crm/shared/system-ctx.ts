import { sql } from 'kysely';
import { inTenantTx, type Database, type Tx } from '@mosaic/db';
import { systemGuard, SYSTEM_USER_ID, type Actor } from '@mosaic/access';
import type { MetaStore } from '@mosaic/meta';
import type { RecordsCtx } from '@mosaic/records';

/** Rules and scheduled CRM jobs act as the system user of @mosaic/access, as the rules engine does. */
export { SYSTEM_USER_ID };

/** A records context for system work in a tenant (scheduled jobs, public endpoints, installs). */
export async function systemCtx(db: Database, store: MetaStore, tenantId: string): Promise<RecordsCtx> {
  const facts = await inTenantTx(db.app, { tenantId }, async (tx) => (await sql<{ time_zone: string; company_id: string | null }>`
    SELECT t.time_zone, (SELECT id FROM company ORDER BY created_at, id LIMIT 1) AS company_id FROM tenant t`.execute(tx)).rows[0]);
  const actor: Actor = {
    tenantId, userId: SYSTEM_USER_ID, companyId: facts?.company_id ?? null, departmentId: null, departmentIds: [], isAdmin: true, roleIds: [],
    locale: 'zh-CN', timeZone: facts?.time_zone ?? 'Asia/Shanghai',
  };
  return { db, store, guard: systemGuard(actor) };
}

/** A transaction as the context's actor; `readOnly` for reads (answered before the COMMIT round trip). */
export function txOf<T>(ctx: RecordsCtx, fn: (tx: Tx) => Promise<T>, opts: { readOnly?: boolean } = {}): Promise<T> {
  const a = ctx.guard.actor;
  return inTenantTx(ctx.db.app, { tenantId: a.tenantId, userId: a.userId }, fn, opts);
}

/** Physical column of a field, from metadata (names never come from input). */
export async function columns(ctx: RecordsCtx, object: string): Promise<{ table: string; c: (field: string) => string }> {
  const obj = await ctx.store.object(ctx.guard.actor.tenantId, object);
  if (!obj) throw new Error(`crm: object ${object} is not installed`);
  return {
    table: obj.tableName,
    c: (field) => {
      const col = obj.fields.find((f) => f.apiName === field)?.columnName;
      if (!col) throw new Error(`crm: ${object}.${field} has no column`);
      return col;
    },
  };
}

/**
 * Whether the caller may match on `field` of `object`: a key compared in SQL is as telling as
 * the field it is the key of, so a role with 电话 hidden on customers gets no match by phone there.
 */
export async function mayMatchOn(ctx: RecordsCtx, object: string, field: string): Promise<boolean> {
  const obj = await ctx.store.object(ctx.guard.actor.tenantId, object);
  const f = obj?.fields.find((x) => x.apiName === field);
  return !!obj && !!f && ctx.guard.canReadField(obj, f);
}
