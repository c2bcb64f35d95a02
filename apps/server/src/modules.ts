import { logger } from '@mosaic/kernel';
import { retryOnLockConflict, sql, type Database, type RetryOptions } from '@mosaic/db';
import { ensureRangeKeys, installObjects, type MetaStore, type ModuleManifest } from '@mosaic/meta';
import { listTenantIds } from '@mosaic/identity';
import { installDefaultRoles } from '@mosaic/access';
import { refreshCockpit } from '@mosaic/reporting';
import { stockModule } from '@mosaic/stock';
import { dunningModule, financeModule } from '@mosaic/finance';
import { calendarModule } from '@mosaic/calendar';
import { crmModule, crmSalesModule } from '@mosaic/crm';
import { sellingModule } from '@mosaic/selling';
import { manufacturingModule } from '@mosaic/manufacturing';
import { buyingModule } from '@mosaic/buying';
import { hrModule, hrRulesModule } from '@mosaic/hr';
import { projectsModule } from '@mosaic/projects';
import { automationModule } from '@mosaic/automation';
import { printModule } from '@mosaic/print';
import { registerStockToLedger } from '@mosaic/flow-stock-to-ledger';
import { installCodeHash, stampInstalled, structureDigest, tenantsToInstall } from './install-stamp.ts';

/**
 * The built-in modules, in dependency order. Each module's manifest lists the
 * objects it declares; they are installed into every tenant through the same
 * metadata service an admin uses (idempotent: existing data and admin
 * customisations stay, missing objects and fields are added).
 */
export const MODULES: ModuleManifest[] = [calendarModule, crmModule, stockModule, financeModule, sellingModule, buyingModule, manufacturingModule, hrModule, projectsModule, automationModule, dunningModule, crmSalesModule, hrRulesModule, printModule];

/** Installs every module into `tenantIds` (default: every tenant) and stamps them installed. */
export async function installModules(db: Database, store: MetaStore, tenantIds?: string[]): Promise<void> {
  await underInstallLock(db, async () => {
    const tenants = tenantIds ?? (await listTenantIds(db));
    await stampInstalled(db, tenants, installCodeHash(), await installEveryModule(db, store, tenants));
  });
}

/**
 * What a process does on start (runtime.ts): the install into each tenant that this
 * very code has not installed on its metadata as it stands (install-stamp.ts). When
 * every tenant is current it takes no lock at all, so a process restarted under live
 * traffic neither waits behind open transactions nor deadlocks with them; a new
 * tenant, or one whose module structure drifted, is installed alone. The stamps are
 * read again under the install lock: processes starting together install once, the
 * others find it done. `always` (MOSAIC_INSTALL=always) and `migrated` (a start that
 * applied migrations or made the first tenant) install every tenant. Answers the
 * tenants it installed.
 */
export async function installModulesOnStart(db: Database, store: MetaStore, opts: { migrated?: boolean; always?: boolean } = {}): Promise<string[]> {
  const due = async () => {
    const tenants = await listTenantIds(db);
    return opts.migrated || opts.always ? tenants : tenantsToInstall(db, tenants);
  };
  if (!(await due()).length) return [];
  return underInstallLock(db, async () => {
    const tenants = await due();
    await stampInstalled(db, tenants, installCodeHash(), await installEveryModule(db, store, tenants));
    return tenants;
  });
}

async function underInstallLock<T>(db: Database, work: () => Promise<T>): Promise<T> {
  // Several processes starting at once (N API processes and workers, a restart under
  // load) would run the same DDL side by side, and PostgreSQL's catalogue answers
  // "tuple concurrently updated" or a deadlock: one installs, the others wait and
  // then find nothing left to do.
  return db.owner.connection().execute(async (conn) => {
    await sql`SELECT pg_advisory_lock(hashtext('mosaic:install-modules'))`.execute(conn);
    try {
      return await work();
    } finally {
      await sql`SELECT pg_advisory_unlock(hashtext('mosaic:install-modules'))`.execute(conn);
    }
  });
}

/**
 * Installs into each tenant and answers, per tenant, the structure digest to stamp
 * (install-stamp.ts): the one a pass over the tenant's metadata STARTED from and found
 * nothing to do on. The digest taken after the install would also hold an admin's change
 * committed while the install ran, after the step that reads it — stamped as installed,
 * the next start would skip the tenant. So after the install, passes that check: a digest,
 * then the install's metadata steps on what that digest read (the cache dropped), then the
 * digest again; the same digest and nothing done is settled. A tenant that never settles
 * (an admin busy on its metadata) is left out: unstamped, its next start installs it.
 */
async function installEveryModule(db: Database, store: MetaStore, tenants: string[]): Promise<Map<string, string>> {
  const settled = new Map<string, string>();
  for (const tenantId of tenants) {
    await installPass(db, store, tenantId, false);
    for (let check = 0; check < 3; check++) {
      const before = await structureDigest(db, tenantId);
      store.invalidate(tenantId); // read what the digest read, not this process's cache (another process's change)
      const changed = await installPass(db, store, tenantId, true);
      if (!changed && (await structureDigest(db, tenantId)) === before) {
        settled.set(tenantId, before);
        break;
      }
    }
    if (!settled.has(tenantId)) logger.warn({ tenantId }, 'the metadata changed during every install check: not stamped, the next start installs again');
  }
  return settled;
}

/**
 * One install of every module into a tenant; whether it changed anything. A check
 * (`check`) runs a module's afterInstall (DDL: table locks) only when that module's
 * objects changed.
 */
async function installPass(db: Database, store: MetaStore, tenantId: string, check: boolean): Promise<boolean> {
  let changed = false;
  for (const m of MODULES) {
    await retryOnLockConflict(async () => {
      // outerRetry: this loop runs the whole step again, so its metadata changes try once each.
      // (An afterInstall's own transactions still retry themselves inside it: bounded, 8 × 5 at worst.)
      const r = await installObjects({ db, store, tenantId, userId: null, outerRetry: true }, m.objects);
      const did = r.created.length + r.fieldsAdded.length + r.fieldsUpdated.length > 0;
      if (!check || did) await m.afterInstall?.(db, store, tenantId);
      if (did) {
        changed = true;
        logger.info({ tenantId, module: m.name, ...r }, 'module installed');
      }
    }, installRetry(`install ${m.name}`));
  }
  // Indexed decimal fields made before range keys existed (ADR 0011) get theirs.
  const keys = await retryOnLockConflict(() => ensureRangeKeys({ db, store, tenantId, userId: null, outerRetry: true }), installRetry('range keys'));
  if (keys.length) logger.info({ tenantId, keys }, 'range-key columns added');
  // The built-in roles' rights on the objects that now exist.
  // attempts: 1 — this retry runs the whole step again; its transaction retrying too would multiply the tries.
  const roles = await retryOnLockConflict(() => installDefaultRoles(db, tenantId, undefined, { attempts: 1 }), installRetry('install default roles'));
  // The cockpit's built-in widgets as this code draws them (an installed cockpit keeps its layout and additions).
  const cockpit = await retryOnLockConflict(() => refreshCockpit(db, store, tenantId), installRetry('refresh the cockpit'));
  if (cockpit) logger.info({ tenantId }, 'cockpit widgets refreshed');
  return changed || keys.length > 0 || roles.applied.length > 0 || cockpit;
}

/**
 * An install step runs again when it lost a lock conflict. The install lock keeps
 * installs apart, but a process restarting under live traffic (bench/day's faults)
 * installs beside other processes' requests: a module's DDL (CREATE TRIGGER, CREATE
 * INDEX: table locks) can meet a request's row locks in the other order, and
 * PostgreSQL then aborts one side. The step is idempotent by contract (ModuleManifest),
 * so it runs again, with longer pauses and more tries than a request — the start
 * must not fail.
 */
function installRetry(step: string): RetryOptions {
  return {
    attempts: 8,
    delayMs: (attempt) => 100 * attempt + Math.random() * 200 * attempt,
    onRetry: (err, attempt) => logger.warn({ err, attempt, step }, 'install step lost a lock conflict with live traffic; running it again'),
  };
}

/** Cross-module flows (flows/): registered with the modules, once per process. */
const FLOWS: (() => void)[] = [registerStockToLedger];

let activated = false;

/** Registers every module's document hooks and actions, once per process. */
export function activateModules(): void {
  if (activated) return;
  activated = true;
  for (const m of MODULES) m.register?.();
  for (const register of FLOWS) register();
}
