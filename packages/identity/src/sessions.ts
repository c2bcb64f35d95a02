import { sql } from 'kysely';
import { AppError, clock, isUuid, envNumber } from '@mosaic/kernel';
import { inTenantTx, type Database, type Tx } from '@mosaic/db';
import type { Actor } from '@mosaic/access';
import { verifyPassword } from './password.ts';
import { newToken, tokenHash } from './tokens.ts';
import { afterAuthChange, cachedSession, forgetSessions, type SessionRow } from './session-cache.ts';
import { assertLoginAllowedOrThrow, recordLoginFailure, recordLoginSuccess } from './login-throttle.ts';

export const SESSION_IDLE_MS = envNumber('MOSAIC_SESSION_IDLE_MINUTES', 8 * 60) * 60_000;
export const SESSION_ABSOLUTE_MS = envNumber('MOSAIC_SESSION_MAX_DAYS', 14) * 86_400_000;

export interface LoginResult {
  token: string;
  user: { id: string; email: string; name: string; locale: string; isAdmin: boolean; tenantId: string };
}

interface RequestMeta {
  ip?: string;
  userAgent?: string;
}

/**
 * Email + password → a new session token. A new token every login (rotation):
 * a token seen before login can never become a logged-in one. Failures are
 * indistinguishable (unknown email and wrong password read alike) and audited.
 */
export async function login(db: Database, email: unknown, password: unknown, meta: RequestMeta = {}): Promise<LoginResult> {
  if (typeof email !== 'string' || !email || email.length > 254) throw new AppError('VALIDATION_FAILED', 'email: required', { field: 'email' });
  // Control characters (NUL above all) are in no address, and PostgreSQL text cannot hold NUL.
  if (/[\u0000-\u001f\u007f]/.test(email)) throw new AppError('VALIDATION_FAILED', 'email: is not an email address', { field: 'email' });
  if (typeof password !== 'string' || !password || password.length > 1024) throw new AppError('VALIDATION_FAILED', 'password: required', { field: 'password' });
  const found = await sql<{ tenant_id: string; user_id: string }>`SELECT * FROM mosaic_login_lookup(${email})`.execute(db.app);
  const who = found.rows[0];
  const address = meta.ip ?? 'unknown';
  // Throttled before the password is even checked, known account or not (login-throttle.ts).
  const keys = await assertLoginAllowedOrThrow(db, email, address).catch(async (e) => {
    if (who) await inTenantTx(db.app, { tenantId: who.tenant_id }, (tx) => auditAuth(tx, who.tenant_id, who.user_id, 'auth.login_throttled', meta, { email }));
    throw e;
  });
  if (!who) {
    await verifyPassword(DUMMY_HASH, password); // same time as a real check: no user enumeration by timing
    await recordLoginFailure(db, keys);
    throw new AppError('LOGIN_FAILED');
  }
  const scope = { tenantId: who.tenant_id, userId: who.user_id };
  const result = await inTenantTx(db.app, scope, async (tx) => {
    const u = (await sql<Record<string, any>>`SELECT * FROM app_user WHERE id = ${who.user_id}`.execute(tx)).rows[0];
    if (!u || !u.active || !(await verifyPassword(u.password_hash, password))) return null;
    const token = newToken('mos');
    const expires = new Date(clock.now().getTime() + SESSION_ABSOLUTE_MS);
    await sql`SELECT mosaic_session_create(${tokenHash(token)}, ${u.id}, 'session', NULL, ${u.auth_epoch}, ${expires}, ${meta.ip ?? null}, ${meta.userAgent?.slice(0, 300) ?? null})`.execute(tx);
    await auditAuth(tx, who.tenant_id, u.id, 'auth.login', meta, {});
    return { token, user: { id: u.id, email: u.email, name: u.name, locale: u.locale, isAdmin: u.is_admin, tenantId: who.tenant_id } };
  });
  if (!result) {
    // Logged in its own transaction: the failure must be recorded even though the login is refused.
    await inTenantTx(db.app, scope, (tx) => auditAuth(tx, who.tenant_id, who.user_id, 'auth.login_failed', meta, { email }));
    await recordLoginFailure(db, keys);
    throw new AppError('LOGIN_FAILED');
  }
  await recordLoginSuccess(db, email, address);
  return result;
}

// A valid argon2id hash of a random string, for constant-time failure.
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0n8H8bZAlZf1dF0M8R2qHqW7xW2o8G4P8Xo5sL9c6wE';

/**
 * Bearer token → Actor, checked on every request: the session must exist, not
 * be revoked or expired or idle too long, and the user must still be active
 * with the same auth epoch (a password change or deactivation bumps it, which
 * ends every older session on the very next request).
 */
export async function authenticate(db: Database, token: string, meta: RequestMeta = {}): Promise<Actor> {
  if (!/^(mos|mat)_[A-Za-z0-9_-]{20,80}$/.test(token)) throw new AppError('UNAUTHENTICATED', 'The token is not valid.');
  const hash = tokenHash(token);
  // One round trip: session, user, departments below theirs and roles (migration 0031);
  // none while the session is cached (session-cache.ts), the checks below still run.
  const s = await cachedSession(hash.toString('hex'), async () => (await sql<SessionRow>`SELECT * FROM mosaic_authenticate(${hash})`.execute(db.app)).rows[0]);
  const now = clock.now().getTime();
  if (!s || s.revoked_at) throw new AppError('UNAUTHENTICATED', 'The session has ended; log in again.');
  if (s.expires_at && new Date(s.expires_at).getTime() < now) throw new AppError('SESSION_EXPIRED');
  if (s.kind === 'session' && new Date(s.last_seen_at).getTime() + SESSION_IDLE_MS < now) throw new AppError('SESSION_EXPIRED', 'The session was idle too long; log in again.');
  if (!s.active || s.user_epoch !== s.session_epoch) throw new AppError('UNAUTHENTICATED', 'The session has ended; log in again.');
  // Touch at most once a minute: idle tracking without a write per request.
  if (now - new Date(s.last_seen_at).getTime() > 60_000) {
    await inTenantTx(db.app, { tenantId: s.tenant_id, userId: s.user_id }, async (tx) => {
      await sql`SELECT mosaic_session_touch(${hash})`.execute(tx);
      // API token use is audited at the same pace (once a minute per token, not per request).
      if (s.kind === 'api_token') await auditAuth(tx, s.tenant_id, s.user_id, 'auth.token_used', meta, { token: hash.toString('hex').slice(0, 12) });
    });
    s.last_seen_at = new Date(now); // the cached row too: touched, not idle
  }
  return {
    tenantId: s.tenant_id, userId: s.user_id, companyId: s.company_id, departmentId: s.department_id, departmentIds: s.department_ids,
    isAdmin: s.is_admin, roleIds: s.role_ids, ip: meta.ip, locale: s.locale, timeZone: s.time_zone ?? 'Asia/Shanghai',
  };
}

export async function logout(db: Database, actor: Actor, token: string): Promise<void> {
  await inTenantTx(db.app, { tenantId: actor.tenantId, userId: actor.userId }, async (tx) => {
    await sql`SELECT mosaic_session_revoke(${tokenHash(token)})`.execute(tx);
    await auditAuth(tx, actor.tenantId, actor.userId, 'auth.logout', { ip: actor.ip }, {});
  });
  forgetSessions({ hashHex: tokenHash(token).toString('hex') });
  await afterAuthChange(db.app); // the token is refused by every process once logout answers
}

/** The Actor of a user: departments below theirs included, for "department and below" scopes. */
export async function loadActor(tx: Tx, tenantId: string, userId: string, ip?: string): Promise<{ actor: Actor; authEpoch: number; active: boolean } | null> {
  if (!isUuid(userId)) return null;
  const u = (await sql<Record<string, any>>`SELECT u.*, t.time_zone FROM app_user u JOIN tenant t ON t.tenant_id = u.tenant_id WHERE u.id = ${userId}`.execute(tx)).rows[0];
  if (!u) return null;
  const depts = u.department_id
    ? (await sql<{ id: string }>`SELECT id FROM department WHERE path @> ARRAY[${u.department_id}]::uuid[]`.execute(tx)).rows.map((r) => r.id)
    : [];
  const roles = (await sql<{ role_id: string }>`SELECT role_id FROM user_role WHERE user_id = ${userId}`.execute(tx)).rows.map((x) => x.role_id);
  return {
    authEpoch: u.auth_epoch,
    active: u.active,
    actor: {
      tenantId, userId, companyId: u.company_id, departmentId: u.department_id, departmentIds: depts,
      isAdmin: u.is_admin, roleIds: roles, ip, locale: u.locale, timeZone: u.time_zone ?? 'Asia/Shanghai',
    },
  };
}

export async function auditAuth(tx: Tx, tenantId: string, userId: string | null, kind: string, meta: RequestMeta, detail: unknown): Promise<void> {
  await sql`INSERT INTO audit_log (tenant_id, actor_id, ip, kind, detail) VALUES (${tenantId}, ${userId}, ${meta.ip ?? null}, ${kind}, ${JSON.stringify(detail)})`.execute(tx);
}
