import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenantTx, sql } from '@mosaic/db';
import { advanceClock, clock, resetClock } from '@mosaic/kernel';
import { buildApp } from '@mosaic/server';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { userWith, USER_PASSWORD } from './access-helpers.ts';

// Login throttling per account, per address and per (account, address), kept in
// the database: a progressive delay, at most 100 failures an hour per account,
// no permanent lockout, and an attacker elsewhere can't lock a user out of an
// address they logged in from before. Time moves with the test clock.
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(async () => {
  resetClock();
  await t?.close();
});

async function attempt(email: string, password: string, ip: string, app = t.app): Promise<{ status: number; body: any }> {
  const r = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, remoteAddress: ip });
  return { status: r.statusCode, body: JSON.parse(r.body) };
}

describe('login throttling', () => {
  it('delays progressively after five failures, refuses even the right password meanwhile, and lets it through after the wait', async () => {
    const u = await userWith(t, [], { name: 'victim' });
    const ip = '203.0.113.10';
    for (let i = 0; i < 5; i++) expect((await attempt(u.email, 'wrong-password', ip)).status).toBe(401);
    const blocked = await attempt(u.email, USER_PASSWORD, ip);
    expect(blocked.status).toBe(429);
    expect(blocked.body.error).toMatchObject({ code: 'LOGIN_THROTTLED', details: { retryAfter: 1 } });
    advanceClock(1_000);
    expect((await attempt(u.email, 'wrong-password', ip)).status).toBe(401);
    expect((await attempt(u.email, 'wrong-password', ip)).body.error.details.retryAfter).toBe(2); // doubled
    advanceClock(2_000);
    expect((await attempt(u.email, USER_PASSWORD, ip)).status).toBe(200);
    const audit = await inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, (tx) =>
      sql<{ kind: string }>`SELECT kind FROM audit_log WHERE actor_id = ${u.id} AND kind LIKE 'auth.login%' ORDER BY id`.execute(tx));
    expect(audit.rows.map((r) => r.kind)).toEqual([
      'auth.login', ...Array(5).fill('auth.login_failed'), 'auth.login_throttled', 'auth.login_failed', 'auth.login_throttled', 'auth.login',
    ]);
  });

  it('counts unknown accounts the same (no enumeration), and per address across accounts', async () => {
    const ip = '198.51.100.7';
    for (let i = 0; i < 5; i++) expect((await attempt('nobody@nowhere.cn', 'x-wrong-1', ip)).status).toBe(401);
    expect((await attempt('nobody@nowhere.cn', 'x-wrong-1', ip)).status).toBe(429);
    // Spraying many accounts from one address: after 20 failures the address itself waits.
    for (let i = 0; i < 15; i++) expect((await attempt(`spray${i}@nowhere.cn`, 'x-wrong-1', ip)).status).toBe(401);
    const sprayed = await attempt('spray-next@nowhere.cn', 'x-wrong-1', ip);
    expect(sprayed.status).toBe(429);
    advanceClock(3_600_000); // an hour later the window has slid past all of it
    expect((await attempt('spray-next@nowhere.cn', 'x-wrong-1', ip)).status).toBe(401);
  });

  it('allows at most 100 failures an hour per account, never locks it for good, and never locks the user out of a known address', async () => {
    const u = await userWith(t, [], { name: 'target' });
    const home = '192.0.2.1';
    expect((await attempt(u.email, USER_PASSWORD, home)).status).toBe(200); // the user's usual address
    const start = Date.now();
    let failures = 0;
    let clockMs = 0;
    // An attacker retrying from ever-new addresses as fast as allowed, for two simulated hours.
    for (let i = 0; clockMs < 2 * 3_600_000; i++) {
      const r = await attempt(u.email, 'guess-guess', `10.1.${Math.floor(i / 250)}.${i % 250}`);
      if (r.status === 401) failures++;
      else expect(r.status).toBe(429);
      const wait = r.status === 429 ? r.body.error.details.retryAfter * 1000 : 100;
      advanceClock(wait);
      clockMs += wait;
      // The user at home is never kept out.
      if (i % 25 === 0) expect((await attempt(u.email, USER_PASSWORD, home)).status).toBe(200);
    }
    expect(failures).toBeLessThanOrEqual(200); // ≤ 100 in each of the two hours
    const inLastHour = await sql<{ n: number }>`SELECT failures AS n FROM mosaic_login_throttle_state(${[`acct:${u.email}`]}::text[], ${new Date(clock.now().getTime() - 3_600_000)})`.execute(t.testDb.db.app);
    expect(inLastHour.rows[0].n).toBeLessThanOrEqual(100);
    expect(Date.now() - start).toBeLessThan(120_000);
    // From a new address the user waits at most a minute, never longer.
    const fresh = await attempt(u.email, USER_PASSWORD, '192.0.2.99');
    if (fresh.status === 429) {
      expect(fresh.body.error.details.retryAfter).toBeLessThanOrEqual(60);
      advanceClock(fresh.body.error.details.retryAfter * 1000);
      expect((await attempt(u.email, USER_PASSWORD, '192.0.2.99')).status).toBe(200);
    } else {
      expect(fresh.status).toBe(200);
    }
  }, 300_000);

  it('is shared by every process: failures through one server throttle the other', async () => {
    const u = await userWith(t, [], { name: 'two-servers' });
    const other = await buildApp({ db: t.testDb.db, store: t.store, dataDir: t.dataDir });
    try {
      for (let i = 0; i < 5; i++) expect((await attempt(u.email, 'wrong-wrong', '203.0.113.50', other)).status).toBe(401);
      expect((await attempt(u.email, USER_PASSWORD, '203.0.113.50')).status).toBe(429);
    } finally {
      await other.close();
    }
  });
});
