import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startMosaicProcess, type MosaicProcess } from '@mosaic/testing';
import { startSmtp } from './automation-smtp.ts';
import { chainWorld, type ChainHost } from './chain-world.ts';
import { runChain } from './chain-case.ts';

// Several processes, one database (issue 12): two `--role api` processes and one
// `--role worker` against one PostgreSQL, as a deployment behind a load balancer
// runs them. What one process does, the others see at once: sessions, metadata
// (cache invalidation over LISTEN/NOTIFY), auto-numbers, rules run by the worker
// exactly once, notifications pushed over SSE by whichever API process holds the stream —
// and the whole business chain (chain-case.ts) with each request sent to the other API process.
const dbName = `multi_process_${process.pid}`;
const url = inject('pgAdminUrl').replace(/\/[^/]*$/, `/${dbName}`);
const admin = { email: 'ops@multi.cn', password: 'Multi-Process-Pw-1' };

type Proc = MosaicProcess;
const procs: Proc[] = [];

/** One server process (packages/testing/src/processes.ts), on the bundle when the run built one. */
async function startProcess(role: 'api' | 'worker', startTimeoutMs?: number): Promise<Proc> {
  const proc = await startMosaicProcess(role, {
    databaseUrl: url, bundle: inject('serverBundle') || undefined, startTimeoutMs,
    env: { SMTP_URL: smtp.url, MOSAIC_ADMIN_EMAIL: admin.email, MOSAIC_ADMIN_PASSWORD: admin.password },
  });
  procs.push(proc);
  return proc;
}

async function call(p: Proc, token: string | null, method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(p.base + url, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: Object.fromEntries(res.headers) as Record<string, unknown> };
}

async function waitFor<T>(probe: () => Promise<T | null | undefined | false>, what: string, ms = 20_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}\n${await openTransactions()}\n${procs.map((p, i) => `--- process ${i}:\n${p.out().slice(-3000)}`).join('\n')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** For a failure message: transactions open for more than a second (they hold back the outbox). */
async function openTransactions(): Promise<string> {
  const c = new pg.Client({ connectionString: url, options: '-c search_path=mosaic,public' });
  await c.connect();
  const r = await c.query(`SELECT application_name, state, now() - xact_start AS age, left(query, 120) AS query FROM pg_stat_activity
    WHERE datname = current_database() AND xact_start < now() - interval '1 second' AND pid <> pg_backend_pid()`);
  const state = await c.query(`SELECT (SELECT json_agg(x) FROM (SELECT consumer, last_seq FROM event_cursor) x) AS cursors,
    (SELECT json_agg(x) FROM (SELECT seq, object, op FROM outbox_event ORDER BY seq DESC LIMIT 5) x) AS events,
    (SELECT json_agg(x) FROM (SELECT name, state, count(*) FROM pgboss.job GROUP BY 1, 2) x) AS jobs,
    (SELECT count(*) FROM automation_run) AS runs`).catch((e) => ({ rows: [String(e)] }));
  await c.end();
  return JSON.stringify([r.rows, state.rows], null, 1);
}

let apiA: Proc, apiB: Proc, token: string, userId: string;
let smtp: Awaited<ReturnType<typeof startSmtp>>;

beforeAll(async () => {
  smtp = await startSmtp();
  const pgAdmin = new pg.Client({ connectionString: inject('pgAdminUrl') });
  await pgAdmin.connect();
  await pgAdmin.query(`DROP DATABASE IF EXISTS ${dbName}`);
  await pgAdmin.query(`CREATE DATABASE ${dbName}`);
  await pgAdmin.end();
  apiA = await startProcess('api', 480_000); // the first start migrates, creates the tenant and installs every module: slow on a busy machine
  [apiB] = await Promise.all([startProcess('api'), startProcess('worker')]);
  const login = await call(apiA, null, 'POST', '/api/v1/auth/login', admin);
  expect(login.status).toBe(200);
  token = login.body.token;
  userId = login.body.user.id;
}, 600_000);

afterAll(async () => {
  for (const p of procs) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  const pgAdmin = new pg.Client({ connectionString: inject('pgAdminUrl') });
  await pgAdmin.connect();
  await pgAdmin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await pgAdmin.end();
  await smtp?.close();
});

describe('two API processes and a worker on one database', () => {
  it('share sessions: a login on one is valid on the other', async () => {
    const me = await call(apiB, token, 'GET', '/api/v1/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.user.id).toBe(userId);
  });

  it('see a metadata change made on the other at once, though they had it cached', async () => {
    expect((await call(apiB, token, 'GET', '/api/v1/meta/objects/mp_note')).status).toBe(404); // B loads the tenant's metadata
    const created = await call(apiA, token, 'POST', '/api/v1/meta/objects', {
      apiName: 'mp_note', label: '多进程笔记',
      fields: [
        { apiName: 'name', type: 'text', label: '名称' },
        { apiName: 'no', type: 'auto_number', label: '编号', config: { pattern: 'N-{####}' } },
        { apiName: 'flag', type: 'text', label: '标记' },
      ],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const onB = await call(apiB, token, 'POST', '/api/v1/records/mp_note', { name: '在 B 上创建' });
    expect(onB.status, JSON.stringify(onB.body)).toBe(201);
  });

  it('hand out auto-numbers without gaps or duplicates when both create at once', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => call(i % 2 ? apiA : apiB, token, 'POST', '/api/v1/records/mp_note', { name: `并发 ${i}` })));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    const numbers = results.map((r) => r.body.no as string).sort();
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => `N-${String(i + 2).padStart(4, '0')}`)); // N-0001 went to the record above
  });

  it('run a rule once, in the worker, for a record created through an API process', async () => {
    const rule = await call(apiA, token, 'POST', '/api/v1/automation/rules', {
      name: '标记新笔记', object: 'mp_note', trigger: { type: 'created' }, condition: 'name = "触发"',
      actions: [{ type: 'update_record', values: { flag: { template: '已处理 {{no}}' } } }],
    });
    expect(rule.status, JSON.stringify(rule.body)).toBe(201);
    const rec = await call(apiB, token, 'POST', '/api/v1/records/mp_note', { name: '触发' });
    const done = await waitFor(async () => {
      const r = await call(apiA, token, 'GET', `/api/v1/records/mp_note/${rec.body.id}`);
      return r.body.flag ? r.body : null;
    }, 'the worker to run the rule');
    expect(done.flag).toBe(`已处理 ${rec.body.no}`);
    await new Promise((r) => setTimeout(r, 1500)); // a second run, if any process ran it twice, would show by now
    const runs = await call(apiB, token, 'GET', `/api/v1/automation/rules/${rule.body.id}/runs`);
    expect(runs.body.data.map((r: any) => r.status)).toEqual(['done']);
  });

  it('run a module\'s own action in the worker, which knows the modules as an API process does', async () => {
    // finance_depreciation is registered by the finance module (its register()), not by the rules engine.
    const rule = await call(apiA, token, 'POST', '/api/v1/automation/rules', {
      name: '折旧（测试）', object: 'mp_note', trigger: { type: 'created' }, condition: 'name = "折旧"',
      actions: [{ type: 'finance_depreciation', period: 'previous' }],
    });
    expect(rule.status, JSON.stringify(rule.body)).toBe(201);
    await call(apiB, token, 'POST', '/api/v1/records/mp_note', { name: '折旧' });
    const runs = await waitFor(async () => {
      const r = await call(apiA, token, 'GET', `/api/v1/automation/rules/${rule.body.id}/runs`);
      return r.body.data.length && !['pending', 'running'].includes(r.body.data[0].status) ? r.body.data : null;
    }, 'the worker to run the depreciation rule');
    expect(runs.map((r: any) => [r.status, r.error ?? null])).toEqual([['done', null]]);
  });

  it('push a notification the worker made to an SSE stream held by either API process', async () => {
    const rule = await call(apiA, token, 'POST', '/api/v1/automation/rules', {
      name: '通知我', object: 'mp_note', trigger: { type: 'created' }, condition: 'name = "通知"',
      actions: [{ type: 'notify', users: [userId], title: '新笔记 {{no}}' }],
    });
    expect(rule.status, JSON.stringify(rule.body)).toBe(201);
    const abort = new AbortController();
    const stream = await fetch(`${apiB.base}/api/v1/notifications/stream`, { headers: { authorization: `Bearer ${token}` }, signal: abort.signal });
    expect(stream.status).toBe(200);
    const reader = stream.body!.getReader();
    const decoder = new TextDecoder();
    let received = '';
    const readUntil = async (needle: string) => {
      const until = Date.now() + 30_000;
      while (!received.includes(needle)) {
        if (Date.now() > until) throw new Error(`no "${needle}" in the stream: ${received}`);
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        received += decoder.decode(value, { stream: true });
      }
    };
    await readUntil('event: ready');
    const rec = await call(apiA, token, 'POST', '/api/v1/records/mp_note', { name: '通知' });
    await readUntil(`新笔记 ${rec.body.no}`);
    abort.abort();
    expect(received).toContain('event: notification');
  });

  it('run the whole business chain with every request going to the other API process', async () => {
    const me = (await call(apiA, token, 'GET', '/api/v1/auth/me')).body.user;
    let turn = 0;
    const host: ChainHost = {
      tenant: { tenantId: me.tenantId, companyId: me.companyId, departmentId: me.departmentId },
      api: (method, url, body, o = {}) => call(turn++ % 2 ? apiB : apiA, o.token === undefined ? token : o.token, method, url, body, o.headers),
    };
    await runChain(host, await chainWorld(host), () => smtp.received.flatMap((m) => m.to));
    expect(turn).toBeGreaterThan(100); // the chain really went through both processes, many times
  }, 180_000);

  it('end a session everywhere: logged out through one, refused by the other', async () => {
    const second = await call(apiB, null, 'POST', '/api/v1/auth/login', admin);
    expect((await call(apiB, second.body.token, 'POST', '/api/v1/auth/logout-everywhere')).status).toBeLessThan(300);
    // A was holding this session in its cache (the chain just used it there): it lets go when
    // B's commit NOTIFYs it — at once in practice; allowed 2 s here, never the cache's 10 s TTL.
    const started = Date.now();
    await waitFor(async () => (await call(apiA, token, 'GET', '/api/v1/auth/me')).status === 401, 'process A to refuse the ended session', 2_000);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('stop cleanly on SIGTERM, each of them', async () => {
    const codes = await Promise.all(procs.map((p) => p.stop(50_000)));
    expect(codes, procs.map((p) => p.out()).join('\n---\n')).toEqual([0, 0, 0]);
  }, 60_000);
});
