import { sql, type Database } from '@mosaic/db';
import { dropShippedDefault, type MetaStore } from '@mosaic/meta';

/** Fields only the selling module's hooks write; read-only for the API (users and imports cannot set them). */
export const SELLING_SYSTEM_WRITTEN: Record<string, string[]> = {
  delivery_note: ['on_time'],
};

/** Marks the system-written fields read-only (idempotent), after the objects are installed. */
export async function installSelling(db: Database, store: MetaStore, tenantId: string): Promise<void> {
  const objects = await store.objects(tenantId);
  let marked = 0;
  await db.owner.transaction().execute(async (tx) => {
    await sql`SELECT set_config('mosaic.tenant_id', ${tenantId}, true)`.execute(tx);
    for (const [object, fields] of Object.entries(SELLING_SYSTEM_WRITTEN)) {
      const obj = objects.get(object);
      if (!obj) continue;
      const r = await sql`UPDATE meta_field SET read_only = true, updated_at = now()
        WHERE tenant_id = ${tenantId} AND object_id = ${obj.id} AND api_name = ANY(${fields}::text[]) AND NOT read_only`.execute(tx);
      marked += Number(r.numAffectedRows ?? 0);
    }
    if (marked) await sql`SELECT pg_notify('mosaic_meta', ${tenantId})`.execute(tx); // other processes drop their cache
  });
  store.invalidate(tenantId);
  // price_list.currency shipped with default 'CNY': gone, so a new list is in the company's currency.
  await dropShippedDefault(db, store, tenantId, 'price_list', 'currency', 'CNY');
}
