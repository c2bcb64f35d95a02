import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { inTenantTx, type Database } from '@mosaic/db';
import { createApiToken, listTenantIds, loadActor, revokeMySession, tenantAdmins } from '@mosaic/identity';
import { seedDemo, type DemoOptions, type DemoSummary } from './seed-demo.ts';

/**
 * Seeds the first tenant's demo history as its first administrator, through
 * `app` (in-process HTTP): `npm run seed:demo -- --years 2`, and the first
 * `npm start` on the embedded database. The API token it acts with lives a day
 * at most and is revoked when the seed ends, finished or not (a later run, or
 * a resumed one, makes its own).
 */
export async function seedFirstTenant(db: Database, app: FastifyInstance, opts: DemoOptions): Promise<DemoSummary> {
  const [tenantId] = await listTenantIds(db);
  if (!tenantId) throw new Error('demo: no tenant yet (start Mosaic once first)');
  const actor = await inTenantTx(db.app, { tenantId, userId: null }, async (tx) => {
    const [admin] = await tenantAdmins(tx);
    if (!admin) throw new Error('demo: the tenant has no active administrator');
    return (await loadActor(tx, tenantId, admin))!.actor;
  });
  const token = await createApiToken(db, actor, { name: DEMO_TOKEN_NAME, expiresInDays: 1 });
  const started = Date.now();
  try {
    return await seedDemo(app, token.token, {
      ...opts,
      onProgress: (done, total, month) => {
        console.log(`demo history: ${month} done (${done}/${total} months, ${Math.round((Date.now() - started) / 1000)} s)`);
        opts.onProgress?.(done, total, month);
      },
    });
  } finally {
    await revokeMySession(db, actor, token.id, 'api_token');
  }
}

/** The name of the generator's API token (GET /api/v1/auth/tokens shows it while a seed runs). */
export const DEMO_TOKEN_NAME = '演示数据生成';

/** `--years 2`, `--months 6`, `--orders-per-month 30` → options (months win over years). */
export function demoOptionsFrom(args: string[]): Omit<DemoOptions, 'onProgress'> {
  const num = (flag: string) => {
    const i = args.indexOf(flag);
    if (i < 0) return undefined;
    const n = Number(args[i + 1]);
    if (!Number.isInteger(n) || n < 1 || n > 120) throw new Error(`${flag}: a whole number from 1 to 120 (got "${args[i + 1] ?? ''}")`);
    return n;
  };
  const months = num('--months') ?? (num('--years') ?? 2) * 12;
  return { months, ordersPerMonth: num('--orders-per-month') ?? 30 };
}

/**
 * Whether the first tenant has a demo seed that started and did not finish
 * (the process stopped during the first start's background seed): the next
 * start goes on with it.
 */
export async function demoUnfinished(db: Database): Promise<boolean> {
  const [tenantId] = await listTenantIds(db);
  if (!tenantId) return false;
  return inTenantTx(db.app, { tenantId, userId: null }, async (tx) =>
    (await sql<{ one: number }>`SELECT 1 AS one FROM demo_seed_step WHERE key = 'run' AND NOT coalesce((value->>'done')::boolean, false)`.execute(tx)).rows.length > 0, { readOnly: true });
}
