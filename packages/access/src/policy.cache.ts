import { clock, registerProcessCache } from '@mosaic/kernel';
import { awaitCachesDropped, CacheHearing, type Db } from '@mosaic/db';
import type { CompiledPolicy } from './policy.compile.ts';

/**
 * Compiled policies, cached per tenant and set of roles (users with the same
 * roles share one; a user given another role gets another key at once, since
 * role ids are read with the session on every request). Entries live briefly
 * (TTL) and are dropped when permissions change: in this process by the admin
 * services, in every process by `LISTEN mosaic_access` (a trigger on the
 * permission tables NOTIFYs on commit) — the TTL bounds a missed notification.
 */
const TTL_MS = 10_000;
const MAX_PER_TENANT = 200;
const cache = new Map<string, Map<string, { at: number; policy: Promise<CompiledPolicy> }>>();
registerProcessCache(() => cache.clear());
/**
 * Nothing is cached while a started LISTEN connection is lost (changes go unheard);
 * a process that never listens — tests, scripts — caches, its own services drop
 * what they change.
 */
const hearing = new CacheHearing('cache');

export function cachedPolicy(tenantId: string, roleIds: string[], load: () => Promise<CompiledPolicy>): Promise<CompiledPolicy> {
  if (!hearing.canCache()) return load();
  const key = [...roleIds].sort().join(',');
  const now = clock.now().getTime();
  const forTenant = cache.get(tenantId) ?? cache.set(tenantId, new Map()).get(tenantId)!;
  const hit = forTenant.get(key);
  if (hit && now - hit.at < TTL_MS && now >= hit.at) return hit.policy;
  if (forTenant.size >= MAX_PER_TENANT) forTenant.clear();
  const policy = load();
  policy.catch(() => forTenant.delete(key));
  forTenant.set(key, { at: now, policy });
  return policy;
}

/** Drops cached policies of a tenant (all tenants without an argument). */
export function invalidatePolicies(tenantId?: string): void {
  if (tenantId) cache.delete(tenantId);
  else cache.clear();
}

/**
 * After a committed change of rights (permissions, field rules, a deleted role):
 * drops this process's policies of the tenant, then waits (bounded, ADR 0012)
 * until every other process has dropped them too, so the next request, to any
 * process, is judged by the new rights.
 */
export async function afterAccessChange(db: Db, tenantId: string): Promise<void> {
  invalidatePolicies(tenantId);
  await awaitCachesDropped(db, ['mosaic_access', 'mosaic_auth']);
}

/**
 * Keeps a LISTEN connection that drops cached policies when any process changes
 * permissions; while it is lost (and once it is back) everything is dropped.
 */
export function listenForAccessChanges(url: string): Promise<() => Promise<void>> {
  return hearing.listen(url, ['mosaic_access'], (tenantId) => invalidatePolicies(tenantId || undefined), () => invalidatePolicies());
}
