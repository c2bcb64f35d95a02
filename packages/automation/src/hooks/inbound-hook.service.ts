import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import { z } from 'zod';
import { AppError, clock, isUuid, newId } from '@mosaic/kernel';
import { inTenantTx, type Database, type Tx } from '@mosaic/db';
import type { Actor } from '@mosaic/access';
import type { RunJob } from '../automation.types.ts';
import { queueFor } from '../engine/queue.ts';
import { tenantOfEndpoint } from '../forms/public-form.submit.ts';
import { enabledRules } from '../rules/rule.store.ts';

export const ZCreateHook = z.object({ name: z.string().trim().min(1).max(200) }).strict();

interface HookRow { id: string; name: string; secret_hash: Buffer; enabled: boolean; created_at: Date; last_used_at: Date | null }

const sha256 = (s: string) => createHash('sha256').update(s).digest();
const view = (r: HookRow) => ({ id: r.id, name: r.name, url: `/api/v1/hooks/${r.id}`, enabled: r.enabled, createdAt: r.created_at.toISOString(), lastUsedAt: r.last_used_at?.toISOString() ?? null });

function assertAdmin(a: Actor): void {
  if (!a.isAdmin) throw new AppError('FORBIDDEN', 'Only administrators may manage inbound webhooks.');
}
const tx = <T>(db: Database, a: Actor, fn: (t: Tx) => Promise<T>) => inTenantTx(db.app, { tenantId: a.tenantId, userId: a.userId }, fn);

/** A new inbound hook; its token is in this reply only (the database keeps a hash). */
export async function createHook(db: Database, a: Actor, input: z.infer<typeof ZCreateHook>) {
  assertAdmin(a);
  const id = newId();
  const token = randomBytes(24).toString('base64url');
  return tx(db, a, async (t) => {
    const row = (await sql<HookRow>`INSERT INTO inbound_hook (tenant_id, id, name, secret_hash, created_by) VALUES (${a.tenantId}, ${id}, ${input.name}, ${sha256(token)}, ${a.userId}) RETURNING *`.execute(t)).rows[0];
    await sql`SELECT mosaic_public_endpoint_set(${id}::uuid, 'hook')`.execute(t);
    return { ...view(row), token };
  });
}

export async function listHooks(db: Database, a: Actor) {
  assertAdmin(a);
  return tx(db, a, async (t) => ({ data: (await sql<HookRow>`SELECT * FROM inbound_hook ORDER BY created_at, id`.execute(t)).rows.map(view) }));
}

export async function deleteHook(db: Database, a: Actor, id: string): Promise<void> {
  assertAdmin(a);
  await tx(db, a, async (t) => {
    const r = isUuid(id) ? await sql`DELETE FROM inbound_hook WHERE id = ${id} RETURNING 1`.execute(t) : { rows: [] };
    if (!r.rows.length) throw new AppError('NOT_FOUND', 'No such hook.');
    await sql`SELECT mosaic_public_endpoint_drop(${id}::uuid)`.execute(t);
  });
}

/**
 * POST /api/v1/hooks/<id> with `X-Mosaic-Token: <token>`: queues one run per
 * enabled rule triggered by this hook, the JSON body as their payload
 * ({{payload.email}} in templates). `X-Mosaic-Delivery` (or Idempotency-Key)
 * makes a resend of the same delivery queue nothing new.
 */
export async function receiveHook(db: Database, url: string, id: string, token: string | undefined, payload: unknown, delivery?: string): Promise<{ accepted: number; delivery: string }> {
  const tenantId = await tenantOfEndpoint(db, id, 'hook');
  const hook = await inTenantTx(db.app, { tenantId }, async (t) => (await sql<HookRow>`SELECT * FROM inbound_hook WHERE id = ${id}`.execute(t)).rows[0]);
  const given = sha256(token ?? '');
  if (!hook || !hook.enabled || !token || !timingSafeEqual(given, hook.secret_hash)) throw new AppError('UNAUTHENTICATED', 'The hook token is missing or wrong.');
  if (delivery !== undefined && !/^[\w.:-]{1,100}$/.test(delivery)) throw new AppError('FIELD_INVALID', 'X-Mosaic-Delivery: 1–100 letters, digits, . : _ -', { field: 'X-Mosaic-Delivery' });
  const key = `w:${delivery ?? newId()}`;
  const at = clock.now().toISOString();
  const jobs: RunJob[] = (await enabledRules(db, tenantId))
    .filter((r) => r.trigger.type === 'webhook' && r.trigger.hookId === id)
    .map((r) => ({ tenantId, ruleId: r.id, trigger: { kind: 'webhook', key, op: 'webhook', at, payload } }));
  await (await queueFor(url)).enqueueRuns(jobs);
  await inTenantTx(db.app, { tenantId }, (t) => sql`UPDATE inbound_hook SET last_used_at = now() WHERE id = ${id}`.execute(t));
  return { accepted: jobs.length, delivery: key.slice(2) };
}
