import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advanceClock, resetClock } from '@mosaic/kernel';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { userWith, USER_PASSWORD } from './access-helpers.ts';

// Sessions and API tokens: listing and ending them, "log out everywhere",
// password rules, a password change or a deactivation ending every older
// session on the very next request, and an API token's whole life.
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(async () => {
  resetClock();
  await t?.close();
});

const me = (token: string) => t.api('GET', '/api/v1/auth/me', undefined, { token });
const login = async (email: string, password = USER_PASSWORD) => (await t.api('POST', '/api/v1/auth/login', { email, password }, { token: null }));

describe('password rules', () => {
  it('refuses short, long, common and repeated passwords; takes 8 to 128 characters', async () => {
    const weak = ['short', 'x'.repeat(129), '12345678', 'password', 'PassWord', 'aaaaaaaaaaaa', '88888888', 'woaini1314', 12345678, null];
    for (const password of weak) {
      const r = await t.api('POST', '/api/v1/admin/users', { email: `w${Math.random()}@test.local`, name: 'w', password });
      expect(r.status, String(password)).toBe(422);
      expect(r.body.error.code, String(password)).toBe('PASSWORD_WEAK');
    }
    for (const password of ['Tr0ub4dor', '正确的马电池订书钉', 'x1'.repeat(32)]) {
      const r = await t.api('POST', '/api/v1/admin/users', { email: `ok${Math.random()}@test.local`, name: 'ok', password });
      expect(r.status, `${password}: ${JSON.stringify(r.body)}`).toBe(201);
    }
  });
});

describe('sessions', () => {
  it('lists the caller\'s sessions, ends one, and logs out everywhere (API tokens stay)', async () => {
    const u = await userWith(t, [], { name: 'multi' });
    const second = (await login(u.email)).body.token;
    const token = (await t.api('POST', '/api/v1/auth/tokens', { name: 'ci' }, { token: u.token })).body.token;
    const list = await t.api('GET', '/api/v1/auth/sessions', undefined, { token: u.token });
    expect(list.body.data).toHaveLength(2);
    expect(list.body.data.filter((s: any) => s.current)).toHaveLength(1);
    expect(JSON.stringify(list.body)).not.toContain(u.token);
    const other = list.body.data.find((s: any) => !s.current);
    expect((await t.api('DELETE', `/api/v1/auth/sessions/${other.id}`, undefined, { token: u.token })).status).toBe(204);
    expect((await me(second)).status).toBe(401);
    expect((await me(u.token)).status).toBe(200);
    // Someone else's session id, or nonsense, is a 404.
    const admins = await t.api('GET', '/api/v1/auth/sessions');
    expect((await t.api('DELETE', `/api/v1/auth/sessions/${admins.body.data[0].id}`, undefined, { token: u.token })).status).toBe(404);
    expect((await t.api('DELETE', '/api/v1/auth/sessions/zz', undefined, { token: u.token })).status).toBe(404);
    const third = (await login(u.email)).body.token;
    const out = await t.api('POST', '/api/v1/auth/logout-everywhere', undefined, { token: third });
    expect(out.body).toEqual({ ended: 2 });
    expect((await me(third)).status).toBe(401);
    expect((await me(u.token)).status).toBe(401);
    expect((await me(token)).status).toBe(200);
  });

  it('changing the password ends every older session and token at once and hands back a new session', async () => {
    const u = await userWith(t, [], { name: 'changer' });
    const other = (await login(u.email)).body.token;
    const token = (await t.api('POST', '/api/v1/auth/tokens', { name: 'x' }, { token: u.token })).body.token;
    const wrong = await t.api('POST', '/api/v1/auth/password', { currentPassword: 'not-it-at-all', newPassword: 'A-new-Pw-2027' }, { token: u.token });
    expect(wrong.body.error).toMatchObject({ code: 'FIELD_INVALID', field: 'currentPassword' });
    const weak = await t.api('POST', '/api/v1/auth/password', { currentPassword: USER_PASSWORD, newPassword: '11111111' }, { token: u.token });
    expect(weak.body.error.code).toBe('PASSWORD_WEAK');
    const ok = await t.api('POST', '/api/v1/auth/password', { currentPassword: USER_PASSWORD, newPassword: 'A-new-Pw-2027' }, { token: u.token });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    for (const old of [u.token, other, token]) expect((await me(old)).status).toBe(401);
    expect((await me(ok.body.token)).status).toBe(200);
    expect((await login(u.email)).status).toBe(401);
    expect((await login(u.email, 'A-new-Pw-2027')).status).toBe(200);
  });

  it('deactivating a user fails their session and their API token on the very next request', async () => {
    const u = await userWith(t, [], { name: 'leaver' });
    const token = (await t.api('POST', '/api/v1/auth/tokens', { name: 'erp-sync' }, { token: u.token })).body.token;
    expect((await me(token)).status).toBe(200);
    const off = await t.api('PATCH', `/api/v1/admin/users/${u.id}`, { active: false });
    expect(off.status, JSON.stringify(off.body)).toBe(200);
    expect((await me(u.token)).status).toBe(401);
    expect((await me(token)).status).toBe(401);
    expect((await login(u.email)).status).toBe(401);
    // Back on: old credentials stay dead, the password works again.
    await t.api('PATCH', `/api/v1/admin/users/${u.id}`, { active: true });
    expect((await me(token)).status).toBe(401);
    expect((await login(u.email)).status).toBe(200);
  });

  it('an admin resetting a password ends the user\'s sessions; nobody deactivates themselves', async () => {
    const u = await userWith(t, [], { name: 'forgetful' });
    expect((await t.api('POST', `/api/v1/admin/users/${u.id}/password`, { password: 'Reset-Pw-2026!' })).status).toBe(204);
    expect((await me(u.token)).status).toBe(401);
    expect((await login(u.email, 'Reset-Pw-2026!')).status).toBe(200);
    const self = await t.api('PATCH', `/api/v1/admin/users/${t.tenant.adminId}`, { active: false });
    expect(self.status).toBe(409);
  });
});

describe('API tokens', () => {
  it('are shown once, stored hashed, listed, used, expire and are revoked', async () => {
    const u = await userWith(t, [], { name: 'integrator' });
    const created = await t.api('POST', '/api/v1/auth/tokens', { name: '金蝶同步', expiresInDays: 30 }, { token: u.token });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.token).toMatch(/^mat_[A-Za-z0-9_-]{43}$/);
    const list = await t.api('GET', '/api/v1/auth/tokens', undefined, { token: u.token });
    expect(list.body.data).toEqual([expect.objectContaining({ id: created.body.id, name: '金蝶同步', kind: 'api_token' })]);
    expect(JSON.stringify(list.body)).not.toContain(created.body.token);
    const used = await me(created.body.token);
    expect(used.body.user.id).toBe(u.id);
    expect((await t.api('POST', '/api/v1/auth/tokens', { name: '' }, { token: u.token })).status).toBe(422);
    expect((await t.api('POST', '/api/v1/auth/tokens', { name: 'x', expiresInDays: 0 }, { token: u.token })).status).toBe(422);
    // Another user cannot revoke it; its owner can.
    expect((await t.api('DELETE', `/api/v1/auth/tokens/${created.body.id}`)).status).toBe(404);
    expect((await t.api('DELETE', `/api/v1/auth/tokens/${created.body.id}`, undefined, { token: u.token })).status).toBe(204);
    expect((await me(created.body.token)).status).toBe(401);
    // An expired token is refused. The clock moved here is this process's: under
    // MOSAIC_TEST_TOPOLOGY=multi the server processes keep real time, so only in-process.
    if (t.topology) return;
    const short = (await t.api('POST', '/api/v1/auth/tokens', { name: 'short', expiresInDays: 1 }, { token: u.token })).body.token;
    advanceClock(2 * 86_400_000);
    try {
      const r = await me(short);
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe('SESSION_EXPIRED');
    } finally {
      resetClock();
    }
  });
});
