import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestApp, startMosaicProcess, type MosaicProcess, type TestApp } from '@mosaic/testing';

// A process (re)started while others serve traffic (bench/day's fault run: an API
// process SIGKILLed and restarted every minute) must come up without waiting for
// their transactions. The module install's afterInstall steps are DDL (DROP/CREATE
// TRIGGER, CREATE INDEX IF NOT EXISTS …) whose table locks conflict with every
// write: before the install stamp, the new process queued behind any open write
// transaction on o_customer, every request on that table queued behind it, and a
// transaction that then wanted a table the install held deadlocked ("deadlock
// detected" killed the restarted process). On a database this code installed,
// start-up now installs nothing and takes no lock.
let t: TestApp;
const procs: MosaicProcess[] = [];

beforeAll(async () => {
  t = await createTestApp();
}, 120_000);

afterAll(async () => {
  await Promise.allSettled(procs.map((p) => p.stop(5000)));
  await t?.close();
});

async function start(env: Record<string, string> = {}, startTimeoutMs = 240_000): Promise<MosaicProcess> {
  const p = await startMosaicProcess('api', { databaseUrl: t.testDb.url, bundle: inject('serverBundle') || undefined, env, startTimeoutMs });
  procs.push(p);
  return p;
}

async function call(p: MosaicProcess, token: string | null, method: string, url: string, body?: unknown) {
  const res = await fetch(p.base + url, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

// Which tenants a start installs, and when: install-stamp.int.test.ts.
describe('a second API process starting on a busy database', () => {
  it('comes up while a write transaction is open, and requests meanwhile are not held up', async () => {
    const a = await start();
    const token = t.adminToken;
    const created = await call(a, token, 'POST', '/api/v1/records/customer', { name: '繁忙客户', tier: 'A' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;
    let version = created.body.version as number;

    // Traffic through A: reads and writes of customers, each timed.
    const replies: { status: number; ms: number }[] = [];
    let busy = true;
    const traffic = (async () => {
      for (let i = 0; busy; i++) {
        const t0 = Date.now();
        const r = i % 2
          ? await call(a, token, 'GET', '/api/v1/records/customer?pageSize=5')
          : await call(a, token, 'PATCH', `/api/v1/records/customer/${id}`, { version, tier: i % 4 ? 'B' : 'A' });
        if (r.body?.version) version = r.body.version;
        replies.push({ status: r.status, ms: Date.now() - t0 });
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    // A long request's transaction, open the whole time B starts: the lock every write holds.
    const writer = new pg.Client({ connectionString: t.testDb.url });
    await writer.connect();
    await writer.query('BEGIN');
    await writer.query('LOCK TABLE mosaic.o_customer IN ROW EXCLUSIVE MODE');
    let b: MosaicProcess;
    try {
      // Before the stamp this start waited on the open transaction until it timed out.
      b = await start({}, 120_000);
    } finally {
      await writer.query('ROLLBACK').catch(() => undefined);
      await writer.end();
      busy = false;
      await traffic;
    }
    const seen = await call(b, token, 'GET', `/api/v1/records/customer/${id}`);
    expect(seen.status).toBe(200);
    expect(seen.body.name).toBe('繁忙客户');
    expect(replies.length).toBeGreaterThan(0);
    expect(replies.filter((r) => r.status >= 300), 'every request meanwhile answered').toEqual([]);
    // Generous for a shared 2-core machine; a request queued behind the install's lock waited for the whole start.
    expect(Math.max(...replies.map((r) => r.ms)), 'the slowest request while B started (ms)').toBeLessThan(10_000);
  }, 600_000);
});
