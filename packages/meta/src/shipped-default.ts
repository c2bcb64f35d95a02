import { sql, type Database } from '@mosaic/db';
import type { MetaStore } from './meta.store.ts';

/**
 * Takes away a default a module used to ship on a field and no longer declares (installObjects never
 * changes a value a tenant has): only while the field still holds exactly that default and was never
 * edited since it was made (updated_at = created_at) — a default an admin set, even the same value, stays.
 * Idempotent; tells every process to drop its metadata cache when it changed something.
 */
export async function dropShippedDefault(db: Database, store: MetaStore, tenantId: string, objectApiName: string, fieldApiName: string, shipped: unknown): Promise<number> {
  const obj = (await store.objects(tenantId)).get(objectApiName);
  if (!obj) return 0;
  const dropped = await db.owner.transaction().execute(async (tx) => {
    await sql`SELECT set_config('mosaic.tenant_id', ${tenantId}, true)`.execute(tx);
    const r = await sql`UPDATE meta_field SET default_value = NULL
      WHERE tenant_id = ${tenantId} AND object_id = ${obj.id} AND api_name = ${fieldApiName}
        AND default_value = ${JSON.stringify(shipped)}::jsonb AND updated_at = created_at`.execute(tx);
    const n = Number(r.numAffectedRows ?? 0);
    if (n) await sql`SELECT pg_notify('mosaic_meta', ${tenantId})`.execute(tx); // other processes drop their cache
    return n;
  });
  if (dropped) store.invalidate(tenantId);
  return dropped;
}
