import { clock, registerProcessCache } from '@mosaic/kernel';
import { awaitCachesDropped, CacheHearing, inTenantTx, type Db, type Tx, type TxScope } from '@mosaic/db';

/**
 * Authenticated sessions, cached briefly per token hash so that a request does
 * not spend a round trip on `mosaic_authenticate` (issue 2: get-by-id latency).
 * The cached row is still checked on every request (revoked, expired, idle,
 * inactive user, auth epoch): only the database read is saved.
 *
 * Correct only while this process hears every change to what that function reads
 * (migration 0058: app_user, user_role, department, tenant, auth_session NOTIFY
 * `mosaic_auth` on commit), so the cache is ON only while `listenForSessionChanges`
 * holds its LISTEN connection: a process without it (tests, scripts) or one that
 * lost it reads the database every time, as before. Changes made by this
 * process's own services are dropped at once (`forgetSessions`), not only when
 * the notification comes back; the TTL bounds anything missed.
 */
export const SESSION_CACHE_TTL_MS = 10_000;
const MAX_ENTRIES = 10_000;

export type SessionRow = Record<string, any>;

interface Entry {
  at: number;
  /** Known once the row is loaded; an entry still loading is dropped by any invalidation. */
  tenantId?: string;
  row: Promise<SessionRow | undefined>;
}

const cache = new Map<string, Entry>();
registerProcessCache(() => cache.clear());
/** On only while a LISTEN connection holds: a process without one reads the database every time. */
const hearing = new CacheHearing('bypass');

export function sessionCacheEnabled(): boolean {
  return hearing.canCache();
}

/** The session row of a token hash: from the cache when enabled and fresh, else from `load`. */
export function cachedSession(hashHex: string, load: () => Promise<SessionRow | undefined>): Promise<SessionRow | undefined> {
  if (!sessionCacheEnabled()) return load();
  const now = clock.now().getTime();
  const hit = cache.get(hashHex);
  if (hit && now - hit.at < SESSION_CACHE_TTL_MS && now >= hit.at) return hit.row;
  if (cache.size >= MAX_ENTRIES) cache.clear();
  const entry: Entry = { at: now, row: load() };
  cache.set(hashHex, entry);
  entry.row.then(
    (row) => {
      // An unknown token is not kept: it may be a session being created right now elsewhere.
      if (!row) dropEntry(hashHex, entry);
      else entry.tenantId = row.tenant_id;
    },
    () => dropEntry(hashHex, entry),
  );
  return entry.row;
}

function dropEntry(hashHex: string, entry: Entry): void {
  if (cache.get(hashHex) === entry) cache.delete(hashHex);
}

/** Drops cached sessions: one token's, a tenant's (and every entry still loading), or all. */
export function forgetSessions(which: { tenantId?: string; hashHex?: string } = {}): void {
  if (which.hashHex) {
    cache.delete(which.hashHex);
    return;
  }
  if (!which.tenantId) {
    cache.clear();
    return;
  }
  for (const [key, entry] of cache) if (entry.tenantId === undefined || entry.tenantId === which.tenantId) cache.delete(key);
}

/**
 * inTenantTx for a change to what authentication reads (users, their roles,
 * departments, sessions): this process's cached sessions of the tenant are dropped
 * as soon as it ends, without waiting for the notification to come back; once it
 * committed, the other processes' too (afterAuthChange).
 */
export async function inAuthChangeTx<T>(db: Db, scope: TxScope, fn: (tx: Tx) => Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await inTenantTx(db, scope, fn);
  } finally {
    forgetSessions({ tenantId: scope.tenantId });
  }
  await afterAuthChange(db);
  return result;
}

/**
 * After a committed change to what authentication reads: waits (bounded, ADR 0012)
 * until every process listening on `mosaic_auth` has dropped its cached sessions,
 * so a disabled user or ended session is refused by any process on the next request.
 */
export async function afterAuthChange(db: Db): Promise<void> {
  await awaitCachesDropped(db, ['mosaic_auth']);
}

/**
 * LISTENs on `mosaic_auth` and turns the cache on while the connection holds;
 * while it is lost nothing is cached (changes would go unheard).
 */
export function listenForSessionChanges(url: string): Promise<() => Promise<void>> {
  return hearing.listen(url, ['mosaic_auth'], (tenantId) => forgetSessions({ tenantId: tenantId || undefined }), () => forgetSessions());
}
