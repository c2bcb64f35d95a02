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

/** A stop asked for while the runtime was starting (main.ts: SIGTERM during migrations or the install). */
export class StartAborted extends Error {
  constructor() {
    super('start-up stopped on request');
  }
}

/**
 * Starts the runtime. Whatever fails or is stopped (`signal`) part way, what had
 * started is stopped again before the error leaves — the embedded PostgreSQL
 * above all: a start that failed used to leave it running for its data directory.
 * The signal is looked at between the steps (a module install is not cut short).
 */
export async function startRuntime(env: NodeJS.ProcessEnv = process.env, opts: { signal?: AbortSignal } = {}): Promise<Runtime> {
  const config = readDbConfig(env);
  // What to undo, in the order it was done: stopped newest first.
  const started: (() => Promise<void>)[] = [];
  const stopStarted = async () => {
    for (const undo of started.splice(0).reverse()) await undo().catch((err) => logger.warn({ err }, 'stopping the runtime: a part failed to stop'));
  };
  const checkpoint = () => {
    if (opts.signal?.aborted) throw new StartAborted();
  };
  try {
    let embedded: EmbeddedServer | undefined;
    let url = config.databaseUrl;
    checkpoint();
    if (!url) {
      const server = await startEmbeddedPostgres(config.dataDir);
      embedded = server;
      started.push(() => server.stop());
      url = server.url;
      logger.info({ port: server.port, dir: config.dataDir }, 'embedded PostgreSQL started');
    }
    checkpoint();
    const applied = await migrate(url);
    if (applied.length) logger.info({ applied }, 'migrations applied');
    const db = openDatabase(url, { replicaUrl: config.replicaUrl });
    started.push(() => db.close());
    const store = new MetaStore(db.app);
    started.push(await listenForMetaChanges(url, store));
    started.push(await listenForAccessChanges(url)); // drops cached role policies when any process changes them
    started.push(await listenForSessionChanges(url)); // caches authenticated sessions while it hears every change
    checkpoint();
    const first = await ensureFirstTenant(db, env);
    checkpoint();
    // Tenants this code installed whose module structure nobody changed since: nothing to do (and no lock taken).
    const installed = await installModulesOnStart(db, store, { migrated: applied.length > 0 || !!first, always: env.MOSAIC_INSTALL === 'always' });
    if (installed.length) logger.info({ tenants: installed }, 'modules installed');
    else logger.info('modules are current: install skipped');
    if (first) {
      const line = '='.repeat(64);
      // Printed once, on the first start only: the password is not stored anywhere readable.
      console.log(`\n${line}\n Mosaic is set up. Log in as ${first.email}${first.generated ? `\n password: ${first.password}  (shown once — change it after logging in)` : ''}\n${line}\n`);
    }
    return { db, store, url, dataDir: config.dataDir, firstStart: !!first, embedded: !!embedded, stop: stopStarted };
  } catch (e) {
    await stopStarted();
    throw e;
  }
}
