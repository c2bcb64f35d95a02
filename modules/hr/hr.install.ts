import { sql, type Database } from '@mosaic/db';
import type { MetaStore } from '@mosaic/meta';
import { physical } from './physical.ts';

/**
 * What the metadata cannot say: one attendance row per employee and day, one
 * balance per employee, leave type and year, one payslip per employee and run;
 * and appraisals and candidates change stage only through the move endpoint
 * (talent/stage.service.ts sets mosaic.stage_move for its transaction), starting
 * in their first stage — so a PATCH, an import or a rule cannot skip the review.
 * Idempotent.
 */
export async function installHrIndexes(db: Database, store: MetaStore, tenantId: string): Promise<void> {
  const objects = await store.objects(tenantId);
  const unique = [
    ['attendance', ['employee', 'date']],
    ['leave_balance', ['employee', 'leave_type', 'year']],
    ['payslip', ['payroll_run', 'employee']],
  ] as const;
  await db.owner.transaction().execute(async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext('install:hr'))`.execute(tx);
    for (const [object, fields] of unique) {
      const p = physical(objects, object);
      const cols = sql.join([sql.id('tenant_id'), ...fields.map((f) => sql.id(p.column(f)))]);
      await sql`CREATE UNIQUE INDEX IF NOT EXISTS ${sql.id(`${p.meta.tableName}_${fields.join('_')}_key`)} ON ${p.table} (${cols})`.execute(tx);
    }
    await sql.raw(`CREATE OR REPLACE FUNCTION mosaic_hr_stage_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF current_setting('mosaic.stage_move', true) IS NOT DISTINCT FROM 'on' THEN RETURN NEW; END IF;
        IF TG_OP = 'INSERT' AND to_jsonb(NEW)->>TG_ARGV[0] IS DISTINCT FROM TG_ARGV[1] THEN
          RAISE EXCEPTION 'a new record starts in stage %; move it on through its move action', TG_ARGV[1] USING ERRCODE = 'MS002';
        END IF;
        IF TG_OP = 'UPDATE' AND to_jsonb(NEW)->>TG_ARGV[0] IS DISTINCT FROM to_jsonb(OLD)->>TG_ARGV[0] THEN
          RAISE EXCEPTION 'the stage changes only through the move action (POST /api/v1/hr/%/{id}/move)', TG_TABLE_NAME USING ERRCODE = 'MS002';
        END IF;
        RETURN NEW;
      END $$`).execute(tx);
    for (const [object, first] of [['appraisal', 'draft'], ['candidate', 'applied']] as const) {
      const p = physical(objects, object);
      await sql`DROP TRIGGER IF EXISTS mosaic_hr_stage_guard ON ${p.table}`.execute(tx);
      await sql`CREATE TRIGGER mosaic_hr_stage_guard BEFORE INSERT OR UPDATE ON ${p.table}
        FOR EACH ROW EXECUTE FUNCTION mosaic_hr_stage_guard(${sql.lit(p.column('stage'))}, ${sql.lit(first)})`.execute(tx);
    }
  });
}
