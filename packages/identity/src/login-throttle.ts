import { sql } from 'kysely';
import { AppError, clock } from '@mosaic/kernel';
import type { Database } from '@mosaic/db';
import { ACCOUNT_LIMIT, ADDRESS_LIMIT, throttleKeys, waitSeconds, WINDOW_MS, type ThrottleState } from './login-throttle.rules.ts';

const KNOWN_FOR_MS = 30 * 86_400_000;

/**
 * Refuses a login try (LOGIN_THROTTLED, 429, with `details.retryAfter` seconds)
 * while any of its keys must wait; returns the keys a failure will count
 * against. From an address the account logged in from before (30 days), only
 * that pair counts: failures by someone elsewhere can't lock the user out there.
 * Counters live in the database (login_failure), so every process sees them.
 */
export async function assertLoginAllowedOrThrow(db: Database, email: string, address: string): Promise<string[]> {
  const keys = throttleKeys(email, address);
  const now = clock.now();
  const since = new Date(now.getTime() - WINDOW_MS);
  // One round trip: is the address known for the account, and the failures of each key.
  const row = (await sql<{ known: boolean; state: { key: string; failures: number; first_at: string; last_at: string }[] | null }>`SELECT
      mosaic_login_known_address(${keys.email}, ${address}, ${new Date(now.getTime() - KNOWN_FOR_MS)}) AS known,
      (SELECT json_agg(s) FROM mosaic_login_throttle_state(${[keys.account, keys.address, keys.pair]}::text[], ${since}) s) AS state`.execute(db.app)).rows[0];
  const known = row?.known ?? false;
  const state = new Map<string, ThrottleState>((row?.state ?? []).map((r) => [r.key, { failures: r.failures, firstAt: new Date(r.first_at), lastAt: new Date(r.last_at) }]));
  const wait = Math.max(
    waitSeconds(state.get(keys.pair), ACCOUNT_LIMIT, now),
    known ? 0 : waitSeconds(state.get(keys.account), ACCOUNT_LIMIT, now),
    known ? 0 : waitSeconds(state.get(keys.address), ADDRESS_LIMIT, now),
  );
  if (wait > 0) throw new AppError('LOGIN_THROTTLED', `Too many failed logins; try again in ${wait} s.`, { details: { retryAfter: wait } });
  return [keys.account, keys.address, keys.pair];
}

export async function recordLoginFailure(db: Database, keys: string[]): Promise<void> {
  await sql`SELECT mosaic_login_failed(${keys}::text[], ${clock.now()})`.execute(db.app);
}

/** A success clears the pair's failures and remembers the address for the account. */
export async function recordLoginSuccess(db: Database, email: string, address: string): Promise<void> {
  const keys = throttleKeys(email, address);
  await sql`SELECT mosaic_login_succeeded(${keys.email}, ${address}, ${clock.now()})`.execute(db.app);
}
