/** PostgreSQL's answer when one of two transactions had to give way: serialization failure, deadlock. */
export const LOCK_CONFLICT_CODES: ReadonlySet<string> = new Set(['40001', '40P01']);

export interface RetryOptions {
  /** Tries in all, the first included. */
  attempts?: number;
  /** Which SQLSTATEs are worth another try (default: LOCK_CONFLICT_CODES). */
  codes?: ReadonlySet<string>;
  /** The pause before try `attempt + 1`; jittered so two losers do not meet again in step. */
  delayMs?: (attempt: number) => number;
  /** Told of each conflict that is retried (to log it). */
  onRetry?: (err: unknown, attempt: number) => void;
}

/** Jittered exponential backoff: up to 40, 80, 160… ms. */
const backoff = (attempt: number) => Math.random() * 20 * 2 ** attempt;

/**
 * Runs `step` again when PostgreSQL aborted it for a lock conflict — a deadlock
 * (40P01) or a serialization failure (40001). Both mean "the other transaction
 * won; yours did nothing", so a step that is one whole transaction (or idempotent)
 * can simply run again. Any other error, and the last conflict, go to the caller.
 *
 * The one place this retry lives: tenant transactions (inTenantTx), metadata
 * changes (inMetaTx) and module installs all use it. `step` must not have side
 * effects outside the database (use the outbox for mail and webhooks).
 *
 * Every call retries its own step: there is no implicit "nested" mode. A caller
 * that itself runs a whole step again (a module install around installObjects,
 * whose every metadata change is a retried transaction) says so explicitly to the
 * code it calls — `MetaCtx.outerRetry` makes each metadata change try once — so
 * the tries do not multiply (8 × 5 per metadata change at start-up). An earlier
 * version kept a "nested" flag in AsyncLocalStorage: it leaked into every
 * inTenantTx awaited inside a step and into work spawned from one (a queued job, a
 * setImmediate, an after-commit callback), which then ran once and lost its conflict
 * to nobody (retry.int.test.ts).
 */
export async function retryOnLockConflict<T>(step: () => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  return retryLoop(step, opts);
}

async function retryLoop<T>(step: () => Promise<T>, opts: RetryOptions): Promise<T> {
  const attempts = opts.attempts ?? 5;
  const codes = opts.codes ?? LOCK_CONFLICT_CODES;
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (e) {
      const code = (e as { code?: string } | null)?.code;
      if (!code || !codes.has(code) || attempt >= attempts) throw e;
      opts.onRetry?.(e, attempt);
      await new Promise((r) => setTimeout(r, (opts.delayMs ?? backoff)(attempt)));
    }
  }
}
