import { sql } from 'kysely';
import { inTenantTx } from '@mosaic/db';
import { consumeEvents } from '@mosaic/records';
import type { AutomationDeps, Cause } from '../automation.types.ts';
import { EVENT_TRIGGER_OPS } from '../rules/rule.schema.ts';
import { enabledRules } from '../rules/rule.store.ts';
import { jobsForEvents } from './match.rules.ts';
import type { Queue } from './queue.ts';

export const CONSUMER = 'automation';
const CONSUMER_LOCK = 7283010;

/**
 * Turns a tenant's new outbox events into rule jobs: reads them in commit-safe
 * order (consumeEvents), enqueues one job per (event, matching rule), then
 * moves the cursor. A crash between enqueue and ack replays the batch; the
 * jobs' ids are derived from (rule, event), so nothing is queued twice. One
 * process at a time consumes a tenant (an advisory lock), so two servers do
 * not race on the cursor. Returns how many events were read.
 *
 *   SELECT pg_try_advisory_lock(7283010, hashtext($tenant))
 */
export async function consumeTenant(deps: AutomationDeps, queue: Queue, tenantId: string, batch = 1000): Promise<number> {
  return deps.db.app.connection().execute(async (conn) => {
    const got = await sql<{ ok: boolean }>`SELECT pg_try_advisory_lock(${CONSUMER_LOCK}, hashtext(${tenantId})) AS ok`.execute(conn);
    if (!got.rows[0]?.ok) return 0;
    try {
      let total = 0;
      for (;;) {
        const n = await consumeEvents(deps.db.app, tenantId, CONSUMER, async (events) => {
          const rules = (await enabledRules(deps.db, tenantId)).filter((r) => EVENT_TRIGGER_OPS[r.trigger.type] && events.some((e) => e.object === r.object));
          if (!rules.length) return;
          const causes = await causesOf(deps, tenantId, events.map((e) => e.seq));
          await queue.enqueueRuns(jobsForEvents(tenantId, rules, events, causes));
        }, batch);
        total += n;
        if (n < batch) return total;
      }
    } finally {
      await sql`SELECT pg_advisory_unlock(${CONSUMER_LOCK}, hashtext(${tenantId}))`.execute(conn);
    }
  });
}

/** outbox_event.cause of the batch's events (set on writes made by rules and public forms). */
async function causesOf(deps: AutomationDeps, tenantId: string, seqs: number[]): Promise<Map<number, Cause>> {
  const r = await inTenantTx(deps.db.app, { tenantId }, (tx) =>
    sql<{ seq: number; cause: Cause }>`SELECT seq, cause FROM outbox_event WHERE seq = ANY(${seqs}::bigint[]) AND cause IS NOT NULL`.execute(tx));
  return new Map(r.rows.map((x) => [Number(x.seq), x.cause]));
}
