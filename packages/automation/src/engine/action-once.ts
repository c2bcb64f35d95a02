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
 *   BEGIN; SET LOCAL mosaic.cause = '{"rules":[…],"depth":n}';
 *   INSERT INTO action_run (…) VALUES (…, 'running') ON CONFLICT DO NOTHING RETURNING 1;
 *   -- taken: SELECT status FROM action_run … FOR UPDATE  → 'done' means skip
 *   …the action's work (in this transaction, or an email while the row is locked)…
 *   UPDATE action_run SET status = 'done', result = … ; COMMIT
 *
 * The row and the work commit together; a crash rolls both back, so a retry
 * does the work again — once. A second worker on the same job waits on the
 * row lock and then finds it done. External work runs without the
 * transaction's automatic retry, which would repeat it.
 */
export async function runActionOnce(
  db: Database, key: ActionKey, causeJson: string, external: boolean, work: (tx: Tx) => Promise<unknown>,
): Promise<{ already: boolean; result: unknown }> {
  return inTenantTx(db.app, { tenantId: key.tenantId, userId: SYSTEM_USER_ID }, async (tx) => {
    await sql`SELECT set_config('mosaic.cause', ${causeJson}, true)`.execute(tx);
    const inserted = await sql`INSERT INTO action_run (tenant_id, rule_id, trigger_key, action_index, action_type, status)
      VALUES (${key.tenantId}, ${key.ruleId}, ${key.triggerKey}, ${key.index}, ${key.type}, 'running') ON CONFLICT DO NOTHING RETURNING 1`.execute(tx);
    if (!inserted.rows.length) {
      const cur = await sql<{ status: string; result: unknown }>`SELECT status, result FROM action_run
        WHERE rule_id = ${key.ruleId} AND trigger_key = ${key.triggerKey} AND action_index = ${key.index} FOR UPDATE`.execute(tx);
      if (cur.rows[0]?.status === 'done') return { already: true, result: cur.rows[0].result };
    }
    const result = (await work(tx)) ?? null;
    await sql`UPDATE action_run SET status = 'done', result = ${JSON.stringify(result)}, finished_at = clock_timestamp()
      WHERE rule_id = ${key.ruleId} AND trigger_key = ${key.triggerKey} AND action_index = ${key.index}`.execute(tx);
    return { already: false, result };
  }, { attempts: external ? 1 : 5 });
}
