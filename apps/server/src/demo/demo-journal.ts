import { inTenantTx, sql, type Database, type Tx } from '@mosaic/db';

/**
 * Where the demo generator keeps its progress (table demo_seed_step, one run
 * per tenant): the run's options, the master data it created, a snapshot after
 * every finished month (what the next month needs to go on: the generator's
 * random state, the open invoices, the running summary) and the replies of the
 * current month's writes. A resumed seed starts after the last finished month
 * and replays the half-done month's writes from their stored replies; a write
 * whose reply was not stored yet is sent again with the same Idempotency-Key,
 * so the records API answers it from its own key table instead of writing it
 * twice. The generator's own bookkeeping, not business data: it is written
 * beside the API, never through it.
 */
export interface DemoJournal {
  get<T>(key: string): Promise<T | undefined>;
  put(key: string, value: unknown): Promise<void>;
  /** Whether any key starts with `prefix` (a scope with stored replies: a run stopped inside it). */
  has(prefix: string): Promise<boolean>;
  /** Forgets the step replies under `prefix` (a finished month's: its snapshot carries on). */
  forget(prefix: string): Promise<void>;
}

export function openJournal(db: Database, tenantId: string, userId: string): DemoJournal {
  const tx = <T>(fn: (t: Tx) => Promise<T>) => inTenantTx(db.app, { tenantId, userId }, fn);
  return {
    async get<T>(key: string) {
      const row = await tx(async (t) => (await sql<{ value: T }>`SELECT value FROM demo_seed_step WHERE key = ${key}`.execute(t)).rows[0]);
      return row?.value;
    },
    async put(key, value) {
      await tx((t) => sql`INSERT INTO demo_seed_step (tenant_id, key, value) VALUES (${tenantId}, ${key}, ${JSON.stringify(value)}::jsonb)
        ON CONFLICT (tenant_id, key) DO UPDATE SET value = EXCLUDED.value`.execute(t));
    },
    async has(prefix) {
      return tx(async (t) => (await sql<{ one: number }>`SELECT 1 AS one FROM demo_seed_step WHERE starts_with(key, ${prefix}) LIMIT 1`.execute(t)).rows.length > 0);
    },
    async forget(prefix) {
      await tx((t) => sql`DELETE FROM demo_seed_step WHERE starts_with(key, ${prefix})`.execute(t));
    },
  };
}
