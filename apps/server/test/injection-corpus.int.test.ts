import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenantTx, sql } from '@mosaic/db';
import { createTwoTenantApp, type TwoTenantApp } from '@mosaic/testing';
import { multipart } from '@mosaic/io/test-kit';
import { userWith } from './access-helpers.ts';
import { ALL_PAYLOADS, FILTER_SHAPES, PATH_PAYLOADS, TEXT_PAYLOADS } from './injection-payloads.ts';

// The injection corpus against every generic endpoint, as a sales manager who
// may see their department's customers only. Every answer must be a 4xx or a
// literal match — never a 5xx, never a leak (another tenant's or another
// department's record, a password hash, a stack trace or SQL error text) — and
// no request may take 2 s (so no pg_sleep ever ran).
let t: TwoTenantApp;
let token: string;
let ownId: string;
// A lone surrogate has no UTF-8 form: send the bytes a hostile client would (an encoded surrogate, invalid UTF-8).
const enc = (s: string) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return s.replace(/[\ud800-\udfff]/g, '%ED%A0%80').replace(/[^%A-Za-z0-9]/g, (c) => encodeURIComponent(c));
  }
};
const q = (x: unknown) => enc(JSON.stringify(x));
let requests = 0;
const problems: string[] = [];
const LEAKS = ['ADMIN-ONLY-CANARY', 'TENANT-B-CANARY', '$argon2', 'node_modules', '\n    at ', 'syntax error at or near', 'permission denied for', 'violates row-level security'];

beforeAll(async () => {
  t = await createTwoTenantApp(); // tenant B, every module installed, comes with the database (tenant-b-template.ts)
  const roles = (await t.api('GET', '/api/v1/admin/roles')).body.data;
  const dept = await t.api('POST', '/api/v1/admin/departments', { name: '销售部', parentId: t.tenant.departmentId });
  const user = await userWith(t, [roles.find((r: any) => r.code === 'sales_manager').id], { name: 'corpus', departmentId: dept.body.id });
  token = user.token;
  expect((await t.api('POST', '/api/v1/records/customer', { name: 'ADMIN-ONLY-CANARY' })).status).toBe(201);
  const own = await t.api('POST', '/api/v1/records/customer', { name: '自己的客户' }, { token });
  expect(own.status, JSON.stringify(own.body)).toBe(201);
  ownId = own.body.id;
  const b = t.tenantB;
  const objects = await t.store.objects(b.tenantId);
  const col = objects.get('customer')!.fields.find((f) => f.apiName === 'name')!.columnName!;
  await inTenantTx(t.testDb.db.app, { tenantId: b.tenantId }, (tx) =>
    sql`INSERT INTO o_customer (tenant_id, id, ${sql.id(col)}) VALUES (${b.tenantId}, gen_random_uuid(), 'TENANT-B-CANARY')`.execute(tx));
}, 120_000);

afterAll(async () => {
  await t?.close();
});

type Reply = { status: number; body: any; text: string };

async function send(label: string, payload: unknown, method: string, url: string, body?: unknown, opts: { token?: string | null; raw?: { payload: Buffer; contentType: string } } = {}): Promise<Reply> {
  const started = performance.now();
  const res = await t.app.inject({
    method: method as 'GET', url,
    payload: opts.raw ? opts.raw.payload : body === undefined ? undefined : JSON.stringify(body),
    headers: {
      ...(opts.raw ? { 'content-type': opts.raw.contentType } : body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(opts.token === null ? {} : { authorization: `Bearer ${opts.token ?? token}` }),
    },
  });
  const ms = performance.now() - started;
  requests++;
  const text = res.body;
  const where = `${label} ${JSON.stringify(payload)?.slice(0, 80)}`;
  if (res.statusCode >= 500) problems.push(`${where}: ${res.statusCode} ${text.slice(0, 200)}`);
  if (ms > 2000) problems.push(`${where}: took ${Math.round(ms)} ms`);
  for (const leak of LEAKS) if (text.includes(leak) && !String(payload).includes(leak)) problems.push(`${where}: answer contains ${JSON.stringify(leak)}`);
  let parsed: any = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    /* CSV and the like */
  }
  if (res.statusCode >= 400 && typeof parsed?.error?.code !== 'string') problems.push(`${where}: ${res.statusCode} without an error code`);
  return { status: res.statusCode, body: parsed, text };
}

/** A 200 list answer may only hold rows that literally match. */
function literal(label: string, payload: string, r: Reply, match: (name: string) => boolean): void {
  if (r.status !== 200) return;
  for (const row of r.body.data) if (!match(String(row.name))) problems.push(`${label} ${JSON.stringify(payload).slice(0, 80)}: row ${JSON.stringify(row.name).slice(0, 80)} is no literal match`);
}

describe('the injection corpus', () => {
  it(`answers ${ALL_PAYLOADS.length + FILTER_SHAPES.length} payloads on every generic endpoint with a 4xx or a literal match`, async () => {
    const stored = new Set<string>();
    for (const p of ALL_PAYLOADS) {
      // Values: stored and found back as themselves, nothing more.
      const created = await send('create value', p, 'POST', '/api/v1/records/customer', { name: p });
      if (created.status === 201) {
        stored.add(p);
        if (created.body.name !== p) problems.push(`create ${JSON.stringify(p)}: stored as ${JSON.stringify(created.body.name)}`);
      }
      const eq = await send('filter eq', p, 'GET', `/api/v1/records/customer?fields=name&filter=${q({ name: p })}`);
      literal('filter eq', p, eq, (n) => n === p);
      if (stored.has(p) && eq.status === 200 && eq.body.total !== 1) problems.push(`filter eq ${JSON.stringify(p)}: found ${eq.body.total}, not the one stored`);
      const contains = await send('filter contains', p, 'GET', `/api/v1/records/customer?fields=name&filter=${q({ field: 'name', op: 'contains', value: p })}`);
      literal('filter contains', p, contains, (n) => n.toLowerCase().includes(p.toLowerCase()));
      await send('filter raw', p, 'GET', `/api/v1/records/customer?filter=${enc(p)}`);
      await send('export value', p, 'GET', `/api/v1/export/customer?format=csv&filter=${q({ name: p })}`);
      await send('aggregate value', p, 'GET', `/api/v1/records/customer/aggregate?filter=${q({ name: p })}`);
      // Names: field paths, operators, sort, fields, grouping and measures.
      await send('filter field', p, 'GET', `/api/v1/records/customer?filter=${q({ field: p, op: 'eq', value: 'x' })}`);
      await send('filter shorthand', p, 'GET', `/api/v1/records/customer?filter=${q({ [p]: 'x' })}`);
      await send('filter operator', p, 'GET', `/api/v1/records/customer?filter=${q({ field: 'name', op: p, value: 'x' })}`);
      await send('sort', p, 'GET', `/api/v1/records/customer?sort=${enc(p)}`);
      await send('fields', p, 'GET', `/api/v1/records/customer?fields=${enc(p)}`);
      await send('cursor', p, 'GET', `/api/v1/records/customer?cursor=${enc(p)}&pageSize=${enc(p)}`);
      await send('groupBy', p, 'GET', `/api/v1/records/customer/aggregate?groupBy=${enc(p)}&measures=${enc(`sum:${p}`)}`);
      await send('export fields', p, 'GET', `/api/v1/export/customer?format=${enc(p)}&fields=${enc(p)}&sort=${enc(p)}`);
      await send('create field', p, 'POST', '/api/v1/records/customer', { name: 'n', [p]: 'x' });
      await send('bulk field', p, 'PATCH', '/api/v1/records/customer/bulk', { records: [{ id: p, version: 1, [p]: p }] });
      // Ids and object names in the path.
      await send('get id', p, 'GET', `/api/v1/records/customer/${enc(p)}?fields=${enc(p)}`);
      await send('patch id', p, 'PATCH', `/api/v1/records/customer/${enc(p)}`, { version: 1, name: p });
      await send('delete id', p, 'DELETE', `/api/v1/records/customer/${enc(p)}?version=${enc(p)}`);
      await send('history', p, 'GET', `/api/v1/records/customer/${ownId}/history?before=${enc(p)}&limit=${enc(p)}`);
      await send('submit', p, 'POST', `/api/v1/records/customer/${enc(p)}/submit`, { version: p });
      await send('object', p, 'GET', `/api/v1/records/${enc(p)}?filter=${q({ name: p })}`);
      await send('object meta', p, 'GET', `/api/v1/meta/objects/${enc(p)}`);
      await send('object export', p, 'GET', `/api/v1/export/${enc(p)}`);
      await send('file id', p, 'GET', `/api/v1/records/customer/${ownId}/files/${enc(p)}`);
      await send('session id', p, 'DELETE', `/api/v1/auth/tokens/${enc(p)}`);
      await send('admin id', p, 'PATCH', `/api/v1/admin/users/${enc(p)}`, { name: p }, { token: t.adminToken });
      await send('role id', p, 'PUT', `/api/v1/admin/roles/${enc(p)}/permissions`, { permissions: [{ object: p, action: p, scope: p }] }, { token: t.adminToken });
    }
    for (const shape of FILTER_SHAPES) {
      await send('filter shape', shape, 'GET', `/api/v1/records/customer?filter=${q(shape)}`);
      await send('filter shape export', shape, 'GET', `/api/v1/export/customer?filter=${q(shape)}`);
      await send('filter shape aggregate', shape, 'GET', `/api/v1/records/customer/aggregate?filter=${q(shape)}`);
    }
    for (const p of [...PATH_PAYLOADS, ...TEXT_PAYLOADS.slice(0, 40)]) {
      const up = await send('upload name', p, 'POST', '/api/v1/files', undefined, { raw: multipart({ name: p, content: 'x' }, {}) });
      if (up.status === 201 && /[\\/]|^\.\.?$|\u0000/.test(up.body.name)) problems.push(`upload ${JSON.stringify(p)}: kept the name ${JSON.stringify(up.body.name)}`);
      await send('import name', p, 'POST', '/api/v1/import/customer', undefined, { raw: multipart({ name: p, content: 'name\n' }, { dryRun: 'true' }) });
    }
    // Login last: its failures throttle the address, which answers 429 — still a 4xx.
    for (const p of ALL_PAYLOADS) await send('login', p, 'POST', '/api/v1/auth/login', { email: p, password: p }, { token: null });

    const visible = await t.api('GET', '/api/v1/records/customer?fields=name&pageSize=500', undefined, { token });
    expect(visible.body.data.map((r: any) => r.name)).not.toContain('ADMIN-ONLY-CANARY');
    console.log(`injection corpus: ${ALL_PAYLOADS.length + FILTER_SHAPES.length} payloads, ${requests} requests, ${stored.size} stored literally, ${problems.length} problems`);
    expect(problems).toEqual([]);
  }, 600_000);
});
