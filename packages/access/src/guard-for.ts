import { inTenantTx, type Database } from '@mosaic/db';
import type { MetaStore } from '@mosaic/meta';
import type { AccessGuard, Actor } from './access.types.ts';
import { systemGuard } from './allow-all.guard.ts';
import { cachedPolicy } from './policy.cache.ts';
import { compilePolicy, type CompiledPolicy } from './policy.compile.ts';
import { policyGuard } from './policy.guard.ts';
import { loadPolicyData } from './policy.load.ts';

/**
 * The guard of one request: administrators (app_user.is_admin) may do
 * everything in their tenant; everyone else what their roles grant. Row-level
 * security keeps tenants apart underneath either way.
 */
export async function guardFor(db: Database, _store: MetaStore, actor: Actor): Promise<AccessGuard> {
  if (actor.isAdmin) return systemGuard(actor);
  return policyGuard(actor, await policyOf(db, actor.tenantId, actor.roleIds));
}

/** The compiled policy of a set of roles (cached briefly, see policy.cache.ts). */
export function policyOf(db: Database, tenantId: string, roleIds: string[]): Promise<CompiledPolicy> {
  return cachedPolicy(tenantId, roleIds, async () =>
    compilePolicy(roleIds.length ? await inTenantTx(db.app, { tenantId }, (tx) => loadPolicyData(tx, roleIds)) : { permissions: [], fieldRules: [] }));
}
