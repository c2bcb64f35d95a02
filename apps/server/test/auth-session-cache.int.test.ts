import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advanceClock, resetClock } from '@mosaic/kernel';
import { listenForSessionChanges, sessionCacheEnabled, SESSION_CACHE_TTL_MS } from '@mosaic/identity';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { roleWith, userWith } from './access-helpers.ts';

// The per-process session cache (packages/identity/src/session-cache.ts, issue 2):
// on only while the process LISTENs on mosaic_auth; a change made through this
// process's services ends a session on the very next request; a change made
// anywhere else (another process, hand-written SQL) once its NOTIFY arrives; and
// a missed notification at most SESSION_CACHE_TTL_MS later.
let t: TestApp;
let sql: pg.Client;
let unlisten: (() => Promise<void>) | undefined;

beforeAll(async () => {
  t = await createTestApp();
  sql = new pg.Client({ connectionString: t.testDb.url, options: '-c search_path=mosaic' });
  await sql.connect();
});

afterAll(async () => {
  resetClock();
  await unlisten?.();
  await sql?.end();
  await t?.close();
});

const me = (token: string) => t.api('GET', '/api/v1/auth/me', undefined, { token });
const hashOf = "sha256(convert_to($1, 'UTF8'))";

/** Polls until `check` holds: a NOTIFY travels through the server to the LISTEN connection. */
async function eventually(check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('session cache', () => {
  it('is off without the LISTEN connection: every request reads the database', async () => {
    expect(sessionCacheEnabled()).toBe(false);
    const u = await userWith(t, [], { name: 'nocache' });
    expect((await me(u.token)).status).toBe(200);
    // Revoked behind the services' back and with no one listening: refused at once all the same.
    await sql.query(`UPDATE auth_session SET revoked_at = now() WHERE token_hash = ${hashOf}`, [u.token]);
    expect((await me(u.token)).status).toBe(401);
  });

  it('serves a session from the cache, bounded by the TTL, while it listens', async () => {
    unlisten = await listenForSessionChanges(t.testDb.url);
    expect(sessionCacheEnabled()).toBe(true);
    const u = await userWith(t, [], { name: 'cached' });
    expect((await me(u.token)).status).toBe(200);
    // A change nobody hears about (trigger off): the cached session still answers — the cache is real —
    await sql.query('ALTER TABLE auth_session DISABLE TRIGGER auth_session_changed');
    try {
      await sql.query(`UPDATE auth_session SET revoked_at = now() WHERE token_hash = ${hashOf}`, [u.token]);
    } finally {
      await sql.query('ALTER TABLE auth_session ENABLE TRIGGER auth_session_changed');
    }
    expect((await me(u.token)).status).toBe(200);
    // — but only until the entry is older than the TTL.
    advanceClock(SESSION_CACHE_TTL_MS + 1);
    expect((await me(u.token)).status).toBe(401);
  });

  it('ends a session changed elsewhere once the NOTIFY arrives', async () => {
    const u = await userWith(t, [], { name: 'elsewhere' });
    expect((await me(u.token)).status).toBe(200);
    expect((await me(u.token)).status).toBe(200); // cached now
    await sql.query(`UPDATE auth_session SET revoked_at = now() WHERE token_hash = ${hashOf}`, [u.token]);
    await eventually(async () => (await me(u.token)).status === 401);
    // A user deactivated by hand-written SQL (app_user's trigger), too.
    const v = await userWith(t, [], { name: 'deactivated' });
    expect((await me(v.token)).status).toBe(200);
    await sql.query('UPDATE app_user SET active = false WHERE id = $1', [v.id]);
    await eventually(async () => (await me(v.token)).status === 401);
  });

  it('sees roles granted elsewhere once the NOTIFY arrives', async () => {
    const role = await roleWith(t, `cache_reader_${Date.now()}`, [{ object: 'customer', action: 'read', scope: 'all' }]);
    const u = await userWith(t, [], { name: 'granted' });
    expect((await t.api('GET', '/api/v1/records/customer', undefined, { token: u.token })).status).toBe(404);
    await sql.query('INSERT INTO user_role (tenant_id, user_id, role_id) VALUES ($1, $2, $3)', [t.tenant.tenantId, u.id, role]);
    await eventually(async () => (await t.api('GET', '/api/v1/records/customer', undefined, { token: u.token })).status === 200);
  });

  it('ends sessions changed through this process at once: logout, deactivation, password reset, roles', async () => {
    const a = await userWith(t, [], { name: 'logout' });
    expect((await me(a.token)).status).toBe(200);
    expect((await t.api('POST', '/api/v1/auth/logout', undefined, { token: a.token })).status).toBeLessThan(300);
    expect((await me(a.token)).status).toBe(401);

    const b = await userWith(t, [], { name: 'off' });
    expect((await me(b.token)).status).toBe(200);
    expect((await t.api('PATCH', `/api/v1/admin/users/${b.id}`, { active: false })).status).toBe(200);
    expect((await me(b.token)).status).toBe(401);

    const c = await userWith(t, [], { name: 'reset' });
    expect((await me(c.token)).status).toBe(200);
    expect((await t.api('POST', `/api/v1/admin/users/${c.id}/password`, { password: 'Another-Pw-2026x' })).status).toBeLessThan(300);
    expect((await me(c.token)).status).toBe(401);

    const role = await roleWith(t, `cache_roles_${Date.now()}`, [{ object: 'customer', action: 'read', scope: 'all' }]);
    const d = await userWith(t, [role], { name: 'roles' });
    expect((await t.api('GET', '/api/v1/records/customer', undefined, { token: d.token })).status).toBe(200);
    expect((await t.api('PUT', `/api/v1/admin/users/${d.id}/roles`, { roleIds: [] })).status).toBe(200);
    expect((await t.api('GET', '/api/v1/records/customer', undefined, { token: d.token })).status).toBe(404);
  });

  it('turns off again when the listener stops', async () => {
    await unlisten!();
    unlisten = undefined;
    expect(sessionCacheEnabled()).toBe(false);
  });
});
