import { sql } from 'kysely';
import { AppError, clock } from '@mosaic/kernel';
import { inTenantTx, type Database } from '@mosaic/db';
import type { Actor } from '@mosaic/access';
import { iso } from './my-sessions.service.ts';
import { auditAuth } from './sessions.ts';
import { newToken, tokenHash } from './tokens.ts';

const MAX_DAYS = 3650;

/**
 * POST /api/v1/auth/tokens {name, expiresInDays?} → {id, name, token, expiresAt}.
 * The token is shown this once; only its SHA-256 is stored. It acts as its
 * user with the user's rights, until it expires, is revoked, the user is
 * deactivated or changes their password.
 */
export async function createApiToken(db: Database, actor: Actor, body: unknown): Promise<{ id: string; name: string; token: string; expiresAt: string | null }> {
  const { name, expiresInDays } = (body ?? {}) as { name?: unknown; expiresInDays?: unknown };
  if (typeof name !== 'string' || !name.trim() || name.length > 100) throw new AppError('VALIDATION_FAILED', 'name: 1 to 100 characters', { field: 'name' });
  if (expiresInDays !== undefined && (!Number.isInteger(expiresInDays) || (expiresInDays as number) < 1 || (expiresInDays as number) > MAX_DAYS)) {
    throw new AppError('VALIDATION_FAILED', `expiresInDays: a whole number from 1 to ${MAX_DAYS}`, { field: 'expiresInDays' });
  }
  const token = newToken('mat');
  const hash = tokenHash(token);
  const expires = expiresInDays === undefined ? null : new Date(clock.now().getTime() + (expiresInDays as number) * 86_400_000);
  await inTenantTx(db.app, { tenantId: actor.tenantId, userId: actor.userId }, async (tx) => {
    const epoch = (await sql<{ auth_epoch: number }>`SELECT auth_epoch FROM app_user WHERE id = ${actor.userId}`.execute(tx)).rows[0].auth_epoch;
    await sql`SELECT mosaic_session_create(${hash}, ${actor.userId}, 'api_token', ${name.trim()}, ${epoch}, ${expires}, ${actor.ip ?? null}, NULL)`.execute(tx);
    await auditAuth(tx, actor.tenantId, actor.userId, 'auth.token_created', { ip: actor.ip }, { id: hash.toString('hex').slice(0, 12), name: name.trim() });
  });
  return { id: hash.toString('hex'), name: name.trim(), token, expiresAt: iso(expires) };
}
