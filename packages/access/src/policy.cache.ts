import { clock } from '@mosaic/kernel';
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

export function cachedPolicy(tenantId: string, roleIds: string[], load: () => Promise<CompiledPolicy>): Promise<CompiledPolicy> {
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

/** Starts a LISTEN connection that drops cached policies when any process changes permissions. */
export async function listenForAccessChanges(url: string): Promise<() => Promise<void>> {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: url, options: '-c role=mosaic_app' });
  client.on('error', () => invalidatePolicies());
  await client.connect();
  await client.query('LISTEN mosaic_access');
  client.on('notification', (n) => invalidatePolicies(n.payload || undefined));
  return async () => {
    await client.end().catch(() => {});
  };
}
