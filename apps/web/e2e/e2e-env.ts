import pg from 'pg';
import { SERVER_START_MS } from './timeouts.ts';

// What the browser suite's global setup (template-db.ts) and each file (server.ts) share.
// No import of 'vitest' here: global setup runs outside a test worker.

/** The admin the first start creates (MOSAIC_ADMIN_*), in the template database and so in every file's copy. */
export const E2E_ADMIN = { email: 'admin@e2e.local', password: 'E2e-Admin-Pw-2026' };

/** `npm start`'s environment for a server on `databaseUrl`. */
export function serverEnv(databaseUrl: string, port: number, dataDir: string): NodeJS.ProcessEnv {
  return {
    ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', MOSAIC_DATA_DIR: dataDir,
    MOSAIC_ADMIN_EMAIL: E2E_ADMIN.email, MOSAIC_ADMIN_PASSWORD: E2E_ADMIN.password,
  };
}

/** Until `/healthz` answers; throws when the server has exited or SERVER_START_MS passed. */
export async function waitForHealth(base: string, exited: () => boolean): Promise<void> {
  // A first start installs every module into the new tenant, slow on a loaded shared machine (timeouts.ts).
  const until = Date.now() + SERVER_START_MS;
  for (;;) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return;
    } catch {
      /* not up yet */
    }
    if (exited() || Date.now() > until) throw new Error(exited() ? 'the server exited' : `no answer in ${SERVER_START_MS} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** One statement on its own connection (CREATE/DROP DATABASE cannot run in a transaction). */
export async function admin(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
