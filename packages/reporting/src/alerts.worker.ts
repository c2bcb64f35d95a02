import { logger } from '@mosaic/kernel';
import { inTenantTx, sql, type Database } from '@mosaic/db';
import type { MetaStore } from '@mosaic/meta';
import { guardFor, type AccessGuard } from '@mosaic/access';
import { listTenantIds, loadActor } from '@mosaic/identity';
import { consumeEvents } from '@mosaic/records';
import { evaluateAlert, type AlertEvent } from './alerts.evaluate.ts';

export const ALERTS_CONSUMER = 'reporting.alerts';

interface Deps {
  db: Database;
  store: MetaStore;
}

/** Evaluates an alert as its owner (their roles and record scope), or not at all when the owner is gone or inactive. */
export async function evaluateAlertAsOwner(deps: Deps, tenantId: string, alertId: string): Promise<AlertEvent[]> {
  const guard = await ownerGuard(deps, tenantId, alertId);
  return guard ? evaluateAlert({ db: deps.db, store: deps.store, guard }, alertId) : [];
}

async function ownerGuard(deps: Deps, tenantId: string, alertId: string): Promise<AccessGuard | null> {
  const loaded = await inTenantTx(deps.db.app, { tenantId }, async (tx) => {
    const owner = (await sql<{ owner_id: string }>`SELECT owner_id FROM kpi_alert WHERE id = ${alertId}`.execute(tx)).rows[0]?.owner_id;
    return owner ? loadActor(tx, tenantId, owner) : null;
  });
  if (!loaded || !loaded.active) return null;
  return guardFor(deps.db, deps.store, loaded.actor);
}

/**
 * On change: reads the tenant's new outbox events (its own cursor) and
 * evaluates the active alerts whose report reads one of the changed objects.
 */
export async function evaluateAlertsOnEvents(deps: Deps, tenantId: string): Promise<AlertEvent[]> {
  const out: AlertEvent[] = [];
  await consumeEvents(deps.db.app, tenantId, ALERTS_CONSUMER, async (events) => {
    const objects = [...new Set(events.map((e) => e.object))];
    const ids = await inTenantTx(deps.db.app, { tenantId }, async (tx) =>
      (await sql<{ id: string }>`SELECT id FROM kpi_alert WHERE active AND objects && ${objects}::text[] ORDER BY id`.execute(tx)).rows.map((r) => r.id));
    for (const id of ids) out.push(...(await evaluateAlertAsOwner(deps, tenantId, id)));
  });
  return out;
}

/** On schedule: the active alerts not checked for `every_minutes`. */
export async function evaluateDueAlerts(deps: Deps, tenantId: string): Promise<AlertEvent[]> {
  const ids = await inTenantTx(deps.db.app, { tenantId }, async (tx) =>
    (await sql<{ id: string }>`SELECT id FROM kpi_alert WHERE active
      AND (last_checked_at IS NULL OR last_checked_at + make_interval(mins => every_minutes) <= now()) ORDER BY id`.execute(tx)).rows.map((r) => r.id));
  const out: AlertEvent[] = [];
  for (const id of ids) out.push(...(await evaluateAlertAsOwner(deps, tenantId, id)));
  return out;
}

/**
 * The background loop: every `intervalMs`, for every tenant, alerts on change
 * then due alerts. Safe to run in several processes (each alert is evaluated
 * under a row lock; the event cursor moves forward only). Returns stop().
 */
export function startAlertWorker(deps: Deps, opts: { intervalMs?: number } = {}): () => Promise<void> {
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = async () => {
    for (const tenantId of await listTenantIds(deps.db)) {
      if (stopped) return;
      try {
        await evaluateAlertsOnEvents(deps, tenantId);
        await evaluateDueAlerts(deps, tenantId);
      } catch (e) {
        logger.error({ err: e, tenantId }, 'alert evaluation failed');
      }
    }
  };
  const timer = setInterval(() => {
    if (!running) running = tick().finally(() => (running = null));
  }, opts.intervalMs ?? 15_000);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
