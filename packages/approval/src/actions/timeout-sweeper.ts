import { sql } from 'kysely';
import { logger } from '@mosaic/kernel';
import type { ApprovalDeps } from '../approval.types.ts';
import { sweepApprovalTimeouts } from './timeouts.service.ts';

// Any process may run the sweep; a session-level advisory lock makes sure only
// one does at a time (DESIGN.md, Scale: nothing may assume a single process).
// The job queue of packages/automation can take this over once it exists.
const SWEEP_LOCK = 7283040;

/**
 * Runs the approval timeout sweep every `intervalMs` in this process, skipping
 * a round when another process holds the lock.
 *
 *   SELECT pg_try_advisory_lock(7283040)  …sweep…  SELECT pg_advisory_unlock(7283040)
 */
export function startApprovalTimeoutSweeper(deps: ApprovalDeps, opts: { intervalMs?: number } = {}): { stop(): Promise<void> } {
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    running = sweepOnce(deps).then(() => undefined, (e) => logger.error({ err: e }, 'approval timeout sweep failed')).finally(() => {
      running = null;
    });
  };
  const timer = setInterval(tick, opts.intervalMs ?? 60_000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

/** One guarded round: false when another process is sweeping right now. */
export async function sweepOnce(deps: ApprovalDeps): Promise<boolean> {
  return deps.db.owner.connection().execute(async (conn) => {
    const got = await sql<{ ok: boolean }>`SELECT pg_try_advisory_lock(${SWEEP_LOCK}) AS ok`.execute(conn);
    if (!got.rows[0]?.ok) return false;
    try {
      await sweepApprovalTimeouts(deps);
      return true;
    } finally {
      await sql`SELECT pg_advisory_unlock(${SWEEP_LOCK})`.execute(conn);
    }
  });
}
