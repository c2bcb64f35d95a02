import { sql, type Database } from '@mosaic/db';
import type { MetaStore } from '@mosaic/meta';
import { tableOf } from './mfg-tables.ts';

/**
 * What the metadata cannot say, installed idempotently after the objects:
 * one default BOM per item (a partial unique index, so two concurrent
 * "make default" calls cannot both win), and the one index MRP suggestions
 * need: (run, seq), for listing a run and walking its pegs.
 */
export async function installManufacturingTables(db: Database, store: MetaStore, tenantId: string): Promise<void> {
  const objects = await store.objects(tenantId);
  const bom = tableOf(objects, 'bom');
  const sug = tableOf(objects, 'mrp_suggestion');
  await db.owner.transaction().execute(async (tx) => {
    await sql`CREATE UNIQUE INDEX IF NOT EXISTS ${sql.id(`${bom.obj.tableName}_one_default`)} ON ${bom.t} (tenant_id, ${bom.c('item')}) WHERE ${bom.c('is_default')}`.execute(tx);
    await sql`CREATE INDEX IF NOT EXISTS ${sql.id(`${sug.obj.tableName}_seq`)} ON ${sug.t} (tenant_id, ${sug.c('mrp_run')}, ${sug.c('seq')})`.execute(tx);
  });
}
