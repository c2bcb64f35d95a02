import { sql } from 'kysely';
import { inTenantTx, type Database, type Tx } from '@mosaic/db';
import type { MetaStore, ObjectMeta } from '@mosaic/meta';
import type { FlowRow } from '../approval.types.ts';

/**
 * The active flows of a document object, which every submit asks for ("does this
 * object have an approval flow?"), cached per process instead of one query per submit.
 *
 * The cache rides on the metadata cache: it is keyed by the tenant's objects map of
 * the MetaStore, so whatever drops that map drops the flows with it. Activating or
 * deactivating a flow (the only changes to the active set) sends NOTIFY mosaic_meta
 * on commit, like a metadata change (`announceFlowsChange`), and drops the local
 * store after commit; a process that lost its LISTEN connection drops every tenant's map.
 * A miss reads in a transaction of its own, started after the drop, so it cannot
 * cache an older snapshot of the caller's transaction.
 */
const cache = new WeakMap<Map<string, ObjectMeta>, Map<string, Promise<FlowRow[]>>>();

/** The object's active flows, by priority then name. */
export async function activeFlows(deps: { db: Database; store: MetaStore }, tenantId: string, object: string): Promise<FlowRow[]> {
  const objects = await deps.store.objects(tenantId);
  const perObject = cache.get(objects) ?? cache.set(objects, new Map()).get(objects)!;
  let hit = perObject.get(object);
  if (!hit) {
    hit = inTenantTx(deps.db.app, { tenantId }, async (tx) =>
      (await sql<FlowRow>`SELECT * FROM approval_flow WHERE object = ${object} AND active`.execute(tx)).rows
        .sort((a, b) => (a.definition.priority ?? 100) - (b.definition.priority ?? 100) || a.name.localeCompare(b.name)), { readOnly: true });
    hit.catch(() => perObject.delete(object));
    perObject.set(object, hit);
  }
  return hit;
}

/** In the transaction that changes which flows are active: every process hears it on commit. */
export async function announceFlowsChange(tx: Tx, tenantId: string): Promise<void> {
  await sql`SELECT pg_notify('mosaic_meta', ${tenantId})`.execute(tx);
}
