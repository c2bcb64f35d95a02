import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { roleWith, userWith, USER_PASSWORD } from './access-helpers.ts';

// A revocation is in force on every process when it answers (ADR 0012): each
// process caches compiled policies and sessions, and the revoking request waits
// until every process has dropped them. Run in the multi topology
// (`MULTI_FILES=apps/server/test/access-revoke-across-processes.int.test.ts npm run
// test:multi`): process A takes the change, process B the very next request, which
// found B's cache still warm before the barrier. In the single topology A and B
// are the same in-process app, and the file checks the same answers.
let t: TestApp;
type Reply = { status: number; body: any };
type Call = (method: string, url: string, body?: unknown, token?: string | null) => Promise<Reply>;
let viaA: Call;
let viaB: Call;

beforeAll(async () => {
  t = await createTestApp();
  const apis = t.topology?.apis;
  const over = (base: string): Call => async (method, url, body, token) => {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    const bearer = token === undefined ? t.adminToken : token;
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    const res = await fetch(base + url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  const inProcess: Call = (method, url, body, token) => t.api(method, url, body, { token });
  viaA = apis ? over(apis[0].base) : inProcess;
  viaB = apis ? over(apis[1].base) : inProcess;
  expect((await viaA('POST', '/api/v1/records/customer', { name: '跨进程客户', tier: 'A' })).status).toBe(201);
}, 300_000);

afterAll(async () => {
  await t?.close();
});

const ROUNDS = 100;

describe('a revocation through one process holds on the other at once', () => {
  it(`a permission taken away through A is refused by B on the next request (${ROUNDS} rounds)`, async () => {
    const roleId = await roleWith(t, 'flip_reader', []);
    const u = await userWith(t, [roleId], { name: 'flipper' });
    const read = [{ object: 'customer', action: 'read', scope: 'all' }];
    const granted: number[] = [];
    const refused: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      expect((await viaA('PUT', `/api/v1/admin/roles/${roleId}/permissions`, { permissions: read })).status).toBe(200);
      // B compiles and caches the policy with the right…
      granted.push((await viaB('GET', '/api/v1/records/customer', undefined, u.token)).status);
      expect((await viaA('PUT', `/api/v1/admin/roles/${roleId}/permissions`, { permissions: [] })).status).toBe(200);
      // …and must not answer from that cache once the revocation has answered.
      refused.push((await viaB('GET', '/api/v1/records/customer', undefined, u.token)).status);
    }
    // Both directions at once: a grant not yet seen by B is the same window as a revocation.
    expect({ grantNotSeen: granted.filter((s) => s !== 200), revokeNotSeen: refused.filter((s) => s !== 404) }).toEqual({ grantNotSeen: [], revokeNotSeen: [] });
  }, 600_000);

  it('a user disabled through A is refused by B on the next request (25 rounds)', async () => {
    const roleId = await roleWith(t, 'disable_reader', [{ object: 'customer', action: 'read', scope: 'all' }]);
    const u = await userWith(t, [roleId], { name: 'disabled' });
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) {
      expect((await viaA('PATCH', `/api/v1/admin/users/${u.id}`, { active: true })).status).toBe(200);
      const login = await viaA('POST', '/api/v1/auth/login', { email: u.email, password: USER_PASSWORD }, null);
      expect(login.status, JSON.stringify(login.body)).toBe(200);
      expect((await viaB('GET', '/api/v1/records/customer', undefined, login.body.token)).status).toBe(200); // B caches the session
      expect((await viaA('PATCH', `/api/v1/admin/users/${u.id}`, { active: false })).status).toBe(200);
      statuses.push((await viaB('GET', '/api/v1/records/customer', undefined, login.body.token)).status);
    }
    expect(statuses.filter((s) => s !== 401)).toEqual([]);
  }, 600_000);

  it('a token logged out through A is refused by B on the next request (25 rounds)', async () => {
    const roleId = await roleWith(t, 'logout_reader', [{ object: 'customer', action: 'read', scope: 'all' }]);
    const u = await userWith(t, [roleId], { name: 'leaver' });
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) {
      const login = await viaA('POST', '/api/v1/auth/login', { email: u.email, password: USER_PASSWORD }, null);
      expect(login.status, JSON.stringify(login.body)).toBe(200);
      expect((await viaB('GET', '/api/v1/records/customer', undefined, login.body.token)).status).toBe(200);
      expect((await viaA('POST', '/api/v1/auth/logout', undefined, login.body.token)).status).toBeLessThan(300);
      statuses.push((await viaB('GET', '/api/v1/records/customer', undefined, login.body.token)).status);
    }
    expect(statuses.filter((s) => s !== 401)).toEqual([]);
  }, 600_000);
});
