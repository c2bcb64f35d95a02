import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advanceClock, ERROR_CATALOGUE, resetClock, type ErrorCode } from '@mosaic/kernel';
import { inTenantTx, openDatabase } from '@mosaic/db';
import { MetaStore } from '@mosaic/meta';
import { buildApp } from '../src/app.ts';
import { createTenant, hashPassword, insertUser } from '@mosaic/identity';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { errorHandler } from '../src/http/errors.ts';

// Every code of the error catalogue, produced by a real request (or, for the two
// 5xx codes, by the error mapper): a code nobody can trigger, or one that comes
// back with the wrong status, fails here.
let t: TestApp;
const seen = new Map<string, number>();
const call = async (method: string, url: string, body?: unknown, opts?: Parameters<TestApp['api']>[3]) => {
  const r = await t.api(method, url, body, opts);
  if (r.body?.error?.code) seen.set(r.body.error.code, r.status);
  return r;
};

// Codes whose triggers live with the feature that raises them (their own test files).
const TESTED_ELSEWHERE: ErrorCode[] = ['IMPORT_INVALID', 'IMPORT_MAPPING', 'IMPORT_ROWS_FAILED', 'JOB_NOT_FOUND', 'LOGIN_THROTTLED', 'FIELD_FORBIDDEN', 'RATE_LIMITED', 'IDEMPOTENCY_IN_PROGRESS', 'STOCK_SHORTAGE', 'VOUCHER_UNBALANCED', 'PERIOD_CLOSED', 'BUDGET_EXCEEDED', 'CREDIT_LIMIT_EXCEEDED'];

beforeAll(async () => {
  t = await createTestApp();
  await call('POST', '/api/v1/meta/objects', {
    apiName: 'partner', label: '伙伴',
    fields: [{ apiName: 'name', type: 'text', label: '名称', required: true, unique: true }, { apiName: 'memo', type: 'long_text', label: '备注' }],
    rules: [{ name: 'no_x', formula: 'name <> "X"', message: '不能叫 X' }],
  });
  await call('POST', '/api/v1/meta/objects', { apiName: 'deal', label: '交易', isDocument: true, fields: [{ apiName: 'partner', type: 'link', label: '伙伴', config: { target: 'partner' } }] });
});

afterAll(async () => {
  resetClock();
  await t?.close();
});

describe('the error catalogue', () => {
  it('has a request that produces each code, with its status', async () => {
    const p = (await call('POST', '/api/v1/records/partner', { name: '甲' })).body;
    await call('POST', '/api/v1/records/partner', { name: 'x', memo: 1 }, { headers: { 'idempotency-key': 'k' } });
    await call('POST', '/api/v1/records/partner', { name: 'y' }, { headers: { 'idempotency-key': 'k' } }); // IDEMPOTENCY_CONFLICT
    await call('POST', '/api/v1/records/partner', { name: 'z' }, { headers: { 'idempotency-key': 'bad key with spaces' } }); // BAD_REQUEST
    await call('POST', '/api/v1/records/partner', '{"name":'); // BAD_JSON
    await call('POST', '/api/v1/records/partner', { name: 'big'.repeat(4_000_000) }); // PAYLOAD_TOO_LARGE
    const upload = await t.app.inject({ method: 'POST', url: '/api/v1/files', payload: 'plain', headers: { 'content-type': 'text/plain', authorization: `Bearer ${t.adminToken}` } });
    seen.set(JSON.parse(upload.body).error.code, upload.statusCode); // UNSUPPORTED_MEDIA_TYPE
    const badName = await t.upload('..', 'x');
    seen.set(badName.body.error.code, badName.status); // FILE_NAME_INVALID
    await call('POST', '/api/v1/records/partner', [1]); // VALIDATION_FAILED
    await call('POST', '/api/v1/records/partner', { memo: 'no name' }); // FIELD_REQUIRED
    await call('POST', '/api/v1/records/partner', { name: 5, memo: { a: 1 } }); // FIELD_INVALID
    await call('POST', '/api/v1/records/partner', { name: 'n', colour: 1 }); // FIELD_UNKNOWN
    await call('POST', '/api/v1/records/partner', { name: 'n', version: 3 }); // FIELD_READ_ONLY
    await call('POST', '/api/v1/records/partner', { name: '甲' }); // FIELD_NOT_UNIQUE
    await call('POST', '/api/v1/records/partner', { name: 'X' }); // RULE_VIOLATED
    await call('GET', '/api/v1/records/partner?filter=[]'); // FILTER_INVALID
    await call('GET', `/api/v1/records/partner?filter=${encodeURIComponent('{"name":{"near":1}}')}`); // OPERATOR_UNKNOWN
    await call('GET', '/api/v1/records/partner?sort=memo'); // SORT_INVALID
    await call('GET', '/api/v1/records/partner?pageSize=0'); // PAGE_INVALID
    await call('POST', '/api/v1/meta/objects/partner/fields', { apiName: 'f1', type: 'formula', label: 'f', config: { formula: '1 +' } }); // FORMULA_SYNTAX
    await call('POST', '/api/v1/meta/objects/partner/fields', { apiName: 'f2', type: 'formula', label: 'f', config: { formula: 'name * 2' } }); // FORMULA_TYPE
    await call('GET', '/api/v1/records/nothing'); // OBJECT_UNKNOWN
    await call('POST', '/api/v1/meta/objects', { apiName: 'partner', label: '重复' }); // OBJECT_EXISTS
    await call('POST', '/api/v1/meta/objects/partner/fields', { apiName: 'name', type: 'text', label: '重复' }); // FIELD_EXISTS
    await call('PATCH', '/api/v1/meta/objects/partner/fields/name', { type: 'integer' }); // FIELD_TYPE_CHANGE
    await call('POST', '/api/v1/meta/objects', { apiName: 'Bad', label: 'x' }); // META_INVALID
    await call('GET', `/api/v1/records/partner/${'0'.repeat(8)}-0000-7000-8000-${'0'.repeat(12)}`); // RECORD_NOT_FOUND
    await call('PATCH', `/api/v1/records/partner/${p.id}`, { memo: 'a' }); // VERSION_REQUIRED
    await call('PATCH', `/api/v1/records/partner/${p.id}`, { version: 9, memo: 'a' }); // VERSION_CONFLICT
    const d = (await call('POST', '/api/v1/records/deal', { partner: p.id })).body;
    await call('DELETE', `/api/v1/records/partner/${p.id}`); // RECORD_LINKED
    await call('POST', '/api/v1/records/deal', { partner: '0190b5c8-7a4d-7cc3-9a4e-000000000777' }); // LINK_NOT_FOUND
    await call('POST', `/api/v1/records/deal/${d.id}/submit`, { version: 1 });
    await call('PATCH', `/api/v1/records/deal/${d.id}`, { version: 2, partner: null }); // DOCUMENT_IMMUTABLE
    await call('POST', `/api/v1/records/deal/${d.id}/submit`, { version: 2 }); // CONFLICT
    await call('GET', `/api/v1/records/partner/${p.id}/files/${p.id}`); // FILE_NOT_FOUND
    await call('GET', '/api/v1/records/partner', undefined, { token: null }); // UNAUTHENTICATED
    await call('POST', '/api/v1/auth/login', { email: 'nobody@x.cn', password: 'whatever12' }, { token: null }); // LOGIN_FAILED
    await call('GET', '/api/v1/no-such-route'); // NOT_FOUND
    // FORBIDDEN: a plain user may not change metadata.
    const email = 'clerk@test.local';
    await inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, async (tx) => {
      await insertUser(tx, t.tenant.tenantId, { email, name: '文员', passwordHash: await hashPassword('Clerk-Pass-123'), departmentId: t.tenant.departmentId, companyId: t.tenant.companyId });
    });
    const clerk = (await call('POST', '/api/v1/auth/login', { email, password: 'Clerk-Pass-123' }, { token: null })).body.token;
    await call('POST', '/api/v1/meta/objects', { apiName: 'mine', label: '我的' }, { token: clerk }); // FORBIDDEN
    // SESSION_EXPIRED: idle longer than the idle timeout.
    advanceClock(9 * 3600_000);
    await call('GET', '/api/v1/auth/me', undefined, { token: clerk });
    resetClock();
    // PASSWORD_WEAK: the admin password of a new tenant must not be a common one.
    await createTenant(t.testDb.db, { name: 'w', companyName: 'w', adminEmail: 'w@w.cn', adminPassword: '12345678' }).catch((e) => seen.set(e.code, e.status));
    // 5xx: only what is not the caller's fault. An unknown error becomes INTERNAL (logged, never shown)…
    let status = 0;
    let sent: any;
    const reply = { status: (x: number) => ((status = x), reply), send: (b: unknown) => ((sent = b), reply) };
    errorHandler(new TypeError('secret detail'), { url: '/x', method: 'GET' } as never, reply as never);
    seen.set(sent.error.code, status);
    expect(JSON.stringify(sent)).not.toContain('secret detail');
    // …and a database that does not answer makes /healthz say UNAVAILABLE.
    const deadDb = openDatabase('postgres://nobody:x@127.0.0.1:1/none');
    const dead = await buildApp({ db: deadDb, store: new MetaStore(deadDb.app), dataDir: t.dataDir });
    const health = await dead.inject({ method: 'GET', url: '/healthz' });
    seen.set(JSON.parse(health.body).error.code, health.statusCode);
    await dead.close();
    await deadDb.close();

    const expected = Object.keys(ERROR_CATALOGUE).filter((c) => !TESTED_ELSEWHERE.includes(c as ErrorCode)).sort();
    expect([...seen.keys()].filter((c) => expected.includes(c)).sort()).toEqual(expected);
    for (const [code, status] of seen) expect(status, code).toBe(ERROR_CATALOGUE[code as ErrorCode].status);
  });
});
