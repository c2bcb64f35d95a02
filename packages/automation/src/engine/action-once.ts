import { sql } from 'kysely';
import { inTenantTx, type Database, type Tx } from '@mosaic/db';
import { SYSTEM_USER_ID } from '../automation.types.ts';

export interface ActionKey {
  tenantId: string;
  ruleId: string;
  triggerKey: string;
  index: number;
  type: string;
}

/**
 * Runs one action at most once per (rule, trigger, action index) — the
 * action_run row is the proof it happened:
 *
 *   BEGIN;
 *   INSERT INTO action_run (…) SELECT …, 'running' WHERE set_config('mosaic.cause', '{"rules":[…],"depth":n}', true) IS NOT NULL
 *   ON CONFLICT (…) DO UPDATE SET status = action_run.status RETURNING status, result;   -- locks the row
 *   …the action's work (in this transaction, or an email while the row is locked)…
 *   UPDATE action_run SET status = 'done', result = … ; [the run log, for the last action]; COMMIT
 *
 * The row and the work commit together; a crash rolls both back, so a retry
 * does the work again — once. A second worker on the same job waits on the
 * row lock and then finds it done. External work runs without the
 * transaction's automatic retry, which would repeat it. `finish` runs in the
 * same transaction after the row is done (the run log of a run's last action).
 */
export async function runActionOnce(
  db: Database, key: ActionKey, causeJson: string, external: boolean, work: (tx: Tx) => Promise<unknown>,
  finish?: (tx: Tx, r: ActionOutcome) => Promise<void>,
): Promise<ActionOutcome> {
  return inTenantTx(db.app, { tenantId: key.tenantId, userId: SYSTEM_USER_ID }, (tx) => actOnce(tx, key, causeJson, work, finish), { attempts: external ? 1 : 5 });
}

export interface ActionOutcome {
  already: boolean;
  result: unknown;
}

/** runActionOnce on a transaction the caller holds (a run's first action shares the run's reading transaction). */
export async function actOnce(tx: Tx, key: ActionKey, causeJson: string, work: (tx: Tx) => Promise<unknown>, finish?: (tx: Tx, r: ActionOutcome) => Promise<void>): Promise<ActionOutcome> {
  // One round trip: set the cause for the events the work writes, and take (or find) the row.
  const cur = (await sql<{ status: string; result: unknown }>`INSERT INTO action_run (tenant_id, rule_id, trigger_key, action_index, action_type, status)
    SELECT ${key.tenantId}, ${key.ruleId}, ${key.triggerKey}, ${key.index}, ${key.type}, 'running' WHERE set_config('mosaic.cause', ${causeJson}, true) IS NOT NULL
    ON CONFLICT (tenant_id, rule_id, trigger_key, action_index) DO UPDATE SET status = action_run.status
    RETURNING status, result`.execute(tx)).rows[0];
  let r: ActionOutcome;
  if (cur?.status === 'done') r = { already: true, result: cur.result };
  else {
    const result = (await work(tx)) ?? null;
    await sql`UPDATE action_run SET status = 'done', result = ${JSON.stringify(result)}, finished_at = clock_timestamp()
      WHERE rule_id = ${key.ruleId} AND trigger_key = ${key.triggerKey} AND action_index = ${key.index}`.execute(tx);
    r = { already: false, result };
  }
  await finish?.(tx, r);
  return r;
}
