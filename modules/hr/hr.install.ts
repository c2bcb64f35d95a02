import { sql, type Database } from '@mosaic/db';
import type { MetaStore } from '@mosaic/meta';
import { physical } from './physical.ts';

/**
 * What the metadata cannot say: one attendance row per employee and day, one
 * balance per employee, leave type and year, one payslip per employee and run.
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
  });
}
