import { pgCode, sql, type Database, type Tx } from '@mosaic/db';
import { logger } from '@mosaic/kernel';
import type { MetaStore } from '@mosaic/meta';
import { registerUniqueRule } from '@mosaic/records';
import { tableOf, type Table } from './mfg-tables.ts';

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
    // MRP suggestions are machine-generated planning rows, not business documents: each run deletes
    // the open ones and writes its own (bench/mrp: 260 000 rows a run). Their link columns get
    // no foreign-key triggers — three per-row RI lookups were ~40 % of the insert cost — because
    // every value comes from rows the run itself read or created in the same transaction
    // (its mrp_run row, items and sales orders loaded by mrp.inputs.ts), and a suggestion left
    // naming a since-deleted item only lives until the next run replaces it; firming one writes a
    // work order or requisition, whose own links are checked. (mrp_run, seq) above also serves
    // "by run", so the link's own (tenant_id, mrp_run) index is dropped: one index less per row.
    for (const field of ['mrp_run', 'item', 'sales_order']) {
      await sql`ALTER TABLE ${sug.t} DROP CONSTRAINT IF EXISTS ${sql.id(`${sug.obj.tableName}_${sug.col(field)}_fk`)}`.execute(tx);
    }
    await sql`DROP INDEX IF EXISTS ${sql.id(`${sug.obj.tableName}_${sug.col('mrp_run')}_idx`)}`.execute(tx);
    await trimSuggestionIndexes(tx, sug);
    await installSuggestionCleanup(tx, sug, tableOf(objects, 'mrp_run'), tableOf(objects, 'item'));
    await installForecastOwnership(tx, tableOf(objects, 'demand_forecast'));
  });
  await installOneForecastPerPeriod(db, tableOf(objects, 'demand_forecast'));
}

/** The unique index behind "one forecast per item and period" (its violation: 409 naming period_start). */
export const ONE_FORECAST_INDEX = 'mfg_demand_forecast_item_period_key';

export function registerForecastUniqueRule(): void {
  registerUniqueRule(ONE_FORECAST_INDEX, {
    field: 'period_start',
    message: 'this item already has a forecast for this period; edit that one — 该物料本期间已有需求预测，请修改现有预测',
  });
}

/**
 * One demand_forecast row per item, bucket and period start: MRP adds up every row of an
 * item (forecast.rules.ts), so two planners entering the same month at once planned it
 * twice. A unique index, so the second of two concurrent writes is refused, not only the
 * later of two sequential ones. The table is shared by tenants, and an older tenant may
 * hold duplicates nobody can merge for them (which figure is right?): then the index comes
 * once they are resolved, and the failed attempt is logged.
 */
async function installOneForecastPerPeriod(db: Database, f: Table): Promise<void> {
  try {
    await sql`CREATE UNIQUE INDEX IF NOT EXISTS ${sql.id(ONE_FORECAST_INDEX)} ON ${f.t}
      (tenant_id, ${f.c('item')}, COALESCE(${f.c('bucket')}, ${sql.lit('month')}), ${f.c('period_start')})`.execute(db.owner);
  } catch (e) {
    if (pgCode(e) !== '23505') throw e;
    logger.warn({ index: ONE_FORECAST_INDEX }, 'duplicate demand forecasts (same item, bucket and period start): the one-per-period index comes once they are resolved');
  }
}

/** The transaction-local flag forecast generation writes under (forecast-generate.service.ts). */
export const FORECAST_GENERATION_FLAG = 'mosaic.forecast_generation';

/**
 * A demand_forecast row is the generator's (source 'report') only while nobody
 * else has written it: generation updates its own rows in place and leaves the
 * planner's alone, so an edited row must stop being 'report' whatever path
 * edits it — the records API's PATCH, a bulk update, an import, a rule. A row
 * trigger sees every path: a write not made under the generator's flag that
 * creates a row, or changes its item, warehouse, period, bucket, qty or source,
 * makes it 'manual'. BEFORE the write, so the row's RETURNING (the PATCH
 * reply) already says so. Other columns (a note, a custom field) do not claim
 * the figure.
 */
async function installForecastOwnership(tx: Tx, f: Table): Promise<void> {
  const planning = ['item', 'warehouse', 'period_start', 'bucket', 'qty', 'source'].map((c) => quote(f.col(c)));
  const fn = 'mosaic_mfg_forecast_source';
  await sql.raw(`CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF current_setting('${FORECAST_GENERATION_FLAG}', true) = 'on' THEN RETURN NEW; END IF;
      IF TG_OP = 'INSERT' THEN
        NEW.${quote(f.col('source'))} := 'manual';
      ELSIF (${planning.map((c) => `NEW.${c}`).join(', ')}) IS DISTINCT FROM (${planning.map((c) => `OLD.${c}`).join(', ')}) THEN
        NEW.${quote(f.col('source'))} := 'manual';
      END IF;
      RETURN NEW;
    END $$`).execute(tx);
  await sql`DROP TRIGGER IF EXISTS ${sql.id(`${f.obj.tableName}_source`)} ON ${f.t}`.execute(tx);
  await sql`CREATE TRIGGER ${sql.id(`${f.obj.tableName}_source`)} BEFORE INSERT OR UPDATE ON ${f.t} FOR EACH ROW EXECUTE FUNCTION ${sql.id(fn)}()`.execute(tx);
}

/**
 * What the missing foreign keys would have done on delete, paid per deleted
 * parent row instead of per inserted suggestion (docs/adr/0008-mrp-suggestion-links.md):
 *   - a deleted MRP run takes its suggestions with it (ON DELETE CASCADE);
 *     one firmed into a work order is still linked from it (work_order.mrp_suggestion
 *     keeps its FK), so deleting that run is refused (RECORD_LINKED) — it is the work
 *     order's history;
 *   - a deleted item takes the suggestions naming it (only possible while nothing
 *     else links to the item: BOMs, stock, orders all restrict);
 *   - sales orders need nothing: MRP reads only submitted ones, which cannot be deleted.
 */
async function installSuggestionCleanup(tx: Tx, sug: Table, run: Table, item: Table): Promise<void> {
  const cascade = async (parent: Table, column: string, name: string) => {
    const fn = `mosaic_mfg_${name}_cleanup`;
    await sql.raw(`CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM ${quote(sug.obj.tableName)} WHERE tenant_id = OLD.tenant_id AND ${quote(column)} = OLD.id;
        RETURN NULL;
      END $$`).execute(tx);
    await sql`DROP TRIGGER IF EXISTS ${sql.id(`${parent.obj.tableName}_mfg_cleanup`)} ON ${parent.t}`.execute(tx);
    await sql`CREATE TRIGGER ${sql.id(`${parent.obj.tableName}_mfg_cleanup`)} AFTER DELETE ON ${parent.t} FOR EACH ROW EXECUTE FUNCTION ${sql.id(fn)}()`.execute(tx);
  };
  await cascade(run, sug.col('mrp_run'), 'run');
  await cascade(item, sug.col('item'), 'item');
}

/**
 * Every index is paid on each of a run's 10⁵ inserted rows; these are not worth it
 * (bench/mrp, backend CPU for 262 000 rows: 0.46 s with no index, 2.8 s with all six):
 *   - owner (tenant_id, owner_id) and created (tenant_id, created_at, id), which every
 *     object table gets for "my records" and the default newest-first list: all of a
 *     run's suggestions have one owner (the planner who ran it) and one created_at (its
 *     transaction's), so neither narrows anything; lists go by run through (run, seq);
 *   - sales_order: only a suggestion covering one sales-order line alone names it (most
 *     cover several requirements), so the index keeps just those rows (partial), which
 *     still serves "suggestions of this order" (sales_order = x implies NOT NULL).
 * Kept: the primary key (firming, work_order.mrp_suggestion's FK), (run, seq) for lists
 * and pegging, and item (lists by item; the item clean-up trigger's DELETE).
 */
async function trimSuggestionIndexes(tx: Tx, sug: Table): Promise<void> {
  const table = sug.obj.tableName;
  await sql`DROP INDEX IF EXISTS ${sql.id(`${table}_owner_idx`)}`.execute(tx);
  await sql`DROP INDEX IF EXISTS ${sql.id(`${table}_created_idx`)}`.execute(tx);
  await sql`DROP INDEX IF EXISTS ${sql.id(`${table}_${sug.col('sales_order')}_idx`)}`.execute(tx);
  await sql`CREATE INDEX IF NOT EXISTS ${sql.id(`${table}_sales_order_some`)} ON ${sug.t} (tenant_id, ${sug.c('sales_order')}) WHERE ${sug.c('sales_order')} IS NOT NULL`.execute(tx);
}

const quote = (id: string) => `"${id.replace(/"/g, '""')}"`;
