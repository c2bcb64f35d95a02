import { sql } from 'kysely';
import { AppError, clock } from '@mosaic/kernel';
import { inTenantTx, type Database } from '@mosaic/db';
import { inAuthChangeTx } from './session-cache.ts';
import type { Actor } from '@mosaic/access';
import { assertLoginAllowedOrThrow, recordLoginFailure } from './login-throttle.ts';
import { assertPasswordAcceptable, hashPassword, verifyPassword } from './password.ts';
import { auditAuth, SESSION_ABSOLUTE_MS } from './sessions.ts';
import { newToken, tokenHash } from './tokens.ts';

/** A session or API token of the caller, as listed (never the token itself). */
export interface SessionView {
  id: string;
  kind: 'session' | 'api_token';
  name: string | null;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string | null;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}

const scopeOf = (a: Actor) => ({ tenantId: a.tenantId, userId: a.userId });

/** GET /api/v1/auth/sessions (kind 'session') and GET /api/v1/auth/tokens (kind 'api_token'). */
export async function listMySessions(db: Database, actor: Actor, kind: SessionView['kind'], currentToken?: string): Promise<SessionView[]> {
  const current = currentToken ? tokenHash(currentToken).toString('hex') : null;
  const rows = await inTenantTx(db.app, scopeOf(actor), (tx) => sql<Record<string, any>>`SELECT * FROM mosaic_session_list(${actor.userId})`.execute(tx));
  return rows.rows.filter((r) => r.kind === kind).map((r) => ({
    id: r.id, kind: r.kind, name: r.name ?? null, createdAt: iso(r.created_at)!, lastSeenAt: iso(r.last_seen_at)!, expiresAt: iso(r.expires_at),
    ip: r.ip ?? null, userAgent: r.user_agent ?? null, current: r.id === current,
  }));
}

/** DELETE /api/v1/auth/sessions/{id} or /auth/tokens/{id}: ends one of the caller's own; another's is a 404. */
export async function revokeMySession(db: Database, actor: Actor, id: string, kind: SessionView['kind']): Promise<void> {
  const what = kind === 'session' ? 'session' : 'API token';
  if (typeof id !== 'string' || !/^[0-9a-f]{64}$/.test(id)) throw new AppError('NOT_FOUND', `No ${what} with that id.`);
  await inAuthChangeTx(db.app, scopeOf(actor), async (tx) => {
    const n = (await sql<{ n: number }>`SELECT mosaic_session_revoke_id(${actor.userId}, ${id}, ${kind}) AS n`.execute(tx)).rows[0].n;
    if (!n) throw new AppError('NOT_FOUND', `No ${what} with that id.`);
    await auditAuth(tx, actor.tenantId, actor.userId, kind === 'session' ? 'auth.session_revoked' : 'auth.token_revoked', { ip: actor.ip }, { id: id.slice(0, 12) });
  });
}

/** POST /api/v1/auth/logout-everywhere: every session of the caller ends (API tokens stay; revoke them one by one). */
export async function logoutEverywhere(db: Database, actor: Actor): Promise<number> {
  return inAuthChangeTx(db.app, scopeOf(actor), async (tx) => {
    const n = (await sql<{ n: number }>`SELECT mosaic_session_revoke_user(${actor.userId}, 'session') AS n`.execute(tx)).rows[0].n;
    await auditAuth(tx, actor.tenantId, actor.userId, 'auth.logout_everywhere', { ip: actor.ip }, { sessions: n });
    return n;
  });
}

/**
 * POST /api/v1/auth/password {currentPassword, newPassword}: checks the current
 * password (throttled like a login), bumps the user's auth epoch — every older
 * session and API token dies on its next request — and returns a fresh session
 * for the caller.
 */
export async function changePassword(db: Database, actor: Actor, body: unknown, meta: { userAgent?: string } = {}): Promise<{ token: string }> {
  const { currentPassword, newPassword } = (body ?? {}) as { currentPassword?: unknown; newPassword?: unknown };
  if (typeof currentPassword !== 'string' || !currentPassword || currentPassword.length > 1024) {
    throw new AppError('VALIDATION_FAILED', 'currentPassword: required', { field: 'currentPassword' });
  }
  assertPasswordAcceptable(newPassword, 'newPassword');
  if (newPassword === currentPassword) throw new AppError('PASSWORD_WEAK', 'newPassword: must differ from the current password', { field: 'newPassword' });
  const user = (await inTenantTx(db.app, scopeOf(actor), (tx) => sql<Record<string, any>>`SELECT email, password_hash FROM app_user WHERE id = ${actor.userId}`.execute(tx))).rows[0];
  const keys = await assertLoginAllowedOrThrow(db, user.email, actor.ip ?? 'unknown');
  if (!(await verifyPassword(user.password_hash, currentPassword))) {
    await recordLoginFailure(db, keys);
    throw new AppError('FIELD_INVALID', 'currentPassword: is not your current password', { field: 'currentPassword' });
  }
  const hash = await hashPassword(newPassword);
  return inAuthChangeTx(db.app, scopeOf(actor), async (tx) => {
    const epoch = (await sql<{ auth_epoch: number }>`UPDATE app_user SET password_hash = ${hash}, auth_epoch = auth_epoch + 1, updated_at = now()
      WHERE id = ${actor.userId} RETURNING auth_epoch`.execute(tx)).rows[0].auth_epoch;
    await sql`SELECT mosaic_session_revoke_user(${actor.userId}, NULL)`.execute(tx);
    const token = newToken('mos');
    const expires = new Date(clock.now().getTime() + SESSION_ABSOLUTE_MS);
    await sql`SELECT mosaic_session_create(${tokenHash(token)}, ${actor.userId}, 'session', NULL, ${epoch}, ${expires}, ${actor.ip ?? null}, ${meta.userAgent?.slice(0, 300) ?? null})`.execute(tx);
    await auditAuth(tx, actor.tenantId, actor.userId, 'auth.password_changed', { ip: actor.ip }, {});
    return { token };
  });
}

export function iso(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  return (v instanceof Date ? v : new Date(String(v))).toISOString();
}
