import { logger } from '@mosaic/kernel';
import { migrate, openDatabase, readDbConfig, startEmbeddedPostgres, type Database, type EmbeddedServer } from '@mosaic/db';
import { MetaStore, listenForMetaChanges } from '@mosaic/meta';
import { ensureFirstTenant, listenForSessionChanges } from '@mosaic/identity';
import { installModulesOnStart } from './modules.ts';
import { listenForAccessChanges } from '@mosaic/access';

/**
 * Brings up what a Mosaic process needs: PostgreSQL (the embedded server when
 * DATABASE_URL is unset), migrations, the metadata store with its cross-process
 * cache invalidation, and on a fresh installation the first tenant.
 */
export interface Runtime {
  db: Database;
  store: MetaStore;
  url: string;
  dataDir: string;
  /** This start created the first tenant (a fresh installation). */
  firstStart: boolean;
  /** PostgreSQL is the embedded server (no DATABASE_URL). */
  embedded: boolean;
  stop(): Promise<void>;
}

export async function startRuntime(env: NodeJS.ProcessEnv = process.env): Promise<Runtime> {
  const config = readDbConfig(env);
  let embedded: EmbeddedServer | undefined;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres(config.dataDir);
    url = embedded.url;
    logger.info({ port: embedded.port, dir: config.dataDir }, 'embedded PostgreSQL started');
  }
  const applied = await migrate(url);
  if (applied.length) logger.info({ applied }, 'migrations applied');
  const db = openDatabase(url, { replicaUrl: config.replicaUrl });
  const store = new MetaStore(db.app);
  const unlisten = await listenForMetaChanges(url, store);
  const unlistenAccess = await listenForAccessChanges(url); // drops cached role policies when any process changes them
  const unlistenSessions = await listenForSessionChanges(url); // caches authenticated sessions while it hears every change
  const first = await ensureFirstTenant(db, env);
  // Tenants this code installed whose module structure nobody changed since: nothing to do (and no lock taken).
  const installed = await installModulesOnStart(db, store, { migrated: applied.length > 0 || !!first, always: env.MOSAIC_INSTALL === 'always' });
  if (installed.length) logger.info({ tenants: installed }, 'modules installed');
  else logger.info('modules are current: install skipped');
  if (first) {
    const line = '='.repeat(64);
    // Printed once, on the first start only: the password is not stored anywhere readable.
    console.log(`\n${line}\n Mosaic is set up. Log in as ${first.email}${first.generated ? `\n password: ${first.password}  (shown once — change it after logging in)` : ''}\n${line}\n`);
  }
  return {
    db, store, url, dataDir: config.dataDir, firstStart: !!first, embedded: !!embedded,
    async stop() {
      await unlisten();
      await unlistenAccess();
      await unlistenSessions();
      await db.close();
      if (embedded) await embedded.stop();
    },
  };
}
