import { inTenantTx, sql, type Database } from '@mosaic/db';
import type { MetaStore } from '@mosaic/meta';
import { guardFor } from '@mosaic/access';
import { loadActor, tenantAdmins } from '@mosaic/identity';
import { logger } from '@mosaic/kernel';
import { createAlert, type ZCreateAlert, type KpiAlert } from './alerts.service.ts';
import { createReport } from './reports.service.ts';
import type { TReportDefinition } from './report.schema.ts';
import type { z } from 'zod';

export interface ModuleAlert {
  /** Stable key, e.g. "projects.budget_overrun": how a restart finds the alert it installed. */
  key: string;
  report: { name: string; description?: string; definition: TReportDefinition };
  alert: Omit<z.input<typeof ZCreateAlert>, 'reportId'>;
}

/**
 * An alert a module ships, on a report it ships: created once per tenant (by
 * its key) as an ordinary shared report and KPI alert, so it is listed, edited,
 * paused and evaluated like any other. A restart leaves it as the admin left
 * it. Both are owned by the tenant's first active administrator — an alert is
 * evaluated with its owner's rights, and needs a real user for that; a tenant
 * without one yet gets the alert on a later install (every start installs).
 */
export async function installModuleAlert(db: Database, store: MetaStore, tenantId: string, m: ModuleAlert): Promise<KpiAlert | null> {
  const loaded = await inTenantTx(db.app, { tenantId }, async (tx) => {
    const have = (await sql<{ id: string }>`SELECT id FROM kpi_alert WHERE install_key = ${m.key}`.execute(tx)).rows[0];
    if (have) return null;
    const [admin] = await tenantAdmins(tx);
    return admin ? loadActor(tx, tenantId, admin) : undefined;
  });
  if (loaded === null) return null;
  if (!loaded) {
    logger.warn({ tenantId, alert: m.key }, 'no active administrator to own the module alert yet; installing it on a later start');
    return null;
  }
  const ctx = { db, store, guard: await guardFor(db, store, loaded.actor) };
  // A start that stopped between the two writes left the report without its alert: use that one.
  const orphan = await inTenantTx(db.app, { tenantId }, async (tx) => (await sql<{ id: string }>`SELECT r.id FROM report r
    WHERE r.name = ${m.report.name} AND r.source_object = ${m.report.definition.source} AND NOT EXISTS (SELECT 1 FROM kpi_alert k WHERE k.report_id = r.id)
    ORDER BY r.created_at LIMIT 1`.execute(tx)).rows[0]);
  const report = orphan ?? (await createReport(ctx, { ...m.report, shared: true }));
  return createAlert(ctx, { ...m.alert, reportId: report.id }, { installKey: m.key });
}
