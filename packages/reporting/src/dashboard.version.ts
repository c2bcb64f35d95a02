import { inTenantTx, sql } from '@mosaic/db';
import type { RecordsCtx } from '@mosaic/records';
import type { Dashboard } from './dashboards.service.ts';
import { objectsRead } from './report.objects.ts';
import { getReportOrThrow } from './reports.service.ts';
import type { TReportDefinition } from './report.schema.ts';

/**
 * A dashboard's data version: the newest outbox event of any object its widgets
 * read, with the dashboard's own version. It changes exactly when the data (or
 * the dashboard) changed, so the UI polls it — or listens to the SSE stream
 * built on it — and refetches the data only then. One index probe per object:
 *
 *   SELECT max(e.seq) FROM unnest($1::text[]) AS o(name)
 *     CROSS JOIN LATERAL (SELECT max(seq) AS seq FROM outbox_event WHERE object = o.name) AS e
 */
export async function dashboardVersion(ctx: RecordsCtx, dash: Dashboard): Promise<string> {
  const objects = await dashboardObjects(ctx, dash);
  const seq = await outboxVersion(ctx, objects);
  return `${dash.version}.${seq}`;
}

export async function dashboardObjects(ctx: RecordsCtx, dash: Dashboard): Promise<string[]> {
  const meta = await ctx.store.objects(ctx.guard.actor.tenantId);
  const out = new Set<string>();
  for (const w of dash.widgets) {
    let def: TReportDefinition | undefined = w.definition;
    if (!def) def = await getReportOrThrow(ctx, w.reportId!).then((r) => r.definition, () => undefined);
    if (def) for (const o of objectsRead(meta, def)) out.add(o);
  }
  return [...out].sort();
}

/** The newest outbox sequence number among events of these objects (0 when none). */
export async function outboxVersion(ctx: RecordsCtx, objects: string[]): Promise<number> {
  if (!objects.length) return 0;
  return inTenantTx(ctx.db.app, { tenantId: ctx.guard.actor.tenantId, userId: ctx.guard.actor.userId }, async (tx) => {
    const r = await outboxVersionQuery(objects).execute(tx);
    return Number(r.rows[0]?.seq ?? 0);
  });
}

/** outboxVersion's statement (dashboardData sends it in one pipeline with the widgets' queries). */
export const outboxVersionQuery = (objects: string[]) => sql<{ seq: string | null }>`SELECT max(e.seq) AS seq FROM unnest(${objects}::text[]) AS o(name)
  CROSS JOIN LATERAL (SELECT max(seq) AS seq FROM outbox_event WHERE object = o.name) AS e`;
