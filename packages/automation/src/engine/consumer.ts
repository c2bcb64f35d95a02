import { sql } from 'kysely';
import { inTenantTx } from '@mosaic/db';
import { ackEventsIn, readEventsIn } from '@mosaic/records';
import type { AutomationDeps, Cause } from '../automation.types.ts';
import { EVENT_TRIGGER_OPS } from '../rules/rule.schema.ts';
import { enabledRulesIn } from '../rules/rule.store.ts';
import { jobsForEvents } from './match.rules.ts';
import type { Queue } from './queue.ts';

export const CONSUMER = 'automation';
const CONSUMER_LOCK = 7283010;

/**
 * Turns a tenant's new outbox events into rule jobs, a batch at a time, each
 * batch one transaction (issue 8: a pass was four transactions and two lock
 * round trips, ~12 statements, for every commit of a document):
 *
 *   BEGIN (tenant) → pg_try_advisory_xact_lock → cursor + events (one statement,
 *   with each event's cause) → the rule set's stamp → enqueue → cursor moved → COMMIT
 *
 * One process at a time consumes a tenant: the advisory lock is the
 * transaction's, taken before the cursor is read and released by the COMMIT that
 * moves it. The jobs are enqueued (pg-boss's own connection) before that COMMIT:
 * a crash in between replays the batch, and the jobs' ids are derived from
 * (rule, event), so nothing is queued twice — at least once, never twice.
 * Returns how many events were read.
 */
export async function consumeTenant(deps: AutomationDeps, queue: Queue, tenantId: string, batch = 1000): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await inTenantTx(deps.db.app, { tenantId }, async (tx) => {
      const got = await sql<{ ok: boolean }>`SELECT pg_try_advisory_xact_lock(${CONSUMER_LOCK}, hashtext(${tenantId})) AS ok`.execute(tx);
      if (!got.rows[0]?.ok) return 0;
      const events = await readEventsIn(tx, CONSUMER, batch);
      if (!events.length) return 0;
      // Only rules on an object of the batch, matched against the whole batch at once.
      const objects = new Set(events.map((e) => e.object));
      const rules = (await enabledRulesIn(tx, tenantId)).filter((r) => EVENT_TRIGGER_OPS[r.trigger.type] && r.object !== null && objects.has(r.object));
      if (rules.length) {
        const causes = new Map(events.filter((e) => e.cause).map((e) => [e.seq, e.cause as Cause]));
        await queue.enqueueRuns(jobsForEvents(tenantId, rules, events, causes));
      }
      await ackEventsIn(tx, tenantId, CONSUMER, events[events.length - 1]);
      return events.length;
    });
    total += n;
    if (n < batch) return total;
  }
}
