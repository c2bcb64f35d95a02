/**
 * How long a login must wait after failures (OWASP Authentication Cheat Sheet,
 * "Account lockout": throttle, don't lock). Pure, so the numbers are unit-tested.
 *
 * Each key (an account, an address, an account from one address) counts its
 * failures of the last hour. The first `free` failures cost nothing; after
 * that each failure doubles the wait before the next try, up to `maxDelayS`;
 * and `perHour` failures in the window stop tries until the oldest one leaves
 * it. Nothing is ever locked for good: the window slides.
 */
export interface ThrottleLimit {
  free: number;
  maxDelayS: number;
  perHour: number;
}

/** Per account: at most 100 failures an hour, and with the delays far fewer (about 70). */
export const ACCOUNT_LIMIT: ThrottleLimit = { free: 5, maxDelayS: 60, perHour: 100 };
/** Per address: an office behind one NAT address has many people typing passwords. */
export const ADDRESS_LIMIT: ThrottleLimit = { free: 20, maxDelayS: 60, perHour: 1000 };

export const WINDOW_MS = 3_600_000;

export interface ThrottleState {
  failures: number;
  firstAt: Date | null;
  lastAt: Date | null;
}

/** Seconds to wait before the next try (0: go ahead). */
export function waitSeconds(state: ThrottleState | undefined, limit: ThrottleLimit, now: Date): number {
  if (!state || !state.failures || !state.lastAt) return 0;
  const t = now.getTime();
  if (state.failures >= limit.perHour && state.firstAt) return Math.max(1, Math.ceil((state.firstAt.getTime() + WINDOW_MS - t) / 1000));
  if (state.failures < limit.free) return 0;
  const delayS = Math.min(2 ** (state.failures - limit.free), limit.maxDelayS);
  return Math.max(0, Math.ceil((state.lastAt.getTime() + delayS * 1000 - t) / 1000));
}

/** The keys one login attempt counts against. */
export function throttleKeys(email: string, address: string): { email: string; account: string; address: string; pair: string } {
  const account = email.trim().toLowerCase();
  return { email: account, account: `acct:${account}`, address: `addr:${address}`, pair: `pair:${account}|${address}` };
}
