import { sql, type Database } from '@mosaic/db';
import type { MetaStore } from '@mosaic/meta';

/**
 * Database guards of the stock tables, installed (idempotently) after the
 * objects: one balance row per item × warehouse, and a ledger that is
 * append-only and, like the balance, written only by stock postings
 * (set_config('mosaic.stock_posting', 'on', true) in postStockMoves); both
 * take their warehouse's company, so company-scoped roles see them.
 */
export async function installStockTables(db: Database, store: MetaStore, tenantId: string): Promise<void> {
  const objects = await store.objects(tenantId);
  const ledger = objects.get('stock_ledger_entry')!;
  const balance = objects.get('stock_balance')!;
  const col = (o: typeof ledger, f: string) => o.fields.find((x) => x.apiName === f)!.columnName!;
  await db.owner.transaction().execute(async (tx) => {
    await sql`CREATE UNIQUE INDEX IF NOT EXISTS ${sql.id(`${balance.tableName}_key`)} ON ${sql.id(balance.tableName)} (tenant_id, ${sql.id(col(balance, 'item'))}, ${sql.id(col(balance, 'warehouse'))})`.execute(tx);
    await sql`CREATE INDEX IF NOT EXISTS ${sql.id(`${ledger.tableName}_item_idx`)} ON ${sql.id(ledger.tableName)} (tenant_id, ${sql.id(col(ledger, 'item'))}, ${sql.id(col(ledger, 'warehouse'))}, ${sql.id(col(ledger, 'posting_date'))})`.execute(tx);
    // Batch balances and re-valuation lookups read the ledger by these.
    await sql`CREATE INDEX IF NOT EXISTS ${sql.id(`${ledger.tableName}_batch_idx`)} ON ${sql.id(ledger.tableName)} (tenant_id, ${sql.id(col(ledger, 'item'))}, ${sql.id(col(ledger, 'warehouse'))}, ${sql.id(col(ledger, 'batch'))}) WHERE ${sql.id(col(ledger, 'batch'))} IS NOT NULL`.execute(tx);
    await sql`CREATE INDEX IF NOT EXISTS ${sql.id(`${ledger.tableName}_reval_idx`)} ON ${sql.id(ledger.tableName)} (tenant_id, ${sql.id(col(ledger, 'revalues_entry'))}) WHERE ${sql.id(col(ledger, 'revalues_entry'))} IS NOT NULL`.execute(tx);
    // One open replenishment suggestion per item × warehouse: raising it twice is a no-op.
    const sug = objects.get('replenishment_suggestion')!;
    await sql`CREATE UNIQUE INDEX IF NOT EXISTS ${sql.id(`${sug.tableName}_open_key`)} ON ${sql.id(sug.tableName)} (tenant_id, ${sql.id(col(sug, 'item'))}, ${sql.id(col(sug, 'warehouse'))}) WHERE ${sql.id(col(sug, 'state'))} = 'open'`.execute(tx);
    await sql`CREATE OR REPLACE FUNCTION mosaic_stock_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_ARGV[0] = 'ledger' AND TG_OP <> 'INSERT' THEN
          RAISE EXCEPTION 'the stock ledger is append-only; post a reversal instead' USING ERRCODE = 'MS002';
        END IF;
        IF current_setting('mosaic.stock_posting', true) IS DISTINCT FROM 'on' THEN
          RAISE EXCEPTION 'stock is changed only by posting a stock document' USING ERRCODE = 'MS002';
        END IF;
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
      END $$`.execute(tx);
    await sql`CREATE OR REPLACE TRIGGER ${sql.id(`${ledger.tableName}_append_only`)} BEFORE INSERT OR UPDATE OR DELETE ON ${sql.id(ledger.tableName)}
      FOR EACH ROW EXECUTE FUNCTION mosaic_stock_guard('ledger')`.execute(tx);
    await sql`CREATE OR REPLACE TRIGGER ${sql.id(`${balance.tableName}_posting_only`)} BEFORE INSERT OR UPDATE OR DELETE ON ${sql.id(balance.tableName)}
      FOR EACH ROW EXECUTE FUNCTION mosaic_stock_guard('balance')`.execute(tx);
    // Ledger entries and balances belong to their warehouse's company: the postings insert them
    // in bulk SQL, and company-scoped roles (warehouse keeper, accountant) read them by company_id.
    const wh = objects.get('warehouse')!;
    await sql`CREATE OR REPLACE FUNCTION mosaic_stock_company() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.company_id IS NULL THEN
          EXECUTE format('SELECT company_id FROM %I WHERE tenant_id = $1 AND id = $2', TG_ARGV[0]) INTO NEW.company_id
            USING NEW.tenant_id, (to_jsonb(NEW) ->> TG_ARGV[1])::uuid;
        END IF;
        RETURN NEW;
      END $$`.execute(tx);
    for (const o of [ledger, balance]) {
      await sql`CREATE OR REPLACE TRIGGER ${sql.id(`${o.tableName}_company`)} BEFORE INSERT ON ${sql.id(o.tableName)}
        FOR EACH ROW EXECUTE FUNCTION mosaic_stock_company(${sql.lit(wh.tableName)}, ${sql.lit(col(o, 'warehouse'))})`.execute(tx);
    }
    // Rows posted before this trigger existed: given their company once (the guards stand aside for it, in this transaction only).
    await sql`SELECT set_config('mosaic.tenant_id', ${tenantId}, true), set_config('mosaic.stock_posting', 'on', true)`.execute(tx);
    for (const o of [ledger, balance]) {
      const orphans = await sql`SELECT 1 FROM ${sql.id(o.tableName)} WHERE company_id IS NULL LIMIT 1`.execute(tx);
      if (!orphans.rows.length) continue;
      const guard = o === ledger ? `${ledger.tableName}_append_only` : `${balance.tableName}_posting_only`;
      await sql`ALTER TABLE ${sql.id(o.tableName)} DISABLE TRIGGER ${sql.id(guard)}`.execute(tx);
      await sql`UPDATE ${sql.id(o.tableName)} x SET company_id = w.company_id FROM ${sql.id(wh.tableName)} w
        WHERE x.company_id IS NULL AND w.id = x.${sql.ref(col(o, 'warehouse'))}`.execute(tx);
      await sql`ALTER TABLE ${sql.id(o.tableName)} ENABLE TRIGGER ${sql.id(guard)}`.execute(tx);
    }
  });
}
