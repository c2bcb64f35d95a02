import { AsyncLocalStorage } from 'node:async_hooks';
import { sql } from 'kysely';
import type { Tx } from './database.ts';

/**
 * Work to do inside a writing transaction, just before its COMMIT, for everything
 * called within `withBeforeCommit`. It lets a caller that does not own the
 * transaction (the HTTP layer's Idempotency-Key) commit its own row atomically
 * with the work: either both are in the database or neither is, whatever crashes.
 * Transactions that wrote nothing (metadata loads, reads) do not run it.
 */
export interface BeforeCommit {
  beforeCommit(tx: Tx, result: unknown): Promise<void>;
  /** That transaction committed (it may instead roll back, e.g. a deadlock retried). */
  committed(): void;
}

const hooks = new AsyncLocalStorage<BeforeCommit>();

export function withBeforeCommit<T>(hook: BeforeCommit, fn: () => Promise<T>): Promise<T> {
  return hooks.run(hook, fn);
}

/** Called by inTenantTx before COMMIT of a read-write transaction; returns what to call once it committed. */
export async function runBeforeCommit(tx: Tx, result: unknown): Promise<(() => void) | null> {
  const hook = hooks.getStore();
  if (!hook) return null;
  // Only a transaction that has written holds a transaction id: that is the work.
  const wrote = await sql<{ xid: string | null }>`SELECT pg_current_xact_id_if_assigned()::text AS xid`.execute(tx);
  if (!wrote.rows[0]?.xid) return null;
  await hook.beforeCommit(tx, result);
  return () => hook.committed();
}
