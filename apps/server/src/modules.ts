import { logger } from '@mosaic/kernel';
import type { Database } from '@mosaic/db';
import { installObjects, type MetaStore, type ModuleManifest } from '@mosaic/meta';
import { listTenantIds } from '@mosaic/identity';

/**
 * The built-in modules, in dependency order. Each module's manifest lists the
 * objects it declares; they are installed into every tenant through the same
 * metadata service an admin uses (idempotent: existing data and admin
 * customisations stay, missing objects and fields are added).
 */
export const MODULES: ModuleManifest[] = [];

export async function installModules(db: Database, store: MetaStore, tenantIds?: string[]): Promise<void> {
  const tenants = tenantIds ?? (await listTenantIds(db));
  for (const tenantId of tenants) {
    for (const m of MODULES) {
      const r = await installObjects({ db, store, tenantId, userId: null }, m.objects);
      if (r.created.length || r.fieldsAdded.length) logger.info({ tenantId, module: m.name, ...r }, 'module installed');
    }
  }
}
