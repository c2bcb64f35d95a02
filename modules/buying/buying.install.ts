import { inTenantTx, sql, type Database } from '@mosaic/db';
import type { MetaStore } from '@mosaic/meta';
import { tableOf } from './shared/buying-sql.ts';
import { ensureClearingAccount } from './shared/buying-voucher.ts';

/** Fields only this module's postings write (setSystemFields), per object. */
export const SYSTEM_FIELDS: Record<string, string[]> = {
  purchase_requisition: ['per_ordered'],
  purchase_order: ['per_received', 'per_invoiced', 'confirmed_date', 'shipping_status'],
  purchase_order_line: ['item_type'],
  purchase_receipt: ['quality_status'],
  supplier: ['portal_role'],
};

/**
 * What metadata cannot say, installed idempotently after the objects:
 *  - a guard trigger per table: the system fields above change only inside a
 *    posting (set_config('mosaic.buying_posting', 'on', true)); anyone else's
 *    UPDATE of them is refused (MS002 → 403), and on INSERT they start empty
 *    (so an amended copy of a cancelled order does not inherit its chain status);
 *  - the GR/IR clearing account 220202 暂估应付账款 under 2202 for every company.
 */
export async function installBuying(db: Database, store: MetaStore, tenantId: string): Promise<void> {
  const objects = await store.objects(tenantId);
  await db.owner.transaction().execute(async (tx) => {
    await sql`CREATE OR REPLACE FUNCTION mosaic_buying_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        c text;
        n jsonb := to_jsonb(NEW);
      BEGIN
        IF current_setting('mosaic.buying_posting', true) = 'on' THEN RETURN NEW; END IF;
        IF TG_OP = 'INSERT' THEN
          FOREACH c IN ARRAY TG_ARGV LOOP n := jsonb_set(n, ARRAY[c], 'null'::jsonb); END LOOP;
          RETURN jsonb_populate_record(NEW, n);
        END IF;
        FOREACH c IN ARRAY TG_ARGV LOOP
          IF n -> c IS DISTINCT FROM to_jsonb(OLD) -> c THEN
            RAISE EXCEPTION '% is kept by the buying module''s postings and cannot be changed', c USING ERRCODE = 'MS002';
          END IF;
        END LOOP;
        RETURN NEW;
      END $$`.execute(tx);
    for (const [api, fields] of Object.entries(SYSTEM_FIELDS)) {
      const t = tableOf(objects, api);
      const args = sql.join(fields.map((f) => sql.lit(t.col(f))));
      await sql`CREATE OR REPLACE TRIGGER ${sql.id(`${t.name}_buying_guard`)} BEFORE INSERT OR UPDATE ON ${sql.id(t.name)}
        FOR EACH ROW EXECUTE FUNCTION mosaic_buying_guard(${args})`.execute(tx);
    }
  });
  if (!objects.get('gl_account')) return; // finance not installed
  await inTenantTx(db.app, { tenantId }, async (tx) => {
    const companies = await sql<{ id: string }>`SELECT id FROM company`.execute(tx);
    for (const c of companies.rows) await ensureClearingAccount(tx, objects, tenantId, c.id);
  });
}
